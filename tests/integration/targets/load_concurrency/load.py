# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run ensure.yml several times at once against the emulator, then check that nothing was lost.

The emulator holds every create of a service account for ``--create-latency`` seconds, so that
the runs read "no such account" and send their creates at the same time (the race a real
deployment pipeline has when several jobs start together). Then:

* every run finishes, and every task succeeds or fails with a one-line conflict message;
* each account was created exactly once (one ``POST .../bots/`` answered 201), exactly one run
  received its key, and the state holds exactly one account per name with the wanted role and
  exactly one grant per accessor with the wanted workspace role;
* a last run in check mode predicts no change and sends no write.

Nothing secret is printed: the playbook drops the keys from what it writes, and the logs of the
runs stay in the work directory.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time

import yaml

CONFLICT_WORDS = ('409', 'conflict', 'another run', 'concurrent')


def load_helper(path):
    spec = importlib.util.spec_from_file_location('emulator_admin', path)
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper


def command(args, name, extra=()):
    results = os.path.join(args.work_dir, '%s.json' % name)
    cmd = ['ansible-playbook', '-i', 'localhost,', '-c', 'local', '-e', 'ansible_python_interpreter=%s' % sys.executable,
           '-e', '@%s' % args.config, '-e', 'load_results=%s' % results] + list(extra) + [args.playbook]
    return cmd, results, os.path.join(args.work_dir, '%s.log' % name)


def run_at_once(args, count):
    """Start ``count`` runs together; return [(name, returncode, results path, log path)]."""
    procs = []
    for number in range(1, count + 1):
        cmd, results, log_path = command(args, 'run-%d' % number)
        log = open(log_path, 'w', encoding='utf-8')  # pylint: disable=consider-using-with
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)  # pylint: disable=consider-using-with
        procs.append(('run-%d' % number, proc, log, results, log_path))
    outcome = []
    for name, proc, log, results, log_path in procs:
        try:
            code = proc.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = 'timeout'
        log.close()
        outcome.append((name, code, results, log_path))
    return outcome


