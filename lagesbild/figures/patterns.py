"""When crime happens: a weekday × hour heat map and a month-of-year chart.

Inputs are :func:`lagesbild.core.patterns.weekday_hour` and :func:`~lagesbild.core.patterns.month_of_year`
output. The heat map uses a sequential single-hue scale (readable in grey and for colour-blind viewers)
with the count in every hover; incidents stamped exactly at midnight are called out in the subtitle,
since they are often a date without a time, and so are times that do not exist in Swedish time (the
hour skipped when summer time starts). The month chart shows crimes per covered month, so a calendar
month the data covers twice is not shown as twice as criminal. :func:`top_cells_text` says how
concentrated the crimes are in the cells really counted (1 of 4 cells is 25 % of them, not 5 %).

Examples
--------
>>> import pandas as pd
>>> from lagesbild.core.patterns import weekday_hour, month_of_year
>>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2024-05-06 13:45", "2024-05-07 00:00"])})
>>> fig = make_weekday_hour(weekday_hour(inc), place="Vårberg", category="Alla kategorier")
>>> fig.data[0].type, len(fig.data[0].z), len(fig.data[0].z[0])
('heatmap', 7, 24)
>>> make_month_of_year(month_of_year(inc), place="Vårberg").data[0].type
'bar'
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lagesbild.core.patterns import MONTHS_SV, WEEKDAYS_SV
from lagesbild.figures import finishing, palette, style
from lagesbild.figures.format import fmt_int, fmt_num, fmt_pct

WEEKDAY_TITLE = "Anmälda brott per veckodag och timme"
MONTH_TITLE = "Anmälda brott per månad på året"
#: light to dark blue (ColorBrewer Blues), single hue
HEAT_SCALE = [[0.0, "#F7FBFF"], [0.25, "#C6DBEF"], [0.5, "#6BAED6"], [0.75, "#2171B5"], [1.0, "#08306B"]]


#: below this largest count of a cell the heat map's scale steps by whole crimes
WHOLE_TICKS_BELOW = 5


def make_weekday_hour(data: pd.DataFrame, *, place: str | None = None, category: str | None = None,
                      periods=None, context: style.FigureContext | None = None,
                      height: int | None = None) -> go.Figure:
    """Heat map of counts, weekdays (Monday on top) × hours 0–23."""
    ctx = context or style.FigureContext()
    total = int(data["count"].sum()) if data is not None and not data.empty else 0
    if total == 0:
        return finishing.empty_figure("det finns inga brott med tidpunkt för urvalet", title=WEEKDAY_TITLE,
                                      place=place, context=ctx)
    grid = data.pivot(index="weekday", columns="hour", values="count").reindex(
        index=range(7), columns=range(24), fill_value=0)
    z = grid.to_numpy().tolist()
    text = [[f"{WEEKDAYS_SV[d]} kl. {h:02d}–{(h + 1) % 24:02d}: {fmt_int(z[d][h])} brott"
             for h in range(24)] for d in range(7)]
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"{h:02d}" for h in range(24)], y=[w.capitalize() for w in WEEKDAYS_SV],
        colorscale=HEAT_SCALE, zmin=0, text=text, hovertemplate="%{text}<extra></extra>",
        colorbar=dict(title=dict(text="Antal", side="right"), thickness=14, x=1,
                      # few crimes a cell: whole crimes on the scale (plotly's own steps said 0,5)
                      **({"tick0": 0, "dtick": 1} if grid.to_numpy().max() < WHOLE_TICKS_BELOW else {})),
        xgap=1, ygap=1))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", title=dict(text="Timme (klockan)"), tickangle=0,
                     tickvals=[f"{h:02d}" for h in range(0, 24, 3)])
    midnight = data.attrs.get("midnight", 0)
    extra = category or None
    if midnight and midnight / total >= 0.05:
        share = fmt_num(100 * midnight / total, 0)
        extra = f"{extra + '. ' if extra else ''}{share} % har tiden 00:00, ofta ett datum utan klockslag"
    if data.attrs.get("untimed", 0):
        extra = f"{extra + '. ' if extra else ''}{fmt_int(data.attrs['untimed'])} brott utan klockslag ingår inte"
    if data.attrs.get("nonexistent", 0):
        extra = f"{extra + '. ' if extra else ''}{nonexistent_text(data.attrs['nonexistent'])}"
    return finishing.finish(fig, title=WEEKDAY_TITLE, place=place, periods=periods, context=ctx,
                            height=height, extra=extra)


MISSING_NOTE = "grått: månad utan hela månaders data"


def make_month_of_year(data: pd.DataFrame, *, place: str | None = None, category: str | None = None,
                       periods=None, context: style.FigureContext | None = None,
                       height: int | None = None) -> go.Figure:
    """Bars of crimes per covered month for each calendar month (January first)."""
    ctx = context or style.FigureContext()
    if data is None or data.empty or int(data["count"].sum()) == 0:
        return finishing.empty_figure("det finns inga brott för urvalet", title=MONTH_TITLE, place=place,
                                      context=ctx)
    names = [m[:3] for m in MONTHS_SV]
    hover = [f"{MONTHS_SV[i]}: {fmt_num(v, 1) if pd.notna(v) else 'saknas'} brott per månad "
             f"({fmt_int(c)} brott på {fmt_int(n)} {'månad' if n == 1 else 'månader'})"
             for i, (v, c, n) in enumerate(zip(data["per_month"], data["count"], data["months_covered"],
                                               strict=True))]
    fig = go.Figure(go.Bar(x=names, y=data["per_month"], marker_color=palette.SEQUENCE[0],
                           text=hover, hovertemplate="%{text}<extra></extra>", textposition="none"))
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=dict(text="Brott per månad"), rangemode="tozero")
    # a month the data do not cover whole (before the data, or cut mid-month) has no bar: shaded and
    # said, so it is not read as a month without crimes; its crimes are left out of the bars
    missing = [i for i, v in enumerate(data["per_month"]) if pd.isna(v)]
    for i in missing:
        fig.add_shape(type="rect", xref="x", x0=i - 0.5, x1=i + 0.5, yref="y domain", y0=0, y1=1,
                      fillcolor="#DDDDDD", opacity=0.5, line=dict(width=0), layer="below")
    left_out = int(data["left_out"].sum()) if "left_out" in data else int(
        data.loc[data["per_month"].isna(), "count"].sum())
    if missing:
        note = MISSING_NOTE + (f"; {fmt_int(left_out)} brott i dem räknas inte här" if left_out else "")
    else:  # every calendar month has a whole month somewhere, but a cut month's crimes are not in the bars
        note = f"{fmt_int(left_out)} brott i månader utan hela månaders data räknas inte här" if left_out else None
    return finishing.finish(fig, title=MONTH_TITLE, place=place, periods=periods, context=ctx, height=height,
                            extra=" · ".join(t for t in (category, note) if t) or None)


def nonexistent_text(n: int) -> str:
    """What to say about ``n`` times that do not exist in Swedish time.

    Examples
    --------
    >>> nonexistent_text(1)
    '1 brott har en tid som inte finns i svensk tid (timmen som hoppas över när sommartiden börjar, t.ex. 02:30 sista söndagen i mars); det räknas i timmen som den är skriven'
    """
    subject = "det räknas" if n == 1 else "de räknas"
    return (f"{fmt_int(n)} brott har en tid som inte finns i svensk tid (timmen som hoppas över när "
            f"sommartiden börjar, t.ex. 02:30 sista söndagen i mars); {subject} i timmen som den är skriven")


def _cells(k: int) -> str:
    return f"{fmt_int(k)} ruta" if k == 1 else f"{fmt_int(k)} rutor"


def top_cells_text(tops: list[dict]) -> str:
    """The concentration in the cells really counted, in Swedish (from
    :func:`lagesbild.core.concentration.top_cells`): how many cells, their share of the cells and of
    the crimes; shares that round up to the same cells on a small grid are said once, with why.

    Examples
    --------
    >>> from lagesbild.core.concentration import top_cells
    >>> print(top_cells_text(top_cells([18, 9, 0, 0])).replace("\xa0", " "))
    Rutan med flest brott (1 av 4 rutor, 25 % av rutorna) har 67 % av brotten. 5 % och 10 % av rutorna avrundas uppåt till hela rutor och blir här samma ruta.
    >>> print(top_cells_text(top_cells([10, 5, 5] + [0] * 17)).replace("\xa0", " "))
    Rutan med flest brott (1 av 20 rutor, 5 % av rutorna) har 50 % av brotten; de 2 rutorna med flest brott (2 av 20 rutor, 10 % av rutorna) har 75 % av brotten.
    """
    parts, same = [], []
    for t in tops:
        if t["same_as"] is not None:
            same.append(t)
            continue
        k, n = t["cells"], t["n_cells"]
        who = "rutan med flest brott" if k == 1 else f"de {fmt_int(k)} rutorna med flest brott"
        parts.append(f"{who} ({fmt_int(k)} av {_cells(n)}, {fmt_pct(t['cell_share'])} av rutorna) har "
                     f"{fmt_pct(t['incident_share'])} av brotten")
    text = "; ".join(parts)
    text = text[:1].upper() + text[1:] + "."
    for t in same:
        k = t["cells"]
        what = "samma ruta" if k == 1 else f"samma {_cells(k)}"
        text += (f" {fmt_pct(t['same_as'])} och {fmt_pct(t['share'])} av rutorna avrundas uppåt till hela "
                 f"rutor och blir här {what}.")
    return text
