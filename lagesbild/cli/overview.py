"""``overview``: every place for one year against the year before, as the dashboard's Översikt.

The numbers are :func:`lagesbild.analysis.overview.overview_table`'s, the function the overview page
calls; the text table's cells are the page's (:func:`lagesbild.figures.overview.make_overview_matrix`).
"""

from __future__ import annotations

from lagesbild.analysis.categories import resolve_categories
from lagesbild.cli import UserError, settings_and_store
from lagesbild.cli.analysis import FORMAT_HELP, FORMATS, demo_marks, emit, render_table
from lagesbild.cli.values import OnePeriod
from lagesbild.figures.format import fmt_period


def register(sub) -> None:
    """Add ``overview`` to the parser."""
    o = sub.add_parser("overview", help="alla platser: ett år mot året före, som Översikt i webbappen",
                       description="Anmälda brott per plats och kategori för ett september–augusti-år "
                                   "(eller kalenderår med Brås årssiffror) mot året före, med "
                                   "förändringen och bedömningen, korrigerade för många test "
                                   "(Benjamini–Hochberg) som på Översikt.")
    o.add_argument("--period", action=OnePeriod,
                   help="året, t.ex. 2022–2023 eller 2024 (standard: det senaste med data)")
    o.add_argument("--category", nargs="*", help="kategorier: id eller namn (standard: alla)")
    o.add_argument("--district", metavar="OMRÅDE", help="bara ett stadsdelsområde och platserna i det: id eller namn")
    o.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    o.set_defaults(run=run_overview)


def run_overview(args) -> int:
    """``overview``: the overview's table; JSON and CSV one row per place × category."""
    from lagesbild.analysis import overview as analysis
    from lagesbild.analysis.base import KIND_NAMES
    from lagesbild.analysis.overview_notes import split_notes
    from lagesbild.cli.analysis import place_id_of
    from lagesbild.figures.overview import counted_months, make_overview_matrix
    from lagesbild.figures.quasi_notes import merge_quasi_notes
    from lagesbild.figures.tables import category_label

    settings, store = settings_and_store(args)
    district = place_id_of(store, args.district) if args.district else None
    res = analysis.overview_table(store, settings, period=args.period,
                                  categories=resolve_categories(store, args.category), district=district)
    if res["problem"]:
        raise UserError(res["problem"])
    offered = [p.label for p in analysis.period_choices(store)]
    if res["pair"][1].label not in offered:
        raise UserError(f"det finns inga anmälda brott för {fmt_period(res['pair'][1].label)}; välj ett av "
                        f"åren {', '.join(offered)}")
    rows, cmp = res["rows"], res["comparison"]
    if cmp.empty:
        raise UserError("det finns inga anmälda brott för de valda platserna och kategorierna")
    names = dict(zip(rows["place_id"], rows["name"], strict=True))
    df = cmp.copy()
    df.insert(1, "place", df["place_id"].map(names))
    df.insert(3, "category_name", df["category"].map(lambda c: category_label(res["category_names"], c)))
    matrix = make_overview_matrix(cmp, rows, category_names=res["category_names"])
    pair = res["pair"]

    def text(_d):
        cats = list(dict.fromkeys(matrix["category_name"]))
        cells = {(r.place_id, r.category_name): f"{r.count} ({r.change}, {r.pct})"
                 + {"okning": " ▲", "minskning": " ▼"}.get(r.klass, "")
                 for r in matrix.itertuples()}
        kinds = dict(zip(rows["place_id"], rows["kind"], strict=True))
        table = [[f"{names[pid]} ({KIND_NAMES.get(kinds[pid], kinds[pid])})"]
                 + [cells.get((pid, c), "–") for c in cats]
                 for pid in dict.fromkeys(matrix["place_id"])]
        head = (f"Anmälda brott {fmt_period(pair[1].label)} jämfört med {fmt_period(pair[0].label)}"
                f"{counted_months(cmp)}: antal, "
                "förändring; ▲/▼ bara när förändringen är statistiskt säkerställd")
        # the notes Översikt prints under its table: a part year compared like for like said which
        # months it counts there, and was missing here
        general, alla = split_notes(cmp, rows, res["category_names"])
        general = merge_quasi_notes(general)  # one sentence for every test's dispersion factor
        notes = [n for n in (res.get("years_note"), res.get("missing_note"), res.get("fdr_note")) if n] \
            + alla[:3] + general[:3]
        return "\n".join([head, render_table(table, ["plats", *cats]), *notes])
    emit(df, args.format, text, notes=demo_marks(store))
    return 0
