"""Sedan förra mötet in words: the sections, their titles and the heading line, shared by the page
(:mod:`lagesbild.web.views.since`) and the CLI's ``since`` so both say the same of the same answer
(:func:`lagesbild.analysis.since_meeting.since_last_meeting`)."""

from __future__ import annotations

from lagesbild.figures.format import fmt_date

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
#: what "new" and "then" mean, under the sections
NOTES = (
    "Nytt sedan mötet är det som lästes in efter mötesdagen (enligt inläsningsloggen). En "
    "månad som lästs in på nytt räknas som ny; tidigare siffror för den sparas inte.",
    "Bedömningen vid mötet är Översiktens test på de data som fanns inlästa då, med samma "
    "justering för många test (Benjamini–Hochberg).",
    "Uppföljningar har inget eget datum: här visas de som lästs in med en åtgärdsplan efter "
    "mötet.")


def count(key: str, items: list) -> int:
    """How many a section holds (the months section counts months and whole periods)."""
    return sum(len(i["months"]) + i["periods"] for i in items) if key == "months" else len(items)


def head_text(res: dict) -> str:
    """The line above the sections: the meeting, the data then and now, the years the verdicts are of.

    >>> head_text({"meeting_date": "2026-11-14", "until_then": None, "until_now": "2023-08-31", "pair": []})
    'Förra mötet 14 nov 2026. Ingen brottsdata fanns inläst vid mötet; nu finns data t.o.m. 31 aug 2023.'
    """
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
    return head


def note_lead(item: dict) -> str:
    """A meeting note's lead: its place, meeting and author."""
    return f"{item['place']}, möte {fmt_date(item['meeting_date'])} ({item['author']}): "


def item_text(key: str, item: dict) -> str:
    """One item of a section as one line of text."""
    if key == "changes":
        return item["change"].capitalize() + ": " + item["detail"]
    if key == "notes":
        return note_lead(item) + item["note"]
    return item["text"]
