"""Sedan förra mötet: the answer of :func:`lagesbild.analysis.since_meeting.since_last_meeting` as one
screen a chair walks through, top to bottom."""

from __future__ import annotations

from dash import html

from lagesbild.analysis import since_meeting as analysis
from lagesbild.analysis.base import as_date
from lagesbild.figures.format import fmt_date, fmt_int
from lagesbild.figures.since import NOTES, PARTS, TILE_LABELS, count, head_text, note_lead
from lagesbild.web import components as ui


def _item(key: str, item: dict) -> html.Li:
    if key == "changes":
        tone = "okning" if "ökning" in item["change"] and item["change"].startswith("ny") else "neutral"
        return html.Li(className=f"since-item tone-{tone}", children=[
            html.Strong(item["change"].capitalize() + ": "), item["detail"]])
    if key == "notes":
        return html.Li(className="since-item", children=[
            html.Strong(note_lead(item)),
            html.Span(item["note"], className="note-text")])
    return html.Li(item["text"], className="since-item")


HOTSPOTS_HIDDEN = "Heta punkter bygger på händelsedata och visas för rollen analytiker."


def since_view(store, settings, *, meeting_date, places=None, meeting: bool = False,
               hotspots: bool = True) -> list:
    """The content under the date picker (``hotspots``: whether the role may see incident-based
    hot spots)."""
    res = analysis.since_last_meeting(store, settings, meeting_date=meeting_date, places=places,
                                      with_hotspots=hotspots)
    if res["problem"]:
        return [ui.empty(res["problem"], hint="Välj ett tidigare datum.")]
    head = head_text(res)
    tiles = ui.tiles([{"label": TILE_LABELS[k], "value": fmt_int(count(k, res[k])),
                       "tone": "neutral"} for k, _t, _e in PARTS])
    sections = [ui.section(f"{title} ({fmt_int(count(key, res[key]))})" if res[key] else title,
                           html.Ol([_item(key, i) for i in res[key]], className="since-list")
                           if res[key] else html.P(empty if hotspots or key != "hotspots" else HOTSPOTS_HIDDEN,
                                                   className="muted", role="status"),
                           class_name=f"since-part since-{key}")
                for key, title, empty in PARTS]
    return [html.P(head, id="since-head", className="section-sub"), tiles, *sections,
            ui.notes(list(NOTES))]


def default_date(store, username=None):
    """The date the page opens on (the user's, else the latest meeting with notes, else 21 days back)."""
    return analysis.default_meeting_date(store, username=username)


def remember(store, username: str, day) -> None:
    """Keep the user's chosen date."""
    analysis.remember_meeting_date(store, username, day)


def url_date_notice(asked: str | None, shown: str):
    """A Swedish notice when the URL names a meeting date that is no date (a mistyped or cut link):
    the page opens on ``shown`` instead, and says so rather than silently; None otherwise."""
    if not asked:
        return None
    try:
        as_date(asked)
        return None
    except (ValueError, TypeError):
        pass
    asked = asked if len(asked) <= 40 else asked[:40] + "…"
    return html.P(f"Datumet i adressen ({asked}) är inget giltigt datum (ÅÅÅÅ-MM-DD). Sidan öppnades i stället på "
                  f"{fmt_date(as_date(shown))}.", id="sm-url-date", role="status", className="muted")
