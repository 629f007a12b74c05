"""Konton (``/konton``, role admin): the accounts and the audit log (logins, uploads, ingests, exports)."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from lagesbild.analysis.admin import audit_entries, list_users
from lagesbild.web import auth
from lagesbild.web import components as ui
from lagesbild.web.registry import get_store

dash.register_page(__name__, path="/konton", name="Konton", title="Konton – Lägesbild", order=6)

ACTIONS = {"login": "inloggning", "login_failed": "misslyckad inloggning", "login_failed_old":
           "misslyckad inloggning (nollställd)", "login_limited": "inloggning spärrad", "logout":
           "utloggning", "upload": "uppladdning", "upload_refused": "uppladdning avvisad",
           "ingest": "inläsning", "export_pack": "mötespaket", "export_chart": "diagramexport",
           "export_refused": "export avvisad"}
AUDIT_ROWS = 500


def _when(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%S") + " UTC" if value is not None else ""


def layout(**_query):
    """Accounts and the latest audit entries (admins only)."""
    if not auth.allowed("admin"):
        return html.Div(className="page page-accounts", children=[html.H1("Konton"),
                                                                  auth.refusal("admin")])
    store = get_store()
    users = pd.DataFrame([{"Användare": u["username"], "Roll": u["role"],
                           "Skapat": _when(u["created_at"])} for u in list_users(store)],
                         columns=["Användare", "Roll", "Skapat"])
    log = pd.DataFrame([{"Tid": _when(e["at"]), "Vem": e["username"],
                         "Vad": ACTIONS.get(e["action"], e["action"]), "Detaljer": e["detail"],
                         "Adress": e["ip"]} for e in audit_entries(store, AUDIT_ROWS)],
                       columns=["Tid", "Vem", "Vad", "Detaljer", "Adress"])
    return html.Div(className="page page-accounts", children=[
        html.H1("Konton"),
        ui.section("Konton", ui.table(users, "adm-users", page_size=50) if len(users) else ui.empty(
            "det finns inga konton", hint="Skapa det första med 'python -m lagesbild users add NAMN "
                                          "--roll admin'."),
            subtitle="Konton skapas, tas bort och får nya lösenord med 'python -m lagesbild users'."),
        ui.section("Händelselogg", ui.table(log, "adm-audit", page_size=50, sort=True, filter_=True)
                   if len(log) else ui.empty("inget loggat ännu"),
                   subtitle=f"De senaste {AUDIT_ROWS} händelserna: inloggningar (även misslyckade), "
                            "uppladdningar, inläsningar och exporter."),
    ])
