"""Account commands: ``users add|list|role|remove|passwd``.

Passwords are never command-line arguments (they would end up in the shell history and the process
list): they are asked for twice at a prompt, or read as the first line of standard input with
``--stdin`` (for scripts: ``printf '%s\\n' "$PW" | python -m lagesbild users add anna --roll admin --stdin``).
"""

from __future__ import annotations

import getpass
import sys

from lagesbild.cli import UserError, settings_and_store

ROLE_HELP = "läsare (översikter och export av aggregerade siffror), analytiker (även kartor på " \
            "händelsenivå, uppladdning och inläsning), admin (även konton)"


def register(sub) -> None:
    """Add the ``users`` command to the parser."""
    p = sub.add_parser("users", help="hantera inloggningskonton för webbappen",
                       description="Konton för webbappen. Lösenord anges vid en prompt eller på "
                                   "standard in (--stdin), aldrig som argument.")
    acts = p.add_subparsers(dest="action", metavar="ÅTGÄRD")
    acts.required = True
    add = acts.add_parser("add", help="skapa ett konto")
    add.add_argument("username", metavar="ANVÄNDARNAMN", help="användarens inloggningsnamn")
    add.add_argument("--roll", "--role", dest="role", required=True,
                     choices=("läsare", "analytiker", "admin"), metavar="ROLL", help=ROLE_HELP)
    add.add_argument("--stdin", action="store_true", help="läs lösenordet från standard in")
    add.set_defaults(run=run_add)
    lst = acts.add_parser("list", help="visa alla konton")
    lst.set_defaults(run=run_list)
    rol = acts.add_parser("role", help="ge ett konto en annan roll")
    rol.add_argument("username", metavar="ANVÄNDARNAMN", help="användarens inloggningsnamn")
    rol.add_argument("role", choices=("läsare", "analytiker", "admin"), metavar="ROLL", help=ROLE_HELP)
    rol.set_defaults(run=run_role)
    rem = acts.add_parser("remove", help="ta bort ett konto")
    rem.add_argument("username", metavar="ANVÄNDARNAMN", help="användarens inloggningsnamn")
    rem.set_defaults(run=run_remove)
    pw = acts.add_parser("passwd", help="byt lösenord för ett konto")
    pw.add_argument("username", metavar="ANVÄNDARNAMN", help="användarens inloggningsnamn")
    pw.add_argument("--stdin", action="store_true", help="läs lösenordet från standard in")
    pw.set_defaults(run=run_passwd)


def read_password(from_stdin: bool, stdin=None) -> str:
    """The new password: first line of standard input, or asked twice at a prompt."""
    if from_stdin:
        line = (stdin or sys.stdin).readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UserError("Ingen terminal för lösenordsfrågan; använd --stdin och skicka lösenordet på "
                        "standard in.")
    first = getpass.getpass("Lösenord: ")
    if getpass.getpass("Upprepa lösenordet: ") != first:
        raise UserError("Lösenorden är inte lika; inget ändrades.")
    return first


def _store(args, *, new_ok: bool = False):
    """The store; only ``add`` creates one that does not exist (the first admin before any data):
    listing or changing the accounts of a mistyped --db says that the file is missing."""
    return settings_and_store(args, new_ok=new_ok)[1]


def _audited(store, done: str) -> str:
    """Record an account change made here in the audit log, as Konton records its own (the change
    said as the command prints it; who: the command line and the system's user), and return ``done``.
    Adding, removing, a role or a password changed from the command line left no entry (sec7)."""
    from lagesbild.analysis.admin import audit

    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        who = ""
    audit(store, f"kommandoraden{f' ({who})' if who else ''}", "account", done)
    return done


def run_add(args) -> int:
    from lagesbild.analysis.admin import AccountError, add_user, check_new_account

    store = _store(args, new_ok=True)
    try:
        check_new_account(store, args.username, args.role)  # refused before the prompt
        add_user(store, args.username, read_password(args.stdin), args.role)
    except AccountError as err:
        raise UserError(str(err)) from None
    print(_audited(store, f"Kontot {args.username} ({args.role}) är skapat."))
    return 0


def run_list(args) -> int:
    from lagesbild.analysis.admin import list_users
    from lagesbild.figures.format import fmt_date

    users = list_users(_store(args))
    if not users:
        print("Inga konton. Webbappen kräver då ingen inloggning, men startar bara på den här datorn "
              "(127.0.0.1).")
        return 0
    width = max(len(u["username"]) for u in users)
    for u in users:
        print(f"{u['username']:<{width}}  {u['role']:<10}  skapat {fmt_date(u['created_at'])}")
    return 0


def run_role(args) -> int:
    from lagesbild.analysis.admin import AccountError, set_role

    store = _store(args)
    try:
        set_role(store, args.username, args.role)
    except AccountError as err:
        raise UserError(str(err)) from None
    print(_audited(store, f"Kontot {args.username} har nu rollen {args.role}."))
    return 0


def run_remove(args) -> int:
    from lagesbild.analysis.admin import AccountError, remove_user

    store = _store(args)
    try:
        remove_user(store, args.username)
    except AccountError as err:
        raise UserError(str(err)) from None
    print(_audited(store, f"Kontot {args.username} är borttaget."))
    return 0


def run_passwd(args) -> int:
    from lagesbild.analysis.admin import AccountError, clear_failed_logins, known_name, set_password

    store = _store(args)
    try:
        known_name(store, args.username)  # an unknown account is refused before the prompt
        set_password(store, args.username, read_password(args.stdin))
    except AccountError as err:
        raise UserError(str(err)) from None
    clear_failed_logins(store, args.username)
    print(_audited(store, f"Lösenordet för {args.username} är bytt."))
    return 0
