# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run playbook.yml through ansible-runner the way AWX runs a job template.

The credential reaches the job only as environment variables, rendered from the injectors of
awx/credential_type.yml with the credential inputs (AWX_CREDENTIAL_* in this process's
environment). Jobs:

1. check job (``--check --diff``): successful, predicts a change, and the emulator logs zero
   write requests;
2. run job: successful, and afterwards the service account exists and has workspace access;
3. second check job: successful, predicts no change, zero write requests.

Afterwards no key the emulator knows (``GET /_emulator/issued-keys``, including the owner key)
may appear in the runner's job events, stdout or stderr. Nothing secret is printed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import sys
import urllib.request

import ansible_runner
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

SERVICE_ACCOUNT = 'awx-runner-bot'
INPUTS = {'api_key': 'AWX_CREDENTIAL_API_KEY', 'account_id': 'AWX_CREDENTIAL_ACCOUNT_ID',
          'api_url': 'AWX_CREDENTIAL_API_URL'}


class Failure(Exception):
    """An assertion about the jobs failed (the message holds no secret)."""


def check(condition, message):
    if not condition:
        raise Failure(message)


def collection_root():
    """The prefect.cloud collection this target belongs to."""
    match = re.match(r'^(.*/ansible_collections/prefect/cloud)/', os.path.abspath(__file__))
    candidates = [match.group(1)] if match else []
    for var in ('ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS'):
        for entry in os.environ.get(var, '').split(os.pathsep):
            if entry:
                candidates.append(os.path.join(entry, 'ansible_collections', 'prefect', 'cloud'))
    for candidate in candidates:
        if os.path.isfile(os.path.join(candidate, 'awx', 'credential_type.yml')):
            return candidate
    raise Failure('cannot find the prefect.cloud collection (awx/credential_type.yml)')


def injected_env(credential_type_path, inputs):
    """Render the credential type's env injectors like AWX does (sandboxed Jinja2)."""
    with open(credential_type_path, encoding='utf-8') as handle:
        credential_type = yaml.safe_load(handle)
    fields = credential_type['inputs']['fields']
    values = {}
    for field in fields:
        value = inputs.get(field['id']) or field.get('default', '')
        values[field['id']] = value
    for required in credential_type['inputs'].get('required', []):
        check(values.get(required), 'credential input %s is required' % required)
    env = SandboxedEnvironment(undefined=StrictUndefined)
    return {name: env.from_string(template).render(**values)
            for name, template in credential_type['injectors']['env'].items()}


