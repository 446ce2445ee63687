# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The preview of play.yml must predict its real run.

On a fresh emulator:

1. play.yml with a misspelt role in its last task (``-e team_role=flow-operater``) in check mode
   must fail in that task, with the "did you mean 'flow-operator'" hint, and send no write;
2. play.yml with ``--check --diff -vvv`` must pass and send no write, and write no key file;
3. play.yml for real (``--diff -vvv``) must give every task the ``changed`` and the diff that the
   preview gave it, and write the key file with mode 0600;
4. play.yml again must change nothing and send no write.

No key the emulator knows (the owner key, every key it issued) may appear in any output, whole
or without its prefix. What this prints never holds a key.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys

import yaml

TASKS = ("team", "workspace_role", "workspace", "service_account", "workspace_access")


def load_helper(helper_dir):
    spec = importlib.util.spec_from_file_location("emulator_admin", os.path.join(helper_dir, "files", "emulator_admin.py"))
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper


class Preview:
    def __init__(self, args, admin):
        self.args = args
        self.admin = admin
        self.problems = []
        self.logs = []
        self.key_dir = os.path.join(args.work_dir, "keys")

    def run(self, name, *extra):
        """Run play.yml; return (exit code, results by task, writes sent, its output)."""
        results = os.path.join(self.args.work_dir, f"{name}-results.json")
        log_path = os.path.join(self.args.work_dir, f"{name}.log")
        cmd = ["ansible-playbook", "-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}",
               "-e", f"@{self.args.config}", "-e", f"preview_results={results}", "-e", f"preview_key_dir={self.key_dir}",
               *extra, os.path.join(os.path.dirname(os.path.abspath(__file__)), "play.yml")]
        self.admin.clear_log()
        with open(log_path, "w", encoding="utf-8") as log:
            code = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=False).returncode
        writes = [entry for entry in self.admin.requests() if entry.get("write")]
        outcome = {}
        if os.path.exists(results):
            with open(results, encoding="utf-8") as handle:
                outcome = json.load(handle)
            os.unlink(results)
        self.logs.append(log_path)
        with open(log_path, encoding="utf-8") as handle:
            return code, outcome, writes, handle.read()

    def expect(self, condition, problem):
        print(("ok    " if condition else "FAIL  ") + problem)
        if not condition:
            self.problems.append(problem)

    def typo(self):
        code, dummy, writes, output = self.run("typo", "--check", "--diff", "-e", "team_role=flow-operater")
        self.expect(code != 0, "a misspelt role fails the preview")
        self.expect("TASK [The team may run flows in the workspace]" in output and "did you mean 'flow-operator'" in output,
                    "the preview fails in the task with the misspelt role, with the hint \"did you mean 'flow-operator'\"")
        self.expect(not writes, f"the failed preview sent no write (sent {len(writes)})")

    def preview_and_apply(self):
        code, check, writes, dummy = self.run("check", "--check", "--diff", "-vvv")
        self.expect(code == 0 and sorted(check) == sorted(TASKS), f"the preview passes (exit code {code})")
        self.expect(not writes, f"the preview sends no write (sent {len(writes)}: {[w['method'] + ' ' + w['path'] for w in writes]})")
        self.expect(not os.path.exists(self.key_dir), "the preview writes no key file")
        code, real, writes, dummy = self.run("real", "--diff", "-vvv")
        self.expect(code == 0 and sorted(real) == sorted(TASKS), f"the real run passes (exit code {code})")
        for task in TASKS:
            predicted, actual = check.get(task, {}), real.get(task, {})
            self.expect(predicted.get("changed") is True and actual.get("changed") is True,
                        f"{task}: changed in the preview ({predicted.get('changed')}) and the real run ({actual.get('changed')})")
            self.expect(predicted.get("diff") == actual.get("diff"), f"{task}: the preview's diff is the real run's:\n"
                        f"      preview {json.dumps(predicted.get('diff'), sort_keys=True)}\n"
                        f"      real    {json.dumps(actual.get('diff'), sort_keys=True)}")
        key_file = os.path.join(self.key_dir, "ml-pipeline.key")
        mode = stat.S_IMODE(os.stat(key_file).st_mode) if os.path.exists(key_file) else None
        self.expect(mode == 0o600, f"the real run writes the key file with mode 0600 (mode {oct(mode) if mode else None})")
        written = None
        if mode is not None:
            with open(key_file, encoding="utf-8") as handle:
                written = handle.read().strip()
        self.expect(written in self.admin.issued_keys(), "the key file holds the key the emulator issued")
        code, again, writes, dummy = self.run("rerun", "--diff")
        self.expect(code == 0 and not any(again.get(task, {}).get("changed", True) for task in TASKS),
                    f"a re-run changes nothing ({[t for t in TASKS if again.get(t, {}).get('changed', True)]} changed)")
        self.expect(not writes, f"a re-run sends no write (sent {len(writes)})")

    def scan(self, owner_key):
        keys = [owner_key] + [key for key in self.admin.issued_keys() if key != owner_key]
        found = []
        for path in self.logs:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            found.extend(os.path.basename(path) for key in keys if key[4:] in text)
        self.expect(not found and len(keys) > 1, f"no key in any output ({len(keys)} keys searched in {len(self.logs)} "
                    f"outputs at -vvv; found in: {sorted(set(found)) or 'none'})")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--helper-dir", required=True)
    args = parser.parse_args()
    with open(args.config, encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    admin = load_helper(args.helper_dir).Admin(config["prefect_emulator_url"])
    shutil.rmtree(args.work_dir, ignore_errors=True)
    os.makedirs(args.work_dir, mode=0o700)
    preview = Preview(args, admin)
    admin.reset()
    admin.set_faults([])
    preview.typo()
    preview.preview_and_apply()
    preview.scan(config["prefect_api_key"])
    if preview.problems:
        print(f"playbook_preview: {len(preview.problems)} problems (outputs in {args.work_dir})")
        sys.exit(1)
    print("playbook_preview: the preview predicted the real run")


if __name__ == "__main__":
    main()
