# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark of the prefect.cloud modules against the local Prefect Cloud emulator.

Run it through ``tools/benchmark`` (or ``make benchmark``). It is not part of the test suite
(``tools/test`` runs only its --quick smoke test, the ``benchmark_smoke`` integration target).
In one run it:

1. counts the HTTP requests of each module call (create, no-op, update, delete of
   ``service_account`` and of ``workspace_access`` for every accessor type, by names and by ids),
   each in check mode and for real, from the emulator's request log, and checks the budgets: a
   no-op needs at most 2 requests (3 where a workspace handle and a role name must be resolved) and no write, a change exactly one write, check mode no write
   and the same ``changed`` and diff;
2. times a playbook that ensures N service accounts and N workspace grants, twice (the second run
   changes nothing), beside the same loop of ``ansible.builtin.ping`` (Ansible's floor) and beside
   the equivalent hand-written ``ansible.builtin.uri`` playbook, and prints the ratios; each
   module's no-op task is timed against the floor in an interleaved series (floor and modules in
   turn, several times), so that a machine whose speed drifts slows both alike;
3. repeats 2 for several N and checks from the request log that requests grow linearly with N and
   that no by-name lookup lists every object of a kind (no unfiltered ``bots/filter``);
4. (``--fleet-n``) for N accounts with one grant each, the first run and the no-op re-run of the
   ``service_accounts`` task, of the loop of ``service_account`` tasks and of the uri playbook:
   requests, seconds and ratios, the fleet targets, and a PNG plot (``--plot``, with matplotlib).
   Where a full run of the loop or the uri playbook would take too long (``--fleet-loop-max``,
   ``--fleet-noop-max``), they run over a sample of K of the N accounts at that N
   (``--fleet-sample``), scaled per account to N and labelled as such, and their requests per
   account are checked against a full run at a smaller N.

Times are only ever compared with a baseline measured in the same run (ratios); nothing asserts an
absolute time. Request counts are asserted (exit code 1 when a budget is exceeded).
Standard library only, like tools/common.py, whose venv, collection copy and emulator helpers
it imports. The API key of the emulator is random and never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo as common  # noqa: E402 pylint: disable=wrong-import-position
import emulator as emu  # noqa: E402 pylint: disable=wrong-import-position

WORKSPACE = 'bench'
# The newest tested ansible-core (noxfile.py CORES) for a venv of the benchmark's own.
NEWEST_CORE = {'spec': 'ansible-core>=2.22.0rc1,<2.23', 'pythons': ('3.13', '3.14'),
               'missing': 'no Python >= 3.13 on this machine'}
SCALE_N = (10, 50, 200)
QUICK_N = (2,)
NOOP_BUDGET = 2
PREFIX = 'ansible_collections.prefect.cloud.plugins.modules.'
# Filters that may legitimately run without criteria: the role list (read to resolve a role
# name) and a workspace's team grants (the API offers no criteria there).
UNFILTERED_OK = ('/workspace_roles/filter', '/account_roles/filter', '/team_access/filter')

CALLBACK = '''\
# Written by tools/benchmark.py: records the wall time of every task and when each loop item ended.
from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timer'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.rows = []
        self.current = None

    def _close(self):
        if self.current is not None:
            self.current['seconds'] = time.perf_counter() - self.current.pop('start')
            self.rows.append(self.current)
            self.current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self.current = {'task': task.get_name(), 'start': time.perf_counter(), 'items': []}

    def _item(self, result):
        if self.current is not None:
            self.current['items'].append(time.perf_counter() - self.current['start'])

    v2_runner_item_on_ok = v2_runner_item_on_failed = v2_runner_item_on_skipped = _item

    def v2_playbook_on_stats(self, stats):
        self._close()
        with open(os.environ['BENCH_TIMER_OUT'], 'w', encoding='utf-8') as handle:
            json.dump(self.rows, handle)
'''


class BenchError(Exception):
    """The benchmark could not run or a request budget was exceeded."""


def loop_n():
    return '{{ range(n | int) | list }}'


def playbook_floor():
    """The same loop of ansible.builtin.ping, delegated to localhost: Ansible's cost per task."""
    return [{'name': 'Ansible floor', 'hosts': 'localhost', 'gather_facts': False, 'tasks': [
        {'name': 'ping', 'ansible.builtin.ping': {}, 'delegate_to': 'localhost', 'loop': loop_n()},
    ]}]


def playbook_collection():
    """N service accounts, each with a workspace grant, as a user of the collection writes it: one
    service_account task per account, with its workspace_access."""
    return [{'name': 'Service accounts with workspace access (prefect.cloud, one task)', 'hosts': 'localhost',
             'gather_facts': False, 'tasks': [
                 {'name': 'service_account', 'prefect.cloud.service_account': {
                     'name': '{{ prefix }}-{{ item }}', 'account_role': 'Member',
                     'workspace_access': [{'workspace': '{{ workspace }}', 'workspace_role': 'Developer'}]},
                  'loop': loop_n(), 'no_log': True},
             ]}]


def playbook_modules():
    """The same end state with one task per module: service_account, then workspace_access. Its
    no-op run measures each module's no-op task against the floor."""
    return [{'name': 'Service accounts with workspace access (prefect.cloud, two tasks)', 'hosts': 'localhost',
             'gather_facts': False, 'tasks': [
                 {'name': 'service_account', 'prefect.cloud.service_account': {
                     'name': '{{ prefix }}-{{ item }}', 'account_role': 'Member'},
                  'loop': loop_n(), 'no_log': True, 'tags': ['service_account']},
                 {'name': 'workspace_access', 'prefect.cloud.workspace_access': {
                     'workspace': '{{ workspace }}', 'accessor': '{{ prefix }}-{{ item }}',
                     'workspace_role': 'Developer'},
                  'loop': loop_n(), 'tags': ['workspace_access']},
             ]}]


def playbook_uri_call():
    """One ansible.builtin.uri call per item: the request a no-op service_account task sends (its
    service account by name), as a hand-written playbook sends it."""
    account = "{{ lookup('ansible.builtin.env', 'PREFECT_CLOUD_API_URL') }}/accounts/" \
              "{{ lookup('ansible.builtin.env', 'PREFECT_CLOUD_ACCOUNT_ID') }}"
    return [{'name': 'uri floor', 'hosts': 'localhost', 'gather_facts': False, 'tasks': [
        {'name': 'uri', 'ansible.builtin.uri': {
            'url': account + '/bots/filter', 'method': 'POST', 'body_format': 'json',
            'headers': {'Authorization': "Bearer {{ lookup('ansible.builtin.env', 'PREFECT_API_KEY') }}"},
            'body': {'service_accounts': {'name': {'any_': ['{{ prefix }}-{{ item }}']}}}},
         'loop': loop_n()},
    ]}]


def playbook_uri():
    """The same end state with ansible.builtin.uri, as a user would write it without the collection:
    look the workspace and the role up once, filter each service account by name, create the
    missing ones, upsert each grant."""
    account = "{{ lookup('ansible.builtin.env', 'PREFECT_CLOUD_API_URL') }}/accounts/" \
              "{{ lookup('ansible.builtin.env', 'PREFECT_CLOUD_ACCOUNT_ID') }}"
    bot_id = ('{{ found.results[item].json[0].id if found.results[item].json | length > 0 '
              'else created.results[item].json.id }}')
    return [{'name': 'Service accounts with workspace access (ansible.builtin.uri)', 'hosts': 'localhost',
             'gather_facts': False,
             'module_defaults': {'ansible.builtin.uri': {
                 'method': 'POST', 'body_format': 'json',
                 'headers': {'Authorization': "Bearer {{ lookup('ansible.builtin.env', 'PREFECT_API_KEY') }}"}}},
             'tasks': [
                 {'name': 'look up the workspace', 'ansible.builtin.uri': {
                     'url': account + '/workspaces/filter',
                     'body': {'workspaces': {'handle': {'any_': ['{{ workspace }}']}}}}, 'register': 'ws'},
                 {'name': 'look up the role', 'ansible.builtin.uri': {
                     'url': account + '/workspace_roles/filter',
                     'body': {'workspace_roles': {'name': {'any_': ['Developer']}}}}, 'register': 'role'},
                 {'name': 'find the service account', 'ansible.builtin.uri': {
                     'url': account + '/bots/filter',
                     'body': {'service_accounts': {'name': {'any_': ['{{ prefix }}-{{ item }}']}}}},
                  'loop': loop_n(), 'register': 'found'},
                 {'name': 'create the missing service account', 'ansible.builtin.uri': {
                     'url': account + '/bots/', 'body': {'name': '{{ prefix }}-{{ item.item }}'}, 'status_code': 201},
                  'loop': '{{ found.results }}', 'when': 'item.json | length == 0', 'register': 'created',
                  'no_log': True},
                 {'name': 'upsert the grant', 'ansible.builtin.uri': {
                     'url': account + '/workspaces/{{ ws.json[0].id }}/bot_access/',
                     'body': {'bot_id': bot_id, 'workspace_role_id': '{{ role.json[0].id }}'}},
                  'loop': loop_n()},
             ]}]


