"""Trygghet: survey indicators at a place against its district and the city, over the years."""

from __future__ import annotations

from lagesbild.analysis import base
from lagesbild.core.fdr import level_text
from lagesbild.core.survey import city_level_name, survey_table


def survey_places(store) -> list[str]:
    """The place ids (not districts or the city) that have survey results, in display order."""
    survey = store.survey()
    have = set(survey.loc[survey["level"] == "plats", "place_id"]) if len(survey) else set()
    df = base.places(store)
    return [p for p, k in zip(df["place_id"], df["kind"], strict=True) if p in have and k != "stad"]


def indicators(store, place_id) -> list[str]:
    """The indicators measured at a place, sorted."""
    survey = store.survey()
    return sorted(set(survey.loc[survey["place_id"] == place_id, "indicator"])) if len(survey) else []


def survey_view(store, settings, *, place_id=None, indicators=None) -> dict:
    """The survey page's numbers: ``table`` (share, Wilson interval, district and city, change and
    verdict per indicator and year), ``place``, ``district_name``, ``problem``, ``hint``, ``facts``,
    ``fdr_note`` (the page's tests as one family, in plain Swedish), ``diff_level`` (the confidence level
    of the differences' intervals, in Swedish: Benjamini–Yekutieli, see :mod:`lagesbild.core.survey`)."""
    out = {"problem": None, "hint": None, "facts": base.facts(store)}
    if store.survey().empty:
        out.update(problem="ingen trygghetsmätning är inläst", hint="Läs in en fil under Data.")
        return out
    place = base.place(store, place_id)
    if place is None:
        out["problem"] = "ingen plats är vald" if not place_id else f"platsen {place_id!r} finns inte"
        return out
    table = survey_table(store.survey(), store.places(), place_id=place_id,
                         indicators=indicators or None, alpha=settings.alpha,
                         includes_place=settings.survey_district_includes_place)
    level = table.attrs.get("fdr", {}).get("interval_level", 1 - settings.alpha)
    out.update(place=place, table=table, district_name=base.place_name(store, place.get("district_id")),
               fdr_note=table.attrs.get("fdr", {}).get("note", ""), diff_level=level_text(level))
    if table.empty:
        out["problem"] = f"det finns ingen trygghetsmätning för {place['name']}"
    return out


def survey_city(store) -> str | None:
    """The kommun the survey's city-level rows belong to, by name, when it is no city proper
    (:func:`lagesbild.core.survey.city_level_name`: Södertälje's rows were called "staden"); None to
    say "staden". Built once per data version."""
    return base.memo(store, ("survey-city",), lambda: city_level_name(store.survey(), base.places(store)))
