"""Input helpers shared by the page views: lookups in the store and defaults for the controls.

Nothing here computes or reads the store: it asks :mod:`lagesbild.analysis` and builds the figure context.
"""

from __future__ import annotations

from lagesbild.analysis import base
from lagesbild.analysis import place as place_analysis
from lagesbild.figures.format import shown_period  # the pages' period heading, made once
from lagesbild.figures.style import FigureContext

AREA_KINDS = base.AREA_KINDS
KIND_NAMES = base.KIND_NAMES
data_until = base.data_until  # the last day of data, as every "data t.o.m." says it
place_data_until = place_analysis.place_data_until  # a place's own, for its period choices
DEFAULT_CATEGORIES = 4  # categories shown by default on a place: the largest ones
DEFAULT_YEARS = 4       # Sep–Aug years shown by default
memo = base.memo
category_names = base.category_names
sensitive_categories = base.sensitive_categories
places = base.places
place = base.place
place_name = base.place_name
city_id = base.city_id
sep_aug_years = base.sep_aug_years
year_choices = base.year_choices
period_label = base.period_label


def figure_context(store, settings, meeting: bool = False) -> FigureContext:
    """The figure context (organisation, data date, demo flag, meeting mode) for the store."""
    return context_from(base.facts(store), settings, meeting)


def context_from(facts: dict, settings, meeting: bool = False) -> FigureContext:
    """The figure context from an analysis result's ``facts``."""
    return FigureContext(organisation=settings.organisation, data_until=facts["data_until"],
                         demo=facts["demo"], meeting=bool(meeting), extracted=facts["extracted"],
                         crime_source=facts["crime_source"])


def place_options(store, *, kinds=None, exclude_kinds=("stad",), mark_no_map=False) -> list[dict]:
    """Dropdown options ``{label, value}`` for places (kind shown in the label; with
    ``mark_no_map``, "saknar karta" for a place without a shape)."""
    from lagesbild.analysis.base import places_without_map

    df = places(store)
    if df.empty:
        return []
    if kinds:
        df = df[df["kind"].isin(kinds)]
    if exclude_kinds:
        df = df[~df["kind"].isin(exclude_kinds)]
    no_map = places_without_map(store) if mark_no_map else frozenset()
    return [{"label": base.place_label(n, k, no_map=p in no_map), "value": p}
            for p, n, k in zip(df["place_id"], df["name"], df["kind"], strict=True)]


default_place = base.first_small_place  # the place a bare Plats link opens


def with_named_place(options: list[dict], store, place_id, note: str = "ingen mätning") -> list[dict]:
    """``options`` with the place a link names first when it is not among them, marked with ``note`` (a
    dropdown drops a value not among its options: /trygghet?plats=farsta said "ingen plats är vald"
    instead of that Farsta has no survey)."""
    if not place_id or place_id in {o["value"] for o in options}:
        return options
    extra = [dict(o, label=f"{o['label']} ({note})") for o in place_options(store) if o["value"] == place_id]
    return extra + options


def category_options(store, *, exclude=()) -> list[dict]:
    """Dropdown options for the categories that have data."""
    names = category_names(store)
    have = base.categories_with_data(store)
    return [{"label": names.get(c, c), "value": c} for c in have if c not in set(exclude)]


def year_options(store, years) -> list[dict]:
    """Dropdown options for :func:`year_choices`; when Sep–Aug and calendar years are both offered,
    a calendar year says so ("2025 (kalenderår)"; a Sep–Aug year reads "2024–2025")."""
    opts = period_label_options(years, data_until(store))
    if len({p.kind for p in years}) > 1:
        for opt, p in zip(opts, years, strict=True):
            if p.kind == "calendar_year":
                opt["label"] += " (kalenderår)"
    return opts


def period_label_options(periods: list, data_until=None) -> list[dict]:
    """Dropdown options for periods; a period running past the data says how far the data go, in the
    words of :func:`shown_period` (the one place that text is made)."""
    return [{"label": shown_period(p, data_until), "value": p.label} for p in periods]


def known(asked, allowed) -> tuple[list[str], list[str]]:
    """A link's values split into those among ``allowed`` (kept, in the link's order) and the rest.

    >>> known(["a", "zz", "b"], {"a", "b"})
    (['a', 'b'], ['zz'])
    """
    allowed = set(allowed)
    return [v for v in asked if v in allowed], [v for v in asked if v not in allowed]


def link_notice(dropped: list[tuple[str, list[str]]], notice_id: str):
    """What a link named that is not here, said in Swedish above the view (a copied or typed address
    with an unknown place, category or period silently opened another view, or none).

    ``dropped``: (what, values) pairs, e.g. ``("kategorin", ["zzz"])``; pairs without values are left out.
    A pair may carry a third item, True when the address also named values of that kind that are here
    and shown (``per=2021-2022&per=zzz``): the page then shows those, not the default.

    >>> from lagesbild.web.common import link_notice
    >>> link_notice([("kategorin", ["zzz"]), ("perioden", [])], "x").children
    "Adressen nämner kategorin 'zzz', som inte finns här. Sidan visar i stället standardvalet."
    >>> link_notice([("perioden", ["zzz"], True)], "x").children
    "Adressen nämner perioden 'zzz', som inte finns här. Sidan visar adressens övriga val."
    >>> link_notice([("platsen", ["q"], False), ("perioden", ["zzz"], True)], "x").children[-60:]
    'Sidan visar adressens övriga val och i övrigt standardvalet.'
    >>> link_notice([("perioden", [])], "x") is None
    True
    """
    from dash import html

    def shown(v: str) -> str:  # a crafted address may be long: as Sedan sist, 40 characters at most
        return repr(v if len(v) <= 40 else v[:40] + "…")

    named = [(item[0], item[1], bool(item[2]) if len(item) > 2 else False) for item in dropped if item[1]]
    parts = [f"{what} {', '.join(shown(v) for v in values[:5])}{' …' if len(values) > 5 else ''}"
             for what, values, _ in named]
    if not parts:
        return None
    kept = {k for _, _, k in named}
    shows = {frozenset({False}): "i stället standardvalet", frozenset({True}): "adressens övriga val",
             frozenset({True, False}): "adressens övriga val och i övrigt standardvalet"}[frozenset(kept)]
    text = f"Adressen nämner {' och '.join(parts)}, som inte finns här. Sidan visar {shows}."
    return html.P(text, id=notice_id, className="muted link-notice", role="status")


def link_notice_box(dropped: list[tuple[str, list[str]]], notice_id: str):
    """:func:`link_notice` in a container that is always there (id ``<notice_id>-box``), so that the
    page's URL callback can take the notice away (:func:`notice_after`)."""
    from dash import html

    return html.Div(link_notice(dropped, notice_id), id=f"{notice_id}-box")


def notice_after(url_changed: bool, dropped, notice_id: str):
    """The notice box's children after a page's URL/controls callback ran.

    A control change writes an address that names only what is here: the notice about the old
    address no longer describes it and goes. A changed address (back/forward) gets its own notice;
    ``dropped`` is a callable returning what it named that is not here (None: leave the box as is).

    >>> notice_after(False, lambda: [("perioden", ["1999"])], "x") is None
    True
    >>> notice_after(True, lambda: [("perioden", ["1999"])], "x").children[:28]
    "Adressen nämner perioden '19"
    """
    if not url_changed:
        return None
    if dropped is None:
        from dash import no_update

        return no_update
    return link_notice(dropped(), notice_id)