# --------------------------------------------------------------------------------------------
# Environment


def probe_venv(venv):
    """The venv's python if it has ansible-playbook, httpx, pydantic and the emulator's fastapi and
    uvicorn, else None."""
    python = os.path.join(venv, 'bin', 'python')
    if not os.path.exists(os.path.join(venv, 'bin', 'ansible-playbook')):
        return None
    if common.output_of([python, '-c', 'import ansible, httpx, pydantic, fastapi, uvicorn']) is None:
        return None
    return python


def prepare_venv(args):
    """Use --venv, else the venv of the integration-2.22 session (tools/test), else make .venv/benchmark."""
    candidates = [args.venv] if args.venv else [
        os.path.join(common.REPO, '.nox', 'integration-2-22'), os.path.join(common.VENV_ROOT, 'benchmark')]
    for venv in candidates:
        python = probe_venv(venv)
        if python:
            return venv, python
    if args.venv:
        raise BenchError('%s has no ansible-playbook, httpx, pydantic, fastapi or uvicorn' % args.venv)
    found = common.find_python(NEWEST_CORE['pythons'])
    if not found:
        raise BenchError(NEWEST_CORE['missing'])
    venv = os.path.join(common.VENV_ROOT, 'benchmark')
    python = common.ensure_venv(venv, found[0], found[1])
    common.check([python, '-m', 'pip', 'install'] + common.PIP_QUIET +
                 [NEWEST_CORE['spec'], '-r', os.path.join(common.REPO, 'requirements.txt'),
                  '-r', os.path.join(common.REPO, 'tests', 'emulator', 'requirements.txt')],
                 'pip install', env=common.clean_env(extra_path=os.path.join(venv, 'bin')))
    return venv, python


def collections_root(workdir):
    """A directory with ansible_collections/prefect/cloud: the repo itself when it already sits
    in such a tree (as in ansible-test), else a copy of the work tree (as tools/test makes)."""
    parts = common.REPO.rstrip(os.sep).split(os.sep)
    if parts[-3:] == ['ansible_collections', 'prefect', 'cloud']:
        return os.sep.join(parts[:-3])
    common.make_copy(workdir)
    return workdir


def machine_description(python):
    """One line about the machine and the software measured."""
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as handle:
            for line in handle:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open('/proc/meminfo', encoding='utf-8') as handle:
            mem = '%.0f GiB RAM' % (int(handle.readline().split()[1]) / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        mem = '? RAM'
    versions = common.output_of([python, '-c', 'import sys, ansible.release, httpx, pydantic; print("Python %d.%d.%d" '
                                 '% sys.version_info[:3], "ansible-core", ansible.release.__version__, "httpx", '
                                 'httpx.__version__, "pydantic", pydantic.VERSION)']) or '?'
    return '%s, %d cores, %s, %s; %s' % (cpu, os.cpu_count() or 0, mem, platform.platform(terse=True), versions)


# --------------------------------------------------------------------------------------------
# Emulator helpers


class Bench:
    """One benchmark run: the emulator, the environments and the results."""

    def __init__(self, args, workdir, venv, python, root, emulator):
        self.args = args
        self.workdir = workdir
        self.venv = venv
        self.python = python
        self.root = root
        self.emulator = emulator
        self.failures = []
        self.results = {'requests': [], 'timing': [], 'scale': []}
        self.base_env = common.clean_env(
            extra_path=os.path.join(venv, 'bin'),
            PREFECT_CLOUD_API_URL=emulator.api_url,
            PREFECT_API_KEY=emulator.api_key,
            PREFECT_CLOUD_ACCOUNT_ID=emulator.account_id,
        )

    # -- emulator admin API
    def admin(self, method, path, body=None):
        return self.emulator.admin.call(method, path, body)

    def api(self, method, path, body=None):
        """A direct API call as the owner (fixtures only; the key stays in this process)."""
        url = '%s/accounts/%s/%s' % (self.emulator.api_url, self.emulator.account_id, path)
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={
            'Content-Type': 'application/json', 'Authorization': 'Bearer ' + self.emulator.api_key})
        with urllib.request.urlopen(request, timeout=30) as response:  # nosec - local emulator
            text = response.read().decode()
        return json.loads(text) if text else None

    def request_log(self, clear=False):
        entries = self.admin('GET', 'requests')
        if clear:
            self.admin('DELETE', 'requests')
        return entries

    def secrets(self):
        return [self.emulator.api_key] + sorted(self.emulator.issued_keys())

    def redact(self, text):
        for secret in self.secrets():
            text = text.replace(secret, emu.REDACTED)
        return text

    # -- part 1: one module call, in check mode and for real
    def call(self, module, params, check_mode=False, env=None):
        """Run one module (as AnsiballZ runs it, minus the packaging) and return its result and requests."""
        args = dict(params, _ansible_check_mode=check_mode, _ansible_diff=True)
        path = os.path.join(self.workdir, 'args.json')
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump({'ANSIBLE_MODULE_ARGS': args}, handle)
        self.admin('DELETE', 'requests')
        run_env = dict(self.base_env, PYTHONPATH=self.root, **(env or {}))
        proc = subprocess.run([self.python, '-m', PREFIX + module, path], cwd=self.workdir, env=run_env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300, check=False)
        log = self.request_log()
        try:
            result = json.loads(proc.stdout[proc.stdout.index('{'):])
        except ValueError:
            raise BenchError('%s did not answer JSON (exit %d): %s' % (
                module, proc.returncode, self.redact((proc.stdout + proc.stderr)[-2000:]))) from None
        result.pop('api_key', None)  # a new key: never kept, never shown
        return result, log

    def scenario(self, group, label, module, params, expect, budget=NOOP_BUDGET, env=None, note='', writes=1):
        """Run a module call in check mode, then for real; record and check its requests."""
        check, check_log = self.call(module, params, True, env)
        real, real_log = self.call(module, params, False, env)
        row = {
            'group': group, 'call': label, 'expect': expect, 'budget': budget if expect == 'no-op' else None,
            'requests': len(real_log), 'writes': sum(1 for e in real_log if e['write']),
            'check_requests': len(check_log), 'check_writes': sum(1 for e in check_log if e['write']),
            'changed': bool(real.get('changed')), 'calls': ['%s %s' % (e['method'], short(e['path'])) for e in real_log],
            'note': note,
        }
        problems = []
        for name, result in (('check mode', check), ('real run', real)):
            if result.get('failed'):
                problems.append('%s failed: %s' % (name, self.redact(str(result.get('msg')))))
        if row['check_writes']:
            problems.append('check mode sent %d writes' % row['check_writes'])
        if check.get('changed') != real.get('changed') or check.get('diff') != real.get('diff'):
            problems.append('check mode predicted changed=%s diff=%s, the real run gave changed=%s diff=%s'
                            % (check.get('changed'), check.get('diff'), real.get('changed'), real.get('diff')))
        if expect == 'no-op':
            if row['changed'] or row['writes'] or row['requests'] > budget:
                problems.append('a no-op must not change, must not write and needs at most %d requests: '
                                'changed=%s writes=%d requests=%d' % (budget, row['changed'], row['writes'], row['requests']))
        elif not row['changed'] or row['writes'] != writes:
            problems.append('this change must send exactly %d write%s: changed=%s writes=%d' % (
                writes, '' if writes == 1 else 's', row['changed'], row['writes']))
        row['ok'] = not problems
        self.results['requests'].append(row)
        if problems:
            self.failures.append('%s %s: %s' % (group, label, '; '.join(problems)))
        return real

    # -- parts 2 and 3: playbooks
    def playbook(self, name, plays, n, prefix, pipelining, tags=None, extra_vars=None, extra=()):
        """Run a playbook; return (wall seconds, per-task timings, CPU seconds of the whole process tree).

        The CPU time (user + system, of ansible-playbook and every process it waited for: workers,
        modules) hardly depends on what else the machine runs, unlike the wall time."""
        path = os.path.join(self.workdir, name + '.yml')
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump(plays, handle, indent=1)  # JSON is YAML
        timer = os.path.join(self.workdir, 'timer.json')
        log_path = os.path.join(self.workdir, 'ansible-%s.log' % name)
        env = dict(self.base_env,
                   ANSIBLE_COLLECTIONS_PATH=self.root,
                   ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false',
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(self.workdir, 'callback_plugins'),
                   ANSIBLE_CALLBACKS_ENABLED='bench_timer',
                   BENCH_TIMER_OUT=timer,
                   ANSIBLE_PIPELINING='true' if pipelining else 'false',
                   ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                   ANSIBLE_NOCOLOR='1')
        cmd = [os.path.join(self.venv, 'bin', 'ansible-playbook'), path, '-e', 'n=%d' % n, '-e', 'prefix=%s' % prefix,
               '-e', 'workspace=%s' % WORKSPACE] + (['--tags', tags] if tags else []) + \
            (['-e', '@' + extra_vars] if extra_vars else []) + list(extra)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        with open(log_path, 'w', encoding='utf-8') as log:
            returncode = subprocess.run(cmd, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, check=False).returncode
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if returncode:
            with open(log_path, encoding='utf-8', errors='replace') as log:
                tail = log.read()[-3000:]
            raise BenchError('ansible-playbook %s failed (exit %d):\n%s' % (name, returncode, self.redact(tail)))
        with open(timer, encoding='utf-8') as handle:
            return wall, {row['task']: row for row in json.load(handle)}, cpu


