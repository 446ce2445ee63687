# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ids of the built-in workspace roles, remembered between runs (PRIVATE to this collection).

The built-in workspace roles (``Owner``, ``Developer``, ``Runner``, ``Viewer``, ``Worker``) are
global objects of the API (``account_id`` is null): an account cannot rename, delete or re-create
them, so the id of a built-in role name never changes for a given API. ``workspace_access`` uses
this to see that a grant already has the requested role without listing the roles, which saves one
request per run without changes.

The cache is only ever used to CONFIRM that a grant's role id is the requested built-in role (and
to name a built-in role id). A cached id that does not match leads to reading the roles from the
API, never to a change. A name that a custom role shares with a built-in role is never cached.

The file holds role names and ids only (no key, no account data), one entry per API URL and
account, written atomically with mode 0600 and never in check mode. Set the environment variable
``PREFECT_CLOUD_ANSIBLE_CACHE`` to another directory, or to ``off`` to disable it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time

ENV_CACHE_DIR = "PREFECT_CLOUD_ANSIBLE_CACHE"
CACHE_FILE = "workspace-roles.json"
MAX_ENTRIES = 16
_VERSION = 1
_OFF = ("", "off", "false", "no", "0", "none")


def cache_dir():
    """The cache directory, or None when caching is off."""
    value = os.environ.get(ENV_CACHE_DIR)
    if value is not None:
        return None if value.strip().lower() in _OFF else os.path.expanduser(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ansible-prefect-cloud")


class BuiltinRoleCache:
    """Built-in workspace role name <-> id for one API URL and account."""

    def __init__(self, api_url, account_id, writable=True, directory=None):
        directory = cache_dir() if directory is None else directory
        self.path = os.path.join(directory, CACHE_FILE) if directory else None
        self.key = hashlib.sha256(f"{api_url.rstrip('/')}|{account_id}".encode("utf-8")).hexdigest()[:32]
        self.writable = writable
        self._ids = None

    def _read_file(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != _VERSION or not isinstance(data.get("entries"), dict):
            return {}
        return data["entries"]

    def _roles(self):
        if self._ids is None:
            self._ids = {}
            if self.path:
                entry = self._read_file().get(self.key)
                roles = entry.get("roles") if isinstance(entry, dict) else None
                if isinstance(roles, dict):
                    self._ids = {k: v for k, v in roles.items() if isinstance(k, str) and isinstance(v, str)}
        return self._ids

    def id_of(self, name):
        """The id of the built-in role called ``name``, or None if not known."""
        return self._roles().get(name)

    def name_of(self, role_id):
        """The name of the built-in role with id ``role_id``, or None if not known."""
        for name, known_id in self._roles().items():
            if known_id == role_id:
                return name
        return None

    def remember(self, roles):
        """Record the built-in roles among ``roles`` (every workspace role of the account)."""
        names = [role.name for role in roles]
        found = {role.name: role.id for role in roles if role.account_id is None and names.count(role.name) == 1}
        if found == self._roles():
            return
        self._ids = found
        if not (self.path and self.writable):
            return
        try:
            self._write(found)
        except (OSError, ValueError, TypeError):
            pass  # a cache that cannot be written only costs one request next time

    def _write(self, found):
        entries = self._read_file()
        entries[self.key] = {"time": time.time(), "roles": found}
        newest = sorted(entries.items(), key=lambda item: item[1].get("time", 0) if isinstance(item[1], dict) else 0,
                        reverse=True)
        data = {"version": _VERSION, "entries": dict(newest[:MAX_ENTRIES])}
        directory = os.path.dirname(self.path)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".workspace-roles-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, sort_keys=True)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
