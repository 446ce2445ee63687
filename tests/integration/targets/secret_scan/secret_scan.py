# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scan everything the modules print for API keys.

exercise.yml runs every module of prefect.cloud, its success and its failure paths (wrong key,
401, 403, 422, 5xx, connection reset, timeout, lost response, refused connection), at -vvvv with
--diff: first in check mode, then for real. All output goes to files in the work directory; it is
never printed. Then every key the emulator knows (``GET /_emulator/issued-keys``: the owner key
and every key it issued, in this run of the tests or before) is searched, whole and without its
``pnu_``/``pnb_`` prefix, in:

* the output of both runs, and the results they wrote (what the failure paths returned);
* the emulator's request log.

The only key allowed to show is the one exercise.yml prints on purpose on a line marked
``SCANNER-SELF-CHECK`` (ansible-core 2.22 masks it there: the module registered it as a secret)
and writes on purpose to a self-check file, where the scanner must find it (if it did not, it
would be blind). The
failure paths must have failed with a one-line message. What this prints never holds a key: lines
are described by file and line number, messages are redacted before they are shown.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys

import yaml

MARKER = 'SCANNER-SELF-CHECK'
# What each failure path must say (in check mode nothing is created, so every key is wrong).
EXPECTED_FAILURES = {
    '401': ['HTTP 401', 'check api_key'],
    '403': ['HTTP 40'],
    '401-api_key_info': ['HTTP 401'],
    '422': ['HTTP 422'],
    '5xx': ['HTTP 503 after 2 attempts', 're-run the task'],
    'reset': ['failed after 1 attempt'],
    'timeout': ['ReadTimeout', 'raise the timeout'],
    'lost-response': ['was applied, but the response with the new API key was lost', 'rotate: true'],
    'refused': ['cannot reach the API'],
    'deleted-key': ['HTTP 401'],
}


def load_helper(helper_dir):
    spec = importlib.util.spec_from_file_location('emulator_admin', os.path.join(helper_dir, 'files', 'emulator_admin.py'))
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper


def redact(text, keys):
    for key in keys:
        text = text.replace(key, '<key>').replace(key[4:], '<key body>')
    return text


def find_keys(text, keys):
    """[(line number, key index, whole?)] of every key (or key body) in ``text``, with the line."""
    hits = []
    for number, line in enumerate(text.splitlines(), start=1):
        for index, key in enumerate(keys):
            if key[4:] in line:
                hits.append((number, index, key in line, MARKER in line))
    return hits


def self_check_path(args):
    """The file the real run writes the new key into ON PURPOSE (the scanner self-check)."""
    return os.path.join(args.work_dir, 'self-check.txt')


def run(args, name, extra, env):
    results = os.path.join(args.work_dir, '%s-results.json' % name)
    log_path = os.path.join(args.work_dir, '%s.log' % name)
    cmd = ['ansible-playbook', '-vvvv', '--diff', '-i', 'localhost,', '-c', 'local',
           '-e', 'ansible_python_interpreter=%s' % sys.executable, '-e', '@%s' % args.config,
           '-e', 'scan_results=%s' % results, '-e', 'scan_self_check=%s' % self_check_path(args)] + extra + [args.playbook]
    with open(log_path, 'w', encoding='utf-8') as log:
        code = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, check=False).returncode
    return code, log_path, results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--config', required=True)
    parser.add_argument('--playbook', required=True)
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--helper-dir', required=True)
    args = parser.parse_args()
    with open(args.config, encoding='utf-8') as handle:
        config = yaml.safe_load(handle)
    admin = load_helper(args.helper_dir).Admin(config['prefect_emulator_url'])
    shutil.rmtree(args.work_dir, ignore_errors=True)
    os.makedirs(args.work_dir, mode=0o700)
    env = dict(os.environ, ANSIBLE_ACTION_PLUGINS=os.path.join(args.helper_dir, 'action_plugins'))
    problems = []

    admin.set_faults([])
    admin.clear_log()
    runs = [('check', ['--check']), ('real', [])]
    scanned = []
    for name, extra in runs:
        code, log_path, results = run(args, name, extra, env)
        if code != 0:
            problems.append('%s run: ansible-playbook exited with %d (see %s)' % (name, code, log_path))
        scanned.append(log_path)
        if os.path.exists(results):
            scanned.append(results)
            with open(results, encoding='utf-8') as handle:
                outcomes = json.load(handle)
            for path, parts in EXPECTED_FAILURES.items():
                result = outcomes.get(path, {})
                msg = str(result.get('msg', ''))
                if name == 'check' and path == 'lost-response':
                    continue  # not run in check mode (it needs a write)
                if not result.get('failed') or '\n' in msg or not all(part in msg for part in parts):
                    problems.append('%s run, %s: failed=%s, message %r lacks %s or is not one line'
                                    % (name, path, result.get('failed'), msg[:300], parts))
        else:
            problems.append('%s run: no results file' % name)
    admin.set_faults([])
    request_log = json.dumps(admin.requests())
    keys = sorted(set(admin.issued_keys()))
    owner = config['prefect_api_key']
    if owner not in keys:
        keys.append(owner)

    self_checks = 0
    if os.path.exists(self_check_path(args)):
        scanned.append(self_check_path(args))
    texts = [(path, open(path, encoding='utf-8', errors='replace').read()) for path in scanned]  # pylint: disable=consider-using-with
    texts.append(('the emulator request log', request_log))
    total = 0
    for path, text in texts:
        total += len(text)
        for line, index, whole, marked in find_keys(text, keys):
            label = 'the owner key' if keys[index] == owner else 'issued key #%d' % index
            if marked and whole and keys[index].startswith('pnb_'):
                if path == self_check_path(args):
                    self_checks += 1  # the file always holds it: the scanner must find it there
                    continue
                if path.endswith('real.log'):
                    continue  # the debug line shows it, unless ansible-core masks it (2.22: the module registered it)
            problems.append('%s of %s found in %s, line %d%s' % (
                'the whole key' if whole else 'the body', label, os.path.basename(path), line, ' (marked)' if marked else ''))
    if self_checks != 1:
        problems.append('the key printed on purpose was found %d times, expected once: the scanner is blind' % self_checks)

    print('keys searched: %d (the owner key and every key the emulator issued), whole and without prefix' % len(keys))
    print('scanned: %s (%d KiB)' % (', '.join(os.path.basename(path) for path, dummy in texts), total // 1024))
    print('scanner self-check: the key printed on purpose was found %d time(s)' % self_checks)
    print('failure paths checked: %s' % ', '.join(sorted(EXPECTED_FAILURES)))
    for problem in problems:
        print('PROBLEM: %s' % redact(problem, keys))
    print('secret_scan: %d keys, %d texts, %d unexpected matches or problems' % (len(keys), len(texts), len(problems)))
    if not problems:
        shutil.rmtree(args.work_dir, ignore_errors=True)  # the self-check log holds a key
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