def short(path):
    """A request path without the /api/accounts/<id> and workspace id parts, for the tables."""
    parts = path.split('/')
    out = []
    for i, part in enumerate(parts):
        if i > 0 and parts[i - 1] in ('accounts', 'workspaces', 'bots', 'bot_access', 'user_access', 'team_access') \
                and len(part) == 36:
            out.append('{id}')
        else:
            out.append(part)
    return '/'.join(out).replace('/api/accounts/{id}', '')


# --------------------------------------------------------------------------------------------
# Part 1: requests per module call


def part_requests(bench, full=True):
    """Every module call in check mode, then for real. --quick leaves out the by-ids and custom role calls."""
    common.banner('1. requests per module call (check mode, then for real)')
    sa = 'service_account'
    bench.scenario(sa, 'create', sa, {'name': 'bench-sa', 'account_role': 'Member'}, 'change')
    created = bench.scenario(sa, 'no-op by name', sa, {'name': 'bench-sa', 'account_role': 'Member'}, 'no-op')
    sa_id = created['service_account']['id']
    bench.scenario(sa, 'no-op by id', sa, {'id': sa_id}, 'no-op')
    bench.scenario(sa, 'update (account role)', sa, {'name': 'bench-sa', 'account_role': 'Admin'}, 'change')
    bench.scenario(sa, 'no-op after update', sa, {'name': 'bench-sa', 'account_role': 'Admin'}, 'no-op')
    bench.scenario(sa, 'delete', sa, {'name': 'bench-sa', 'state': 'absent'}, 'change')
    bench.scenario(sa, 'delete again', sa, {'name': 'bench-sa', 'state': 'absent'}, 'no-op')

    # one task for an account and its grant (the list form): 1 request for the account and 3 for the
    # grant (workspace, grant, role list) when nothing changes
    group, grant = 'service_account + workspace_access', [{'workspace': WORKSPACE, 'workspace_role': 'Developer'}]
    both = {'name': 'bench-sa-wa', 'account_role': 'Member', 'workspace_access': grant}
    bench.scenario(group, 'create (names)', sa, both, 'change', writes=2,
                   note='the account, then its grant; the workspace and the role are checked first')
    created = bench.scenario(group, 'no-op (names)', sa, both, 'no-op', budget=4)
    found = created.get('workspace_access') or [{}]
    bench.scenario(group, 'update grant role (names)', sa, dict(both, workspace_access=[dict(grant[0], workspace_role='Runner')]),
                   'change')
    if full and found[0]:
        ids = {'id': created['service_account']['id'],
               'workspace_access': [{'workspace': found[0]['workspace_id'], 'workspace_role': found[0]['workspace_role_id']}]}
        bench.scenario(group, 'update grant role back (ids)', sa, ids, 'change')
        bench.scenario(group, 'no-op (ids)', sa, ids, 'no-op', budget=3,
                       note='account, grant by workspace id, role list (the role name is returned)')
    bench.scenario(group, 'delete', sa, {'name': 'bench-sa-wa', 'state': 'absent'}, 'change')

    # fixtures (not counted): a service account to grant, a custom workspace role
    bench.call(sa, {'name': 'bench-wa-bot'})
    bench.api('POST', 'workspace_roles/', {'name': 'bench-custom', 'description': '', 'scopes': ['see_flows']})
    accessors = (('service_account', 'bench-wa-bot'), ('user', 'alice@example.com'), ('team', 'platform'))
    wa = 'workspace_access'
    for accessor_type, name in accessors:
        group = 'workspace_access %s' % accessor_type
        names = {'workspace': WORKSPACE, 'accessor_type': accessor_type, 'accessor': name}
        grant = bench.scenario(group, 'create (names)', wa, dict(names, workspace_role='Developer'), 'change')
        grant = grant.get('workspace_access') or {}
        # a team's listing names its roles; a service account or user grant needs the role list
        names_budget = 2 if accessor_type == 'team' else 3
        bench.scenario(group, 'no-op (names)', wa, dict(names, workspace_role='Developer'), 'no-op', budget=names_budget)
        bench.scenario(group, 'update (names)', wa, dict(names, workspace_role='Runner'), 'change')
        bench.scenario(group, 'no-op after update (names)', wa, dict(names, workspace_role='Runner'), 'no-op',
                       budget=names_budget)
        if full:
            custom_budget = 2 if accessor_type == 'team' else 3
            bench.scenario(group, 'update to a custom role (names)', wa, dict(names, workspace_role='bench-custom'),
                           'change')
            bench.scenario(group, 'no-op, custom role (names)', wa, dict(names, workspace_role='bench-custom'), 'no-op',
                           budget=custom_budget,
                           note='' if accessor_type == 'team' else 'custom role by name + workspace handle: the role list is read')
        bench.scenario(group, 'delete (names)', wa, dict(names, state='absent'), 'change')
        bench.scenario(group, 'delete again (names)', wa, dict(names, state='absent'), 'no-op')
        if not (grant and full):
            continue
        ids = {'workspace': grant['workspace_id'], 'accessor_type': accessor_type, 'accessor': grant['accessor_id']}
        roles = {role['name']: role['id'] for role in bench.api('POST', 'workspace_roles/filter', {})}
        bench.scenario(group, 'create (ids)', wa, dict(ids, workspace_role=roles['Viewer']), 'change')
        bench.scenario(group, 'no-op (ids)', wa, dict(ids, workspace_role=roles['Viewer']), 'no-op')
        bench.scenario(group, 'update (ids)', wa, dict(ids, workspace_role=roles['Worker']), 'change')
        bench.scenario(group, 'no-op after update (ids)', wa, dict(ids, workspace_role=roles['Worker']), 'no-op')
        bench.scenario(group, 'delete (ids)', wa, dict(ids, state='absent'), 'change')
        bench.scenario(group, 'delete again (ids)', wa, dict(ids, state='absent'), 'no-op')
    print_requests(bench.results['requests'])


def print_requests(rows):
    print('\n%-36s %-32s %8s %6s %8s  %s' % ('module', 'call', 'requests', 'writes', 'check', 'requests sent'))
    for row in rows:
        budget = ' (<=%d)' % row['budget'] if row['budget'] is not None else ''
        print('%-36s %-32s %8s %6d %8s  %s%s' % (
            row['group'], row['call'], '%d%s' % (row['requests'], budget), row['writes'],
            '%d/%dw' % (row['check_requests'], row['check_writes']), ', '.join(row['calls']),
            '' if row['ok'] else '   <-- FAILED'))
        if row['note']:
            print('%-36s   note: %s' % ('', row['note']))


# --------------------------------------------------------------------------------------------
# Parts 2 and 3: per-task cost and scale


def per_item(tasks, name, n):
    """Seconds per loop item of a task: the median time between two items (robust against a busy
    machine's bursts), or the task time / N for fewer than 3 items."""
    row = tasks.get(name)
    if row is None:
        return 0.0
    ends = row['items']
    if len(ends) < 3:
        return row['seconds'] / max(n, 1)
    return statistics.median(later - earlier for earlier, later in zip([0.0] + ends[:-1], ends))


def run_pair(bench, name, plays, n, pipelining, base, loops):
    """The create run and the no-op run of a playbook (after an emulator reset): wall, CPU and
    requests of each, and the per-item wall time of each loop task."""
    bench.admin('POST', 'reset')
    out = {}
    for run in ('create', 'no-op'):
        bench.request_log(clear=True)
        wall, tasks, cpu = bench.playbook(name, plays(), n, 'bench-%d' % n, pipelining)
        log = bench.request_log(clear=True)
        result = {'wall': wall, 'requests': len(log), 'writes': sum(1 for e in log if e['write']),
                  'cpu': (cpu - base[name]) / n}
        result.update({task: per_item(tasks, task, n) for task in loops})
        result['per_item'] = sum(result[task] for task in loops)
        if name != 'uri':
            check_filters(bench, log, '%s %s run, N=%d' % (name, run, n))
        out[run] = result
    return out


