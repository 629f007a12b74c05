"""Data: the mapping form for an uploaded file whose columns or categories are not recognised.

For each unknown header a dropdown of the reader's canonical columns (Swedish labels) plus "ignorera";
for each unknown category text a dropdown of the categories' Swedish names plus "ignorera", preselected
with the suggestion of :func:`lagesbild.ingest.mappings.mapping_needs` (never a category of another
crime family). Several texts may be given one category: their rows are summed. The choices become the
mapping dict of the CLI's ``--mapping`` (:func:`lagesbild.ingest.mappings.build_mapping`), checked as a
mapping file is, offered as YAML for download, and saved per source for the next file of the same
header (:class:`lagesbild.ingest.mappings.SavedMappings`).
"""

from __future__ import annotations

from dash import dcc, html

from lagesbild.errors import InputError
from lagesbild.ingest.mappings import (
    COLUMN_LABELS,
    IGNORE,
    MAPPING_DIR,
    SavedMappings,
    build_mapping,
    category_choices,
    check_mapping,
    mapping_name,
    mapping_needs,
    mapping_yaml,
)

__all__ = ["COLUMN_LABELS", "after_validation", "analyse", "apply_choices", "form", "mapping_yaml", "revise",
           "save_after_commit", "saved_mappings", "saved_note"]

IGNORE_LABEL = "ignorera"
#: columns whose value can be given once for every row, when the file has no such column
CONSTANT_LABELS = {"crimes": {"place": "Plats för alla rader (filen har ingen platskolumn)"}}
DEFAULT_SOURCES = {"crimes": "polisen-brott", "incidents": "polisen-incidenter",
                   "survey": "trygghetsmatning"}
#: the most unknown columns, or category texts, the form asks about: a one-line CSV of 400 000 cells
#: ("a;a;a;…", 800 kB) made a form of 400 000 dropdowns, a 300 MB answer after 145 s
FORM_MAX = 200
TOO_MANY = ("Filen har {n} {what} som inte känns igen, fler än formuläret kan visa (högst {max}). "
            "Kontrollera att det är rätt typ av fil och att rubrikraden är tabellens första rad, eller "
            "gör en mappningsfil för kommandoraden (--mapping).")


def saved_mappings(settings) -> SavedMappings:
    """The named mappings of this installation (under the data folder)."""
    return SavedMappings(settings.data_dir)


def default_name(kind: str, source: str | None) -> str:
    """The name a mapping is saved under: the source's name (the default source of the kind)."""
    return mapping_name(source or DEFAULT_SOURCES.get(kind, kind))


def analyse(settings, kind: str, path, name: str, source: str | None) -> dict | None:
    """The mapping state of an upload: saved mapping applied, and what the form must ask.

    The form is shown when the file cannot be read as it is (``show``); a file that can may still
    have columns no one reads, and :func:`after_validation` shows the form for them only when the
    file is refused. Returns None for kinds read without a mapping. Raises InputError when the file is
    not a table.
    """
    if kind not in COLUMN_LABELS:
        return None
    book = saved_mappings(settings)
    needs = mapping_needs(kind, path, None, file_name=name)
    headers = needs.headers  # the shape as found without a mapping: what the next file is matched by
    saved = book.find(kind, headers)
    base, saved_name = ({}, None) if saved is None else (saved[1], saved[0])
    if saved is not None:
        needs = mapping_needs(kind, path, base, file_name=name)
    too_many = _too_many(needs.unknown_columns, needs.unknown_categories)
    if too_many:  # no form: its state (sent to the browser) and its dropdowns would be as large
        return {"kind": kind, "path": str(path), "name": name, "headers": [], "base": base,
                "saved": saved_name, "show": False, "columns": [], "missing": needs.missing,
                "categories": [], "suggestions": {}, "save_as": default_name(kind, source),
                "constants": [], "too_many": too_many}
    return {"kind": kind, "path": str(path), "name": name, "headers": headers, "base": base,
            "saved": saved_name, "show": needs.needed, "columns": needs.unknown_columns,
            "missing": needs.missing, "categories": needs.unknown_categories,
            "suggestions": needs.suggestions, "save_as": default_name(kind, source),
            "constants": [c for c in CONSTANT_LABELS.get(kind, {}) if c in needs.missing]}


