"""Analysis commands: ``compare``, ``survey``, ``hotspots``, ``effect``.

Each prints a readable Swedish table by default, ``--format json`` or ``csv`` for machines. The numbers
come from :mod:`lagesbild.analysis`, the same functions the dashboard and the exports call.
"""

from __future__ import annotations

import json
import math
import sys

import pandas as pd

from lagesbild.analysis.categories import display_names as category_names
from lagesbild.analysis.categories import resolve_categories, resolve_category
from lagesbild.cli import UserError, settings_and_store
from lagesbild.cli.values import (
    OnePeriod,
    distinct_periods,
    period_words,
    setting_help,
    setting_range,
    swedish_choice,
)
from lagesbild.export.tables import csv_text
from lagesbild.figures.format import fmt_period

FORMATS = ("text", "json", "csv")
SHAPES = {"kvadrat": "square", "hexagon": "hex"}  # the grid's shape as the help writes it -> its id
FORMAT_HELP = "utskriftens form: text (standard), json eller csv (för Excel: semikolon, decimalkomma, UTF-8 med BOM)"


def register(sub) -> None:
    """Add the analysis commands to the parser."""
    c = sub.add_parser("compare", help="jämför anmälda brott mellan perioder för en plats",
                       description="Jämför perioder (t.ex. 2019–2020 2020–2021) och testar om förändringen "
                                   "är större än platsens och kategorins vanliga variation "
                                   "(kvasi-Poisson; exakt Poissontest med kortare historik än 24 "
                                   "månader).")
    c.add_argument("--place", required=True, help="platsens id eller namn")
    c.add_argument("--category", nargs="*", help="kategorier: id eller namn, t.ex. skadegorelse "
                                                    "\"Våld i nära relation\" (standard: alla)")
    c.add_argument("--periods", nargs="*", help="perioder, t.ex. 2019–2020 2020–2021 eller T1 2021")
    c.add_argument("--from", dest="date_from", help="början av perioden (ÅÅÅÅ-MM-DD)")
    c.add_argument("--to", dest="date_to", help="slutet av perioden (ÅÅÅÅ-MM-DD)")
    c.add_argument("--vs-from", help="början av jämförelseperioden")
    c.add_argument("--vs-to", help="slutet av jämförelseperioden")
    c.add_argument("--alpha", type=setting_range("alpha"), help=setting_help("alpha", "signifikansnivå"))
    c.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    c.set_defaults(run=run_compare)

    s = sub.add_parser("survey", help="trygghetsmätningens resultat för en plats",
                       description="Trygghetsmätningens indikatorer för en plats: andel med "
                                   "konfidensintervall, skillnad mot stadsdelsområdet och staden och "
                                   "förändring sedan förra mätningen.")
    s.add_argument("--place", required=True, help="platsens id eller namn")
    s.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    s.set_defaults(run=run_survey)

    h = sub.add_parser("hotspots", help="brottskoncentrationer (Getis-Ord Gi*) i ett område",
                       description="Heta och kalla punkter (Getis–Ord Gi*) på ett rutnät över land i "
                                   "ett område under en period, korrigerade för många test "
                                   "(Benjamini–Hochberg).")
    h.add_argument("--area", required=True, help="plats, stadsdelsområde eller stockholm")
    h.add_argument("--category", help="kategori: id eller namn, t.ex. skadegorelse (standard: alla "
                                        "utom känsliga)")
    h.add_argument("--period", required=True, action=OnePeriod, help="t.ex. 2021–2022 eller T1 2022")
    h.add_argument("--cell-size", type=setting_range("cell_size"),
                   help=setting_help("cell_size", "rutstorlek i meter"))
    h.add_argument("--shape", type=swedish_choice(SHAPES), default="square", metavar="{kvadrat,hexagon}",
                   help="rutnätets form: kvadrat (standard) eller hexagon (sexhörningar)")
    h.add_argument("--format", choices=("text", "json", "csv", "geojson"), default="text",
                   help="utskriftens form: text (standard), json, csv (semikolon, decimalkomma) eller geojson "
                        "(rutorna med sina värden)")
    h.set_defaults(run=run_hotspots)

    e = sub.add_parser("effect", help="före/efter för en aktivitet i åtgärdsplanen",
                       description="Brotten lika lång tid före och efter en aktivitets start på dess "
                                   "platser, och förändringen jämförd med resten av stadsdelsområdet. "
                                   "En förändring efter starten visar inte att aktiviteten orsakade den.")
    e.add_argument("--activity", required=True, help="aktivitetens id")
    e.add_argument("--months", type=setting_range("effect_months"),
                   help=setting_help("effect_months", "fönstrets längd i månader"))
    e.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    e.set_defaults(run=run_effect)


