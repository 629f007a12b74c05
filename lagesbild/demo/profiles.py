"""Declarative tables behind the fictitious demo incidents (see :mod:`lagesbild.demo.generate`).

Everything here is invented for the demo except ``TORG_TARGETS``: the police's figures for Hässelby
torg, 1 Jan–30 Nov 2018 against 1 Jan–30 Nov 2019, quoted in Hässelby-Vällingby's action plan.
Rates are expected incidents per year at the start of the period (September 2016); ``trend`` is a
multiplicative change per year; an effect ``(categories, start, factor, ramp_months)`` multiplies the
rate from month ``start`` on, reaching ``factor`` linearly over ``ramp_months``. ``"*"`` = every
category.

Coordinates are WGS 84 (lat, lon). ``BACKGROUND_NODES`` are population-weighted centres of Stockholms
stad's stadsdelar (CC0) computed from SCB DeSO 2023 population; the other nodes are tunnelbana
stations and centres.
"""

from __future__ import annotations

# Police spelling, in output order.
CATEGORIES: tuple[str, ...] = (
    "Skadegörelse", "Tillgrepp i butik", "Våldsbrott", "Narkotikabrott",
    "Personrån", "Inbrott", "Våld i nära relation", "Bedrägeri mot äldre",
)

PERIOD_START = "2016-09"   # first month
PERIOD_END = "2023-08"     # last month (inclusive)

# Monthly seasonality, January..December (normalised to mean 1 by the generator).
SEASON: dict[str, tuple[float, ...]] = {
    "Skadegörelse":         (0.80, 0.75, 0.90, 1.00, 1.10, 1.20, 1.25, 1.20, 1.05, 1.00, 0.90, 0.85),
    "Tillgrepp i butik":    (0.95, 0.90, 1.00, 0.95, 1.00, 1.00, 0.95, 1.00, 1.00, 1.05, 1.05, 1.25),
    "Våldsbrott":           (0.85, 0.85, 0.90, 0.95, 1.05, 1.15, 1.20, 1.15, 1.00, 0.95, 0.90, 1.05),
    "Narkotikabrott":       (0.90, 0.90, 1.00, 1.05, 1.10, 1.10, 1.00, 1.05, 1.05, 1.00, 0.95, 0.90),
    "Personrån":            (0.95, 0.90, 0.90, 0.90, 1.00, 1.05, 1.00, 1.05, 1.10, 1.10, 1.05, 1.00),
    "Inbrott":              (1.10, 0.90, 0.85, 0.85, 0.90, 1.00, 1.20, 1.10, 0.90, 1.00, 1.10, 1.20),
    "Våld i nära relation": (1.05, 0.95, 0.95, 0.95, 1.00, 1.00, 1.10, 1.05, 0.95, 0.95, 0.95, 1.10),
    "Bedrägeri mot äldre":  (1.00, 1.00, 1.05, 1.00, 1.00, 0.95, 0.85, 0.90, 1.05, 1.10, 1.05, 1.00),
}

# Time-of-week profile per category: day-of-week weights (Mon..Sun) and hour weights (0..23) for
# weekdays and for Saturdays/Sundays (the small hours of a Saturday are Friday night).
CATEGORY_PROFILE: dict[str, str] = {
    "Skadegörelse": "natt", "Våldsbrott": "natt", "Personrån": "natt", "Tillgrepp i butik": "butik",
    "Narkotikabrott": "narkotika", "Inbrott": "inbrott", "Våld i nära relation": "hem",
    "Bedrägeri mot äldre": "dag",
}
_NIGHT_WD = (3, 2, 1.5, 1, .7, .5, .5, .8, 1, 1, 1.2, 1.4,
             1.6, 1.7, 1.9, 2.2, 2.6, 3, 3.4, 3.8, 4.2, 4.5, 4.5, 3.8)
_NIGHT_WE = (6, 6, 5.5, 4, 2, 1, .6, .6, .7, .8, 1, 1.3,
             1.5, 1.7, 1.9, 2.1, 2.4, 2.8, 3.2, 3.8, 4.5, 5.2, 6, 6.5)
_SHOP = (.1, .05, .05, .05, .05, .1, .2, .5, 1, 2, 3, 3.5,
         3.8, 4, 4.2, 4.5, 4.8, 4.8, 4.4, 3.6, 2.6, 1.5, .6, .2)
_DRUG_WD = (1.5, 1, .7, .4, .3, .3, .4, .6, .9, 1.2, 1.5, 1.9,
            2.2, 2.5, 2.8, 3.1, 3.4, 3.6, 3.8, 3.9, 3.8, 3.4, 2.8, 2.1)
