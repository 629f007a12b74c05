"""Loading the bundled demo data into a store (the embedded default the dashboard opens on)."""

from __future__ import annotations

from pathlib import Path

from lagesbild.errors import InputError
from lagesbild.settings import project_root

DEMO_SOURCE = "demo-incidenter"
PLACES = project_root() / "geodata" / "places.geojson"
SURVEY = project_root() / "data" / "demo" / "trygghetsmatning.csv"
ACTIVITIES = project_root() / "data" / "demo" / "atgardsplan.yaml"


#: the demo's fictitious sources (its places are the real geography, approximate, and stay)
DEMO_SOURCES = (DEMO_SOURCE, "demo-trygghetsmatning", "demo-atgardsplan")
#: the source of the demo's places (read in first, each file in a transaction of its own)
DEMO_PLACES = "demo-platser"


def holds_only_demo(store) -> bool:
    """True when everything ``store`` holds was read in by ``demo`` (nothing, an interrupted demo's
    first parts, or a whole demo): every source and every logged ingest is one of the demo's own, so
    ``demo`` may go on without ``--force`` (after a Ctrl-C it was refused: "databasen är inte tom").

    Examples
    --------
    >>> from lagesbild.store import Store
    >>> holds_only_demo(Store("sqlite://"))
    True
    """
    own = {DEMO_PLACES, *DEMO_SOURCES}
    return set(store.sources()["source"]) | set(store.ingest_log()["source"]) <= own


def remove_demo(store) -> int | None:
    """Remove the demo's fictitious incidents, survey and action plan in one transaction and unmark
    the store demo, so that real data read in beside them are shown alone and no longer said to be
    fictitious. Returns the rows removed, or None when the store holds no demo data."""
    if not store.meta().get("demo"):
        return None
    with store.transaction() as w:
        gone = sum(w.delete_source(s) for s in DEMO_SOURCES)
        w.set_meta("demo", False)
        w.bump_version()
    return gone


def load_demo(store, settings, *, progress: bool = False) -> list:
    """Generate the fictitious incidents (fixed seed) and ingest every demo file; mark the store demo.

    Returns the ingest reports, in order. Running it again is harmless: unchanged files are no-ops.
    """
    from lagesbild.demo.generate import generate_incidents
    from lagesbild.ingest import ingest_file

    for path in (PLACES, SURVEY, ACTIVITIES):  # in the clone, not in the installed package
        if not path.is_file():
            raise InputError(str(path), "demodata finns inte här: kör kommandot i en klon av lagesbild "
                                        "(demodata ingår inte i det installerade paketet)")

    folder = Path(settings.data_dir) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    incidents = generate_incidents(folder / "brott_demo.csv")
    reports = [
        ingest_file(store, "places", PLACES, source=DEMO_PLACES),
        ingest_file(store, "incidents", incidents, source=DEMO_SOURCE, fictitious=True,
                    progress=progress),
        ingest_file(store, "survey", SURVEY, source="demo-trygghetsmatning"),
        ingest_file(store, "activities", ACTIVITIES, source="demo-atgardsplan", fictitious=True),
    ]
    with store.transaction() as w:
        w.set_meta("demo", True)
        w.bump_version()
    return reports