def place_id_of(store, text: str) -> str:
    from lagesbild.ingest.resolve import place_lookup, stored_or_builtin

    stored = store.places()
    pid = stored_or_builtin(text, place_lookup(stored))
    if pid is not None and pid not in set(stored["place_id"]):
        raise UserError(f"{text!r} finns i den inbyggda geografin ({pid}) men inga data om platsen är "
                        "inlästa ännu")
    if pid is None:
        from lagesbild.analysis.notfound import unknown_place

        if stored.empty:
            raise UserError(f"Okänd plats: {text!r}. Databasen har inga platser inlästa ännu.")
        raise UserError(unknown_place(text, zip(stored["place_id"], stored["name"], strict=True)))
    return pid


def _periods(args):
    from lagesbild.analysis import base

    try:
        if args.date_from or args.vs_from:
            if not all([args.date_from, args.date_to, args.vs_from, args.vs_to]):
                raise UserError("--from, --to, --vs-from och --vs-to måste anges tillsammans")
            return [base.date_range(args.vs_from, args.vs_to), base.date_range(args.date_from, args.date_to)]
        if args.periods:
            periods = distinct_periods(base.parse_periods(period_words(args.periods)))
            if len(periods) < 2:
                raise UserError("ange minst två perioder att jämföra")
            return periods
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return None