_DRUG_WE = (2.5, 2, 1.5, 1, .6, .4, .3, .4, .6, .9, 1.3, 1.7,
            2.1, 2.5, 2.8, 3.1, 3.4, 3.7, 3.9, 4, 4, 3.8, 3.4, 3)
_BURGL_WD = (1, .9, .8, .7, .6, .6, .8, 1.2, 1.8, 2.2, 2.4, 2.4,
             2.3, 2.3, 2.3, 2.3, 2.2, 2, 1.8, 1.6, 1.4, 1.3, 1.2, 1.1)
_BURGL_WE = (1.3, 1.2, 1.1, 1, .8, .7, .7, .8, 1, 1.3, 1.6, 1.8,
             1.9, 1.9, 1.9, 1.9, 1.8, 1.7, 1.6, 1.5, 1.4, 1.4, 1.4, 1.4)
_HOME_WD = (2, 1.6, 1.2, .8, .5, .4, .5, .8, 1, 1.1, 1.2, 1.3,
            1.4, 1.5, 1.6, 1.8, 2.1, 2.5, 2.9, 3.2, 3.4, 3.3, 3, 2.5)
_HOME_WE = (3.2, 3, 2.6, 2, 1.2, .7, .5, .6, .9, 1.2, 1.5, 1.7,
            1.9, 2, 2.1, 2.3, 2.5, 2.8, 3.1, 3.4, 3.6, 3.6, 3.5, 3.3)
_DAY_WD = (.05, .05, .05, .05, .05, .1, .2, .5, 1.5, 3, 4, 4,
           3.5, 3.6, 3.8, 3.4, 2.5, 1.6, 1, .7, .5, .3, .2, .1)
_DAY_WE = (.05, .05, .05, .05, .05, .05, .1, .3, .8, 1.5, 2, 2,
           1.8, 1.8, 1.7, 1.5, 1.2, .9, .6, .4, .3, .2, .1, .05)

TIME_PROFILES: dict[str, tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]] = {
    # name: (Mon..Sun weights, weekday hours, weekend hours)
    "natt": ((.8, .8, .85, .95, 1.3, 1.5, 1.1), _NIGHT_WD, _NIGHT_WE),
    "butik": ((1, 1, 1, 1, 1.1, 1.3, .9), _SHOP, _SHOP),
    "narkotika": ((1, 1, 1, 1.05, 1.2, 1.2, .9), _DRUG_WD, _DRUG_WE),
    "inbrott": ((1.05, 1, 1, 1, 1.05, .95, .95), _BURGL_WD, _BURGL_WE),
    "hem": ((.9, .85, .85, .9, 1.1, 1.3, 1.2), _HOME_WD, _HOME_WE),
    "dag": ((1.2, 1.2, 1.2, 1.2, 1.1, .5, .4), _DAY_WD, _DAY_WE),
}

# Effects applied to every component (the pandemic spring of 2020).
GLOBAL_EFFECTS: tuple[tuple[tuple[str, ...], str, str, float], ...] = (
    # (categories, first month, last month, factor)
    (("Personrån",), "2020-03", "2020-06", 0.75),
    (("Våldsbrott",), "2020-03", "2020-06", 0.85),
    (("Tillgrepp i butik",), "2020-03", "2020-06", 0.80),
    (("Inbrott",), "2020-03", "2020-06", 0.85),
    (("Våld i nära relation",), "2020-03", "2020-06", 1.10),
)

# The only real figures: Hässelby torg, 1 Jan–30 Nov of each year (polisens statistik).
TORG_PLACE = "hasselby-torg"
TORG_WINDOWS: tuple[tuple[str, str], ...] = (("2018-01", "2018-11"), ("2019-01", "2019-11"))
TORG_TARGETS: dict[str, tuple[int, int]] = {
    "Skadegörelse": (274, 142),
    "Tillgrepp i butik": (60, 31),
    "Våldsbrott": (62, 51),
    "Narkotikabrott": (32, 60),
}
TORG_CHANGE = "2019-02"    # platssamverkan starts; the torg rate steps from its 2018 to its 2019 level
# Fictitious shape of the torg series outside the two windows: multipliers of the 2018 level before
# 2018 and of the 2019 level from 2020 on, plus categories the police figures do not cover.
TORG_BEFORE_2018: dict[str, float] = {"Skadegörelse": 0.92, "Tillgrepp i butik": 1.0, "Våldsbrott": 0.95,
                                      "Narkotikabrott": 1.05}
