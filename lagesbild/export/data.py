"""What an export reads from the store, read once and shared by every chart and table of a pack.

:class:`ExportData` wraps the store and the settings: the frames (monthly counts, coverage, places,
categories, survey, activities, follow-ups), the facts every source line needs (organisation, the date
data run to, whether the data are demo data), the sensitive categories and the suppression threshold
(``suppress_below`` when the export is external, else off unless asked for).

Examples
--------
>>> parse_periods(["2021-2022", "2022–2023"])[1].label
'2022–2023'
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.pack import places_data_until
from lagesbild.figures.style import FigureContext


class ExportError(Exception):
    """A request an export cannot fulfil (unknown place, bad period, empty store); Swedish text."""


def parse_periods(texts) -> list:
    """Periods from their labels (``2019-2020``, ``2019–2020``, ``T1 2021`` …), in the order given.

    Raises
    ------
    ExportError
        With the Swedish message of the analysis layer's period parser.
    """
    try:
        out = base.parse_periods(texts)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    if not out:
        raise ExportError("Ange minst en period, t.ex. 2021–2022.")
    return out


class ExportData:
    """The store's frames and facts for one export.

    Parameters
    ----------
    store : Store
    settings : Settings
    external : bool
        The export leaves the organisation: small counts of sensitive categories are suppressed.
    suppress : bool, optional
        Force suppression on or off (default: on when ``external``).
    """

    def __init__(self, store, settings, *, external: bool = False, suppress: bool | None = None):
        self.store, self.settings, self.external = store, settings, external
        on = external if suppress is None else suppress
        self.threshold = int(settings.suppress_below) if on else 0
        self.place_ids = None  # the export's places (:meth:`scope`); None: the whole store

    def scope(self, places) -> ExportData:
        """Say "data t.o.m." (:attr:`data_until`, :attr:`context`) of these places (dicts with
        ``place_id``): the latest of their own data ends, not the store's (a Brå table to December
        2025 made a pack of places whose incidents end in August 2023 say 31 dec 2025)."""
        self.place_ids = [p["place_id"] for p in places]
        for key in ("data_until", "context"):
            self.__dict__.pop(key, None)
        return self

    # ----- frames ------------------------------------------------------------------------------
    @cached_property
    def monthly(self) -> pd.DataFrame:
        return self.store.monthly_counts()

    @cached_property
    def coverage(self) -> pd.DataFrame:
        return self.store.coverage()

    @cached_property
    def places(self) -> pd.DataFrame:
        return self.store.places()

    @cached_property
    def places_gdf(self):
        return self.store.places_gdf()

    @cached_property
    def places_gdf_4326(self):
        return self.store.places_gdf(crs=4326)

    @cached_property
    def categories(self) -> pd.DataFrame:
        return self.store.categories()

    @cached_property
    def survey(self) -> pd.DataFrame:
        return self.store.survey()

    @cached_property
    def activities(self) -> pd.DataFrame:
        return self.store.activities()

    @cached_property
    def activity_places(self) -> pd.DataFrame:
        return self.store.activity_places()

    @cached_property
    def followups(self) -> pd.DataFrame:
        return self.store.followups()

    @cached_property
    def meta(self) -> dict:
        return self.store.meta()

    # ----- facts -------------------------------------------------------------------------------
    @cached_property
    def data_until(self):
        """The last day of data: of the export's places once :meth:`scope` named them, else the
        store's."""
        if self.place_ids is None:
            return base.data_until(self.store)
        return places_data_until(self.store, self.place_ids)

    def until_of(self, *places: dict):
        """The last day of these places' crime data: the latest of their own ends (None without
        any; :func:`~lagesbild.analysis.pack.places_data_until`)."""
        return places_data_until(self.store, [p["place_id"] for p in places])

    @property
    def demo(self) -> bool:
        """Whether the marks say "FIKTIVA DEMODATA": the demo, or a crime source marked fictitious
        (:func:`lagesbild.analysis.base.facts`)."""
        return base.facts(self.store)["demo"]

    @cached_property
    def context(self) -> FigureContext:
        """Organisation, data date and demo flag for every figure (never meeting mode)."""
        if self.place_ids is None:
            return self._context(self.data_until, base.facts(self.store)["crime_source"])
        return self._context(self.data_until, base.places_crime_source(self.store, self.place_ids))

    def context_for(self, place: dict) -> FigureContext:
        """:attr:`context` with the place's own data end (:meth:`until_of`) and publisher
        (:func:`~lagesbild.analysis.base.places_crime_source`) in its source line."""
        return self._context(self.until_of(place), base.places_crime_source(self.store, [place["place_id"]]))

    def _context(self, until, crime_source) -> FigureContext:
        return FigureContext(organisation=self.settings.organisation, data_until=until,
                             demo=self.demo, meeting=False, extracted=self.store.extracted_at(),
                             crime_source=crime_source)

    @cached_property
    def category_names(self) -> dict:
        return dict(zip(self.categories["category_id"], self.categories["name"], strict=False))

    @cached_property
    def sensitive(self) -> set:
        cats = self.categories
        return set(cats.loc[cats["sensitive"].astype(bool), "category_id"])

    @property
    def alpha(self) -> float:
        return float(self.settings.alpha)

    # ----- places ------------------------------------------------------------------------------
    def place(self, key) -> dict:
        """The place with this id or name (case and accents ignored) as a dict.

        Raises
        ------
        ExportError
            When no place matches; the message lists the known place ids.
        """
        try:
            return base.resolve_place(self.store, key)
        except base.NotFound as exc:
            raise ExportError(str(exc)) from None

    def place_name(self, place_id) -> str:
        """Display name of a place id (the city for None)."""
        if place_id is None:
            return "Staden"
        hit = self.places.loc[self.places["place_id"] == place_id, "name"]
        return str(hit.iloc[0]) if len(hit) else str(place_id)

    def geometry(self, place_id):
        """The place's polygon in EPSG:3006."""
        gdf = self.places_gdf
        return gdf.loc[gdf["place_id"] == place_id].geometry.iloc[0]

    def activities_for(self, place_id) -> pd.DataFrame:
        """The activities linked to a place."""
        ids = self.activity_places.loc[self.activity_places["place_id"] == place_id, "activity_id"]
        return self.activities[self.activities["activity_id"].isin(set(ids))].reset_index(drop=True)

    def require_crime_data(self) -> None:
        """Raise when the store has no reported crime at all."""
        if base.data_until(self.store) is None:
            raise ExportError("Databasen innehåller inga anmälda brott. Läs in data först "
                              "(python -m lagesbild ingest crimes …) eller kör demo.")