PLAYBOOKS = (('floor', playbook_floor), ('collection', playbook_collection), ('modules', playbook_modules),
             ('uri', playbook_uri))
URI_LOOPS = ('find the service account', 'create the missing service account', 'upsert the grant')


SLICES = 5  # default --slices
NOOP_SERIES = ('floor', 'service_account', 'workspace_access', 'service_account_module', 'uri_call')
MODULE_PATH = ('-e', 'prefect_cloud_run_on_controller=false')  # the module process instead of the controller


def slice_order(index):
    """The order of the floor and the two modules' no-op tasks in slice ``index`` of a round: rotated
    from one slice to the next, so that each runs first, second and third equally often."""
    turn = index % len(NOOP_SERIES)
    return NOOP_SERIES[turn:] + NOOP_SERIES[:turn]


def noop_series(bench, n, pipelining, base, slices):
    """The floor and each module's no-op task alone in its play (``--tags``: one loop in the play,
    the same shape as the floor), interleaved: ``slices`` times the three loops, in rotated order,
    so that a change of the machine's speed within a round falls on the floor and the modules
    alike. One dict per slice: seconds per item, wall and CPU, of each of the three."""
    out = []
    bench.request_log(clear=True)
    for index in range(slices):
        measured = {'order': slice_order(index)}
        for what in measured['order']:
            if what == 'floor':
                _wall, tasks, cpu = bench.playbook('floor', playbook_floor(), n, 'x', pipelining)
                measured['ping'], measured['ping_cpu'] = per_item(tasks, 'ping', n), (cpu - base['floor']) / n
            elif what == 'uri_call':
                _wall, tasks, cpu = bench.playbook('uri_call', playbook_uri_call(), n, 'bench-%d' % n, pipelining)
                measured[what], measured[what + '_cpu'] = per_item(tasks, 'uri', n), (cpu - base['uri_call']) / n
            elif what == 'service_account_module':
                _wall, tasks, cpu = bench.playbook('modules', playbook_modules(), n, 'bench-%d' % n, pipelining,
                                                   tags='service_account', extra=MODULE_PATH)
                measured[what] = per_item(tasks, 'service_account', n)
                measured[what + '_cpu'] = (cpu - base['modules']) / n
            else:
                _wall, tasks, cpu = bench.playbook('modules', playbook_modules(), n, 'bench-%d' % n, pipelining,
                                                   tags=what)
                measured[what], measured[what + '_cpu'] = per_item(tasks, what, n), (cpu - base['modules']) / n
        out.append(measured)
    log = bench.request_log(clear=True)
    writes = sum(1 for entry in log if entry['write'])
    if writes or len(log) > 6 * n * slices:
        bench.failures.append('N=%d: the no-op series sent %d requests (%d writes); budget %d, 0 writes'
                              % (n, len(log), writes, 6 * n * slices))
    return out


def slice_ratios(rows, what, cpu=False):
    """Every slice's ratio of a module's no-op task to the floor of the same slice, over the rounds."""
    suffix = '_cpu' if cpu else ''
    return [piece[what + suffix] / piece['ping' + suffix] for row in rows for piece in row['slices']]


def part_timing(bench, ns, modes, rounds=1, slices=SLICES):
    common.banner('2. per-task cost and 3. scale (N = %s; pipelining %s; %d round%s, %d no-op slice%s each)'
                  % (', '.join(map(str, ns)), ' and '.join('on' if m else 'off' for m in modes), rounds,
                      's' if rounds > 1 else '', slices, 's' if slices > 1 else ''))
    for pipelining, n, round_ in [(p, n, r) for p in modes for n in ns for r in range(rounds)]:
        # one round: the three playbooks (each run twice: create, no-op), then the no-op series
        bench.admin('POST', 'reset')
        # CPU of a playbook run with 0 items: its start-up, subtracted from the runs with N items
        base = {name: bench.playbook(name, plays(), 0, 'none', pipelining)[2]
                for name, plays in PLAYBOOKS + (('uri_call', playbook_uri_call),)}
        row = {'n': n, 'pipelining': pipelining, 'round': round_ + 1, 'load': os.getloadavg()[0]}
        for name, plays, loops in (('collection', playbook_collection, ('service_account',)),
                                   ('modules', playbook_modules, ('service_account', 'workspace_access')),
                                   ('uri', playbook_uri, URI_LOOPS)):
            if name == 'uri':
                # the no-op series needs the modules playbook's end state, which the uri run resets
                row['slices'] = noop_series(bench, n, pipelining, base, slices)
            for run, result in run_pair(bench, name, plays, n, pipelining, base, loops).items():
                row['%s_%s' % (name, run)] = result
        # the round's floor, for the figures of the playbooks: the median of the series' floors
        row['ping'] = statistics.median(piece['ping'] for piece in row['slices'])
        row['ping_cpu'] = statistics.median(piece['ping_cpu'] for piece in row['slices'])
        for name in ('collection', 'modules'):
            result = row['%s_no-op' % name]
            if result['writes'] or result['requests'] > 4 * n:
                bench.failures.append('N=%d: the no-op %s run sent %d requests (%d writes); budget %d, 0 writes'
                                      % (n, name, result['requests'], result['writes'], 4 * n))
        bench.results['timing'].append(row)
        print_timing_row(row)
    bench.results['summary'] = print_summary(bench.results['timing'])


def part_quick(bench, n):
    """--quick: the request budgets and filters of the collection playbooks only (times at N=2 mean nothing)."""
    common.banner('2./3. collection playbooks at N=%d: request budgets and filters only (--quick: no timing)' % n)
    for name, plays in (('collection', playbook_collection), ('modules', playbook_modules)):
        bench.admin('POST', 'reset')
        for run in ('create', 'no-op'):
            bench.request_log(clear=True)
            wall = bench.playbook(name, plays(), n, 'bench-%d' % n, False)[0]
            log = bench.request_log(clear=True)
            writes = sum(1 for e in log if e['write'])
            print('%-10s %-7s run: %d requests (%d writes) for %d service accounts with a grant, %.1f s' % (
                name, run, len(log), writes, n, wall))
            check_filters(bench, log, '%s %s run, N=%d' % (name, run, n))
            if run == 'no-op' and (writes or len(log) > 4 * n):
                bench.failures.append('N=%d: the no-op %s run sent %d requests (%d writes); budget %d, 0 writes'
                                      % (n, name, len(log), writes, 4 * n))
            bench.results['timing'].append({'n': n, 'playbook': name, 'run': run, 'requests': len(log), 'writes': writes})


def check_filters(bench, log, what):
    """No by-name lookup may list every object of a kind: every filter call has criteria."""
    for entry in log:
        if entry['method'] != 'POST' or not entry['path'].endswith('/filter'):
            continue
        if entry.get('criteria') == [] and not entry['path'].endswith(UNFILTERED_OK):
            bench.failures.append('%s: unfiltered %s (a name filter would do)' % (what, short(entry['path'])))
        if 'criteria' not in entry:
            bench.failures.append('%s: the emulator request log has no criteria (an old emulator?)' % what)
            return


def print_timing_row(row):
    mode = 'pipelining on' if row['pipelining'] else 'pipelining off'
    print('\nN=%d (%s, round %d, load average %.1f): ping %.3f s/item wall, %.3f s/item CPU (medians of the no-op '
          'series below)' % (row['n'], mode, row['round'], row['load'], row['ping'], row['ping_cpu']))
    for run in ('create', 'no-op'):
        c, m, u = row['collection_%s' % run], row['modules_%s' % run], row['uri_%s' % run]
        print('  %-7s collection (1 task):  %.3f s/item (%.2fx ping), %.3f s CPU/item; playbook %.1f s, %d requests '
              '(%d writes)' % (run, c['per_item'], c['per_item'] / row['ping'], c['cpu'], c['wall'], c['requests'],
                               c['writes']))
        print('  %-7s modules (2 tasks):    service_account %.3f s/item (%.2fx ping), workspace_access %.3f s/item '
              '(%.2fx ping); %.3f s CPU/item; playbook %.1f s, %d requests (%d writes)' % (
                  run, m['service_account'], m['service_account'] / row['ping'], m['workspace_access'],
                  m['workspace_access'] / row['ping'], m['cpu'], m['wall'], m['requests'], m['writes']))
        print('  %-7s uri (3 tasks):        %.3f s/item, %.3f s CPU/item; playbook %.1f s, %d requests (%d writes)' % (
            run, u['per_item'], u['cpu'], u['wall'], u['requests'], u['writes']))
        print('  %-7s collection/uri %.2f wall, %.2f CPU; modules/uri %.2f wall, %.2f CPU' % (
            run, c['per_item'] / u['per_item'], c['cpu'] / u['cpu'], m['per_item'] / u['per_item'], m['cpu'] / u['cpu']))
    for index, piece in enumerate(row['slices']):
        print('  no-op series, slice %d: service_account as a module process %.3f s/item (%.2fx ping), %.3f s CPU '
              '(%.2fx); one uri call %.3f s/item (%.2fx ping), %.3f s CPU (%.2fx)' % (
                  index + 1, piece['service_account_module'], piece['service_account_module'] / piece['ping'],
                  piece['service_account_module_cpu'], piece['service_account_module_cpu'] / piece['ping_cpu'],
                  piece['uri_call'], piece['uri_call'] / piece['ping'], piece['uri_call_cpu'],
                  piece['uri_call_cpu'] / piece['ping_cpu']))
        print('  no-op series, slice %d (%s): ping %.3f s/item, %.3f s CPU; service_account %.3f s/item (%.2fx ping), '
              '%.3f s CPU (%.2fx); workspace_access %.3f s/item (%.2fx), %.3f s CPU (%.2fx)' % (
                  index + 1, ', '.join(piece['order']), piece['ping'], piece['ping_cpu'],
                  piece['service_account'], piece['service_account'] / piece['ping'], piece['service_account_cpu'],
                  piece['service_account_cpu'] / piece['ping_cpu'], piece['workspace_access'],
                  piece['workspace_access'] / piece['ping'], piece['workspace_access_cpu'],
                  piece['workspace_access_cpu'] / piece['ping_cpu']))


