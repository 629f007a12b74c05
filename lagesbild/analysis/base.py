"""What every question of the analysis layer starts from: the store's facts, places, periods, categories.

One place resolver (:func:`resolve_place`), one period parser (:func:`parse_periods`, built on
:func:`lagesbild.core.periods.parse_period`, itself the one grammar of
:func:`lagesbild.sources.dates.read_period`), one list of Sep–Aug years (:func:`sep_aug_years`), one
city (:func:`city_id`: the place of kind ``stad``), and the per-data-version memo (:func:`memo`). The
periods live in :mod:`lagesbild.analysis.periodchoice` and the memo in :mod:`lagesbild.analysis.memo`;
both are re-exported here, where every question looks for them.

Examples
--------
>>> [p.label for p in parse_periods(["2021-2022", "T1 2023"])]
['2021–2022', 'T1 2023']
>>> period_label("2021-2022"), period_label("vår"), period_label(None)
('2021–2022', None, None)
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lagesbild.analysis import nesting
from lagesbild.analysis.dataend import (  # noqa: F401 (re-exported)
    _last_incident,
    complete_counts,
    complete_coverage,
    data_end,
    last_incident,
    latest_extraction,
    source_cuts,
)
from lagesbild.analysis.memo import _MEMO, MEMO_SIZE, memo, one_version  # noqa: F401 (re-exported)
from lagesbild.analysis.notfound import NotFound, UnknownPeriod, unknown_place  # noqa: F401 (re-exported)
from lagesbild.analysis.periodchoice import (  # noqa: F401 (re-exported: base is where questions look)
    as_date,
    calendar_years,
    coverage_for,
    data_span,
    date_range,
    default_comparison,
    latest_years,
    parse_periods,
    period_kind,
    period_label,
    place_years_with_data,
    read_periods,
    sep_aug_years,
    tertials,
    whole_rows,
    whole_rows_within,
    whole_years,
    year_choices,
    years_before,
)
from lagesbild.analysis.provenance import (  # noqa: F401 (re-exported: base is where questions look)
    BRA_SOURCE_PREFIX,
    crime_source,
    data_until,
    facts,
    fictitious_sources,
    places_crime_source,
)
from lagesbild.errors import InputError
from lagesbild.settings import load_settings
from lagesbild.sources.population import read_population
from lagesbild.sources.textkeys import area_keys, fold, normalize_key, swedish_order

#: The yearly population used when the setting ``population_file`` is empty (made by
#: ``scripts/make_population.py``; sources in ``lagesbild/data/population/SOURCES.md``).
BUNDLED_POPULATION = Path(__file__).resolve().parent.parent / "data" / "population" / "stockholm_population.csv"

AREA_KINDS = ("stadsdelsomrade", "stad")
KIND_NAMES = {"torg": "torg", "centrum": "centrum", "utsatt_omrade": "utsatt område", "omrade": "område",
              "stadsdel": "stadsdel", "stadsdelsomrade": "stadsdelsområde", "stad": "stad",
              "kommun": "kommun", "lan": "län"}
#: the kinds of input files (``lagesbild data ingest --typ``), as the CLI's source list and the pack's
#: list of sources name them
SOURCE_KIND_NAMES = {"places": "platser", "crimes": "anmälda brott (aggregerat)",
                     "incidents": "anmälda brott (händelsenivå)", "events": "Polisens händelser",
                     "survey": "trygghetsmätning", "activities": "åtgärdsplan"}
def place_label(name: str, kind: str, *, no_map: bool = False) -> str:
    """A place's name with its kind (and "saknar karta") in brackets, the kind left out when the name
    already ends with it (a built-in stadsdel named like its district: "Skärholmen (stadsdel)").

    Examples
    --------
    >>> place_label("Vårberg", "utsatt_omrade"), place_label("Skärholmen (stadsdel)", "stadsdel")
    ('Vårberg (utsatt område)', 'Skärholmen (stadsdel)')
    >>> place_label("Centrum", "stadsdelsomrade", no_map=True), place_label("Stockholms län", "lan")
    ('Centrum (stadsdelsområde, saknar karta)', 'Stockholms län (län)')
    """
    kind_name = KIND_NAMES.get(kind, kind)
    extra = [] if name.endswith(f"({kind_name})") else [kind_name]
    extra += ["saknar karta"] if no_map else []
    return f"{name} ({', '.join(extra)})" if extra else name


#: SCB's DeSO code (demografiska statistikområden), e.g. 0180C3420.
DESO_CODE = re.compile(r"^\d{4}[A-C]\d{4}$")
#: Spellings users write for the whole city (besides its id and name).
CITY_WORDS = ("stockholm", "stockholmsstad", "helastaden", "staden", "stad")


def category_names(store) -> dict:
    """Category id -> Swedish name (a new dict each call; built once per data version)."""
    def build():
        cats = store.categories()
        return dict(zip(cats["category_id"], cats["name"], strict=True)) if len(cats) else {}
    return dict(memo(store, ("category-names",), build))


class Refused(ValueError):
    """A question the data may not answer for this user or category (Swedish message)."""


def sensitive_categories(store) -> set:
    """Categories never shown on fine-grained maps (victim privacy)."""
    cats = store.categories()
    return set(cats.loc[cats["sensitive"].astype(bool), "category_id"]) if len(cats) else set()


#: what a map or a breakdown of incidents counts when no category is chosen, and why a sensitive one
#: is refused
ALL_BUT_SENSITIVE = "Alla kategorier utom känsliga"
SENSITIVE_TEXT = "kategorin visas inte på karta av hänsyn till brottsoffren; se antalen under Översikt och Plats"


def mappable_categories(store, category):
    """The incidents a map may read for ``category`` (an id, a list, or None): a sensitive category
    refused (:class:`Refused`), None as every category but the sensitive ones (a sorted list)."""
    hidden = sensitive_categories(store)
    chosen = [category] if isinstance(category, str) else list(category or [])
    names = category_names(store)
    if refused := [names.get(c, c) for c in chosen if c in hidden]:
        raise Refused(f"{', '.join(refused)}: {SENSITIVE_TEXT}.")
    if chosen or not hidden:
        return category
    return sorted(set(store.categories()["category_id"]) - hidden)


def categories_with_data(store) -> list[str]:
    """The categories that have counts, sorted by id."""
    return memo(store, ("categories-with-data",),
                lambda: sorted(set(store.monthly_counts()["category"]) | set(whole_rows(store)["category"])))


# ----- places ------------------------------------------------------------------------------------
def places(store) -> pd.DataFrame:
    """Places without geometry columns, sorted: districts' places by name (Swedish alphabetical order:
    :func:`~lagesbild.sources.textkeys.swedish_order`), then districts, then the city."""
    def build():
        df = store.places()
        if df.empty:
            return df
        df = df.drop(columns=[c for c in df.columns if c.startswith("wkt_")], errors="ignore")
        return by_name(df, first=df["kind"].map({"stad": 2, "stadsdelsomrade": 1}).fillna(0))
    return memo(store, ("places",), build)


def by_name(df: pd.DataFrame, first=None) -> pd.DataFrame:
    """Places in Swedish alphabetical order of their names (:func:`swedish_order`; ties by name and id),
    after ``first`` (a sort key per row) when given."""
    keys = {"_k": df["name"].map(swedish_order)} if first is None else {"_o": first, "_k": df["name"].map(swedish_order)}
    return df.assign(**keys).sort_values([*keys, "name", "place_id"]).drop(columns=list(keys)).reset_index(drop=True)


def first_small_place(store) -> str | None:
    """The place a bare Plats link opens: the first place (in :func:`places` order) that is not a
    district or the city; else the first place; None without places."""
    df = places(store)
    if df.empty:
        return None
    small = df[~df["kind"].isin(AREA_KINDS)]
    return (small if len(small) else df).iloc[0]["place_id"]


def places_without_map(store) -> frozenset:
    """The ids of the places without a shape (areas only counted, e.g. Brå's stadsområden; see
    :mod:`lagesbild.ingest.shapeless`): listed as "saknar karta", never on a map."""
    from lagesbild.ingest.shapeless import has_shape

    def build():
        df = store.places()
        if df.empty:
            return frozenset()
        return frozenset(df.loc[~df["wkt_3006"].map(has_shape), "place_id"])
    return memo(store, ("places-without-map",), build)


def place(store, place_id) -> dict | None:
    """One place (by id) as a dict (a new one each call), or None."""
    row = memo(store, ("place-rows",), lambda: _place_rows(store)).get(place_id)
    return None if row is None else dict(row)


def _place_rows(store) -> dict:
    """Every place's row as a dict by its id (the first row of an id), read once per data version: a
    place's own filter and ``iloc[0].to_dict()`` cost ≈ 1 ms at each new place of a Plats session."""
    df = places(store)
    rows: dict = {}
    if len(df):
        for pid, row in zip(df["place_id"].tolist(), df.to_dict("records"), strict=True):
            rows.setdefault(pid, row)
    return rows


