# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the built-in workspace role cache."""

from __future__ import annotations

import json
import os
import stat
from collections import namedtuple

from ansible_collections.prefect.cloud.plugins.module_utils import _rolecache
from ansible_collections.prefect.cloud.plugins.module_utils._rolecache import BuiltinRoleCache

Role = namedtuple("Role", "id name account_id")
URL = "https://cloud.test/api"
ACCOUNT = "0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e"
ROLES = [
    Role("id-dev", "Developer", None),
    Role("id-view", "Viewer", None),
    Role("id-custom", "custom", ACCOUNT),
    Role("id-owner", "Owner", None),
    Role("id-owner-2", "Owner", ACCOUNT),  # a custom role that shares a built-in name
]


def test_remembers_built_in_roles_only(tmp_path):
    cache = BuiltinRoleCache(URL, ACCOUNT, directory=str(tmp_path))
    assert cache.id_of("Developer") is None
    cache.remember(ROLES)
    again = BuiltinRoleCache(URL + "/", ACCOUNT, directory=str(tmp_path))
    assert again.id_of("Developer") == "id-dev"
    assert again.name_of("id-view") == "Viewer"
    assert again.id_of("custom") is None and again.name_of("id-custom") is None
    assert again.id_of("Owner") is None  # ambiguous names are never cached
    path = tmp_path / _rolecache.CACHE_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "pnu_" not in path.read_text(encoding="utf-8")


def test_entries_are_per_api_and_account_and_bounded(tmp_path):
    BuiltinRoleCache(URL, ACCOUNT, directory=str(tmp_path)).remember(ROLES)
    assert BuiltinRoleCache("http://127.0.0.1:1/api", ACCOUNT, directory=str(tmp_path)).id_of("Developer") is None
    for number in range(_rolecache.MAX_ENTRIES + 5):
        BuiltinRoleCache(f"http://127.0.0.1:{number}/api", ACCOUNT, directory=str(tmp_path)).remember(ROLES)
    data = json.loads((tmp_path / _rolecache.CACHE_FILE).read_text(encoding="utf-8"))
    assert len(data["entries"]) == _rolecache.MAX_ENTRIES


def test_not_written_when_read_only_or_off(tmp_path, monkeypatch):
    cache = BuiltinRoleCache(URL, ACCOUNT, writable=False, directory=str(tmp_path))
    cache.remember(ROLES)
    assert cache.id_of("Developer") == "id-dev"  # known for the rest of the run
    assert not (tmp_path / _rolecache.CACHE_FILE).exists()
    monkeypatch.setenv(_rolecache.ENV_CACHE_DIR, "off")
    off = BuiltinRoleCache(URL, ACCOUNT)
    assert off.path is None
    off.remember(ROLES)
    monkeypatch.setenv(_rolecache.ENV_CACHE_DIR, str(tmp_path / "elsewhere"))
    BuiltinRoleCache(URL, ACCOUNT).remember(ROLES)
    assert (tmp_path / "elsewhere" / _rolecache.CACHE_FILE).exists()


def test_a_broken_or_unwritable_cache_is_ignored(tmp_path):
    (tmp_path / _rolecache.CACHE_FILE).write_text("{not json", encoding="utf-8")
    cache = BuiltinRoleCache(URL, ACCOUNT, directory=str(tmp_path))
    assert cache.id_of("Developer") is None
    cache.remember(ROLES)
    assert BuiltinRoleCache(URL, ACCOUNT, directory=str(tmp_path)).id_of("Developer") == "id-dev"
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    BuiltinRoleCache(URL, ACCOUNT, directory=str(blocked / "sub")).remember(ROLES)  # no exception
