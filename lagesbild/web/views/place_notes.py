"""Mötesanteckningar on the place page: the place's notes, a form to add one and a button to remove one.

Notes are kept by :mod:`lagesbild.analysis.meeting` (checked there: length, control characters, a real
date, a known place) and always shown as plain text. Writing needs the role that may write data
(``analytiker``, as for uploads); the callback checks it, and the guard refuses the write callback's
output (:data:`lagesbild.web.auth.OUTPUT_ROLES`) for other roles. The author is the logged-in user, or
"lokal användare" in open mode on this computer.
"""

from __future__ import annotations

import dash
import flask
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from flask_login import current_user

from lagesbild import clock
from lagesbild.analysis.meeting import NoteError, add_meeting_note, meeting_notes, remove_meeting_note
from lagesbild.figures.format import fmt_date
from lagesbild.web import auth
from lagesbild.web import components as ui
from lagesbild.web.registry import get_store

WRITE_ROLE = "analytiker"
LOCAL_AUTHOR = "lokal användare"
MAX_TEXT = 2000  # as the store's check (lagesbild.store.notes.MAX_TEXT); the form stops at it too


def author() -> str:
    """Who writes: the logged-in user, else the local user of open mode."""
    if flask.has_request_context() and current_user.is_authenticated:
        return current_user.id
    return LOCAL_AUTHOR


def note_list(store, place_id) -> html.Div:
    """The place's notes, newest meeting first, with a remove button for those who may write."""
    if not place_id:
        return html.P("Ingen plats är vald.", className="muted")
    notes = meeting_notes(store, places=[place_id])
    if notes.empty:
        return html.P("Inga anteckningar för platsen ännu.", className="muted", id="pn-none")
    may_write = auth.allowed(WRITE_ROLE)
    return html.Ol(className="note-list", children=[
        html.Li(className="note-item", children=[
            html.Strong(f"Möte {fmt_date(r['meeting_date'])}"),
            html.Span(f" – {r['author']}, skriven {fmt_date(r['created_at'])}", className="muted"),
            html.Button("Ta bort", id={"type": "note-remove", "note": int(r["note_id"])}, n_clicks=0,
                        className="dl-button note-remove", title="Ta bort anteckningen")
            if may_write else None,
            html.Div(r["text"], className="note-text")])
        for r in notes.to_dict("records")])


def notes_section(store, place_id) -> html.Section:
    """The section under the place's view: the list and, for those who may write, the form."""
    may_write = auth.allowed(WRITE_ROLE)
    form = html.Div(className="note-form", children=[
        html.Div(className="filters", children=[
            html.Div(className="control", children=[
                html.Label("Mötesdatum", className="control-label", htmlFor="pn-date"),
                dcc.DatePickerSingle(id="pn-date", date=clock.today().isoformat(), **ui.DATE_PICKER)]),
            html.Div(className="control wide", children=[
                html.Label("Anteckning", className="control-label", htmlFor="pn-text"),
                dcc.Textarea(id="pn-text", value="", maxLength=MAX_TEXT, className="note-input",
                             placeholder="Vad sade mötet om platsen? (högst 2 000 tecken)")]),
            html.Button("Spara anteckning", id="pn-add", n_clicks=0, className="button-secondary")]),
        html.Div(id="pn-status", role="status", className="muted")]) if may_write else html.P(
        f"Anteckningar skrivs av rollen {WRITE_ROLE}.", className="muted")
    return html.Section(className="section card notes-section", id="place-notes", children=[
        html.H2("Mötesanteckningar"),
        dcc.Store(id="pn-version", data=0),
        html.Div(note_list(store, place_id), id="pn-list"),
        form])


def next_version(version) -> int:
    """The notes' version counter after a change (what the browser holds may be anything).

    Examples
    --------
    >>> next_version(None), next_version(4), next_version("x"), next_version(2 ** 40)
    (1, 5, 1, 1)
    """
    ok = isinstance(version, int) and not isinstance(version, bool) and 0 <= version < 2 ** 31
    return version + 1 if ok else 1


def register_callbacks() -> None:
    """Register the section's callbacks (called by the place page module, executed per app)."""

    @dash.callback(Output("pn-list", "children"), Input("pl-place", "value"), Input("pn-version", "data"))
    def show(place_id, _version):
        return note_list(get_store(), place_id)

    @dash.callback(Output("pn-status", "children"), Output("pn-version", "data"), Output("pn-text", "value"),
                   Input("pn-add", "n_clicks"), Input({"type": "note-remove", "note": ALL}, "n_clicks"),
                   State("pl-place", "value"), State("pn-date", "date"), State("pn-text", "value"),
                   State("pn-version", "data"), prevent_initial_call=True)
    def write(_add, removes, place_id, day, text, version):
        if ctx.triggered_id is None or not any(t["value"] for t in ctx.triggered):
            return no_update, no_update, no_update  # a remove button appeared, nobody clicked
        return write_note(ctx.triggered_id, place_id, day, text, version)


def write_note(trigger, place_id, day, text, version):
    """Add a note (``trigger`` ``"pn-add"``) or remove one (a remove button's id): the status text, the
    notes' next version (the list is drawn again) and the text box's value, as the callback returns.

    A note someone else removed in the meantime (a list on another screen still shows it) is said
    so, and the list is drawn again without it."""
    if not auth.allowed(WRITE_ROLE):
        return auth.refusal(WRITE_ROLE), no_update, no_update
    store = get_store()
    if trigger == "pn-add":
        if not place_id:
            return "Välj en plats först.", no_update, no_update
        try:
            note_id = add_meeting_note(store, place=place_id, meeting_date=day, author=author(),
                                       text=text or "")
        except (NoteError, ValueError) as err:
            return f"Sparades inte: {err}", no_update, no_update
        auth.audit_event("note_add", f"{place_id} {day} nr {note_id}")
        return f"Anteckningen sparades ({fmt_date(day)}).", next_version(version), ""
    note_id = trigger.get("note") if isinstance(trigger, dict) else None
    if not isinstance(note_id, int) or isinstance(note_id, bool):
        return "Togs inte bort: okänd anteckning.", no_update, no_update
    try:
        remove_meeting_note(store, note_id)
    except (NoteError, ValueError):
        return ("Anteckningen finns inte längre (någon annan har tagit bort den); listan är uppdaterad.",
                next_version(version), no_update)
    auth.audit_event("note_remove", f"nr {note_id}")
    return "Anteckningen togs bort.", next_version(version), no_update