def place_name(store, place_id, default: str | None = None) -> str | None:
    """The display name of a place."""
    p = place(store, place_id)
    return p["name"] if p else default


def city_id(store) -> str | None:
    """The place id of the city (kind ``stad``), if the store has one (read once per data version)."""
    def build():
        df = places(store)
        hit = df[df["kind"] == "stad"] if len(df) else df
        return None if hit.empty else hit.iloc[0]["place_id"]
    return memo(store, ("city-id",), build)


def place_lookup(store) -> dict:
    """Normalised id, name or city word -> place id (the one place resolver's table)."""
    def build():
        df = places(store)
        out = {}
        for pid, name in zip(df["place_id"], df["name"], strict=True):
            out.setdefault(normalize_key(pid), pid)
            out.setdefault(normalize_key(name), pid)
            out["=" + fold(name)] = pid  # the name as written, accents kept: tried after the ids
            out["#" + pid] = pid  # an id as it is: tried first
        city = city_id(store)
        if city:
            out.update({w: city for w in CITY_WORDS if w not in out})
        return out
    return memo(store, ("place-lookup",), build) if len(places(store)) else {}


def lookup_place(lookup: dict, key) -> str | None:
    """The place id of ``key`` in a :func:`place_lookup` table: its id or name, or its name without a
    suffix such as ``stadsdel`` or ``stadsdelsområde`` (:func:`~lagesbild.sources.textkeys.area_keys`).

    Examples
    --------
    >>> lookup_place({"varberg": "varberg", "skarholmen": "skarholmen"}, "Skärholmens stadsdelsområde")
    'skarholmen'
    >>> lookup_place({"varberg": "varberg"}, None) is None
    True

    A place's id as it is, then a name written exactly (accents kept), win over a name that matches
    with accents forgiven:

    >>> both = {"varberg": "varberg", "=vårberg": "varberg", "=varberg": "varberg-kommun",
    ...         "#varberg": "varberg", "#varberg-kommun": "varberg-kommun"}
    >>> lookup_place(both, "Vårberg"), lookup_place(both, "VARBERG"), lookup_place(both, "varberg")
    ('varberg', 'varberg-kommun', 'varberg')
    """
    if key is None or (not isinstance(key, str) and pd.isna(key)):
        return None
    exact = lookup.get("#" + str(key), lookup.get("=" + fold(key)))
    return exact if exact is not None else next((lookup[k] for k in area_keys(key) if k and k in lookup),
                                                None)