def _too_many(columns: list, categories: list) -> str | None:
    """The Swedish reason the form is not shown when a file has more unknown columns or category
    texts than :data:`FORM_MAX`, else None.

    Examples
    --------
    >>> _too_many(["a"] * 3, []) is None
    True
    >>> _too_many(["a"] * 400_001, []).replace(chr(160), " ")[:44]
    'Filen har 400 001 kolumner som inte känns ig'
    """
    from lagesbild.figures.format import fmt_int

    for found, what in ((columns, "kolumner"), (categories, "brottskategorier")):
        if len(found) > FORM_MAX:
            return TOO_MANY.format(n=fmt_int(len(found)), what=what, max=FORM_MAX)
    return None


def after_validation(state: dict | None, ok: bool) -> dict | None:
    """The state once the file was validated: a refused file with unknown columns gets the form."""
    if state is not None and not ok and state.get("columns"):
        state["show"] = True
    return state


def apply_choices(state: dict, col_values: list, cat_values: list, const_values: list | None = None
                  ) -> dict:
    """The mapping the form's choices give (added to the applied saved mapping).

    Raises
    ------
    InputError
        When two headers are given one column, or the mapping is not one the CLI accepts.
    """
    columns = dict(zip(state.get("columns") or [], col_values, strict=False))
    categories = {t: v for t, v in zip(state.get("categories") or [], cat_values, strict=False) if v}
    constants = dict(zip(state.get("constants") or [], const_values or [], strict=False))
    mapping = build_mapping(state["kind"], columns, categories, state.get("base") or {}, constants)
    return check_mapping(state["kind"], mapping, "mappning")


def revise(state: dict, mapping: dict, col_values: list, cat_values: list,
           const_values: list | None = None) -> dict:
    """The state after "Pröva igen": the columns asked stay; categories found with the new mapping
    are added (a category column chosen in the form shows its texts only now)."""
    needs = mapping_needs(state["kind"], state["path"], mapping, file_name=state["name"])
    chosen = dict(zip(state.get("categories") or [], cat_values, strict=False))
    texts = list(state.get("categories") or [])
    texts += [t for t in needs.unknown_categories if t not in chosen]
    suggestions = {**(state.get("suggestions") or {}), **needs.suggestions}
    return {**state, "categories": texts, "suggestions": suggestions,
            "chosen_columns": list(col_values), "chosen_categories": [chosen.get(t) for t in texts],
            "chosen_constants": list(const_values or []),
            "missing": needs.missing, "show": True}


def _column_options(kind: str) -> list[dict]:
    labels = COLUMN_LABELS[kind]
    return [{"label": label, "value": key} for key, label in labels.items()] + [
        {"label": IGNORE_LABEL, "value": IGNORE}]


def _category_options() -> list[dict]:
    return [{"label": name, "value": cid} for cid, name in category_choices()] + [
        {"label": IGNORE_LABEL, "value": IGNORE}]


def _row(label: str, control_id: str, dropdown) -> html.Div:
    return html.Div(className="map-row", children=[html.Span(label, className="map-text"),
                                                   html.Div(dropdown, id=control_id,
                                                            className="map-choice")])


def saved_note(state: dict | None):
    """"Sparad mappning 'X' används" with a button that forgets it (or nothing)."""
    if not state or not state.get("saved"):
        return None
    return html.Div(className="card map-saved", children=[
        html.Span(f"Sparad mappning '{state['saved']}' används", id="dt-saved-name"),
        html.Button("Glöm mappningen", id="dt-forget", n_clicks=0, className="dl-button")])