def task_problem(result):
    """None when a task succeeded or failed with a one-line conflict message."""
    if not result.get('failed'):
        return None
    msg = str(result.get('msg', ''))
    if '\n' not in msg and any(word in msg.lower() for word in CONFLICT_WORDS):
        return None
    return 'failed: %s' % msg[:300]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--config', required=True)
    parser.add_argument('--playbook', required=True)
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--helper', required=True)
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--create-latency', type=float, default=1.5)
    parser.add_argument('--timeout', type=int, default=600)
    args = parser.parse_args()
    with open(args.config, encoding='utf-8') as handle:
        config = yaml.safe_load(handle)
    helper = load_helper(args.helper)
    admin = helper.Admin(config['prefect_emulator_url'])
    os.makedirs(args.work_dir, mode=0o700, exist_ok=True)
    problems = []

    admin.set_faults([{'method': 'POST', 'path': '/bots/$', 'latency': args.create_latency, 'times': -1}])
    admin.clear_log()
    started = time.monotonic()
    outcome = run_at_once(args, args.runs)
    seconds = time.monotonic() - started
    admin.set_faults([])
    log = admin.requests()
    state = helper.summarize_state(admin.state())

    keys_received = {}
    conflicts_reported = warnings = tasks = 0
    desired = None
    for name, code, results, log_path in outcome:
        if code != 0 or not os.path.exists(results):
            problems.append('%s: ansible-playbook exited with %s (see %s)' % (name, code, log_path))
            continue
        with open(results, encoding='utf-8') as handle:
            data = json.load(handle)
        desired = data
        for has_key, result in data['accounts']:
            tasks += 1
            account = result['item']['name']
            keys_received[account] = keys_received.get(account, 0) + int(has_key)
            warnings += sum('another run' in warning for warning in result.get('warnings', []))
            problem = task_problem(result)
            conflicts_reported += bool(result.get('failed')) and problem is None
            if problem:
                problems.append('%s: service_account %s %s' % (name, account, problem))
        for result in data['grants']:
            tasks += 1
            problem = task_problem(result)
            conflicts_reported += bool(result.get('failed')) and problem is None
            if problem:
                problems.append('%s: workspace_access %s %s' % (name, result['item'].get('accessor', result['item'].get('name')), problem))
    if desired is None:
        problems.append('no run finished')
        desired = {'desired_accounts': [], 'desired_grants': []}

    workspace = config['prefect_workspace_handle']
    creates = [entry for entry in log if entry['method'] == 'POST' and entry['path'].endswith('/bots/')]
    for account in desired['desired_accounts']:
        copies = state['bots'].get(account['name'], [])
        if [bot['role'] for bot in copies] != [account['account_role']]:
            problems.append('service account %s: %d copies with roles %s, wanted one %s'
                            % (account['name'], len(copies), [bot['role'] for bot in copies], account['account_role']))
        if keys_received.get(account['name']) != 1:
            problems.append('service account %s: %s runs received its key, wanted exactly 1'
                            % (account['name'], keys_received.get(account['name'], 0)))
    wanted_grants = [('service_account', account['name'], account['workspace_role']) for account in desired['desired_accounts']]
    wanted_grants += [(grant['accessor_type'], grant['accessor'], grant['workspace_role']) for grant in desired['desired_grants']]
    for accessor_type, accessor, role in wanted_grants:
        found = [grant['role'] for grant in state['grants']
                 if (grant['workspace'], grant['accessor_type'], grant['accessor']) == (workspace, accessor_type, accessor)]
        if found != [role]:
            problems.append('grant of %s %s: %s, wanted exactly [%s]' % (accessor_type, accessor, found, role))
    created = [entry for entry in creates if entry['status'] == 201]
    if len(created) != len(desired['desired_accounts']):
        problems.append('%d creates succeeded, wanted %d' % (len(created), len(desired['desired_accounts'])))
    refused = [entry for entry in creates if entry['status'] == 409]

    # A last run in check mode: nothing left to change, and no write.
    admin.clear_log()
    cmd, results, log_path = command(args, 'check', ['--check', '--diff'])
    with open(log_path, 'w', encoding='utf-8') as handle:
        code = subprocess.run(cmd, stdout=handle, stderr=subprocess.STDOUT, check=False).returncode
    check_writes = [entry for entry in admin.requests() if entry['write']]
    changed = None
    if code == 0 and os.path.exists(results):
        with open(results, encoding='utf-8') as handle:
            data = json.load(handle)
        changed = sum(bool(result.get('changed')) for dummy, result in data['accounts']) + \
            sum(bool(result.get('changed')) for result in data['grants'])
    if code != 0 or changed != 0 or check_writes:
        problems.append('check-mode run afterwards: exit %s, %s tasks predicted a change, %d writes'
                        % (code, changed, len(check_writes)))

    print('%d concurrent runs of %s in %.1f s; %d tasks each' % (args.runs, os.path.basename(args.playbook), seconds,
                                                                 tasks // max(1, args.runs)))
    print('creates sent: %d (%d answered 201, %d answered 409 because another run was first); %d requests in all, '
          '%d writes' % (len(creates), len(created), len(refused), len(log), sum(1 for entry in log if entry['write'])))
    print('runs that received each key: %s; conflict warnings: %d; tasks failed with a conflict message: %d'
          % (json.dumps(keys_received, sort_keys=True), warnings, conflicts_reported))
    print('state: %s' % json.dumps({name: [bot['role'] for bot in bots] for name, bots in sorted(state['bots'].items())}))
    print('check-mode run afterwards: exit %s, %s changes predicted, %d writes' % (code, changed, len(check_writes)))
    for problem in problems:
        print('PROBLEM: %s' % problem)
    print('load_concurrency: %d runs, %d tasks, %d problems' % (args.runs, tasks, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
