"""Konton (``/konton``, role admin): the accounts and the audit log (logins, uploads, ingests, exports)."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from lagesbild.analysis.admin import ROLES, audit_entries, list_users
from lagesbild.analysis.admin import accounts as acc
from lagesbild.figures.format import fmt_utc_time
from lagesbild.web import auth
from lagesbild.web import components as ui
from lagesbild.web.registry import get_store

dash.register_page(__name__, path="/konton", name="Konton", title="Konton – Lägesbild", order=6)

ACTIONS = {"login": "inloggning", "login_failed": "misslyckad inloggning", "login_failed_old":
           "misslyckad inloggning (nollställd)", "login_limited": "inloggning spärrad", "logout":
           "utloggning", "upload": "uppladdning", "upload_refused": "uppladdning avvisad",
           "ingest": "inläsning", "export_pack": "mötespaket", "export_chart": "diagramexport",
           "export_numbers": "sifferexport", "export_refused": "export avvisad", "account": "kontoändring",
           "note_add": "anteckning tillagd", "note_remove": "anteckning borttagen",
           "mapping_saved": "mappning sparad", "mapping_forgotten": "mappning glömd"}
AUDIT_ROWS = 500


def _users_table(store):
    users = pd.DataFrame([{"Användare": u["username"], "Roll": u["role"],
                           "Skapat": fmt_utc_time(u["created_at"])} for u in list_users(store)],
                         columns=["Användare", "Roll", "Skapat"])
    return ui.table(users, "adm-users", page_size=50) if len(users) else ui.empty(
        "det finns inga konton", hint="Skapa det första med 'python -m lagesbild users add NAMN "
                                      "--roll admin'.")


def _manage():
    roles = [{"label": r, "value": r} for r in ROLES]
    return html.Div(className="filters", children=[
        ui.control("Användarnamn", dcc.Input(id="adm-name", type="text", autoComplete="off")),
        ui.control("Roll", dcc.Dropdown(id="adm-role", options=roles, value="läsare", clearable=False)),
        ui.control("Lösenord (nytt konto, minst 10 tecken)",
                   dcc.Input(id="adm-password", type="password", autoComplete="new-password")),
        html.Div(className="commit-row", children=[
            html.Button("Skapa konto", id="adm-add", n_clicks=0, className="button-primary"),
            html.Button("Ändra roll", id="adm-setrole", n_clicks=0, className="button-secondary"),
            html.Button("Ta bort konto", id="adm-remove", n_clicks=0, className="button-secondary")]),
        html.Div(id="adm-status", role="status", **{"aria-live": "polite"})])


def layout(**_query):
    """Accounts and the latest audit entries (admins only)."""
    if not auth.allowed("admin"):
        return html.Div(className="page page-accounts", children=[html.H1("Konton"),
                                                                  auth.refusal("admin")])
    store = get_store()
    log = pd.DataFrame([{"Tid": fmt_utc_time(e["at"]), "Vem": e["username"],
                         "Vad": ACTIONS.get(e["action"], e["action"]), "Detaljer": e["detail"],
                         "Adress": e["ip"]} for e in audit_entries(store, AUDIT_ROWS)],
                       columns=["Tid", "Vem", "Vad", "Detaljer", "Adress"])
    return html.Div(className="page page-accounts", children=[
        html.H1("Konton"),
        ui.section("Konton", html.Div(id="adm-users-box", children=_users_table(store)), _manage(),
                   subtitle="Konton kan också hanteras med 'python -m lagesbild users' (där byts "
                            "även lösenord)."),
        ui.section("Händelselogg", ui.table(log, "adm-audit", page_size=50, sort=True, filter_=True)
                   if len(log) else ui.empty("inget loggat ännu"),
                   subtitle=f"De senaste {AUDIT_ROWS} händelserna: inloggningar (även misslyckade), "
                            "uppladdningar, inläsningar, exporter, kontoändringar (även från "
                            "kommandoraden) och anteckningar."),
    ])


@callback(Output("adm-status", "children"), Output("adm-users-box", "children"),
          Output("adm-password", "value"), Input("adm-add", "n_clicks"), Input("adm-setrole", "n_clicks"),
          Input("adm-remove", "n_clicks"), State("adm-name", "value"), State("adm-role", "value"),
          State("adm-password", "value"), prevent_initial_call=True)
def manage(_add, _setrole, _remove, name, role, password):
    """Create an account, change its role or remove it (admins only; never oneself; audited)."""
    if not auth.allowed("admin"):
        return auth.refusal("admin"), no_update, ""
    store, name, action = get_store(), (name or "").strip(), ctx.triggered_id
    if not name:
        return "Ange ett användarnamn.", no_update, ""
    if action in ("adm-setrole", "adm-remove") and acc.name_key(name) == acc.name_key(auth.current_name()):
        return "Du kan inte ändra eller ta bort ditt eget konto här.", no_update, ""
    try:
        if action == "adm-add":
            acc.add_user(store, name, password or "", role)
            done = f"Kontot {name} ({role}) är skapat."
        elif action == "adm-setrole":
            acc.set_role(store, name, role)
            done = f"Kontot {name} har nu rollen {role}."
        else:
            acc.remove_user(store, name)
            done = f"Kontot {name} är borttaget."
    except acc.AccountError as err:
        return str(err), no_update, ""
    auth.audit_event("account", done)
    return done, _users_table(store), ""
