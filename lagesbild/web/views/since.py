"""Sedan förra mötet: the answer of :func:`lagesbild.analysis.since_meeting.since_last_meeting` as one
screen a chair walks through, top to bottom."""

from __future__ import annotations

from dash import html

from lagesbild.analysis import since_meeting as analysis
from lagesbild.analysis.base import as_date
from lagesbild.figures.format import fmt_date, fmt_int
from lagesbild.web import components as ui

#: (key of the answer, section title, what an empty section says)
PARTS = (
    ("months", "Nya månader med data", "Inga nya månader har lästs in sedan mötet."),
    ("changes", "Förändringar som blivit eller upphört att vara säkerställda",
     "Ingen bedömning har ändrats sedan mötet."),
    ("hotspots", "Heta punkter som tillkommit eller upphört", "Inga heta punkter har tillkommit eller upphört."),
    ("activities", "Aktiviteter som startat eller avslutats", "Ingen aktivitet har startat eller avslutats."),
    ("followups", "Uppföljningar inlästa sedan mötet", "Inga uppföljningar har lästs in sedan mötet."),
    ("notes", "Mötesanteckningar", "Inga anteckningar från mötet eller senare."),
)
TILE_LABELS = {"months": "Nya månader", "changes": "Ändrade bedömningar", "hotspots": "Heta punkter",
               "activities": "Aktiviteter", "followups": "Uppföljningar", "notes": "Anteckningar"}


def _count(key: str, items: list) -> int:
    return sum(len(i["months"]) + i["periods"] for i in items) if key == "months" else len(items)


def _item(key: str, item: dict) -> html.Li:
    if key == "changes":
        tone = "okning" if "ökning" in item["change"] and item["change"].startswith("ny") else "neutral"
        return html.Li(className=f"since-item tone-{tone}", children=[
            html.Strong(item["change"].capitalize() + ": "), item["detail"]])
    if key == "notes":
        return html.Li(className="since-item", children=[
            html.Strong(f"{item['place']}, möte {fmt_date(item['meeting_date'])} ({item['author']}): "),
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
    then, now = res["until_then"], res["until_now"]
    head = f"Förra mötet {fmt_date(res['meeting_date'])}. "
    if now is None:
        head += "Ingen brottsdata är inläst."
    elif then is None:
        head += f"Ingen brottsdata fanns inläst vid mötet; nu finns data t.o.m. {fmt_date(now)}."
    else:
        head += f"Data t.o.m. {fmt_date(then)} vid mötet, t.o.m. {fmt_date(now)} nu."
    if res["pair"]:
        head += f" Bedömningarna gäller {' mot '.join(reversed(res['pair']))}, som på Översikt"
        then_pair = res.get("pair_then") or []
        head += (f"; vid mötet visade Översikt {' mot '.join(reversed(then_pair))}."
                 if then_pair and then_pair != res["pair"] else ".")
    tiles = ui.tiles([{"label": TILE_LABELS[k], "value": fmt_int(_count(k, res[k])),
                       "tone": "neutral"} for k, _t, _e in PARTS])
    sections = [ui.section(f"{title} ({fmt_int(_count(key, res[key]))})" if res[key] else title,
                           html.Ol([_item(key, i) for i in res[key]], className="since-list")
                           if res[key] else html.P(empty if hotspots or key != "hotspots" else HOTSPOTS_HIDDEN,
                                                   className="muted", role="status"),
                           class_name=f"since-part since-{key}")
                for key, title, empty in PARTS]
    return [html.P(head, id="since-head", className="section-sub"), tiles, *sections,
            ui.notes([
                "Nytt sedan mötet är det som lästes in efter mötesdagen (enligt inläsningsloggen). En "
                "månad som lästs in på nytt räknas som ny; tidigare siffror för den sparas inte.",
                "Bedömningen vid mötet är Översiktens test på de data som fanns inlästa då, med samma "
                "justering för många test (Benjamini–Hochberg).",
                "Uppföljningar har inget eget datum: här visas de som lästs in med en åtgärdsplan efter "
                "mötet."])]


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
