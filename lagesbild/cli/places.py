"""``compare-places``: two to four places side by side, as the dashboard's Jämför platser.

The numbers are :func:`lagesbild.analysis.side_by_side.side_by_side`'s, the function the page calls:
counts and rates per place, category and period, each place's change, and the differences between the
places in the latest period, all in one Benjamini–Hochberg family.
"""

from __future__ import annotations

import json

import pandas as pd

from lagesbild.analysis.categories import display_names as category_names
from lagesbild.analysis.categories import resolve_categories
from lagesbild.cli import UserError, settings_and_store
from lagesbild.cli.analysis import FORMAT_HELP, FORMATS, demo_marks, emit, jsonable, render_table
from lagesbild.cli.values import distinct_periods, period_words
from lagesbild.figures.format import fmt_int, fmt_num, fmt_p, fmt_period
from lagesbild.figures.side_by_side import COLUMN_HEADERS, place_notes
from lagesbild.figures.tables import category_label

#: what a CSV holds (one table a file): the choice as the help writes it -> the result's frame
TABLES = {"antal": "table", "skillnader": "between"}


def register(sub) -> None:
    """Add ``compare-places`` to the parser."""
    c = sub.add_parser("compare-places", help="jämför två till fyra platser med varandra, som Jämför i webbappen",
                       description="Anmälda brott och brott per 1 000 invånare för två till fyra platser (eller "
                                   "en plats och liknande platser), varje plats förändring och skillnaden "
                                   "mellan platserna den senaste perioden (kvasi-Poisson med personår; "
                                   "korrigerat för många test, Benjamini–Hochberg).")
    c.add_argument("--places", nargs="+", required=True, metavar="PLATS",
                   help="två till fyra platser (id eller namn); en plats med --similar")
    c.add_argument("--similar", action="store_true", help="lägg till de mest liknande platserna till en plats")
    c.add_argument("--periods", nargs="*", help="perioder, t.ex. 2021–2022 2022–2023 (standard: de två senaste "
                                                "september–augusti-åren)")
    c.add_argument("--category", nargs="*", help="kategorier: id eller namn (standard: de största)")
    c.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    c.add_argument("--table", choices=tuple(TABLES), default="antal",
                   help="för csv: antal (antal och brott per 1 000 invånare, standard) eller skillnader "
                        "(mellan platserna)")
    c.set_defaults(run=run_compare_places)


def run_compare_places(args) -> int:
    """``compare-places``: the Jämför page's tables."""
    from lagesbild.analysis.base import parse_periods
    from lagesbild.analysis.side_by_side import SIMILAR_K, SideBySideError, side_by_side

    settings, store = settings_and_store(args)
    if len(args.places) == 1 and not args.similar:
        raise UserError("ange två till fyra platser, eller en plats och --similar")
    try:
        periods = distinct_periods(parse_periods(period_words(args.periods))) if args.periods else None
        res = side_by_side(store, settings, places=args.places, periods=periods,
                           categories=resolve_categories(store, args.category), similar=SIMILAR_K if args.similar else 0)
    except (SideBySideError, ValueError) as exc:
        raise UserError(str(exc)) from None
    table, between = res["table"], res["between"]
    if args.format == "json":
        out = {"places": [{"place_id": p["place_id"], "name": p["name"], "similar": bool(p.get("similar"))}
                          for p in res["places"]],
               "periods": [p.label for p in res["periods"]], "categories": list(res["categories"]),
               **{key: [{k: jsonable(v) for k, v in r.items()} for r in res[key].to_dict("records")]
                  for key in ("table", "changes", "between")},
               "fdr_note": res["fdr"]["note"]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    names = category_names(store)
    names = {c: category_label(names, c) for c in set(table["category"]) | set(names)}  # "Alla valda kategorier"
    frame = res[TABLES[args.table]].rename(columns=COLUMN_HEADERS if args.format == "csv" else {})
    emit(frame, args.format, lambda _d: _text(res, table, between, names), notes=demo_marks(store))
    return 0


def _text(res: dict, table: pd.DataFrame, between: pd.DataFrame, names: dict) -> str:
    from lagesbild.analysis.side_by_side import BETWEEN_NOTE

    places = ", ".join(p["name"] + (" (liknande)" if p.get("similar") else "") for p in res["places"])
    verdicts = {(r.place_id, r.category, r.period_b): r.verdict for r in res["changes"].itertuples()}
    rows = [[r.name, names.get(r.category, r.category), fmt_period(r.period), fmt_int(r.count),
             "–" if pd.isna(r.rate) else fmt_num(r.rate, 1), verdicts.get((r.place_id, r.category, r.period), "")]
            for r in table.itertuples()]
    lines = [f"Jämför platser: {places}",
             render_table(rows, ["plats", "kategori", "period", "antal", "per 1 000 inv.", "förändring"])]
    if len(between):
        rows = [[names.get(r.category, r.category), fmt_period(r.period), r.name_a, r.name_b,
                 "–" if pd.isna(r.rate_ratio) else fmt_num(r.rate_ratio, 2), fmt_p(r.p_value), r.verdict]
                for r in between.itertuples()]
        lines += ["", "Skillnader mellan platserna",
                  render_table(rows, ["kategori", "period", "plats A", "plats B", "kvot A/B", "p-värde",
                                      "bedömning"]), BETWEEN_NOTE]
    return "\n".join([*lines, *[n for n in (res["fdr"]["note"], *res["notes"], *place_notes(res)) if n]])