def http_json(url, method='GET', body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        request.add_header('Content-Type', 'application/json')
    with urllib.request.urlopen(request, timeout=30) as response:  # nosec - local emulator
        raw = response.read()
    return json.loads(raw) if raw else None


def run_job(work_dir, name, playbook, envvars, extravars, check_mode):
    """One AWX-like job: private_data_dir with project/ and inventory/, env-only credential."""
    private_data_dir = os.path.join(work_dir, name)
    shutil.rmtree(private_data_dir, ignore_errors=True)
    os.makedirs(os.path.join(private_data_dir, 'project'), mode=0o700)
    os.makedirs(os.path.join(private_data_dir, 'inventory'), mode=0o700)
    shutil.copy(playbook, os.path.join(private_data_dir, 'project', 'playbook.yml'))
    with open(os.path.join(private_data_dir, 'inventory', 'hosts'), 'w', encoding='utf-8') as handle:
        handle.write('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    runner = ansible_runner.run(
        private_data_dir=private_data_dir,
        playbook='playbook.yml',
        envvars=envvars,
        extravars=extravars,
        cmdline='--check --diff' if check_mode else '--diff',
        quiet=True,
        suppress_env_files=True,
        timeout=600,
    )
    events = list(runner.events)
    return runner, events, private_data_dir


def changed_count(runner):
    stats = runner.stats or {}
    return sum((stats.get('changed') or {}).values())


def failed_tasks(events):
    failed = []
    for event in events:
        if event.get('event') in ('runner_on_failed', 'runner_on_unreachable'):
            data = event.get('event_data', {})
            if not data.get('ignore_errors'):
                res = data.get('res', {})
                failed.append('%s: %s' % (data.get('task'), res.get('msg', '?')))
    return failed


def emulator_admin(emulator_url):
    """The shared client of the emulator's admin API (setup_prefect_faults/files/emulator_admin.py)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'setup_prefect_faults', 'files',
                        'emulator_admin.py')
    spec = importlib.util.spec_from_file_location('emulator_admin', path)
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper.Admin(emulator_url)


def artifact_texts(private_data_dir):
    """Job events, stdout and stderr of every run in this private data dir (what AWX keeps)."""
    for dirpath, dummy, filenames in os.walk(os.path.join(private_data_dir, 'artifacts')):
        for filename in filenames:
            path = os.path.join(dirpath, filename)
            if filename in ('stdout', 'stderr') or os.path.basename(dirpath) == 'job_events':
                with open(path, encoding='utf-8', errors='replace') as handle:
                    yield path, handle.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--playbook', required=True)
    parser.add_argument('--emulator-url', required=True)
    parser.add_argument('--workspace', required=True)
    args = parser.parse_args()

    inputs = {field: os.environ.pop(var, '') for field, var in INPUTS.items()}
    # The job must get the credential from the injected environment only.
    for name in list(os.environ):
        if name.startswith('PREFECT_'):
            del os.environ[name]
    root = collection_root()
    envvars = injected_env(os.path.join(root, 'awx', 'credential_type.yml'), inputs)
    print('credential type injects: %s' % ', '.join(sorted(envvars)))

    with open(args.playbook, encoding='utf-8') as handle:
        playbook_text = handle.read()
    for option in ('api_key', 'account_id', 'api_url'):
        check(not re.search(r'\b%s\s*:' % option, playbook_text), 'playbook.yml must not set %s' % option)
    check('module_defaults' not in playbook_text, 'playbook.yml must not use module_defaults')

    extravars = {'awx_service_account': SERVICE_ACCOUNT, 'awx_workspace': args.workspace}
    os.makedirs(args.work_dir, mode=0o700, exist_ok=True)
    data_dirs = []
    try:
        admin = emulator_admin(args.emulator_url)
        # 1. Check job: predicts the change, writes nothing.
        admin.clear_log()
        runner, events, data_dir = run_job(args.work_dir, 'check', args.playbook, envvars, extravars, True)
        data_dirs.append(data_dir)
        check(runner.status == 'successful', 'check job: status %s (rc %s), failed tasks: %s'
              % (runner.status, runner.rc, failed_tasks(events)))
        check(changed_count(runner) >= 1, 'check job: predicted no change for a missing service account')
        requests = admin.requests()
        check(requests, 'check job: the modules made no API request (credential not injected?)')
        bad = [entry for entry in requests if entry.get('write')]
        check(not bad, 'check job: %d write requests: %s'
              % (len(bad), ['%s %s' % (e.get('method'), e.get('path')) for e in bad]))
        print('check job: successful, %d tasks predicted changed, %d API requests, 0 writes'
              % (changed_count(runner), len(requests)))

        # 2. Run job: creates the account and the access.
        runner, events, data_dir = run_job(args.work_dir, 'run', args.playbook, envvars, extravars, False)
        data_dirs.append(data_dir)
        check(runner.status == 'successful', 'run job: status %s (rc %s), failed tasks: %s'
              % (runner.status, runner.rc, failed_tasks(events)))
        check(changed_count(runner) >= 1, 'run job: reported no change')
        api_headers = {'Authorization': 'Bearer %s' % inputs['api_key']}
        bots = http_json('%s/accounts/%s/bots/filter' % (inputs['api_url'], inputs['account_id']), method='POST',
                         body={'service_accounts': {'name': {'any_': [SERVICE_ACCOUNT]}}}, headers=api_headers)
        check(len(bots) == 1, 'run job: expected 1 service account named %s, found %d' % (SERVICE_ACCOUNT, len(bots)))
        state = admin.state()
        grants = [row for row in state['access']['bot_access'] if row.get('bot_id') == bots[0]['id']]
        check(len(grants) == 1, 'run job: expected 1 workspace access for the service account, found %d' % len(grants))
        print('run job: successful, service account %s exists with workspace access' % SERVICE_ACCOUNT)

        # 3. Second check job: nothing left to do, still no writes.
        admin.clear_log()
        runner, events, data_dir = run_job(args.work_dir, 'recheck', args.playbook, envvars, extravars, True)
        data_dirs.append(data_dir)
        check(runner.status == 'successful', 'second check job: status %s, failed tasks: %s'
              % (runner.status, failed_tasks(events)))
        check(changed_count(runner) == 0, 'second check job: predicted %d changes after the run job'
              % changed_count(runner))
        check(not [e for e in admin.requests() if e.get('write')], 'second check job: write requests were made')
        print('second check job: successful, no change predicted, 0 writes')

        # 4. No key in job events, stdout or stderr.
        keys = admin.issued_keys()
        check(keys, 'the emulator reported no issued keys')
        scanned = 0
        for data_dir in data_dirs:
            for path, text in artifact_texts(data_dir):
                scanned += 1
                hits = sum(1 for key in keys if key in text)
                check(not hits, '%d API keys found in %s' % (hits, os.path.relpath(path, args.work_dir)))
        check(scanned, 'no runner artifacts were written')
        print('no API key (of %d known to the emulator) in %d artifact files' % (len(keys), scanned))
    finally:
        # ansible-runner's artifacts/<id>/command records the job environment, credential
        # included (AWX deletes the private data dir after each job); do the same.
        shutil.rmtree(args.work_dir, ignore_errors=True)


if __name__ == '__main__':
    try:
        main()
    except Failure as exc:
        print('FAILED: %s' % exc, file=sys.stderr)
        sys.exit(1)
