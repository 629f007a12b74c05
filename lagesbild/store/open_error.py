"""Why a store cannot be opened, in Swedish (a missing driver, a file that is no database, a server
that does not answer): :class:`lagesbild.errors.StoreError`, which the CLI and the WSGI entry print
as "Fel: …" with exit code 2 instead of a traceback (75 for a server that does not answer just now:
:class:`lagesbild.db_unreachable.StoreUnreachable`)."""

from __future__ import annotations

import logging
import os
import re
from urllib.parse import quote

from lagesbild.db_unreachable import StoreUnreachable, unreachable
from lagesbild.errors import STORE_REASONS, StoreError, library_reason
from lagesbild.settings import hide_password, sqlite_file

log = logging.getLogger("lagesbild.store")


#: what else keeps a store URL from being opened, before the errors shared with a failed write
OPEN_REASONS = (
    (r"invalid literal for int\(\)|invalid port number", "porten är inget tal från 1 till 65535"),
    (r"invalid (\w+) value: \"([^\"]*)\"", "värdet {1!r} är inte tillåtet för {0} i URL:en"),
    (r"invalid (?:URI )?query parameter|invalid connection option \"([^\"]*)\"",
     "URL:en har ett okänt tillägg efter '?'"),
    (r"bad value for (\w+): '([^']*)'", "värdet {1!r} är inte tillåtet för {0} i URL:en"),
    # a unix socket (?host=/folder) that is not there: no server, not a file the store would write
    (r"connection to server on socket \"([^\"]*)\" failed: No such file",
     "ingen databasserver lyssnar på {0} (mappen i ?host= och porten: stämmer de, och är servern igång?)"),
    # the server's own refusals, which psycopg words as "connection … failed: <reason>"
    (r"no password supplied", "databasservern kräver ett lösenord och URL:en har inget "
                              "(postgresql://användare:lösenord@server/databas)"),
    (r"server does not support SSL", "databasservern tar inte emot krypterade anslutningar (SSL), som "
                                     "URL:en kräver med sslmode"),
    (r"role \"([^\"]*)\" does not exist", "användaren {0!r} finns inte på databasservern"),
    (r"no pg_hba\.conf entry", "databasservern tar inte emot den här användaren till den här databasen "
                               "från den här datorn (pg_hba.conf)"),
    (r"too many (clients|connections)|connection slots are reserved",
     "databasservern har inga lediga anslutningar; försök igen om en stund"),
    (r"the database system is (starting up|shutting down|in recovery mode)",
     "databasservern startar eller stängs just nu; försök igen om en stund"),
)


def open_error(url: str, exc: BaseException) -> StoreError:
    """Why the store at ``url`` cannot be opened, in Swedish, the URL's password hidden.

    Examples
    --------
    >>> str(open_error("postgresql+psycopg://u:hemligt@h/db", OSError("Connection refused")))
    'databasen postgresql+psycopg://u:***@h/db kan inte öppnas: kan inte ansluta till databasservern (adress, port, och är den igång?)'
    >>> str(open_error("postgresql+psycopg://u:hemligt@h:abc/db", ValueError("invalid literal for int()")))
    'databasen postgresql+psycopg://u:***@h:abc/db kan inte öppnas: porten är inget tal från 1 till 65535'
    >>> str(open_error("postgresql+psycopg://u:hem@99@h/db", OSError("Connection refused"))).split(" kan")[0]
    'databasen postgresql+psycopg://u:***@h/db'
    >>> str(open_error("postgresql+psycopg://u:hem@99@h/db", OSError("Connection refused"))).split(": ")[1]
    'kan inte ansluta till databasservern (adress, port, och är den igång?) (ett @ i användarnamnet eller lösenordet skrivs %40 i URL:en)'
    """
    # the URL as given, its password hidden up to the last '@' (SQLAlchemy's own rendering splits a
    # password with an unencoded '@' at the first one and would show the rest of it)
    shown = hide_password(url)
    log.debug("the store %s cannot be opened", shown, exc_info=exc)
    reason = library_reason(exc, OPEN_REASONS + STORE_REASONS, default="okänt fel (LAGESBILD_LOG_LEVEL=DEBUG visar det)")
    if re.match(r"[^:/]+://[^/?#]*@[^/?#]*@", url):  # user:p@ss@host: SQLAlchemy took "ss@host" as the host
        reason += " (ett @ i användarnamnet eller lösenordet skrivs %40 i URL:en)"
    folder = read_only_folder(url)
    # a server that does not answer just now is a passing state (the CLI's exit code 75), not a setting
    kind = StoreUnreachable if folder is None and unreachable(exc) else StoreError
    return kind(f"databasen {shown} kan inte öppnas: {folder or reason}")


def read_only_folder(url: str) -> str | None:
    """Why an existing SQLite store in a folder that cannot be written (a read-only medium or share)
    does not open, and how to read it anyway: SQLite in WAL mode creates files beside the database
    even to read it, unless it is opened as an immutable SQLite URI filename (reads work, writes are
    refused as "skrivskyddad"). None for any other store."""
    file = sqlite_file(url)
    if file is None or "?" in url or not file.is_file() or os.access(file.parent, os.W_OK):
        return None
    return (f"mappen {file.parent} får inte skrivas, och SQLite skapar filer bredvid databasen även för "
            f"att läsa den; läs den skrivskyddat med --db 'sqlite:///file:{quote(str(file))}?mode=ro&immutable=1&uri=true' "
            "(om inget annat program skriver i den)")


def foreign_store(url: str, tables: list[str]) -> StoreError:
    """A database of another program (it has tables, none of them lagesbild's), which is left as it is.

    >>> str(foreign_store("sqlite:////tmp/x.sqlite", ["foo", "bar"]))
    'databasen sqlite:////tmp/x.sqlite kan inte öppnas: den innehåller ett annat programs tabeller (foo, bar) och ingen av lagesbilds; inget ändrades i den. Ange en ny fil eller en tom databas med --db eller LAGESBILD_DB'
    """
    shown = ", ".join(tables[:5]) + (f" och {len(tables) - 5} till" if len(tables) > 5 else "")
    return StoreError(f"databasen {hide_password(url)} kan inte öppnas: den innehåller ett annat programs "
                      f"tabeller ({shown}) och ingen av lagesbilds; inget ändrades i den. Ange en ny fil "
                      "eller en tom databas med --db eller LAGESBILD_DB")
