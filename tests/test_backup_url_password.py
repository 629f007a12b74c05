"""A backup refused for a database type that cannot be backed up named the store by its whole URL,
password included (sec7: `store/backup.py`); the message hides it as every other message does."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from lagesbild.errors import InputError
from lagesbild.store.backup import backup


def test_refused_backup_hides_the_password(tmp_path):
    store = SimpleNamespace(url="mysql+pymysql://anna:hemligt@db.example/lagesbild",
                            engine=SimpleNamespace(dialect=SimpleNamespace(name="mysql")))
    with pytest.raises(InputError) as err:
        backup(store, tmp_path / "kopia.bak")
    assert "hemligt" not in str(err.value)
    assert "anna:***@db.example" in str(err.value)
    assert "kan inte säkerhetskopieras" in str(err.value)
    assert list(tmp_path.iterdir()) == []  # no half-written file left
