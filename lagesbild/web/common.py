"""Input helpers shared by the page views: lookups in the store and defaults for the controls.

Nothing here computes statistics; it reads the store, picks defaults and builds the figure context.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core import periods as pr
from lagesbild.figures.style import FigureContext

MEMO_SIZE = 64  # results kept per process (a page's core results for one set of controls each)
_MEMO: dict = {}

AREA_KINDS = ("stadsdelsomrade", "stad")
KIND_NAMES = {"torg": "torg", "centrum": "centrum", "utsatt_omrade": "utsatt område", "omrade": "område",
              "stadsdelsomrade": "stadsdelsområde", "stad": "stad"}
DEFAULT_CATEGORIES = 4  # categories shown by default on a place: the largest ones
DEFAULT_YEARS = 4       # Sep–Aug years shown by default


def memo(store, key: tuple, build):
    """``build()`` once per store, data version and ``key``; later calls return the same result.

    Every ingest bumps the store's version, so a result never outlives the data it was computed
    from. The oldest entries are dropped beyond :data:`MEMO_SIZE`. Callers must not modify results.
    """
    full = (store.url, store.version(), *key)
    if full not in _MEMO:
        while len(_MEMO) >= MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[full] = build()
    return _MEMO[full]


def figure_context(store, settings, meeting: bool = False) -> FigureContext:
    """The figure context (organisation, data date, demo flag, meeting mode) for the store."""
    return FigureContext(organisation=settings.organisation, data_until=store.data_until(),
                         demo=bool(store.meta().get("demo")), meeting=bool(meeting),
                         extracted=store.extracted_at())


def category_names(store) -> dict:
    """Category id -> Swedish name."""
    cats = store.categories()
    return dict(zip(cats["category_id"], cats["name"])) if len(cats) else {}


def sensitive_categories(store) -> set:
    """Categories never shown on fine-grained maps (victim privacy)."""
    cats = store.categories()
    return set(cats.loc[cats["sensitive"].astype(bool), "category_id"]) if len(cats) else set()


def places(store) -> pd.DataFrame:
    """Places without geometry columns, sorted: districts' places by name, then districts, then the city."""
    df = store.places()
    if df.empty:
        return df
    df = df.drop(columns=[c for c in df.columns if c.startswith("wkt_")], errors="ignore")
    order = df["kind"].map({"stad": 2, "stadsdelsomrade": 1}).fillna(0)
    return df.assign(_o=order).sort_values(["_o", "name"]).drop(columns="_o").reset_index(drop=True)


def place(store, place_id) -> dict | None:
    """One place as a dict, or None."""
    df = places(store)
    hit = df[df["place_id"] == place_id] if len(df) else df
    return None if hit is None or hit.empty else hit.iloc[0].to_dict()


def place_name(store, place_id, default: str | None = None) -> str | None:
    """The display name of a place."""
    p = place(store, place_id)
    return p["name"] if p else default


def city_id(store) -> str | None:
    """The place id of the city (kind ``stad``), if the store has one."""
    df = places(store)
    hit = df[df["kind"] == "stad"] if len(df) else df
    return None if hit is None or hit.empty else hit.iloc[0]["place_id"]


def place_options(store, *, kinds=None, exclude_kinds=("stad",)) -> list[dict]:
    """Dropdown options ``{label, value}`` for places (kind shown in the label)."""
    df = places(store)
    if df.empty:
        return []
    if kinds:
        df = df[df["kind"].isin(kinds)]
    if exclude_kinds:
        df = df[~df["kind"].isin(exclude_kinds)]
    return [{"label": f"{n} ({KIND_NAMES.get(k, k)})", "value": p}
            for p, n, k in zip(df["place_id"], df["name"], df["kind"])]


def default_place(store) -> str | None:
    """The place a bare Plats link opens: the first place that is not a district or the city."""
    df = places(store)
    if df.empty:
        return None
    small = df[~df["kind"].isin(AREA_KINDS)]
    return (small if len(small) else df).iloc[0]["place_id"]


def category_options(store, *, exclude=()) -> list[dict]:
    """Dropdown options for the categories that have data."""
    names = category_names(store)
    have = sorted(set(store.monthly_counts()["category"]))
    return [{"label": names.get(c, c), "value": c} for c in have if c not in set(exclude)]


def sep_aug_years(store) -> list[pr.Period]:
    """Every Sep–Aug year from the first to the last covered month."""
    cov = store.coverage()
    until = store.data_until()
    if cov.empty or until is None:
        return []
    return pr.sep_aug_years_between(pd.Timestamp(cov["month"].min()).date(), until)


def parse_periods(values, available: list[pr.Period]) -> tuple[list[pr.Period], list[str]]:
    """Parse period labels from the URL; unknown ones are dropped with a Swedish message each."""
    out, problems = [], []
    for v in values:
        try:
            out.append(pr.parse_period(v))
        except ValueError as err:
            problems.append(str(err))
    return sorted(set(out), key=lambda p: (p.start, p.end)), problems


def period_label(value) -> str | None:
    """The canonical label of a period written in a URL (``2021-2022`` -> ``2021–2022``), or None."""
    if not value:
        return None
    try:
        return pr.parse_period(value).label
    except ValueError:
        return None


def default_periods(store, n: int = DEFAULT_YEARS) -> list[pr.Period]:
    """The last ``n`` Sep–Aug years with data."""
    return sep_aug_years(store)[-n:]


def top_categories(monthly: pd.DataFrame, place_id, n: int = DEFAULT_CATEGORIES, since=None) -> list[str]:
    """The ``n`` categories with most crimes at a place (since a date), largest first."""
    df = monthly[monthly["place_id"] == place_id]
    if since is not None:
        df = df[df["month"] >= pd.Timestamp(since)]
    sums = df.groupby("category")["count"].sum().sort_values(ascending=False, kind="stable")
    return sums.index[:n].tolist()


def place_activities(store, place_id) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The activities linked to a place, and their follow-ups."""
    acts, links = store.activities(), store.activity_places()
    if acts.empty or links.empty:
        return acts.iloc[0:0], store.followups().iloc[0:0]
    ids = set(links.loc[links["place_id"] == place_id, "activity_id"])
    fu = store.followups()
    return acts[acts["activity_id"].isin(ids)], fu[fu["activity_id"].isin(ids)]


def period_label_options(periods: list[pr.Period], data_until=None) -> list[dict]:
    """Dropdown options for periods; a period running past the data says how far the data go."""
    from lagesbild.figures.format import fmt_date

    opts = []
    for p in periods:
        label = p.label
        if data_until is not None and p.end > data_until:
            label += f" (t.o.m. {fmt_date(data_until)})"
        opts.append({"label": label, "value": p.label})
    return opts
