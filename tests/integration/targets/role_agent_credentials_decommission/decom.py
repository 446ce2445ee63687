#!/usr/bin/env python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test helper for runme.sh (decommission). Never prints a key.

  decom.py seeded-without-active FILE   exit 1 unless FILE is byte for byte the profiles file that
                                        ../role_agent_credentials/emu.py seed-profiles wrote, without
                                        its "active" line (the role's profile and active line removed)
  decom.py equals FILE TEXT             exit 1 unless FILE holds exactly TEXT
  decom.py same-report CHECK_LOG LOG    exit 1 unless both runs report the same changes: the PLAY RECAP
                                        (ok, changed, failed counts), the task results and --diff output
                                        of the tasks that change something, and the per-host summary
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EMU = os.path.join(HERE, os.pardir, "role_agent_credentials", "emu.py")


def seeded():
    spec = importlib.util.spec_from_file_location("emu", EMU)
    emu = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(emu)
    return emu.SEEDED


def equals(path, expected, what):
    with open(path, "rb") as handle:
        text = handle.read().decode()
    same = text == expected
    print(f"{path}: {'byte for byte ' + what if same else 'NOT ' + what}")
    if not same:
        # line numbers and lengths only: the file may hold a key
        got, want = text.splitlines(True), expected.splitlines(True)
        print(f"  {len(got)} lines, expected {len(want)}")
        for number, (line, other) in enumerate(zip(got, want), 1):
            if line != other:
                print(f"  first difference at line {number}")
                break
    return 0 if same else 1


# The tasks whose results and diffs must be the same in check mode and in the real run.
COMPARED = re.compile(r"^TASK \[prefect\.cloud\.agent_credentials : (Remove |Delete |Report what changed)")


def report(log):
    """The compared task sections and the recap counts of a run's output."""
    with open(log, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().splitlines()
    sections, current, recap, diff = [], None, [], []
    for line in lines:
        if line.startswith("TASK [") or line.startswith("PLAY RECAP"):
            current = {"task": line, "results": []} if COMPARED.match(line) else None
            if current is not None:
                sections.append(current)
            diff = []
            continue
        if current is not None and line.strip():
            # One result per host (hosts answer in any order). Ansible prints a --diff before the
            # host's result line, and a msg (-v) after it: each goes with its own host.
            if re.match(r"^(ok|changed|skipping|fatal|failed): \[", line):
                current["results"].append([line] + diff)
                diff = []
            elif diff or line.startswith("--- "):
                diff.append(line)
            elif current["results"]:
                current["results"][-1].append(line)
            else:
                current["results"].append([line])
        match = re.match(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", line)
        if match:
            recap.append(match.groups())
    return [[section["task"]] + sorted(section["results"]) for section in sections], sorted(recap)


def same_report(check_log, log):
    check_sections, check_recap = report(check_log)
    sections, recap = report(log)
    problems = []
    if not sections or not recap:
        problems.append("no task output or no recap found")
    if check_recap != recap:
        problems.append(f"the recaps differ: check mode {check_recap}, real run {recap}")
    if check_sections != sections:
        for check_section, section in zip(check_sections, sections):
            if check_section != section:
                problems.append(f"{section[0]} differs:\n  check mode: {check_section[1:]}\n  real run:   {section[1:]}")
                break
        else:
            problems.append(f"{len(check_sections)} task sections in check mode, {len(sections)} in the real run")
    for problem in problems:
        print(f"FAIL: {problem}")
    if not problems:
        print(f"check mode and the real run report the same: {len(sections)} task sections, recap {recap}")
    return 1 if problems else 0


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "seeded-without-active":
        return equals(args[0], seeded().replace('active = "local"\n', ""), "the seeded file without its active line")
    if command == "equals":
        return equals(args[0], args[1], "as expected")
    if command == "same-report":
        return same_report(args[0], args[1])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
