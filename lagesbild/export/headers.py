"""The Swedish header of every analysis column a download or the command line's CSV shows: one
table for the web's Excel files (:mod:`lagesbild.web.numbers`) and ``--format csv``."""

from __future__ import annotations

#: the rolling 12 months' sum (the analysis' ``rolling_12``) and, in the pack, the monthly mean the
#: chart's thick line draws: the column said "Rullande 12 månader" of a sum of 672 beside a line at 56
ROLLING_SUM = "Rullande 12 månader, summa"
ROLLING_MEAN = "Rullande 12 månader, snitt per månad (som i diagrammet)"
#: analysis column -> Swedish header (one table for every page; a web download may add its own)
HEADERS = {
    # places, categories, periods
    "place_id": "Plats-id", "place_name": "Plats", "name": "Namn", "kind": "Typ",
    "district_id": "Stadsdelsområde-id", "population": "Invånare", "parent_id": "Jämförelseområde-id",
    "category": "Kategori-id", "category_name": "Kategori", "period": "Period",
    "period_a": "Period A", "period_b": "Period B", "start": "Från", "end": "Till",
    "start_a": "Från A", "end_a": "Till A", "start_b": "Från B", "end_b": "Till B",
    "days": "Dagar", "days_a": "Dagar A", "days_b": "Dagar B", "n_months": "Månader",
    "months_missing": "Saknade månader", "months_missing_a": "Saknade månader A",
    "months_missing_b": "Saknade månader B", "partial_months": "Ofullständiga månader",
    "month": "Månad", "covered": "Data finns", "like_for_like": "Samma månader",
    # counts and tests
    "count": "Antal", "count_a": "Antal A", "count_b": "Antal B", "rolling_12": ROLLING_SUM,
    "change": "Förändring", "pct_change": "Förändring (%)", "rate_a": "Per 1 000 inv. och år A",
    "rate_b": "Per 1 000 inv. och år B", "rate_a_low": "Per 1 000 inv. och år A, nedre (95 %)",
    "rate_a_high": "Per 1 000 inv. och år A, övre (95 %)", "rate_b_low": "Per 1 000 inv. och år B, nedre (95 %)",
    "rate_b_high": "Per 1 000 inv. och år B, övre (95 %)", "rate_low": "Per 1 000 inv. och år, nedre (95 %)",
    "rate_high": "Per 1 000 inv. och år, övre (95 %)", "p_value": "p-värde", "p_unadjusted": "p-värde före korrigering",
    "significant": "Säkerställd", "verdict": "Bedömning", "method": "Test", "dispersion": "Överspridning",
    "note": "Not", "n_periods": "Antal perioder", "rate_ratio": "Kvot per period",
    "ci_low": "Konfidensintervall, nedre", "ci_high": "Konfidensintervall, övre",
    "ci_level": "Konfidensnivå (justerad för många test)",
    "mk_tau": "Mann–Kendalls tau", "mk_p": "Mann–Kendalls p-värde",
    "count_place": "Antal på platsen", "count_parent": "Antal i jämförelseområdet", "share": "Andel",
    # survey
    "indicator": "Indikator", "year": "År", "respondents": "Svarande", "ci_lo": "Konfidensintervall, nedre",
    "ci_hi": "Konfidensintervall, övre", "district_share": "Andel i stadsdelsområdet",
    "diff_district": "Skillnad mot stadsdelsområdet (procentenheter)", "p_district": "p-värde mot stadsdelsområdet",
    "city_share": "Andel i staden", "diff_city": "Skillnad mot staden (procentenheter)", "p_city": "p-värde mot staden",
    "prev_year": "Föregående mätning", "prev_share": "Andel föregående mätning",
    "change_pp": "Förändring (procentenheter)", "fictitious": "Fiktiv",
    # activities and effects
    "activity_id": "Aktivitets-id", "aktivitet": "Aktivitet", "priority_area": "Prioriterat område",
    "arbetsgrupp": "Arbetsgrupp", "start_date": "Start", "end_date": "Slut", "open_ended": "Tillsvidare",
    "motesfrekvens": "Mötesfrekvens", "sammankallande": "Sammankallande", "goal_met": "Mål uppfyllt",
    "carried_out": "Genomfört", "before_label": "Före", "after_label": "Efter", "months": "Månader",
    "count_before": "Antal före", "count_after": "Antal efter", "relative_ratio": "Kvot mot omgivningen",
    "relative_p": "p-värde mot omgivningen", "relative_verdict": "Bedömning mot omgivningen",
    "q_value": "p-värde efter korrigering", "relative_q": "p-värde mot omgivningen efter korrigering",
    "wdd_p": "WDD p-värde", "wdd_q": "WDD p-värde efter korrigering",
    "caveat": "Förbehåll",
    # map cells (centres in SWEREF 99 TM)
    "cell_id": "Ruta", "x": "Rutans mitt, öst (SWEREF 99 TM)", "y": "Rutans mitt, nord (SWEREF 99 TM)",
    "area_share": "Andel land", "z": "Gi* z-värde", "p": "p-värde", "gi_bin": "Gi*-klass",
    "klass": "Klass", "density": "Täthet (brott per km²)",
    "gi_bin_before": "Gi*-klass före", "gi_bin_after": "Gi*-klass efter", "platser": "Platser",
}

