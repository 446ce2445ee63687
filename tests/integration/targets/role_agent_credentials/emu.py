#!/usr/bin/env python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test helper for runme.sh: the emulator's admin API, file fingerprints, recap and leak checks.

Never prints a key: the leak scan reports only file names, line numbers and counts.

  emu.py health URL                      exit 0 when the emulator answers
  emu.py clear URL                       clear the request log
  emu.py faults URL JSON                 replace the fault rules with the JSON list ([] clears them)
  emu.py writes URL [REGEX]              print the write requests logged (whose path matches
                                         REGEX); exit 1 if any
  emu.py count URL REGEX N               exit 1 unless N write requests whose "METHOD path" matches REGEX
                                         were logged
  emu.py fingerprint DIR OUT             write path, mode and sha256 of every file under DIR
  emu.py recap-unchanged LOG             exit 1 unless every PLAY RECAP line has changed=0
  emu.py grep LOG TEXT                   exit 1 unless TEXT occurs in LOG
  emu.py recap LOG HOST TEXT             exit 1 unless the PLAY RECAP line of HOST contains TEXT
  emu.py foreign-key ROOT                replace the deployed key under ROOT with a well-formed
                                         key that the emulator never issued
  emu.py leak-scan URL FILE...           exit 1 if an issued key occurs in a FILE
  emu.py leak-scan-dirs URL DIR... [--exclude DIR]...
                                         exit 1 if an issued key occurs in a file under a DIR
  emu.py seed-profiles FILE              write a profiles.toml with two profiles of the user
  emu.py profiles-kept FILE NAME         exit 1 unless FILE still holds the two seeded profiles
                                         unchanged, NAME is active, and [profiles.NAME] holds
                                         PREFECT_API_URL, PREFECT_API_KEY, PREFECT_CLOUD_API_URL
  emu.py faults URL JSON                 replace the emulator's fault rules with the JSON list
                                         (for example a key_suffix rule that appends a line break
                                         and LD_PRELOAD=evil.so to every key an answer returns)
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ADMIN_CLIENT = os.path.join(HERE, os.pardir, "setup_prefect_faults", "files", "emulator_admin.py")


def admin(url):
    """The shared client of the emulator's admin API (setup_prefect_faults/files/emulator_admin.py)."""
    spec = importlib.util.spec_from_file_location("emulator_admin", ADMIN_CLIENT)
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper.Admin(url, timeout=10)


def fingerprint(root, out):
    lines = []
    for folder, _dirs, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(folder, name)
            if os.path.islink(path) and not os.path.exists(path):  # a dangling symlink (a broken host)
                lines.append(f"{path} -> {os.readlink(path)}")
                continue
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            stat = os.stat(path)
            lines.append(f"{path} {oct(stat.st_mode & 0o7777)} {stat.st_mtime_ns} {digest}")
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(sorted(lines)) + "\n")
    print(f"{len(lines)} files fingerprinted under {root}")


def recap_unchanged(log):
    with open(log, encoding="utf-8", errors="replace") as handle:
        recap = [line for line in handle if re.match(r"^\S+\s+:\s+ok=\d+\s+changed=\d+", line)]
    changed = [line.strip() for line in recap if not re.search(r"\bchanged=0\b", line)]
    print(f"{len(recap)} recap lines, {len(changed)} with changes")
    for line in changed:
        print(f"  {line}")
    return 0 if recap and not changed else 1


def recap_host(log, host, text):
    with open(log, encoding="utf-8", errors="replace") as handle:
        lines = [line.strip() for line in handle if re.match(rf"^{re.escape(host)}\s+:\s+ok=\d+", line)]
    found = bool(lines) and text in lines[-1]
    print(f"{'found' if found else 'NOT found'}: {text!r} in the recap of {host}: {lines[-1] if lines else 'no recap'}")
    return 0 if found else 1


# Deployed by the role: PREFECT_API_KEY = "..." (profile) and PREFECT_API_KEY=... (env file).
FOREIGN_KEY = "pnb_" + "Z" * 36
KEY_LINE = re.compile(r'(?m)^(PREFECT_API_KEY\s*=\s*"?)[^"\s]+')


def foreign_key(root):
    changed = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            new, count = KEY_LINE.subn(lambda match: match.group(1) + FOREIGN_KEY, text)
            if count:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(new)
                changed += 1
    print(f"foreign key written to {changed} files under {root}")
    return 0 if changed else 1


def leak_scan(url, files):
    keys = admin(url).issued_keys()
    hits = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                for index, key in enumerate(keys):
                    if key in line:
                        hits += 1
                        print(f"LEAK: issued key #{index} found in {path}:{number}")
    print(f"leak scan: {len(keys)} issued keys, {len(files)} files, {hits} matches")
    return 1 if hits or not keys else 0