def resolve_place(store, key) -> dict:
    """The place with this id or name (case, accents, spaces and hyphens ignored) as a dict.

    Raises
    ------
    NotFound
        When no place matches; the message suggests places by name and id (:func:`unknown_place`).
    """
    df = places(store)
    if df.empty:
        raise NotFound("Databasen innehåller inga platser. Läs in platser först (en platsfil på "
                       "sidan Data eller python -m lagesbild ingest places …) eller kör demo.")
    pid = lookup_place(place_lookup(store), key)
    if pid is None:
        raise NotFound(unknown_place(key, zip(df["place_id"], df["name"], strict=True)))
    return place(store, pid)


def parent_ids(store, place_row: dict) -> list:
    """The place's district and the city, those that are stored and differ from the place; the city
    only for a place that can lie in it (:func:`lagesbild.analysis.nesting.in_city`: Göteborg, read in from Brå's yearly tables,
    got "Andel av Stockholm")."""
    city = city_id(store)
    out = [p for p in (place_row.get("district_id"), city)
           if isinstance(p, str) and p != place_row["place_id"]]
    return [p for p in dict.fromkeys(out) if place(store, p) is not None
            and (p != city or p == place_row.get("district_id") or nesting.in_city(place_row, place(store, p)))]


def population(place_row: dict):
    """The place's population, or None when unknown."""
    pop = place_row.get("population")
    return None if pop is None or pd.isna(pop) else int(pop)


