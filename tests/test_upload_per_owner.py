"""One user keeps at most three pending uploads on the disk; other users' uploads stay.

Each validated upload of up to 50 MB waited a day for "Läs in", and nothing bounded how many one user
left (the security check found it): the oldest of a user's uploads beyond three is removed at the next.
"""

from __future__ import annotations

import base64
import os
import time

from lagesbild.web.views.data import UPLOADS_PER_OWNER, save_upload, upload_path, upload_token

DATA = "data:text/csv;base64," + base64.b64encode("Plats;Antal\nVårberg;3\n".encode()).decode()


def test_a_user_keeps_the_three_newest_uploads_and_others_keep_theirs(tmp_path):
    root = tmp_path / "uppladdningar"
    other = save_upload(DATA, "annan.csv", root, owner="bo")
    mine = []
    for i in range(6):
        path = save_upload(DATA, f"brott{i}.csv", root, owner="anna")
        os.utime(path.parent, (time.time() + i, time.time() + i))  # uploads a second apart
        mine.append(upload_token(path))
    kept = [t for t in mine if upload_path(t, root, "anna") is not None]
    assert UPLOADS_PER_OWNER == 3 and kept == mine[-3:]
    assert upload_path(upload_token(other), root, "bo") == other
    assert len([p for p in root.iterdir() if p.is_dir()]) == 4