TORG_LATER_EFFECTS: tuple[tuple[tuple[str, ...], str, float, int], ...] = (
    (("Skadegörelse", "Tillgrepp i butik"), "2020-03", 0.80, 6),       # the square is renovated
    (("Narkotikabrott",), "2021-01", 0.70, 9),
    (("Våldsbrott",), "2021-09", 0.85, 12),
)
TORG_OTHER_RATES: dict[str, float] = {"Personrån": 10, "Inbrott": 4, "Våld i nära relation": 3}
TORG_SPATIAL = dict(node=(59.3674, 17.8433), sd=60.0, uniform=0.5)

# Population-weighted stadsdel centres: (district, name, lat, lon, population 2023).
BACKGROUND_NODES: tuple[tuple[str, str, float, float, int], ...] = (
    ("hasselby-vallingby", "Hässelby gård", 59.3678, 17.8416, 11340),
    ("hasselby-vallingby", "Hässelby villastad", 59.3804, 17.8127, 18978),
    ("hasselby-vallingby", "Nälsta", 59.3732, 17.8814, 5038),
    ("hasselby-vallingby", "Vällingby", 59.3652, 17.8713, 8728),
    ("hasselby-vallingby", "Hässelby strand", 59.3610, 17.8362, 6394),
    ("hasselby-vallingby", "Grimsta", 59.3553, 17.8584, 4712),
    ("hasselby-vallingby", "Råcksta", 59.3582, 17.8853, 10052),
    ("hasselby-vallingby", "Kälvesta", 59.3823, 17.8512, 4578),
    ("hasselby-vallingby", "Vinsta", 59.3742, 17.8542, 4566),
    ("hagersten-alvsjo", "Liljeholmen", 59.3075, 18.0238, 10775),
    ("hagersten-alvsjo", "Gröndal", 59.3156, 18.0050, 7428),
    ("hagersten-alvsjo", "Hägerstensåsen", 59.2970, 17.9830, 8530),
    ("hagersten-alvsjo", "Långbro", 59.2819, 17.9835, 7659),
    ("hagersten-alvsjo", "Mälarhöjden", 59.2972, 17.9511, 4367),
    ("hagersten-alvsjo", "Långsjö", 59.2684, 17.9825, 3029),
    ("hagersten-alvsjo", "Aspudden", 59.3079, 17.9963, 8953),
    ("hagersten-alvsjo", "Fruängen", 59.2856, 17.9627, 9696),
    ("hagersten-alvsjo", "Liseberg", 59.2861, 18.0248, 1458),
    ("hagersten-alvsjo", "Älvsjö", 59.2717, 18.0012, 1661),
    ("hagersten-alvsjo", "Solberga", 59.2844, 18.0044, 13438),
    ("hagersten-alvsjo", "Västertorp", 59.2930, 17.9696, 7533),
    ("hagersten-alvsjo", "Örby slott", 59.2803, 18.0281, 2069),
    ("hagersten-alvsjo", "Herrängen", 59.2750, 17.9671, 3898),
    ("hagersten-alvsjo", "Midsommarkransen", 59.3015, 18.0037, 11747),
    ("hagersten-alvsjo", "Hägersten", 59.3040, 17.9742, 8704),
    ("hagersten-alvsjo", "Västberga", 59.2960, 18.0023, 7013),
    ("skarholmen", "Vårberg", 59.2761, 17.8849, 10182),
    ("skarholmen", "Sätra", 59.2869, 17.9173, 7623),
    ("skarholmen", "Bredäng", 59.2940, 17.9338, 10812),
    ("skarholmen", "Skärholmen", 59.2774, 17.9017, 8988),
)
BACKGROUND_SD_M = 450.0
BACKGROUND_UNIFORM = 0.06   # share of background incidents spread uniformly over the district

def _r(sk=0, ti=0, va=0, na=0, pr=0, ib=0, vnr=0, be=0) -> dict[str, float]:
    """Rates per year in ``CATEGORIES`` order (zeros dropped)."""
    return {c: float(v) for c, v in zip(CATEGORIES, (sk, ti, va, na, pr, ib, vnr, be), strict=False) if v}


_BG_TREND = {"Inbrott": 0.93, "Bedrägeri mot äldre": 1.12, "Personrån": 1.04, "Narkotikabrott": 1.03,
             "Skadegörelse": 0.98, "Våld i nära relation": 1.02}