def summarize(rows):
    """One line per (N, pipelining): the median over the rounds of each ratio (over the slices of
    every round for the no-op tasks against the floor)."""
    out = []
    for key in sorted({(row['n'], row['pipelining']) for row in rows}):
        group = [row for row in rows if (row['n'], row['pipelining']) == key]

        def med(func, group=group):
            return statistics.median(func(row) for row in group)
        out.append({
            'n': key[0], 'pipelining': key[1], 'rounds': len(group), 'load': med(lambda r: r['load']),
            'ping': med(lambda r: r['ping']), 'ping_cpu': med(lambda r: r['ping_cpu']),
            'slices': sum(len(row['slices']) for row in group),
            'sa_noop_in_two': med(lambda r: r['modules_no-op']['service_account'] / r['ping']),
            'wa_noop_in_two': med(lambda r: r['modules_no-op']['workspace_access'] / r['ping']),
            'one_noop': med(lambda r: r['collection_no-op']['per_item'] / r['ping']),
            'modules_uri_noop_cpu': med(lambda r: r['modules_no-op']['cpu'] / r['uri_no-op']['cpu']),
            'modules_uri_create_cpu': med(lambda r: r['modules_create']['cpu'] / r['uri_create']['cpu']),
            'uri_create': med(lambda r: r['collection_create']['per_item'] / r['uri_create']['per_item']),
            'uri_noop': med(lambda r: r['collection_no-op']['per_item'] / r['uri_no-op']['per_item']),
            'uri_create_cpu': med(lambda r: r['collection_create']['cpu'] / r['uri_create']['cpu']),
            'uri_noop_cpu': med(lambda r: r['collection_no-op']['cpu'] / r['uri_no-op']['cpu']),
            'req_create': med(lambda r: r['collection_create']['requests'] / r['n']),
            'req_noop': med(lambda r: r['collection_no-op']['requests'] / r['n']),
            'uri_req_create': med(lambda r: r['uri_create']['requests'] / r['n']),
            'uri_req_noop': med(lambda r: r['uri_no-op']['requests'] / r['n']),
        })
        # each module's no-op task against the floor: the median of every slice of every round, pooled
        for name, what, cpu in (('sa_noop', 'service_account', False), ('wa_noop', 'workspace_access', False),
                                ('sa_noop_cpu', 'service_account', True), ('wa_noop_cpu', 'workspace_access', True),
                                ('sam_noop', 'service_account_module', False),
                                ('sam_noop_cpu', 'service_account_module', True),
                                ('uri_call', 'uri_call', False), ('uri_call_cpu', 'uri_call', True)):
            ratios = slice_ratios(group, what, cpu)
            out[-1][name], out[-1][name + '_range'] = statistics.median(ratios), (min(ratios), max(ratios))
    return out


def print_summary(rows):
    common.banner('summary: ratios against baselines measured in this run (wall: medians per item; CPU: whole '
                  'process tree per item, start-up subtracted)')
    fmt = '%5s %-4s %5s %11s %9s %9s %9s %9s %9s %9s %9s %9s %7s %7s'
    print(fmt % ('N', 'pipe', 'load', 'ping s/it', 'SA no-op', 'WA no-op', 'SA no-op', 'WA no-op', 'coll/uri',
                 'coll/uri', 'coll/uri', 'coll/uri', 'req/it', 'req/it'))
    print(fmt % ('', 'lin.', '', 'wall/CPU', 'x ping w', 'x ping w', 'x ping c', 'x ping c', 'create w', 'no-op w',
                 'create c', 'no-op c', 'create', 'no-op'))
    summary = summarize(rows)
    for row in summary:
        print('%5d %-4s %5.1f %5.3f/%5.3f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %7.2f %7.2f' % (
            row['n'], 'on' if row['pipelining'] else 'off', row['load'], row['ping'], row['ping_cpu'], row['sa_noop'],
            row['wa_noop'], row['sa_noop_cpu'], row['wa_noop_cpu'], row['uri_create'], row['uri_noop'],
            row['uri_create_cpu'], row['uri_noop_cpu'], row['req_create'], row['req_noop']))
    print('SA/WA no-op: the no-op task of each module, alone in its play (as the ping floor), against the floor of '
          'the same slice of the no-op series, median over the slices; coll/uri: the one-task playbook '
          '(service_account with workspace_access) against the uri playbook')
    print('per task, against the ping floor of the same slice (median over the slices; x ping wall / x ping CPU):')
    for row in summary:
        print('  N=%d pipelining %s: service_account no-op in the controller %.2fx / %.2fx; as a module process '
              '%.2fx / %.2fx; one ansible.builtin.uri call %.2fx / %.2fx; controller/uri %.2f / %.2f' % (
                  row['n'], 'on' if row['pipelining'] else 'off', row['sa_noop'], row['sa_noop_cpu'], row['sam_noop'],
                  row['sam_noop_cpu'], row['uri_call'], row['uri_call_cpu'], row['sa_noop'] / row['uri_call'],
                  row['sa_noop_cpu'] / row['uri_call_cpu']))
    biggest = max(row['n'] for row in summary)
    for row in summary:
        if row['n'] != biggest:
            continue
        mode = 'pipelining %s' % ('on' if row['pipelining'] else 'off')
        for what, key in (('CPU', max(('sa_noop_cpu', 'wa_noop_cpu'), key=row.get)),
                          ('wall', max(('sa_noop', 'wa_noop'), key=row.get))):
            value, (low, high) = row[key], row[key + '_range']
            print('target no-op task in the controller <= 0.5x ping floor (N=%d, %s, %s, worse of the two modules, '
                  'median of %d slices, load average %.1f): %.2fx (slices %.2f-%.2f) -> %s' % (
                      row['n'], mode, what, row['slices'], row['load'], value, low, high,
                      'MET' if value <= 0.5 else 'NOT MET'))
        print('  (wall, the one-task form, service_account with workspace_access, no-op: %.2fx ping; in the two-task '
              'playbook: service_account %.2fx, workspace_access %.2fx)' % (
                  row['one_noop'], row['sa_noop_in_two'], row['wa_noop_in_two']))
        for what, value in (('CPU', max(row['uri_create_cpu'], row['uri_noop_cpu'])),
                            ('wall', max(row['uri_create'], row['uri_noop']))):
            print('target collection playbook <= 0.5x uri playbook (N=%d, %s, %s, worse of the create and no-op runs): '
                  '%.2fx -> %s' % (row['n'], mode, what, value, 'MET' if value <= 0.5 else 'NOT MET'))
        print('  (the two-task playbook against the uri playbook, CPU: create %.2fx, no-op %.2fx)' % (
            row['modules_uri_create_cpu'], row['modules_uri_noop_cpu']))
    requests = [(row['n'], row['req_noop'], row['req_create']) for row in summary if not row['pipelining']]
    if len(requests) > 1:
        print('requests per item by N (no-op run / create run): %s; constant, so the cost grows linearly with N'
              % ', '.join('N=%d: %.2f / %.2f' % item for item in requests))
    return summary


# --------------------------------------------------------------------------------------------
# Part 4: many accounts in one task (service_accounts) against a loop and the uri playbook

FLEET_TARGET_N = 1000
FLEET_NOOP_REQUESTS = 15  # the no-op of 1,000 accounts with their grants in one task
FLEET_VS_LOOP = 0.05
FLEET_VS_URI = 0.02
FLEET_WAYS = ('fleet', 'loop', 'uri')
PAGE = 200  # the API's page size (the client's PAGE_SIZE)
FLEET_LOOP_MAX = 100  # default --fleet-loop-max: both runs of the loop and uri playbooks in full up to this N
FLEET_NOOP_MAX = 1000  # default --fleet-noop-max: their no-op run in full up to this N
FLEET_SAMPLE = 100  # default --fleet-sample: beyond those, a measured sample of K accounts at that N
FLEET_RUNS = ('create', 'no-op')


