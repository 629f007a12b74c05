"""Meeting commands: ``since`` (what is new since the last meeting), ``notes`` (meeting notes per
place), ``patterns`` and ``quick``.

The numbers come from :mod:`lagesbild.analysis.meeting`, the same functions the dashboard uses.
"""

from __future__ import annotations

import sys

import pandas as pd

from lagesbild.analysis.categories import display_names as category_names
from lagesbild.analysis.categories import resolve_categories, resolve_category
from lagesbild.cli import UserError, settings_and_store
from lagesbild.cli.analysis import FORMAT_HELP, FORMATS, demo_marks, emit, render_table
from lagesbild.cli.values import OnePeriod, day
from lagesbild.figures.format import fmt_period


def register(sub) -> None:
    """Add the meeting commands to the parser."""
    sm = sub.add_parser("since", help="nytt sedan förra mötet, som Sedan sist i webbappen",
                        description="Det som lästs in efter förra mötet: nya månader med data, bedömningar "
                                    "som blivit eller upphört att vara säkerställda, heta punkter som "
                                    "tillkommit eller upphört, aktiviteter som startat eller avslutats, nya "
                                    "uppföljningar och mötesanteckningar.")
    sm.add_argument("--meeting", type=day, metavar="DATUM", help="förra mötets datum, ÅÅÅÅ-MM-DD (standard: senaste mötet med "
                                                 "anteckningar, annars 21 dagar sedan)")
    sm.add_argument("--place", nargs="*", help="platser (standard: alla)")
    sm.add_argument("--format", choices=("text", "json"), default="text",
                    help="utskriftens form: text (standard) eller json")
    sm.set_defaults(run=run_since)

    n = sub.add_parser("notes", help="mötesanteckningar per plats och mötesdatum",
                       description="Korta anteckningar per plats och möte (vem, när, vad). De visas på "
                                   "platsens sida och i mötespaketet.")
    nsub = n.add_subparsers(dest="notes_command", metavar="ÅTGÄRD")
    nsub.required = True
    add = nsub.add_parser("add", help="lägg till en anteckning")
    add.add_argument("--place", required=True, help="platsens namn, id eller kod")
    add.add_argument("--date", required=True, help="mötesdatum (ÅÅÅÅ-MM-DD)")
    add.add_argument("--author", required=True, help="vem som skrev anteckningen")
    add.add_argument("--text", help="anteckningen (annars läses den från standard in)")
    add.set_defaults(run=run_notes_add)
    lst = nsub.add_parser("list", help="visa anteckningar")
    lst.add_argument("--place", nargs="*", help="platser (standard: alla)")
    lst.add_argument("--since", type=day, help="möten från och med (ÅÅÅÅ-MM-DD)")
    lst.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    lst.set_defaults(run=run_notes_list)
    rm = nsub.add_parser("remove", help="ta bort en anteckning")
    rm.add_argument("note_id", type=int, help="anteckningens nummer (se notes list)")
    rm.set_defaults(run=run_notes_remove)

    p = sub.add_parser("patterns", help="när brotten sker: veckodag × timme, månad, upprepade platser",
                       description="Mönster i brott på händelsenivå för en plats och period. Känsliga "
                                   "kategorier redovisas inte.")
    p.add_argument("--place", required=True, help="platsens id eller namn")
    p.add_argument("--period", required=True, action=OnePeriod, help="t.ex. 2022–2023 eller jan 2023")
    p.add_argument("--category", help="kategori: id eller namn (standard: alla utom känsliga)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="utskriftens form: text (standard) eller json")
    p.set_defaults(run=run_patterns)

    q = sub.add_parser("quick", help="senaste 28 dagarna, hittills i år och senaste 12 månaderna mot året före",
                       description="Snabba jämförelser med samma dagar ett år tidigare, räknade per dag "
                                   "från brott på händelsenivå, testade med platsens och kategorins vanliga "
                                   "variation (kvasi-Poisson) och kontroll av andelen falska upptäckter.")
    q.add_argument("--place", required=True, help="platsens id eller namn")
    q.add_argument("--category", nargs="*", help="kategorier: id eller namn (standard: alla)")
    q.add_argument("--until", type=day, help="sista dag, ÅÅÅÅ-MM-DD (standard: sista dagen med fullständiga data)")
    q.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    q.set_defaults(run=run_quick)


def _meeting():
    from lagesbild.analysis import meeting

    return meeting


def _as_user_error(func, *args, **kwargs):
    meeting = _meeting()
    try:
        return func(*args, **kwargs)
    except (meeting.NoteError, meeting.Refused) as exc:
        raise UserError(str(exc)) from None


def run_since(args) -> int:
    """``since``: the Sedan sist page's sections as text or JSON."""
    import json

    from lagesbild.analysis import since_meeting
    from lagesbild.cli.analysis import jsonable
    from lagesbild.figures.format import fmt_int
    from lagesbild.figures.since import NOTES, PARTS, count, head_text, item_text

    settings, store = settings_and_store(args)
    day_ = args.meeting or since_meeting.default_meeting_date(store)
    res = _as_user_error(since_meeting.since_last_meeting, store, settings, meeting_date=day_,
                         places=args.place or None)
    if res["problem"]:
        raise UserError(res["problem"])
    if args.format == "json":
        def plain(x):
            return ({k: plain(v) for k, v in x.items()} if isinstance(x, dict) else
                    [plain(v) for v in x] if isinstance(x, (list, tuple)) else
                    x.isoformat() if hasattr(x, "isoformat") else jsonable(x))
        keys = ("meeting_date", "today", "until_then", "until_now", "pair", "pair_then",
                *[k for k, _t, _e in PARTS])
        print(json.dumps({k: plain(res[k]) for k in keys}, ensure_ascii=False, indent=2))
        return 0
    lines = [head_text(res)]
    for key, title, empty in PARTS:
        lines += ["", f"{title} ({fmt_int(count(key, res[key]))})" if res[key] else title]
        lines += [f"{i}. {item_text(key, item)}" for i, item in enumerate(res[key], 1)] or [empty]
    print("\n".join([*lines, "", *NOTES]))
    return 0


def run_notes_add(args) -> int:
    """``notes add`` (a note needs a place, so a store that does not exist is not created)."""
    _, store = settings_and_store(args)
    text = args.text if args.text is not None else sys.stdin.read()
    note_id = _as_user_error(_meeting().add_meeting_note, store, place=args.place,
                             meeting_date=args.date, author=args.author, text=text)
    print(f"Anteckning nr {note_id} sparad.")
    return 0


def run_notes_list(args) -> int:
    """``notes list``."""
    _, store = settings_and_store(args)
    df = _as_user_error(_meeting().meeting_notes, store, places=args.place or None, since=args.since)

    def text(d):
        if d.empty:
            return "Inga anteckningar."
        rows = [[r.note_id, r.meeting_date.isoformat(), r.place, r.author, r.text.replace("\n", " ")]
                for r in d.itertuples()]
        return render_table(rows, ["nr", "möte", "plats", "av", "anteckning"])
    emit(df, args.format, text)
    return 0


def run_notes_remove(args) -> int:
    """``notes remove``."""
    _, store = settings_and_store(args)
    _as_user_error(_meeting().remove_meeting_note, store, args.note_id)
    print(f"Anteckning nr {args.note_id} borttagen.")
    return 0


def run_patterns(args) -> int:
    """``patterns``: weekday × hour, month of year, repeat locations and concentration."""
    import json

    from lagesbild.analysis.base import data_until
    from lagesbild.figures.format import fmt_int, fmt_num, fmt_pct, shown_period
    from lagesbild.figures.patterns import nonexistent_text, top_cells_text

    settings, store = settings_and_store(args)
    res = _as_user_error(_meeting().incident_patterns, store, settings, place=args.place,
                         period=args.period, category=resolve_category(store, args.category))
    if not res["n"] and not res["month_of_year"]["months_covered"].sum():  # not one month with data
        raise UserError(f"det finns inga brott på händelsenivå för {fmt_period(res['period'].label)}; "
                        "välj en period inom de inlästa brotten")
    if args.format == "json":
        out = {"place": res["place"]["place_id"], "period": res["period"].label, "category": res["category"],
               "category_name": res["category_name"],
               "incidents": res["n"], "cells": res["cells"],
               "concentration": {str(k): v for k, v in res["concentration"].items()},
               "top_cells": res["top_cells"],
               "midnight": res["weekday_hour"].attrs["midnight"],
               "untimed": res["weekday_hour"].attrs.get("untimed", 0),
               "nonexistent_times": res["weekday_hour"].attrs["nonexistent"],
               "weekday_hour": res["weekday_hour"][["weekday", "hour", "count"]].values.tolist(),
               "weekday_days": res["weekday_days"], "weekday_note": res["weekday_note"],
               "month_of_year": res["month_of_year"][["month", "count", "months_covered"]].values.tolist(),
               "repeat_locations": [[r.x, r.y, int(r.n)] for r in res["repeat"].itertuples()]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    # a period not over says how far the data go, as the page's heading does; the count is the page's
    # "Brott med koordinater" (Jakobsberg 2026–2027 said "53 brott" beside 69 on Plats, to 13 nov)
    label = res["period"].label
    shown = fmt_period(label) + shown_period(res["period"], data_until(store))[len(label):]
    head = (f"{res['place']['name']}, {shown}, {res['category_name'].lower()}: "
            f"{fmt_int(res['n'])} brott med koordinater")
    if not res["n"]:  # "0 brott" was followed by "Flest brott kl. 00, 01, 02"
        print(head + "\nInga brott under perioden, så det finns inga mönster att visa.")
        return 0
    wh = res["weekday_hour"]
    # the weekday of an incident without a time of day is known: it counts there, not in an hour
    by_day = wh.groupby("weekday_name", sort=False)["count"].sum() + wh.attrs.get("untimed_by_weekday", [0] * 7)
    by_hour = wh.groupby("hour")["count"].sum()
    lines = [head,
             "Per veckodag: " + ", ".join(f"{d} {fmt_int(v)}" for d, v in by_day.items()),
             ("Flest brott kl. " + ", ".join(f"{h:02d}" for h in by_hour[by_hour > 0].nlargest(3).index))
             if by_hour.sum() else "Inget av brotten har klockslag.",
             top_cells_text(res["top_cells"]),
             f"Upprepade lägen (brott inom 10 m från ett av dem): {fmt_int(len(res['repeat']))} med minst två "
             f"brott ({fmt_pct(res['repeat'].attrs['share'])} av brotten)"]
    if res["weekday_note"]:
        lines.append(f"Obs: {res['weekday_note']}")
    if wh.attrs.get("untimed"):
        lines.append(f"Obs: {fmt_int(wh.attrs['untimed'])} brott saknar klockslag och räknas inte per timme.")
    if wh.attrs["midnight"]:
        lines.append(f"Obs: {fmt_int(wh.attrs['midnight'])} brott har tiden 00:00, ofta ett datum utan klockslag.")
    if wh.attrs["nonexistent"]:
        lines.append(f"Obs: {nonexistent_text(wh.attrs['nonexistent'])}.")
    m = res["month_of_year"]
    lines.append("Per månad (brott per täckt månad): " + ", ".join(
        f"{n[:3]} {fmt_num(v, 1) if pd.notna(v) else 'saknas'}" for n, v in zip(m["month_name"], m["per_month"],
                                                                                  strict=True)))
    print("\n".join(lines))
    return 0


def run_quick(args) -> int:
    """``quick``: the quick spans against the same days a year earlier."""
    from lagesbild.figures.format import fmt_change, fmt_int, fmt_p

    settings, store = settings_and_store(args)
    df = _as_user_error(_meeting().quick_comparison, store, settings, place=args.place,
                        categories=resolve_categories(store, args.category), last_day=args.until)
    if df.empty and args.until is not None:
        raise UserError(f"det finns inga brott på händelsenivå för platsen under året fram till {args.until} "
                        "eller året före; välj en sista dag inom de inlästa brotten")
    if df.empty:
        raise UserError("det finns inga brott på händelsenivå för platsen; snabbjämförelser räknas per dag")
    names = category_names(store)

    def text(d):
        rows = [[r.span_label, names.get(r.category, r.category), fmt_int(r.count_a), fmt_int(r.count_b),
                 fmt_change(r.change), fmt_p(r.q_value), r.verdict] for r in d.itertuples()]
        return render_table(rows, ["period", "kategori", "året före", "nu", "förändring", "q-värde",
                                   "bedömning"])
    emit(df, args.format, text, notes=demo_marks(store))
    return 0