# Components: name, polygon (place id the points must lie in), node (lat, lon) or None,
# node spread (m), share spread uniformly in the polygon, rates, trends, effects.
COMPONENTS: tuple[dict, ...] = (
    # --- background over each district (nodes: BACKGROUND_NODES)
    dict(name="bakgrund-hv", polygon="hasselby-vallingby", background=True,
         rates=_r(650, 120, 360, 180, 40, 330, 170, 35), trend=_BG_TREND),
    dict(name="bakgrund-ha", polygon="hagersten-alvsjo", background=True,
         rates=_r(850, 150, 430, 170, 55, 520, 220, 60), trend=_BG_TREND),
    dict(name="bakgrund-sk", polygon="skarholmen", background=True,
         rates=_r(300, 50, 200, 120, 35, 110, 110, 18), trend=_BG_TREND),
    # --- places
    dict(name="vallingby-centrum", polygon="vallingby-centrum", node=(59.3633, 17.8722), sd=90, uniform=0.5,
         rates=_r(160, 280, 120, 90, 20, 15, 0, 3),
         effects=((("Skadegörelse", "Våldsbrott", "Narkotikabrott", "Personrån"), "2020-03", 1.40, 4),
                  (("Skadegörelse", "Våldsbrott", "Narkotikabrott", "Personrån"), "2020-09", 0.65, 9))),
    dict(name="skarholmen-centrum", polygon="skarholmen-centrum", node=(59.2770, 17.9070), sd=100, uniform=0.5,
         rates=_r(100, 380, 110, 60, 25, 10, 0, 4), trend={"Tillgrepp i butik": 1.05}),
    dict(name="alvsjo-solberga", polygon="alvsjo-solberga", node=(59.2790, 18.0107), sd=200, uniform=0.4,
         rates=_r(120, 70, 80, 110, 25, 30), trend={"Narkotikabrott": 1.06},
         effects=((("Narkotikabrott", "Personrån", "Våldsbrott"), "2021-09", 0.70, 12),)),
    dict(name="fruangen", polygon="fruangen", node=(59.2856, 17.9650), sd=150, uniform=0.4,
         rates=_r(70, 45, 40, 35, 10),
         effects=((("Narkotikabrott",), "2021-06", 1.8, 1), (("Narkotikabrott",), "2021-10", 1 / 1.8, 1),
                  (("Narkotikabrott",), "2022-05", 1.6, 1), (("Narkotikabrott",), "2022-09", 1 / 1.6, 1))),
    dict(name="varberg", polygon="varberg", node=(59.2759, 17.8901), sd=150, uniform=0.4,
         rates=_r(140, 35, 125, 135, 30, 20), trend={"Våldsbrott": 0.95, "Narkotikabrott": 0.97}),
    dict(name="bredang", polygon="bredang", node=(59.2948, 17.9338), sd=150, uniform=0.4,
         rates=_r(165, 60, 135, 140, 35, 20), trend={"Våldsbrott": 0.96, "Personrån": 0.95}),
    dict(name="satra", polygon="satra", node=(59.2849, 17.9213), sd=150, uniform=0.4,
         rates=_r(45, 20, 30, 25, 8)),
    # --- hot clusters inside the districts
    dict(name="hasselby-strand-centrum", polygon="hasselby-vallingby", node=(59.3613, 17.8330), sd=150,
         rates=_r(60, 40, 30, 20, 6)),
    dict(name="racksta", polygon="hasselby-vallingby", node=(59.3548, 17.8818), sd=180,
         rates=_r(40, 0, 20, 0, 0, 25)),
    dict(name="johannelund-vinsta", polygon="hasselby-vallingby", node=(59.3679, 17.8575), sd=200,
         rates=_r(40, 0, 0, 0, 0, 30)),
    dict(name="liljeholmen", polygon="hagersten-alvsjo", node=(59.3108, 18.0231), sd=200,
         rates=_r(100, 220, 90, 50, 15)),
    dict(name="telefonplan", polygon="hagersten-alvsjo", node=(59.2983, 17.9972), sd=150,
         rates=_r(40, 0, 25)),
    dict(name="vastberga", polygon="hagersten-alvsjo", node=(59.2935, 18.0150), sd=150,
         rates=_r(30, 0, 0, 25, 0, 40), effects=((("Narkotikabrott",), "2022-01", 1.5, 3),)),
    dict(name="langbro", polygon="hagersten-alvsjo", node=(59.2819, 17.9835), sd=200,
         rates=_r(35, 0, 10), trend={"Skadegörelse": 1.08}),
)