def jsonable(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


#: the comment line above a CSV of the demo's numbers, as the web's downloads carry theirs (lagesbild's
#: readers and ``pandas.read_csv(comment="#")`` skip it; the text format ends with the CLI's note)
CSV_DEMO_MARK = "FIKTIVA DEMODATA – inte verklig brottsstatistik"


def demo_marks(store) -> tuple[str, ...]:
    """The comment lines a CSV of ``store``'s numbers starts with: :data:`CSV_DEMO_MARK` for the demo."""
    from lagesbild.analysis.base import facts

    return (CSV_DEMO_MARK,) if facts(store)["demo"] else ()


def emit(df: pd.DataFrame, fmt: str, text_render, *, notes=(), headers=None) -> None:
    """Print a frame as text (via `text_render`), JSON records (the analysis layer's column names, for
    programs) or the exports' Swedish Excel CSV (:func:`lagesbild.export.tables.csv_text` with the
    downloads' Swedish headers, :func:`lagesbild.export.headers.swedish_columns`, and ``notes`` as
    comment lines above the header; ``headers`` before those, e.g. a kommun's name for "staden")."""
    if fmt == "json":
        rows = [{k: jsonable(v) for k, v in r.items()} for r in df.to_dict(orient="records")]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":  # the exports' CSV: BOM, ";", decimal comma, ja/nej, formulas neutralised
        from lagesbild.export.headers import swedish_columns

        sys.stdout.write(csv_text(swedish_columns(df, headers), notes))  # Swedish headers, as the downloads have
    else:
        print(text_render(df))


def render_table(rows: list[list[str]], header: list[str]) -> str:
    """A plain aligned text table."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=False)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def table_names(store) -> dict:
    """Category names for the command's tables, the total named as Plats and the pack name it
    ("Alla valda kategorier", :func:`lagesbild.figures.tables.category_label`): ``compare --category
    narkotikabrott skadegorelse`` called the sum of those two "Alla kategorier" (696 crimes at a place
    with 722), and ``effect`` named the total unlike the pack's before/after table."""
    from lagesbild.figures.tables import category_label

    names = category_names(store)
    return {c: category_label(names, c) for c in names}


def run_compare(args) -> int:
    """``compare``: a place over consecutive periods, per category."""
    from lagesbild import analysis
    from lagesbild.analysis.place import resolve_view
    from lagesbild.analysis.side_by_side import periods_without_data
    from lagesbild.figures.format import fmt_change, fmt_int, fmt_p, fmt_pct
    from lagesbild.figures.tables import comparison_notes

    settings, store = settings_and_store(args)
    pid = place_id_of(store, args.place)
    periods = _periods(args)
    if periods is None and len(analysis.base.default_comparison(store, pid)) < 2:
        raise UserError("det finns inte data för två hela september–augusti-år eller kalenderår; ange "
                        "--periods eller --from/--to")
    if periods and (said := periods_without_data(store, [analysis.place_row(store, pid)], periods)):
        raise UserError(said)  # as hotspots: periods outside the data are a request to correct (exit 2)
    df = analysis.place_comparison(store, pid, periods, categories=resolve_categories(store, args.category),
                                   alpha=settings.alpha if args.alpha is None else args.alpha)
    df.insert(1, "place", analysis.place_row(store, pid)["name"])
    none = not args.category and not resolve_view(store, pid, [], None)[1]
    if none:  # a place without crime data (a survey's area): its "Alla kategorier, data saknas" row said
        df = df.iloc[0:0]  # that its count was of "the months with data"

    names = table_names(store)
    # the category as the text table and Plats name it, beside its id (a CSV opened in Excel said only
    # "misshandel", "vald_nara_relation")
    df.insert(df.columns.get_loc("category") + 1, "category_name", [names.get(c, c) for c in df["category"]])

    def text(d):
        if none:
            return f"Det finns inga anmälda brott för {analysis.place_name(store, pid)} i databasen."
        rows = [[names.get(r.category, r.category), f"{fmt_period(r.period_a)} → {fmt_period(r.period_b)}", fmt_int(r.count_a), fmt_int(r.count_b),
                 fmt_change(r.change), fmt_pct(r.pct_change, 1, sign=True, fraction=False),  # as Plats
                 fmt_p(r.p_value), r.verdict] for r in d.itertuples()]
        # the notes as the screen and the pack word them: a note some categories carry names them
        notes = comparison_notes(pd.DataFrame({"Kategori": [names.get(c, c) for c in d["category"]],
                                               "_not": d["note"].fillna("").astype(str)}))
        head = f"{d['place'].iloc[0] if len(d) else pid}"
        table = render_table(rows, ["kategori", "perioder", "före", "efter", "förändring", "%",
                                    "p-värde", "bedömning"])
        # the p-values are adjusted over the place's categories, as on Plats, which says so: a lone
        # --category personran printed 0,156 for an exact p of 0,031 without a word why
        fdr = df.attrs.get("fdr", {}).get("note", "")
        return "\n".join([head, table, *([fdr] if fdr else []), *notes])
    emit(df, args.format, text, notes=demo_marks(store))
    return 0


def run_survey(args) -> int:
    """``survey``: indicators at a place with intervals and comparisons."""
    from lagesbild import analysis
    from lagesbild.analysis.survey import survey_city
    from lagesbild.figures.format import fmt_int, fmt_pct, fmt_pp

    settings, store = settings_and_store(args)
    pid = place_id_of(store, args.place)
    df = analysis.place_survey(store, pid, alpha=settings.alpha)

    def text(d):
        if d.empty:  # a header and no rows said nothing of why
            return f"Det finns ingen trygghetsmätning för {analysis.place_name(store, pid)}."
        rows = [[r.indicator, r.year, fmt_pct(r.share),
                 "–" if pd.isna(r.ci_lo) else f"{fmt_pct(r.ci_lo)}–{fmt_pct(r.ci_hi)}",
                 "–" if pd.isna(r.respondents) else fmt_int(r.respondents),
                 fmt_pp(r.diff_district), fmt_pp(r.diff_city), r.verdict,
                 "ja" if r.fictitious else "nej"] for r in d.itertuples()]
        # the place against the rest of its district and city (the place's own answers left out)
        rest = "compared_with_rest" in d.columns and bool(d["compared_with_rest"].fillna(False).any())
        # the district by its name: "stadsdelsområdet" was said also where it is a kommun (Huddinge)
        ids = d["district_id"].dropna().unique() if "district_id" in d.columns else []
        area = analysis.place_name(store, ids[0]) if len(ids) == 1 else "stadsdelsområdet"
        # a kommun's city-level rows by its name: Mölnbo's "mot resten av staden" was Södertälje (desk9)
        city = survey_city(store) or "staden"
        against = [f"mot resten av {area}", f"mot resten av {city}"] if rest else [f"mot {area}", f"mot {city}"]
        if city == area:  # the kommun is the place's district and the survey's city: one column
            rows = [r[:5] + r[6:] for r in rows]
            against = against[1:]
        return render_table(rows, ["indikator", "år", "andel", "95 % KI", "svarande", *against,
                                   "förändring", "fiktiv"])
    from lagesbild.export.headers import city_headers

    # the CSV's "Andel i staden" named Södertälje's shares "staden" (desk9): the kommun by its name
    emit(df, args.format, text, notes=demo_marks(store), headers=city_headers(survey_city(store)))
    return 0


def run_hotspots(args) -> int:
    """``hotspots``: Gi* classes per grid cell; ``--format geojson`` in WGS 84."""
    from lagesbild import analysis

    settings, store = settings_and_store(args)
    aid = place_id_of(store, args.area)
    category = resolve_category(store, args.category)
    try:
        gdf = analysis.area_hotspots(store, aid, category=category, period=args.period,
                                     cell_size=settings.cell_size if args.cell_size is None else args.cell_size,
                                     shape=args.shape, fit_small=args.cell_size is None)  # as the map page
    except ValueError as exc:
        raise UserError(str(exc)) from None
    _require_data(store, args.period)
    if args.format == "geojson":
        print(gdf.to_crs(4326).to_json(ensure_ascii=False, drop_id=True))
        return 0
    df = pd.DataFrame(gdf.drop(columns="geometry"))

    from lagesbild.analysis import base
    from lagesbild.figures.format import fmt_int

    what = category_names(store).get(category, category) if category else base.ALL_BUT_SENSITIVE
    when = fmt_period(base.parse_periods([args.period])[0].label) if args.period else "alla månader"

    def text(d):
        summary = d.groupby("klass").size().sort_index()
        return "\n".join([f"{analysis.place_row(store, aid)['name']}, {what.lower()}, {when}: "
                          f"{fmt_int(len(d))} {'ruta' if len(d) == 1 else 'rutor'}, {fmt_int(gdf.attrs.get('incidents', 0))} brott"]
                         + [f"  {k}: {fmt_int(v)}" for k, v in summary.items()]
                         + [gdf.attrs.get("fdr_note", "")])
    emit(df, args.format, text, notes=demo_marks(store))
    return 0


def _require_data(store, period: str | None) -> None:
    """Refuse a period outside the store's data (``T1 2030`` printed "0 brott" as if none were
    reported): :class:`UserError` naming the span with data."""
    from lagesbild.analysis import base
    from lagesbild.figures.format import fmt_date

    span = base.data_span(store)
    if not period or span is None:
        return
    p = base.parse_periods([period])[0]
    if p.start > span[1] or p.end < span[0]:
        raise UserError(f"det finns inga brottsdata för {fmt_period(p.label)}: brottsdata finns "
                        f"{fmt_date(span[0])}–{fmt_date(span[1])}")


def run_effect(args) -> int:
    """``effect``: before/after and WDD for one activity."""
    from lagesbild import analysis

    settings, store = settings_and_store(args)
    months = settings.effect_months if args.months is None else args.months
    df = analysis.activity_effect(store, args.activity, months=months,
                                  alpha=settings.alpha)
    names = table_names(store)
    places = {pid: analysis.place_row(store, pid)["name"] for pid in df["place_id"].unique()}
    if df.empty:  # say which is missing: "saknar startdatum eller kopplad plats" of one with a place
        row = analysis.plan.activity_row(store, args.activity)
        linked = store.activity_places()
        has_place = bool((linked["activity_id"] == args.activity).any())
        reason = (NO_EFFECT["start"] if pd.isna(row["start_date"]) else NO_EFFECT["place"] if not has_place
                  else NO_EFFECT["other"])
        emit(df, args.format, lambda _d: reason, notes=demo_marks(store))
        return 0
    emit(df, args.format, lambda d: _effect_text(d, names, places, df.attrs.get("fdr", {}).get("note", "")),
         notes=demo_marks(store))
    return 0


#: why an activity has no before/after (its löptid names no start, or it has no place)
NO_EFFECT = {"start": "Aktiviteten saknar startdatum (löptiden anger ingen start); före/efter kan inte beräknas.",
             "place": "Aktiviteten är inte kopplad till någon plats; före/efter kan inte beräknas.",
             "other": "Aktiviteten saknar startdatum eller kopplad plats; före/efter kan inte beräknas."}


def _effect_text(d: pd.DataFrame, names: dict, places: dict, family: str = "") -> str:
    """The effect table as text: the Benjamini–Hochberg adjusted p-values (those that decided the
    verdicts), the places' names when the activity has several, and the family's note once."""
    from lagesbild.figures.format import fmt_change, fmt_int, fmt_p

    if d.empty:
        return "Aktiviteten saknar startdatum eller kopplad plats; före/efter kan inte beräknas."
    first = d.iloc[0]
    areas = {r.place_id: r.comparison if isinstance(r.comparison, str) else "inget"
             for r in d.drop_duplicates("place_id").itertuples()}  # each place has its own
    several = len(areas) > 1
    started = f"{first['aktivitet']} (start {pd.Timestamp(first['start_date']):%Y-%m-%d})"
    # one pair of windows for the table only when every row has it: categories whose data begin later
    # are cut shorter ("sep 2023–feb 2024" beside "mar 2023–feb 2024"), and the header named the first
    # row's windows for all; then each count carries its own window, as on Plats
    shared = d[["before_label", "after_label"]].astype(str).drop_duplicates().shape[0] == 1
    windows = "   ".join(f"{side}: {label if isinstance(label, str) else '–'}"  # no window: not 'None'
                           for side, label in (("Före", first["before_label"]), ("Efter", first["after_label"]))) \
        if shared else "Före och efter: fönstren skiljer sig mellan kategorierna; perioden står vid varje antal"

    def counted(n, label):
        return fmt_int(n) if shared or not isinstance(label, str) else f"{fmt_int(n)} ({label})"
    if several:
        head = [started, windows, "Jämförelseområden: " + "; ".join(
            f"{places.get(pid, pid)}: {area}" for pid, area in areas.items())]
    else:
        head = [f"{started}, {places.get(first['place_id'], first['place_id'])}",
                f"{windows}   Jämförelseområde: {areas[first['place_id']]}"]
    rows = [([places.get(r.place_id, r.place_id)] if several else [])
            + [names.get(r.category, r.category), counted(r.count_before, r.before_label),
               counted(r.count_after, r.after_label),
               fmt_change(r.change), fmt_p(r.q_value), r.verdict,
               r.relative_verdict if isinstance(r.relative_verdict, str) else "–", fmt_p(r.relative_q),
               r.wdd_verdict if isinstance(r.wdd_verdict, str) else "–"]
            for r in d.itertuples()]
    table = render_table(rows, (["plats"] if several else [])
                         + ["kategori", "före", "efter", "förändring", "p-värde", "bedömning",
                            "mot jämförelseområdet (kvot mot kvot)", "p-värde mot jämförelseområdet",
                            "WDD"])
    # each sentence of the rows' notes once, naming its rows when only some carry it
    from lagesbild.analysis.overview_notes import SENTENCE_END

    labels = [(f"{places.get(r.place_id, r.place_id)} " if several else "") + names.get(r.category, r.category)
              for r in d.itertuples()]
    carriers: dict[str, list[str]] = {}
    for label, n, w in zip(labels, d["note"], d["warnings"], strict=True):
        for part in SENTENCE_END.split(" ".join(str(t) for t in (n, w) if isinstance(t, str) and t)):
            if part.strip() and label not in carriers.setdefault(part.strip(), []):
                carriers[part.strip()].append(label)
    notes = [part if set(who) == set(labels) else f"{part.rstrip('.')} (gäller {', '.join(who)})."
             for part, who in carriers.items()]
    return "\n".join([*head, table, *([family] if family else []), *notes, str(first["caveat"])])
