"""Administration the surfaces need besides the analysis: accounts, the audit log, backup and restore.

Re-exported from :mod:`lagesbild.store.accounts` and :mod:`lagesbild.store.backup` so that ``web/`` and
``cli/`` keep to the rule that they import nothing from ``lagesbild.store`` (tests/test_layers.py):
this module is the one door they use for store administration.

Examples
--------
>>> from lagesbild.analysis import admin
>>> admin.ROLES
('läsare', 'analytiker', 'admin')
"""

from __future__ import annotations

from lagesbild.store import accounts
from lagesbild.store.accounts import (
    MIN_PASSWORD,
    ROLES,
    AccountError,
    add_user,
    audit,
    audit_entries,
    begin_login,
    check_new_account,
    check_password,
    clear_failed_logins,
    end_sessions,
    failed_logins,
    finish_login,
    get_user,
    known_name,
    list_users,
    remove_user,
    role_allows,
    secret_key,
    session_key,
    session_user,
    set_password,
    set_role,
    user_count,
)
from lagesbild.store.backup import backup, backup_kind, restore

__all__ = ["MIN_PASSWORD", "ROLES", "AccountError", "accounts", "add_user", "audit", "audit_entries",
           "backup", "backup_kind", "begin_login", "check_new_account", "check_password",
           "clear_failed_logins", "end_sessions", "failed_logins", "finish_login", "get_user", "known_name",
           "list_users", "remove_user",
           "restore", "role_allows", "secret_key", "session_key", "session_user", "set_password", "set_role",
           "user_count"]