# ----- what every test of change is given ------------------------------------------------------------
def population_table(store, settings=None) -> pd.DataFrame | None:
    """Population by place and year from the setting ``population_file``, or else the bundled file
    (:data:`BUNDLED_POPULATION`, SCB figures for Stockholm's city, districts, stadsdelar and demo places).

    Areas are matched to places by id, then by name (column ``namn`` or an SCB label's name, when the
    file has them; a name may end in ``stadsdel``, ``stadsdelsområde`` …, :func:`lookup_place`); areas
    matching no place are ignored, and places missing from the table keep their stored population
    (:func:`lagesbild.core.population.period_rate`). A figure summed from the file's rows (by kön or
    ålder) keeps the reader's ``note``. None when the bundled file matches no place.

    Raises
    ------
    InputError
        When the setting's file cannot be read, or none of its areas matches a place (naming them,
        and saying that DeSO areas are not summed to places).
    """
    settings = settings or load_settings()
    path = settings.population_file or BUNDLED_POPULATION
    stamp = Path(path).stat().st_mtime if Path(path).exists() else None

    def build():
        table = read_population(path)
        lookup = place_lookup(store)
        by_id = [lookup.get(normalize_key(a)) for a in table["area"]]
        names = table["name"] if "name" in table else table["area"]
        taken = set(by_id)  # a name never adds a second set of figures to a place matched by id
        by_name = [lookup_place(lookup, n) for n in names]
        areas = table["area"]
        table["place_id"] = [i or (n if n not in taken else None)
                             for i, n in zip(by_id, by_name, strict=True)]
        table = table.dropna(subset=["place_id"])
        if table.empty and settings.population_file and lookup:
            raise InputError(Path(path).name, unmatched_areas(areas))
        if not settings.population_file and table.empty:
            return None
        return table[["place_id", "year", "population"] + (["note"] if "note" in table else [])].reset_index(drop=True)
    return memo(store, ("population", str(path), stamp), build)


def unmatched_areas(areas) -> str:
    """Why a population file gives no place a population (Swedish): its areas, and that DeSO areas
    are not summed to places.

    Examples
    --------
    >>> print(unmatched_areas(["0180C3420", "0180C3420", "0180C3440"]))  # doctest: +NORMALIZE_WHITESPACE
    inget av filens 2 områden (0180C3420, 0180C3440) matchar någon plats i databasen (områdena jämförs
    med platsernas id och namn). DeSO-områden (t.ex. 0180C3420) summeras inte till platser: summera
    befolkningen per plats (stadsdel, stadsdelsområde) i filen, eller använd platsernas id eller namn.
    """
    unique = list(dict.fromkeys(str(a) for a in areas))
    shown = ", ".join(unique[:5]) + (f" … ({len(unique) - 5} till)" if len(unique) > 5 else "")
    which = f"filens enda område ({shown}) matchar ingen plats" if len(unique) == 1 else \
        f"inget av filens {len(unique)} områden ({shown}) matchar någon plats"
    text = f"{which} i databasen (områdena jämförs med platsernas id och namn)."
    deso = [a for a in unique if DESO_CODE.match(a)]
    if deso:
        text += (f" DeSO-områden (t.ex. {deso[0]}) summeras inte till platser: summera befolkningen per "
                 "plats (stadsdel, stadsdelsområde) i filen, eller använd platsernas id eller namn.")
    return text


def compare_options(store, settings=None) -> dict:
    """The keyword arguments every :func:`lagesbild.core.compare.compare` call gets from the store and
    settings: the last day of complete data, yearly populations and the population floor for rates."""
    settings = settings or load_settings()
    return {"data_end": data_end(store), "population_table": population_table(store, settings),
            "min_population": settings.min_population_for_rates}
