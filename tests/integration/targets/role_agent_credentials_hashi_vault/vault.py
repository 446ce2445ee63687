#!/usr/bin/env python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test helper for runme.sh: the Vault emulator (tests/emulator/vault_emulator) and its secrets.

Never prints a key or a token: only versions, field names, hashes' equality and counts.

  vault.py health URL                       exit 0 when the Vault emulator answers
  vault.py clear URL                        clear its request log
  vault.py writes URL [N]                   print the write requests logged; exit 1 unless there
                                            are N (default 0)
  vault.py seed URL TOKEN MOUNT PATH        write a first version {"owner": "platform-team"}
  vault.py holds URL PREFECT_URL MOUNT PATH VERSION
                                            exit 1 unless the latest version of the secret is
                                            VERSION, its api_key is the newest key that the Prefect
                                            emulator issued, and the field owner is kept
  vault.py key-removed URL MOUNT PATH VERSION
                                            exit 1 unless the latest version of the secret is
                                            VERSION, has no api_key, and the field owner is kept
  vault.py same-as URL MOUNT PATH STATE     exit 1 unless the secret's api_key has the key_sha256 of
                                            the state file STATE (saved by verify.yml)
  vault.py wait-read URL MOUNT PATH SECONDS
                                            wait until a GET of the secret is logged; exit 1 after
                                            SECONDS without one
  vault.py versions URL MOUNT PATH N        exit 1 unless the secret has N versions
  vault.py written-before URL FILE...       exit 1 unless the last write request came before the
                                            last modification of every FILE
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PREFECT_ADMIN = os.path.join(HERE, os.pardir, "setup_prefect_faults", "files", "emulator_admin.py")


def call(url, method, route, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url.rstrip("/") + route, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def latest(url, mount, path):
    versions = call(url, "GET", "/_emulator/secrets").get(f"{mount}/{path}") or []
    return (len(versions), versions[-1]["data"]) if versions else (0, {})


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def prefect_issued_keys(url):
    spec = importlib.util.spec_from_file_location("emulator_admin", PREFECT_ADMIN)
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper.Admin(url, timeout=10).issued_keys()


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "health":
        try:
            call(args[0], "GET", "/_emulator/health")
        except OSError:
            return 1
        return 0
    if command == "clear":
        call(args[0], "DELETE", "/_emulator/requests")
        return 0
    if command == "writes":
        expected = int(args[1]) if len(args) > 1 else 0
        writes = [e for e in call(args[0], "GET", "/_emulator/requests") if e["write"]]
        for entry in writes:
            print(f"  vault write: {entry['method']} {entry['path']} -> {entry['status']}")
        print(f"{len(writes)} Vault write requests (expected {expected})")
        return 0 if len(writes) == expected else 1
    if command == "seed":
        url, token, mount, path = args
        call(url, "POST", f"/v1/{mount}/data/{path}", {"data": {"owner": "platform-team"}}, {"X-Vault-Token": token})
        return 0
    if command == "holds":
        url, prefect_url, mount, path, version = args
        found, data = latest(url, mount, path)
        keys = prefect_issued_keys(prefect_url)
        checks = {
            f"version {version}": found == int(version),
            "api_key is the newest issued key": bool(keys) and sha(str(data.get("api_key", ""))) == sha(keys[-1]),
            "owner kept": data.get("owner") == "platform-team",
        }
        print(f"Vault secret {mount}/{path}: version {found}, fields {sorted(data)}; "
              + ", ".join(f"{name}: {ok}" for name, ok in checks.items()))
        return 0 if all(checks.values()) else 1
    if command == "key-removed":
        url, mount, path, version = args
        found, data = latest(url, mount, path)
        checks = {f"version {version}": found == int(version), "no api_key": "api_key" not in data,
                  "owner kept": data.get("owner") == "platform-team"}
        print(f"Vault secret {mount}/{path}: version {found}, fields {sorted(data)}; "
              + ", ".join(f"{name}: {ok}" for name, ok in checks.items()))
        return 0 if all(checks.values()) else 1
    if command == "same-as":
        url, mount, path, state = args
        _found, data = latest(url, mount, path)
        with open(state, encoding="utf-8") as handle:
            expected = json.load(handle)["key_sha256"]
        same = sha(str(data.get("api_key", ""))) == expected
        print(f"Vault secret {mount}/{path} holds the key of {os.path.basename(state)}: {same}")
        return 0 if same else 1
    if command == "wait-read":
        url, mount, path, seconds = args
        route = f"/v1/{mount}/data/{path}"
        deadline = time.monotonic() + float(seconds)
        while time.monotonic() < deadline:
            if any(e["method"] == "GET" and e["path"].split("?")[0] == route for e in call(url, "GET", "/_emulator/requests")):
                print(f"the secret {mount}/{path} was read")
                return 0
            time.sleep(0.2)
        print(f"the secret {mount}/{path} was not read within {seconds} s")
        return 1
    if command == "versions":
        url, mount, path, expected = args
        found, data = latest(url, mount, path)
        print(f"Vault secret {mount}/{path}: {found} versions (expected {expected}), fields {sorted(data)}")
        return 0 if found == int(expected) else 1
    if command == "written-before":
        writes = [e for e in call(args[0], "GET", "/_emulator/requests") if e["write"] and e["status"] == 200]
        if not writes:
            print("no successful Vault write logged")
            return 1
        late = [path for path in args[1:] if os.stat(path).st_mtime < writes[-1]["time"]]
        print(f"Vault write at {writes[-1]['time']:.3f}; {len(args) - 1 - len(late)} of {len(args) - 1} files written after it")
        return 0 if not late else 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