def playbook_fleet():
    """N service accounts, each with a workspace grant, in ONE service_accounts task (the list is
    passed as the extra variable ``fleet``)."""
    return [{'name': 'Service accounts with workspace access (prefect.cloud.service_accounts, one task)',
             'hosts': 'localhost', 'gather_facts': False, 'tasks': [
                 {'name': 'service_accounts', 'prefect.cloud.service_accounts': {'service_accounts': '{{ fleet }}'},
                  'no_log': True}]}]


def fleet_budget(n, workspaces=1):
    """The no-op budget: the account pages, each workspace's grant pages (a full last page costs one
    more, empty, page), the workspace list and the role list."""
    pages = -(-(n + 1) // PAGE)
    return pages + workspaces * pages + 2


def write_fleet_vars(bench, n, prefix, first=0):
    """The fleet task's list: the accounts ``prefix-first`` to ``prefix-(n-1)``, as the loop and the
    uri playbook name them (``prefix-item``), each with the Developer role in the workspace."""
    path = os.path.join(bench.workdir, 'fleet-%d-%d.json' % (n, first))
    entries = [{'name': '%s-%d' % (prefix, i), 'account_role': 'Member',
                'workspace_access': [{'workspace': WORKSPACE, 'workspace_role': 'Developer'}]}
               for i in range(first, n)]
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump({'fleet': entries}, handle)
    return path


def fleet_plan(way, n, loop_max=FLEET_LOOP_MAX, uri_max=None, noop_max=None, sample=0, noop_only=False,
               uri_noop_max=None):
    """How each run of a way is measured at N: ``{'create': mode, 'no-op': mode}``, where mode is
    'full' (all N accounts), 'sample' (K = ``sample`` of the N accounts, the others made by the fleet
    task) or None (not measured). The fleet task is always measured in full. The loop and the uri
    playbook: both runs in full up to their max (``loop_max``; ``uri_max``, default ``loop_max``),
    the no-op run in full up to ``noop_max`` (``uri_noop_max`` for the uri playbook, default
    ``noop_max``; never below the way's max), and beyond that a sample when 0 < K < N (else not
    measured). ``noop_only``: the first run is not measured."""
    if way == 'fleet':
        return {'create': 'full', 'no-op': 'full'}
    full_max = loop_max if way == 'loop' or uri_max is None else uri_max
    if way == 'uri' and uri_noop_max is not None:
        noop_max = uri_noop_max
    noop_full_max = full_max if noop_max is None else max(noop_max, full_max)
    fallback = 'sample' if 0 < sample < n else None
    create = None if noop_only else ('full' if n <= full_max else fallback)
    return {'create': create, 'no-op': 'full' if n <= noop_full_max else fallback}


def scale_sample(sample, base, k, n):
    """A run over K of the N accounts, scaled to all N: per account, the sample run less the start-up
    run (the same playbook with 0 accounts, same N in the emulator); in all, the start-up plus N times
    the per-account figures. Labelled 'sample': never a full measurement."""
    out = {'mode': 'sample', 'k': k, 'n': n, 'sample': dict(sample), 'base': dict(base)}
    for key in ('seconds', 'requests', 'writes'):
        per = (sample[key] - base[key]) / k
        out['per_account_' + key] = per
        out[key] = base[key] + per * n
    return out


def mode_label(measured):
    """How a run was measured, as printed and tabled."""
    if not measured:
        return 'not measured'
    if measured.get('mode') == 'sample':
        return 'sampled %d of %d, scaled' % (measured['k'], measured['n'])
    return 'full'


def measure_run(bench, way, n, prefix, extra=None):
    """One timed ansible-playbook run of a way over N accounts: seconds, requests, writes."""
    plays = {'fleet': playbook_fleet, 'loop': playbook_collection, 'uri': playbook_uri}[way]
    bench.request_log(clear=True)
    wall = bench.playbook('fleet-' + way, plays(), n, prefix, False, extra_vars=extra)[0]
    log = bench.request_log(clear=True)
    return {'seconds': wall, 'requests': len(log), 'writes': sum(1 for e in log if e['write'])}


def seed_fleet(bench, n, prefix, first=0):
    """The end state of the accounts prefix-first to prefix-(n-1) and their grants, made by the
    (untimed) fleet task."""
    bench.request_log(clear=True)
    bench.playbook('fleet-seed', playbook_fleet(), n, prefix, False, extra_vars=write_fleet_vars(bench, n, prefix, first))
    bench.request_log(clear=True)


def print_run(n, way, run, got):
    if got is None:
        print('  N=%-5d %-5s %-7s not measured' % (n, way, run))
    elif got.get('mode') == 'sample':
        sample = got['sample']
        print('  N=%-5d %-5s %-7s %s: the sample run %.1f s, %d requests (%d writes); per account %.3f s, %.2f '
              'requests, %.2f writes (start-up %.1f s, %d requests); scaled to N=%d: %.0f s, %.0f requests' % (
                  n, way, run, mode_label(got), sample['seconds'], sample['requests'], sample['writes'],
                  got['per_account_seconds'], got['per_account_requests'], got['per_account_writes'],
                  got['base']['seconds'], got['base']['requests'], n, got['seconds'], got['requests']))
    else:
        print('  N=%-5d %-5s %-7s %8.1f s %7d requests (%d writes)' % (
            n, way, run, got['seconds'], got['requests'], got['writes']))
    sys.stdout.flush()


def run_fleet_way(bench, way, n, plan=None, sample=FLEET_SAMPLE, out=None, saved=None):
    """Both runs of one way at N, from a reset emulator, as ``plan`` (fleet_plan) says; default both
    in full. The first run creates everything, the no-op re-run changes nothing. A sampled first run:
    the fleet task makes N - K accounts, then the way creates the K missing ones (``prefix-0`` to
    ``prefix-(K-1)``); a sampled no-op: the way over K of the N existing accounts. The loop and the
    uri playbook also run once with 0 accounts (their start-up, and the requests they send once).
    ``out``: the dict to fill (a row's entry), ``saved``: called after each run (to write the JSON)."""
    plan = plan or {'create': 'full', 'no-op': 'full'}
    bench.admin('POST', 'reset')
    prefix = 'bench-%d' % n
    k = min(sample, n)
    out = {} if out is None else out
    out.update({'plan': dict(plan), 'create': None, 'no-op': None})
    saved = saved or (lambda: None)
    if way != 'fleet':
        out['base'] = measure_run(bench, way, 0, prefix)
        print('  N=%-5d %-5s start-up, 0 accounts: %.1f s, %d requests' % (
            n, way, out['base']['seconds'], out['base']['requests']))
    extra = write_fleet_vars(bench, n, prefix) if way == 'fleet' else None
    if plan['create'] == 'full':
        out['create'] = measure_run(bench, way, n, prefix, extra)
    elif plan['create'] == 'sample':
        seed_fleet(bench, n, prefix, first=k)  # the K sampled accounts are missing
        out['create'] = scale_sample(measure_run(bench, way, k, prefix), out['base'], k, n)
    else:
        out['create'] = None
        if plan['no-op']:
            seed_fleet(bench, n, prefix)
    print_run(n, way, 'create', out['create'])
    saved()
    if plan['no-op'] == 'full':
        out['no-op'] = measure_run(bench, way, n, prefix, extra)
    elif plan['no-op'] == 'sample':
        out['no-op'] = scale_sample(measure_run(bench, way, k, prefix), out['base'], k, n)
    else:
        out['no-op'] = None
    print_run(n, way, 'no-op', out['no-op'])
    saved()
    return out


def part_fleet(bench, ns, options, plot=None):
    """Part 4. ``options``: loop_max, uri_max, noop_max, sample, noop_only (see fleet_plan)."""
    common.banner('4. many accounts in one task: service_accounts against a loop of service_account tasks and the uri '
                  'playbook (N = %s; both runs of the loop/uri in full up to N=%s, their no-op up to N=%s, '
                  'beyond that a sample of %d accounts)' % (
                      ', '.join(map(str, ns)), '%s/%s' % (options['loop_max'], options.get('uri_max') or options['loop_max']),
                      '%s/%s' % (options.get('noop_max'), options.get('uri_noop_max') or options.get('noop_max')),
                      options.get('sample', 0)))
    rows = []

    def saved():
        if bench.args.json:
            # what is measured so far, in case a long run is stopped before its end (--fleet-report
            # prints it); the end of the run writes the whole results
            with open(bench.args.json, 'w', encoding='utf-8') as handle:
                json.dump({'fleet': rows, 'partial': True}, handle, indent=1, default=str)
    for n in ns:  # in the order given: the longest N can come last
        row = {'n': n, 'load': os.getloadavg()[0]}
        rows.append(row)
        print('N=%d: load average %.1f' % (n, row['load']))
        plans = {way: fleet_plan(way, n, options['loop_max'], options.get('uri_max'), options.get('noop_max'),
                                 options.get('sample', 0), options.get('noop_only', False), options.get('uri_noop_max'))
                 for way in FLEET_WAYS}
        for way in FLEET_WAYS:
            row[way] = None
        for way in fleet_order(plans):
            if any(plans[way].values()):
                row[way] = {}
                run_fleet_way(bench, way, n, plans[way], options.get('sample', 0), out=row[way], saved=saved)
    rows.sort(key=lambda row: row['n'])
    bench.results['fleet'] = rows
    print_fleet(bench, rows)
    if plot:
        plot_fleet(rows, plot)
    return rows


def fleet_order(plans):
    """The order of the ways at one N: the fleet task first, then the others by how many of their
    runs are full (the longest last, so that a run stopped before its end loses the least)."""
    return sorted(FLEET_WAYS, key=lambda way: -1 if way == 'fleet' else list(plans[way].values()).count('full'))


def fleet_report(path, plot=None):
    """--fleet-report: print part 4's table, checks and targets (and the plot) again from the JSON of a
    run (--json), also from a run stopped before its end (its ways not measured are left out)."""
    with open(path, encoding='utf-8') as handle:
        saved = json.load(handle)
    rows = sorted((row for row in saved.get('fleet', []) if (row.get('fleet') or {}).get('no-op')),
                  key=lambda row: row['n'])
    for row in rows:
        for way in FLEET_WAYS:
            row.setdefault(way, None)
    common.banner('4. from %s%s' % (path, ' (a partial run: stopped before its end)' if saved.get('partial') else ''))
    bench = types.SimpleNamespace(failures=[])
    print_fleet(bench, rows)
    if plot:
        plot_fleet(rows, plot)
    for failure in bench.failures:
        print('FAILED: %s' % failure)
    return 1 if bench.failures else 0


def fleet_get(row, way, run):
    """The measurement of one way and run in a row, or None."""
    got = row.get(way)
    return got.get(run) if got else None


def check_samples(rows):
    """Every sampled run's requests and writes per account against the full run of the same way and
    run at the smallest N measured in full (requests less the start-up run's, over N): they do not
    depend on N, so the sample's scaling to N is checked for requests, not assumed. Returns the lines
    to print and the failures."""
    lines, failures = [], []
    for row in rows:
        for way in FLEET_WAYS[1:]:
            for run in FLEET_RUNS:
                got = fleet_get(row, way, run)
                if not got or got.get('mode') != 'sample':
                    continue
                what = '%s %s at N=%d (%s)' % (way, run, row['n'], mode_label(got))
                refs = [other for other in rows if fleet_get(other, way, run) and row[way].get('base')
                        and other[way].get('base') and fleet_get(other, way, run).get('mode', 'full') == 'full']
                if not refs:
                    lines.append('sample check %s: no full run of this way to compare with -> not checked' % what)
                    continue
                ref = min(refs, key=lambda other: other['n'])
                full, base = ref[way][run], ref[way]['base']
                expected = tuple((full[key] - base[key]) / ref['n'] for key in ('requests', 'writes'))
                measured = (got['per_account_requests'], got['per_account_writes'])
                same = all(abs(a - b) < 1e-9 for a, b in zip(expected, measured))
                lines.append('sample check %s: %.2f requests, %.2f writes per account; the full run at N=%d: %.2f, '
                             '%.2f -> %s' % (what, measured[0], measured[1], ref['n'], expected[0], expected[1],
                                             'same' if same else 'DIFFERENT'))
                if not same:
                    failures.append('fleet sample %s: %.2f requests and %.2f writes per account, the full run at '
                                    'N=%d %.2f and %.2f: the scaling to N does not hold' % (
                                        what, measured[0], measured[1], ref['n'], expected[0], expected[1]))
    return lines, failures


def fleet_ratio_line(row, way, target):
    """The target line of the fleet no-op against one way at one N: MET / NOT MET only on a full
    measurement of both; a sample says 'sampled' and is never counted as met."""
    noop, got = fleet_get(row, 'fleet', 'no-op'), fleet_get(row, way, 'no-op')
    head = 'target fleet no-op <= %.2fx %s (N=%d' % (target, way, row['n'])
    if not got:
        return head + '): not measured'
    ratio = noop['seconds'] / got['seconds']
    if got.get('mode') == 'sample':
        return head + ', wall, %s): %.4fx -> sampled (not counted as met)' % (mode_label(got), ratio)
    return head + ', wall): %.3fx -> %s' % (ratio, 'MET' if ratio <= target else 'NOT MET')


def print_fleet(bench, rows):
    print('\n%6s %-7s %-6s %-28s %9s %9s %7s %11s' % (
        'N', 'run', 'way', 'measured', 'seconds', 'requests', 'writes', 'fleet/way'))
    for row in rows:
        for run in FLEET_RUNS:
            fleet = fleet_get(row, 'fleet', run)
            for way in FLEET_WAYS:
                got = fleet_get(row, way, run)
                if not got:
                    print('%6d %-7s %-6s %-28s' % (row['n'], run, way, 'not measured'))
                    continue
                ratio = '' if way == 'fleet' else '%.4fx' % (fleet['seconds'] / got['seconds'])
                print(('%6d %-7s %-6s %-28s %9.1f %9.0f %7.0f %11s' % (
                    row['n'], run, way, mode_label(got), got['seconds'], got['requests'], got['writes'], ratio)).rstrip())
    print('(sampled K of N, scaled: the state holds all N accounts; the way ran over K of them, created for the first '
          'run, existing for the no-op; total = start-up run + N x (sample run - start-up run) / K)')
    lines, failures = check_samples(rows)
    for line in lines:
        print(line)
    bench.failures.extend(failures)
    for row in rows:
        noop = row['fleet']['no-op']
        budget = fleet_budget(row['n'])
        if noop['writes'] or noop['requests'] > budget:
            bench.failures.append('fleet N=%d: the no-op sent %d requests (%d writes); budget %d (pages), 0 writes'
                                  % (row['n'], noop['requests'], noop['writes'], budget))
        print('fleet no-op N=%d: %d requests, budget ceil((N+1)/200) x 2 + 2 = %d (grows with pages, not N) -> %s' % (
            row['n'], noop['requests'], budget, 'MET' if noop['requests'] <= budget and not noop['writes'] else 'NOT MET'))
        if row['n'] == FLEET_TARGET_N:
            ok = noop['requests'] <= FLEET_NOOP_REQUESTS
            print('target no-op of %d accounts in one task <= %d requests: %d -> %s' % (
                row['n'], FLEET_NOOP_REQUESTS, noop['requests'], 'MET' if ok else 'NOT MET'))
            if not ok:
                bench.failures.append('fleet N=%d: the no-op needs %d requests (target %d)' % (
                    row['n'], noop['requests'], FLEET_NOOP_REQUESTS))
        for way, target in (('loop', FLEET_VS_LOOP), ('uri', FLEET_VS_URI)):
            print(fleet_ratio_line(row, way, target))
    if len(rows) > 1:
        within = all(row['fleet']['no-op']['requests'] <= fleet_budget(row['n']) for row in rows)
        print('target the fleet cost grows with pages, not N: no-op requests %s at N = %s, page budgets %s; '
              'seconds %s -> %s' % (
                  ', '.join(str(row['fleet']['no-op']['requests']) for row in rows),
                  ', '.join(str(row['n']) for row in rows), ', '.join(str(fleet_budget(row['n'])) for row in rows),
                  ', '.join('%.1f' % row['fleet']['no-op']['seconds'] for row in rows), 'MET' if within else 'NOT MET'))


def plot_fleet(rows, path):
    """Requests and seconds against N for the three ways (a PNG), when matplotlib can be imported.
    Sampled points (K of N, scaled) have open markers."""
    try:
        import matplotlib  # pylint: disable=import-outside-toplevel
        matplotlib.use('Agg')
        from matplotlib import pyplot  # pylint: disable=import-outside-toplevel
    except ImportError:
        print('plot: matplotlib is not installed in %s; no plot written (pip install matplotlib)' % sys.executable)
        return
    figure, axes = pyplot.subplots(1, 2, figsize=(11, 4.6))
    labels = {'fleet': 'service_accounts (1 task)', 'loop': 'loop of service_account', 'uri': 'ansible.builtin.uri'}
    colors = {'fleet': 'tab:blue', 'loop': 'tab:orange', 'uri': 'tab:green'}
    sampled_any = False
    for way, marker in zip(FLEET_WAYS, 'osd'):
        for run, style in (('create', '--'), ('no-op', '-')):
            points = [(row['n'], fleet_get(row, way, run)) for row in rows if fleet_get(row, way, run)]
            if not points:
                continue
            ns = [n for n, _got in points]
            for axis, key in zip(axes, ('requests', 'seconds')):
                values = [got[key] for _n, got in points]
                axis.plot(ns, values, style, marker=marker, color=colors[way], label='%s, %s' % (labels[way], run))
                sampled = [(n, got[key]) for n, got in points if got.get('mode') == 'sample']
                if sampled:
                    sampled_any = True
                    axis.plot([n for n, _v in sampled], [v for _n, v in sampled], linestyle='none', marker=marker,
                              markersize=9, markerfacecolor='white', color=colors[way])
    for axis, what in zip(axes, ('requests', 'seconds (wall)')):
        axis.set_xscale('log')
        axis.set_yscale('log')
        axis.set_xlabel('service accounts (N), each with one grant')
        axis.set_ylabel(what)
        axis.grid(True, which='both', alpha=0.3)
    axes[0].legend(fontsize=7)
    title = 'prefect.cloud: N accounts in one task vs a loop vs the uri playbook (emulator, 2 shared cores)'
    if sampled_any:
        title += '\nopen markers: sampled K of N accounts at that N, scaled to N (not a full measurement)'
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    print('plot written: %s' % path)


def part_fleet_quick(bench, n=5):
    """--quick: the fleet task at small N, its request budgets only."""
    common.banner('4. service_accounts at N=%d: request budgets only (--quick: no timing)' % n)
    got = run_fleet_way(bench, 'fleet', n)
    create, noop = got['create'], got['no-op']
    # N creates and one grant POST; the no-op reads only
    if create['writes'] != n + 1:
        bench.failures.append('fleet N=%d: the first run sent %d writes, expected %d' % (n, create['writes'], n + 1))
    if noop['writes'] or noop['requests'] > fleet_budget(n):
        bench.failures.append('fleet N=%d: the no-op sent %d requests (%d writes); budget %d, 0 writes'
                              % (n, noop['requests'], noop['writes'], fleet_budget(n)))
    bench.results['timing'].append({'n': n, 'playbook': 'fleet', 'requests': noop['requests'], 'writes': noop['writes']})


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv):
    parser = argparse.ArgumentParser(prog='tools/benchmark', description=__doc__.split('\n\n', maxsplit=1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog='Results and how to read them: docs/performance.md')
    parser.add_argument('--quick', action='store_true',
                        help='smoke test: fewer module calls, and the collection playbook at N=%d for its request '
                             'budgets only (no timing)' % QUICK_N[0])
    parser.add_argument('-n', type=int, action='append', metavar='N',
                        help='numbers of service accounts to time (repeatable; default %s)' % ', '.join(map(str, SCALE_N)))
    parser.add_argument('--pipelining', choices=('off', 'on', 'both'), default='off',
                        help='ANSIBLE_PIPELINING for the timed playbooks (default off, the Ansible default)')
    parser.add_argument('--rounds', type=int, default=1, metavar='R',
                        help='repeat the timed playbooks R times per N and report the median ratios (default 1)')
    parser.add_argument('--slices', type=int, default=SLICES, metavar='S',
                        help=f'per round, time the floor and each module\'s no-op task S times, interleaved (default {SLICES})')
    parser.add_argument('--only', choices=('requests', 'timing', 'fleet'), help='run only one part')
    parser.add_argument('--fleet-n', type=int, action='append', metavar='N',
                        help='part 4: numbers of service accounts for the service_accounts task against the loop and '
                             'the uri playbook (repeatable, e.g. --fleet-n 100 --fleet-n 1000; part 4 runs only with it; '
                             'measured in the order given, printed by N)')
    parser.add_argument('--fleet-loop-max', type=int, default=FLEET_LOOP_MAX, metavar='N',
                        help='part 4: measure both runs of the loop and uri playbooks in full up to this N (default %d; '
                             'they take ~0.5-1 s (loop) and ~1-2.5 s (uri) per item per run on 2 shared cores)'
                             % FLEET_LOOP_MAX)
    parser.add_argument('--fleet-uri-max', type=int, metavar='N',
                        help='part 4: the same for the uri playbook (default: --fleet-loop-max)')
    parser.add_argument('--fleet-noop-max', type=int, default=FLEET_NOOP_MAX, metavar='N',
                        help='part 4: measure the no-op run of the loop and uri playbooks in full up to this N, on the '
                             'end state of N accounts (default %d)' % FLEET_NOOP_MAX)
    parser.add_argument('--fleet-uri-noop-max', type=int, metavar='N',
                        help='part 4: the same for the uri playbook (default: --fleet-noop-max)')
    parser.add_argument('--fleet-sample', type=int, default=FLEET_SAMPLE, metavar='K',
                        help='part 4: beyond those, run the loop and uri playbooks over K of the N accounts (the '
                             'others made by the fleet task; missing for the first run, existing for the no-op) and '
                             'scale per account to N, labelled "sampled K of N, scaled" (default %d; 0: not measured)'
                             % FLEET_SAMPLE)
    parser.add_argument('--fleet-noop-only', action='store_true',
                        help='part 4: make the end state with the fleet task and time only the no-op run of the loop '
                             'and uri playbooks (their first run is not measured)')
    parser.add_argument('--fleet-report', metavar='JSON',
                        help='part 4: print the table, checks and targets (and --plot) again from the --json file of '
                             'a run, also of one stopped before its end; runs nothing')
    parser.add_argument('--plot', metavar='PNG', help='part 4: write the plot there (needs matplotlib)')
    parser.add_argument('--venv', help='venv with ansible-core, httpx and pydantic (default: the venv tools/test makes for the newest core, '
                                       'else .venv/benchmark, created like tools/test does)')
    parser.add_argument('--json', metavar='FILE', help='also write the results as JSON')
    parser.add_argument('--keep', action='store_true', help='keep the work directory')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.fleet_report:
        return fleet_report(args.fleet_report, args.plot)
    emu.install_cleanup_handlers()
    ns = tuple(args.n) if args.n else (QUICK_N if args.quick else SCALE_N)
    modes = {'off': (False,), 'on': (True,), 'both': (False, True)}[args.pipelining]
    workdir = tempfile.mkdtemp(prefix='prefect-cloud-bench-')
    started = time.monotonic()
    bench = None
    try:
        venv, python = prepare_venv(args)
        root = collections_root(workdir)
        os.makedirs(os.path.join(workdir, 'callback_plugins'))
        with open(os.path.join(workdir, 'callback_plugins', 'bench_timer.py'), 'w', encoding='utf-8') as handle:
            handle.write(CALLBACK)
        emulator = emu.Emulator(python, os.path.join(root, 'ansible_collections', 'prefect', 'cloud'),
                                WORKSPACE, workdir)
        emulator.start()
        bench = Bench(args, workdir, venv, python, root, emulator)
        machine = machine_description(python)
        common.banner('machine: %s' % machine)
        print('settings: connection local, strategy linear, forks 5 (defaults), pipelining %s, '
              'emulator over http on 127.0.0.1' % args.pipelining)
        bench.results['machine'] = machine
        if args.only in (None, 'requests'):
            part_requests(bench, full=not args.quick)
        if args.only in (None, 'timing') and args.quick and not args.n:
            part_quick(bench, QUICK_N[0])
            part_fleet_quick(bench)
        elif args.only == 'timing' or (args.only is None and not args.fleet_n):
            part_timing(bench, ns, modes, max(1, args.rounds), max(1, args.slices))
        if args.fleet_n and args.only in (None, 'fleet'):
            part_fleet(bench, list(dict.fromkeys(args.fleet_n)), {
                'loop_max': args.fleet_loop_max, 'uri_max': args.fleet_uri_max, 'noop_max': args.fleet_noop_max,
                'sample': max(0, args.fleet_sample), 'noop_only': args.fleet_noop_only,
                'uri_noop_max': args.fleet_uri_noop_max}, args.plot)
        emulator.stop()
    except (BenchError, common.DemoError, emu.EmulatorError, OSError, subprocess.SubprocessError, ValueError) as exc:
        text = str(exc) if bench is None else bench.redact(str(exc))
        print('\nbenchmark failed: %s' % text)
        return 1
    finally:
        emu.stop_all_emulators()
        if args.keep:
            print('work directory kept: %s' % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as handle:
            json.dump(bench.results, handle, indent=1, default=str)
    common.banner('benchmark finished in %s' % common.fmt_seconds(time.monotonic() - started))
    for failure in bench.failures:
        print('FAILED: %s' % failure)
    checked = len(bench.results['requests']) + len(bench.results['timing']) + len(bench.results.get('fleet', []))
    print('%d passed, %d failed' % (checked, len(bench.failures)))
    return 1 if bench.failures else 0


if __name__ == '__main__':
    sys.exit(main())
