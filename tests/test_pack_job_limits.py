"""The web's meeting pack takes at most twelve places and twelve periods: a hand-made request of a
thousand periods held one of the server's two pack slots for as long as it took (websec noticed it).
The refusal is Swedish (a pack within them starts as before: tests/test_recheck_websec_pack_jobs.py)."""

from __future__ import annotations

import pytest

from lagesbild.web.pack_jobs import MAX_PERIODS, MAX_PLACES, PackRefused, start_pack_job


@pytest.mark.parametrize(("key", "what", "limit"), [("periods", "perioder", MAX_PERIODS),
                                                   ("places", "platser", MAX_PLACES)])
def test_too_many_places_or_periods_are_refused_in_swedish(demo_store, demo_settings, key, what, limit):
    request = {"places": ["varberg"], "periods": ["2021–2022", "2022–2023"], "meeting": "Beredningsgrupp"}
    request[key] = [f"{2000 + i}" for i in range(limit + 1)]
    with pytest.raises(PackRefused, match=f"Ett mötespaket tar högst {limit} {what}; välj färre."):
        start_pack_job(demo_store, demo_settings, owner="anna", **request)
    assert (MAX_PLACES, MAX_PERIODS) == (12, 12)
