"""The palette of every chart: the Okabe–Ito colours, one colour per crime category, the text and
axis greys, and the classes of the hotspot maps.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); Gi* classes use
ColorBrewer's RdBu diverging scheme, also colour-blind safe.
"""

from __future__ import annotations

import zlib

from lagesbild.core.compare import ALL

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
#: Colours given to categories/series in order (yellow last: weak on white).
SEQUENCE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442",
            "#7F7F7F"]
#: One colour per crime category, keyed by the category's id (``data/categories.yaml``), so a category
#: has the same colour in every chart, on screen, in exports and in the pack, whatever else is shown.
#: The categories usually shown together get the Okabe–Ito colours; the rest come from Paul Tol's
#: colour-blind-safe "muted" and "dark" schemes. ``alla`` (the total) is grey.
CATEGORY_COLOURS = {
    "skadegorelse": "#0072B2", "narkotikabrott": "#E69F00", "valdsbrott": "#009E73",
    "tillgrepp_butik": "#D55E00", "personran": "#CC79A7", "vald_offentlig_miljo": "#56B4E9",
    "vald_nara_relation": "#882255", "bedrageri_aldre": "#DDCC77", "misshandel": "#332288",
    "olaga_hot": "#44AA99", "ofredande": "#CC6677", "stold": "#117733", "ran": "#AA4499",
    "inbrott": "#999933", "bilbrott": "#88CCEE", "cykelstold": "#F0E442", "sexualbrott": "#222255",
    "bedrageri": "#666633", "vapenbrott": "#663333", ALL: "#6B6B6B",
    "totalt": "#3D3D3D",  # a source's own total (Brå): dark grey, apart from the sum of the shown "alla"
}
#: colours for categories outside the vocabulary (chosen by a stable hash of the id)
EXTRA_COLOURS = ("#225555", "#225522", "#663333", "#000000")
INCREASE, DECREASE, NEUTRAL = "#D55E00", "#0072B2", "#6B6B6B"
GRID, AXIS, TEXT, MUTED = "#E3E6EA", "#9AA1A9", "#1B1F24", "#5A6470"
PLACE_COLOURS = {"plats": "#0072B2", "stadsdelsomrade": "#E69F00", "stad": "#000000"}

#: Gi* classes by ``gi_bin`` (ArcGIS convention): label and RdBu colour (the map uses the labels of
#: :data:`lagesbild.core.hotspots.CLASS_LABELS`; non-significant cells are grey, not white).
GI_CLASSES = {
    3: ("Het punkt – 99 % konfidens", "#B2182B"),
    2: ("Het punkt – 95 % konfidens", "#EF8A62"),
    1: ("Het punkt – 90 % konfidens", "#FDDBC7"),
    0: ("Ej signifikant", "#D9D9D9"),
    -1: ("Kall punkt – 90 % konfidens", "#D1E5F0"),
    -2: ("Kall punkt – 95 % konfidens", "#67A9CF"),
    -3: ("Kall punkt – 99 % konfidens", "#2166AC"),
}
#: Hotspot change between two periods: label and colour.
CHANGE_CLASSES = {
    "new": ("Ny het punkt", "#E69F00"),
    "persistent": ("Kvarstående het punkt", "#B2182B"),
    "ended": ("Upphörd het punkt", "#0072B2"),
    "chance": ("Het punkt i bara en period, ingen säkerställd förändring", "#B9B9B9"),
}
DENSITY_SCALE = [[0.0, "#FFFFCC"], [0.35, "#FEB24C"], [0.7, "#F03B20"], [1.0, "#800026"]]


def category_colour(category_id: str) -> str:
    """The colour of a crime category, the same in every chart (keyed by id, not by order shown).

    Examples
    --------
    >>> category_colour("narkotikabrott"), category_colour("alla")
    ('#E69F00', '#6B6B6B')
    >>> category_colour("okand_kategori") == category_colour("okand_kategori")
    True
    """
    if category_id in CATEGORY_COLOURS:
        return CATEGORY_COLOURS[category_id]
    return EXTRA_COLOURS[zlib.crc32(str(category_id).encode("utf-8")) % len(EXTRA_COLOURS)]