#: further columns the command line's frames carry (``compare``, ``survey``, ``effect``, ``quick``,
#: ``notes``), for ``--format csv``
CLI_HEADERS = {
    "place": "Plats", "span": "Spann-id", "span_label": "Spann",
    "before_start": "Före, från", "before_end": "Före, till", "after_start": "Efter, från",
    "after_end": "Efter, till", "comparison": "Jämförelseområde", "comparison_before": "Antal före i jämförelseområdet",
    "comparison_after": "Antal efter i jämförelseområdet", "buffer_before": "Antal före i buffertzonen",
    "buffer_after": "Antal efter i buffertzonen",
    "buffer_comparison_before": "Antal före i jämförelseområdets buffertzon",
    "buffer_comparison_after": "Antal efter i jämförelseområdets buffertzon",
    "relative_ci_low": "Kvot mot omgivningen, nedre gräns", "relative_ci_high": "Kvot mot omgivningen, övre gräns",
    "relative_ci_level": "Kvot mot omgivningen, intervallets nivå",
    "relative_phi": "Överspridning mot omgivningen",
    "relative_nu": "Överspridning mot omgivningen, frihetsgrader", "relative_significant": "Säkerställd mot omgivningen",
    "wdd": "WDD", "wdd_var": "WDD-varians", "wdd_z": "WDD z-värde", "wdd_significant": "WDD säkerställd",
    "wdd_verdict": "WDD-bedömning", "warnings": "Varningar",
    "district_respondents": "Svarande i stadsdelsområdet", "city_respondents": "Svarande i staden",
    "prev_respondents": "Svarande föregående mätning",
    "diff_district_lo": "Skillnad mot stadsdelsområdet, nedre gräns (procentenheter)",
    "diff_district_hi": "Skillnad mot stadsdelsområdet, övre gräns (procentenheter)",
    "diff_city_lo": "Skillnad mot staden, nedre gräns (procentenheter)",
    "diff_city_hi": "Skillnad mot staden, övre gräns (procentenheter)",
    "change_lo_pp": "Förändring, nedre gräns (procentenheter)",
    "change_hi_pp": "Förändring, övre gräns (procentenheter)", "compared_with_rest": "Jämförd med resten",
    "note_id": "Antecknings-id", "meeting_date": "Mötesdatum", "author": "Skriven av", "text": "Anteckning",
    "created_at": "Skriven",
}


def swedish_columns(df, headers=None):
    """The frame with Swedish headers (``headers`` first, e.g. :func:`city_headers`, then
    :data:`HEADERS`, then :data:`CLI_HEADERS`); a column without one keeps its name, and no two
    columns get the same header.

    Examples
    --------
    >>> import pandas as pd
    >>> list(swedish_columns(pd.DataFrame(columns=["place_id", "place", "count_a", "x_extra"])).columns)
    ['Plats-id', 'Plats', 'Antal A', 'x_extra']
    """
    names, taken = {}, set()
    for col in df.columns:
        name = (headers or {}).get(col) or HEADERS.get(col) or CLI_HEADERS.get(col) or col
        names[col] = name if name not in taken else col
        taken.add(names[col])
    return df.rename(columns=names)


def city_headers(city: str | None) -> dict:
    """The survey's city-level headers naming a kommun (``analysis.survey.survey_city``): the Trygghet
    download said "Andel i staden" of Södertälje's shares (desk9). Empty for a city proper.

    >>> city_headers("Södertälje")["diff_city"]
    'Skillnad mot Södertälje (procentenheter)'
    >>> city_headers("Södertälje")["city_respondents"]
    'Svarande i Södertälje'
    >>> city_headers(None)
    {}
    """
    if not city:
        return {}
    return {k: v.replace("i staden", f"i {city}").replace("staden", city)
            for k, v in {**HEADERS, **CLI_HEADERS}.items() if k.startswith(("city_", "diff_city", "p_city"))}
