"""Meeting packs are given only to the account that started them (guards: these held before).

A pack job's folder holds ``owner.txt`` (the stored account name and creation time) beside its status; the dashboard's
poll and download callbacks ask :func:`lagesbild.web.pack_jobs.job_owned` with the caller's account.
Checked here with the accounts' own rules (``store.accounts.name_key``: case and Unicode form are one
name, accents are not): "Åsa" and "asa" are two accounts and neither sees the other's pack; "ÅSA"
logging in is Åsa (her stored name) and sees hers; a läsare who has another user's pack id gets
neither its progress nor its files, and the refusal is in the audit log; a job folder without an
owner, or an id that is no job id, is nobody's.
"""

from __future__ import annotations

import unicodedata
import uuid

import pytest
from dash import no_update
from flask_login import login_user

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from lagesbild.web import export_controls, pack_jobs

PASSWORD = "ett-långt-lösenord-1"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("owner")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
    store = Store(cfg.db_url)
    for name, role in (("Åsa", "analytiker"), ("asa", "analytiker"), ("lasse", "läsare")):
        accounts.add_user(store, name, PASSWORD, role)
    return create_app(cfg, store), store, cfg


def _finished_job(cfg, store, owner: str) -> str:
    """A finished pack job as start_pack_job and run_pack_job leave it (owner file, status, a file)."""
    job = uuid.uuid4().hex
    folder = pack_jobs.job_dir(cfg.data_dir, job)
    folder.mkdir(parents=True)
    pack_jobs.write_owner(folder, store, owner, with_map=False)
    (folder / "paket.zip").write_bytes(b"PK")
    pack_jobs.write_status(folder, state="done", done=1, total=1, message="Klart", zip="paket.zip")
    return job


def _as(app, store, typed: str, fn, *args):
    """``fn(*args)`` in a request of the account a login with ``typed`` gives."""
    from lagesbild.web.auth import User

    account = accounts.check_password(store, accounts.canonical_name(store, typed), PASSWORD)
    assert account is not None, typed
    with app.server.test_request_context("/"):
        login_user(User(account["username"], account["role"]))
        return fn(*args)


def _sees(app, store, typed, job) -> bool:
    finished, message, *_ = _as(app, store, typed, export_controls._poll, 1, job)
    return finished and message != export_controls.TEXT["lost"]


def test_two_accounts_whose_names_differ_by_an_accent_do_not_share_packs(site):
    app, store, cfg = site
    hers, his = _finished_job(cfg, store, "Åsa"), _finished_job(cfg, store, "asa")
    assert _sees(app, store, "Åsa", hers) and not _sees(app, store, "Åsa", his)
    assert _sees(app, store, "asa", his) and not _sees(app, store, "asa", hers)
    # the same account typed in another case or Unicode form is the same owner
    assert _sees(app, store, "ÅSA", hers)
    assert _sees(app, store, unicodedata.normalize("NFD", "åsa"), hers)
    assert not _sees(app, store, "ASA", hers)


def test_a_lasare_with_another_users_pack_id_gets_nothing(site):
    app, store, cfg = site
    job = _finished_job(cfg, store, "Åsa")
    assert not _sees(app, store, "lasse", job)
    assert _as(app, store, "lasse", export_controls._download, 1, job) is no_update
    last = accounts.audit_entries(store, 1)[0]
    assert (last["username"], last["action"]) == ("lasse", "export_refused")


def test_a_job_without_owner_or_a_made_up_id_is_nobodys(site):
    app, store, cfg = site
    job = _finished_job(cfg, store, "Åsa")
    (pack_jobs.job_dir(cfg.data_dir, job) / pack_jobs.OWNER_FILE).unlink()
    assert not _sees(app, store, "Åsa", job)
    for made_up in ("../" + job, job.upper(), "", None):
        assert not _sees(app, store, "Åsa", made_up)