def leak_scan_dirs(url, args):
    dirs, excluded, index = [], [], 0
    while index < len(args):
        if args[index] == "--exclude":
            excluded.append(os.path.abspath(args[index + 1]))
            index += 2
        else:
            dirs.append(args[index])
            index += 1
    keys = admin(url).issued_keys()
    files = []
    for top in dirs:
        for folder, subdirs, names in os.walk(top):
            subdirs[:] = [d for d in subdirs if os.path.abspath(os.path.join(folder, d)) not in excluded]
            files.extend(os.path.join(folder, name) for name in names)
    hits = 0
    for path in files:
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        for number, key in enumerate(keys):
            if key.encode() in data:
                hits += 1
                print(f"PLAINTEXT KEY: issued key #{number} found in {path}")
    print(f"controller scan: {len(keys)} issued keys, {len(files)} files under {', '.join(dirs)}, {hits} matches")
    return 1 if hits or not keys else 0


SEEDED = """# profiles of the user, kept by the role
active = "local"

[profiles.local]
PREFECT_API_URL = "http://127.0.0.1:4200/api"

[profiles."my cloud"]  # a second profile
PREFECT_API_URL = "https://api.prefect.cloud/api/accounts/x/workspaces/y"
PREFECT_API_KEY = "pnu_not_a_real_key_0000"
"""


def seed_profiles(path):
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(SEEDED)
    os.chmod(path, 0o600)
    print(f"seeded {path} with the profiles local and 'my cloud'")
    return 0


def profiles_kept(path, name):
    import tomllib  # pylint: disable=import-outside-toplevel
    with open(path, "rb") as handle:
        text = handle.read().decode()
    data = tomllib.loads(text)
    seeded = tomllib.loads(SEEDED)
    problems = []
    for other in ("local", "my cloud"):
        if data.get("profiles", {}).get(other) != seeded["profiles"][other]:
            problems.append(f"the profile {other!r} changed or is missing")
    if "# profiles of the user, kept by the role" not in text or '[profiles."my cloud"]  # a second profile' not in text:
        problems.append("the comments of the file are gone")
    if data.get("active") != name:
        problems.append(f"active is {data.get('active')!r}, not {name!r}")
    ours = data.get("profiles", {}).get(name, {})
    if sorted(ours) != ["PREFECT_API_KEY", "PREFECT_API_URL", "PREFECT_CLOUD_API_URL"]:
        problems.append(f"[profiles.{name}] has the settings {sorted(ours)}")
    for problem in problems:
        print(f"FAIL: {path}: {problem}")
    print(f"{path}: {'the other profiles are kept' if not problems else 'NOT as expected'}")
    return 1 if problems else 0


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "health":
        try:
            admin(args[0]).call("GET", "health")
        except OSError:
            return 1
        return 0
    if command == "clear":
        admin(args[0]).clear_log()
        return 0
    if command == "writes":
        pattern = re.compile(args[1]) if len(args) > 1 else None
        writes = [e for e in admin(args[0]).requests()
                  if e.get("write") and (pattern is None or pattern.search(e["path"]))]
        for entry in writes:
            print(f"  write: {entry['method']} {entry['path']} -> {entry['status']}")
        print(f"{len(writes)} write requests")
        return 1 if writes else 0
    if command == "count":
        pattern = re.compile(args[1])
        found = [e for e in admin(args[0]).requests()
                 if e.get("write") and pattern.search(f"{e['method']} {e['path']}")]
        for entry in found:
            print(f"  write: {entry['method']} {entry['path']} -> {entry['status']}")
        print(f"{len(found)} write requests match {args[1]!r} (expected {args[2]})")
        return 0 if len(found) == int(args[2]) else 1
    if command == "fingerprint":
        fingerprint(args[0], args[1])
        return 0
    if command == "recap-unchanged":
        return recap_unchanged(args[0])
    if command == "grep":
        with open(args[0], encoding="utf-8", errors="replace") as handle:
            found = args[1] in handle.read()
        print(f"{'found' if found else 'NOT found'}: {args[1]!r} in {args[0]}")
        return 0 if found else 1
    if command == "recap":
        return recap_host(args[0], args[1], args[2])
    if command == "foreign-key":
        return foreign_key(args[0])
    if command == "leak-scan":
        return leak_scan(args[0], args[1:])
    if command == "leak-scan-dirs":
        return leak_scan_dirs(args[0], args[1:])
    if command == "seed-profiles":
        return seed_profiles(args[0])
    if command == "profiles-kept":
        return profiles_kept(args[0], args[1])
    if command == "faults":
        rules = admin(args[0]).set_faults(json.loads(args[1]))
        print(f"{len(rules)} fault rules set")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