def form(state: dict | None, error: str | None = None):
    """The mapping form (or nothing when the file needs none); ``error`` says why a choice failed."""
    if state and state.get("too_many"):
        return html.Div(state["too_many"], className="card map-form", id="dt-map-too-many", role="alert")
    if not state or not state.get("show"):
        return None
    kind = state["kind"]
    labels = COLUMN_LABELS[kind]
    col_values = state.get("chosen_columns") or [None] * len(state["columns"])
    rows = []
    if state["columns"]:
        rows.append(html.H4("Kolumner som inte känns igen"))
        rows += [_row(f"Kolumn ”{header}”", f"dt-col-{i}", dcc.Dropdown(
            id={"type": "dt-col", "index": i}, options=_column_options(kind), value=value or IGNORE,
            clearable=False, placeholder=IGNORE_LABEL))
            for i, (header, value) in enumerate(zip(state["columns"], col_values, strict=False))]
    if state.get("missing"):
        rows.append(html.P("Saknas: " + ", ".join(labels.get(c, c) for c in state["missing"])
                           + ". Välj vilken kolumn i filen som innehåller det.", className="muted",
                           id="dt-map-missing"))
    constants = state.get("constants") or []
    typed = state.get("chosen_constants") or [None] * len(constants)
    rows += [_row(CONSTANT_LABELS[kind][c], f"dt-const-{c}", dcc.Input(
        id={"type": "dt-const", "index": c}, type="text", value=value or "", maxLength=200,
        placeholder="t.ex. Hässelby torg"))
        for c, value in zip(constants, typed, strict=False)]
    texts = state.get("categories") or []
    chosen = state.get("chosen_categories") or [None] * len(texts)
    if texts:
        rows.append(html.H4("Brottskategorier som inte känns igen"))
        rows.append(html.P("Välj kategori för varje text i filen. Flera texter kan få samma kategori; "
                           "deras antal läggs då ihop.", className="muted"))
        rows += [_row(f"”{text}”", f"dt-cat-{i}", dcc.Dropdown(
            id={"type": "dt-cat", "index": i}, options=_category_options(),
            value=value or (state.get("suggestions") or {}).get(text), clearable=True,
            placeholder="välj kategori"))
            for i, (text, value) in enumerate(zip(texts, chosen, strict=False))]
    return html.Div(className="card map-form", id="dt-map-form", children=[
        html.H3("Mappa filens kolumner och kategorier"),
        html.P(f"Mappningen sparas som '{state['save_as']}' när filen läses in och används sedan "
               "automatiskt för nästa fil med samma kolumner.", className="muted"),
        *rows,
        html.Div(className="map-actions", children=[
            html.Button("Pröva igen", id="dt-retry", n_clicks=0, className="button-primary"),
            html.Button("Ladda ner som YAML", id="dt-yaml", n_clicks=0, className="dl-button")]),
        html.Div(error or "", id="dt-map-error", className="login-error", role="alert")])


def save_after_commit(settings, pending: dict) -> html.P:
    """Save the mapping a file was read in with (after "Läs in"), and say where."""
    save = pending.get("save") or {}
    try:
        path = saved_mappings(settings).save(save.get("name") or "mappning", pending["kind"],
                                              save.get("headers") or [], pending["mapping"])
    except (InputError, OSError) as err:
        reason = err.reason if isinstance(err, InputError) else "mappningen kunde inte sparas"
        return html.P(f"Mappningen sparades inte: {reason}", className="login-error", role="alert")
    # the file named within the data folder: the browser is told no server path
    return html.P(f"Mappningen sparades som '{path.stem}' och används automatiskt för nästa fil med "
                  f"samma kolumner (fil för kommandoraden: {MAPPING_DIR}/{path.name} i datamappen).",
                  className="muted", id="dt-map-saved")
