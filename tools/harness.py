# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One-command test harness and demo runner for the prefect.cloud collection.

Run it through ``tools/test`` or ``tools/demo`` (or ``make test`` / ``make demo``).
Standard library only: it must work on a fresh machine before any venv exists.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import glob
import hashlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import string
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMESPACE = 'prefect'
NAME = 'cloud'
VENV_ROOT = os.path.join(REPO, '.venv')
PIP_QUIET = ['--disable-pip-version-check', '-q']
KEY_ALPHABET = string.ascii_letters + string.digits
# Prefect API keys: pnu_ (user) / pnb_ (bot, i.e. service account) + 36 alphanumerics.
REDACTED = 'pnu_<redacted>'

# Oldest and newest supported ansible-core, with the controller Pythons each accepts
# (preferred first). ansible-core 2.16 runs on 3.10-3.12, 2.22 on 3.13-3.14.
CORES = {
    '2.16': {
        'spec': 'ansible-core>=2.16,<2.17',
        'pythons': ('3.11', '3.12', '3.10'),
        'missing': 'no Python 3.10-3.12 on this machine',
    },
    # 2.22.0rc1 is the newest release on PyPI; a specifier that names a pre-release lets pip
    # install it, and it picks 2.22.0 and later 2.22.x releases as soon as they appear.
    '2.22': {
        'spec': 'ansible-core>=2.22.0rc1,<2.23',
        'pythons': ('3.13', '3.14'),
        'missing': 'no Python >= 3.13 on this machine',
    },
}
STEPS = ('sanity', 'units', 'integration', 'changelog', 'build', 'install', 'lint', 'docs', 'ee', 'import',
         'lower-bounds', 'early-warning')
# Runs with other versions of the modules' requirements, once each, in venvs of their own.
#   lower-bounds: the oldest ansible-core and module Python and the lower bounds of
#     requirements.txt; units and the integration targets of the two main modules. Fails the suite.
#   early-warning: the newest ansible-core with the newest httpx pre-release; units only. Its result
#     is printed as "early warning: ..." and never fails the suite.
VARIANTS = (
    {'name': 'lower-bounds', 'core': '2.16', 'pythons': ('3.11',), 'missing': 'no Python 3.11 on this machine',
     'pip': [['httpx==0.27.*', 'pydantic==2.7.*']], 'targets': ('service_account', 'workspace_access'),
     'blocking': True},
    {'name': 'early-warning', 'core': '2.22', 'pythons': ('3.13', '3.14'), 'missing': 'no Python >= 3.13 on this machine',
     'pip': [['--pre', '-U', 'httpx']], 'targets': None, 'blocking': False},
)
# Steps that run once, in the tools venv (.venv/tools, newest tested ansible-core), through the
# script of the same name in tools/ (each can also be run on its own).
TOOL_STEPS = (
    ('lint', 'tools/lint', 'ansible-lint, production profile: roles, examples, awx'),
    ('docs', 'tools/docs', 'antsibull-docs lint-collection-docs and the Sphinx site build'),
    ('ee', 'tools/check-ee', 'ansible-builder create / introspect of meta/execution-environment.yml'),
    ('import', 'tools/galaxy-import', 'galaxy-importer on the built tarball, as Galaxy does on upload'),
)
# Files that must never be part of the built collection artifact.
NOT_IN_ARTIFACT = ('tools/', '.ci/', 'Makefile', '.venv', 'tests/output/', 'tests/integration/integration_config.yml')
# Files the built artifact must contain (ansible-builder and Galaxy read them).
IN_ARTIFACT = ('MANIFEST.json', 'FILES.json', 'meta/runtime.yml', 'requirements.txt', 'README.md')

_EMULATORS = []
# Integration targets that cannot pass on a core for a reason in the target itself, reported as
# SKIPPED with the reason (remove an entry as soon as its target is fixed).
KNOWN_INCOMPATIBLE = {}


class HarnessError(Exception):
    """A step failed for a reason that is explained by the message."""


class Results:
    """Step results, printed as the final summary."""

    def __init__(self):
        self.rows = []

    def add(self, status, name, detail='', seconds=None):
        """Record one step result and print it right away."""
        self.rows.append((status, name, detail, seconds))
        banner('%s: %s%s' % (status, name, ' (%s)' % detail if detail else ''))

    def count(self, status):
        """Number of steps with the given status."""
        return sum(1 for row in self.rows if row[0] == status)

    def print_summary(self, title):
        """Print one line per step and the machine-readable last line."""
        print('\n==== %s ====' % title)
        for status, name, detail, seconds in self.rows:
            took = ' [%s]' % fmt_seconds(seconds) if seconds is not None else ''
            detail = detail.strip().splitlines()[0] if detail.strip() else ''
            print('%-8s %s%s%s' % (status, name, took, ' - %s' % detail if detail else ''))
        for status, name, detail, dummy in self.rows:
            if status == 'WARN':
                print(detail.strip().splitlines()[0] if detail.strip() else 'early warning: %s' % name)
        print('%d passed, %d failed, %d skipped' % (self.count('PASS'), self.count('FAIL'), self.count('SKIPPED')))
        sys.stdout.flush()


def fmt_seconds(seconds):
    """Format a duration as 1m05s."""
    seconds = int(round(seconds))
    return '%dm%02ds' % divmod(seconds, 60)


def banner(text):
    """Print a visible section line."""
    print('\n### %s' % text)
    sys.stdout.flush()


def clean_env(extra_path=None, **overrides):
    """The environment for child processes: no inherited venv, Python or Ansible settings."""
    env = {key: value for key, value in os.environ.items()
           if key not in ('VIRTUAL_ENV', 'PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP')
           and not key.startswith('ANSIBLE_')}
    env['PIP_DISABLE_PIP_VERSION_CHECK'] = '1'
    env['PIP_NO_INPUT'] = '1'
    env['PYTHONUNBUFFERED'] = '1'
    if extra_path:
        env['PATH'] = extra_path + os.pathsep + env.get('PATH', '')
    env.update(overrides)
    return env


def run(cmd, cwd=None, env=None, secrets_=(), capture=False):
    """Run a command, streaming its output (with secrets redacted).

    Returns (returncode, output, secret_hits); output is only collected when capture is set.
    """
    print('$ %s' % ' '.join(cmd))
    sys.stdout.flush()
    with subprocess.Popen(cmd, cwd=cwd, env=env or clean_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors='replace', bufsize=1) as proc:
        lines = []
        hits = 0
        for line in proc.stdout:
            for secret in secrets_:
                if secret in line:
                    hits += line.count(secret)
                    line = line.replace(secret, REDACTED)
            sys.stdout.write(line)
            if capture:
                lines.append(line)
        sys.stdout.flush()
        return proc.wait(), ''.join(lines), hits


def check(cmd, what, **kwargs):
    """Run a command and raise HarnessError when it fails."""
    returncode, output, hits = run(cmd, **kwargs)
    if returncode:
        raise HarnessError('%s failed (exit code %d)' % (what, returncode))
    return output, hits


def output_of(cmd, env=None):
    """Return a quick command's stripped stdout, or None if it cannot run."""
    try:
        return subprocess.run(cmd, env=env or clean_env(), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


# --------------------------------------------------------------------------------------------
# Python interpreters and virtualenvs


def pyenv_root():
    """The pyenv root directory, if pyenv is installed."""
    root = os.environ.get('PYENV_ROOT')
    if not root and shutil.which('pyenv'):
        root = output_of(['pyenv', 'root'])
    if not root:
        root = os.path.expanduser('~/.pyenv')
    return root if os.path.isdir(root) else None


def version_key(path):
    """Sort key for pyenv version directories such as 3.13.10."""
    return [int(part) if part.isdigit() else 0 for part in os.path.basename(path).split('.')]


def probe_python(path, version):
    """Return the full version of the interpreter if it is `version` and can create venvs."""
    out = output_of([path, '-c', 'import sys, venv, ensurepip; print("%d.%d.%d" % sys.version_info[:3])'])
    if out and out.rsplit('.', 1)[0] == version:
        return out
    return None


def find_python(versions):
    """Find an interpreter for the first available version: pyenv installs first, then PATH."""
    root = pyenv_root()
    for version in versions:
        candidates = []
        if root:
            dirs = glob.glob(os.path.join(root, 'versions', version + '.[0-9]*'))
            for directory in sorted(dirs, key=version_key, reverse=True):
                candidates.append(os.path.join(directory, 'bin', 'python' + version))
        on_path = shutil.which('python' + version)
        if on_path:
            candidates.append(on_path)
        for candidate in candidates:
            full = probe_python(candidate, version)
            if full:
                return candidate, version, full
    return None


def ensure_venv(path, python, version, recreate=False):
    """Create (or reuse) a virtualenv made from `python`; return its interpreter path."""
    venv_python = os.path.join(path, 'bin', 'python')
    if os.path.isdir(path) and (recreate or not probe_python(venv_python, version)):
        print('removing %s' % path)
        shutil.rmtree(path)
    if not os.path.isdir(path):
        check([python, '-m', 'venv', path], 'creating the virtualenv %s' % path)
    return venv_python


# ansible-test --venv bootstraps pip in the venvs it creates with a get-pip script that it
# downloads from ci-files.testing.ansible.com and caches under ~/.ansible/test/cache/. Where only
# package registries are reachable that download fails, so tools/test seeds the cache with this
# substitute: it runs ensurepip, then installs the requested pip version from the package index.
# ansible-test runs it as `get_pip_X.py [pip options] pip==X [other packages]`.
GET_PIP_SUBSTITUTE = """\
# Substitute for get-pip.py, written by prefect.cloud's tools/test (see tools/harness.py).
import subprocess
import sys

# get-pip.py's own options, which pip install does not know
GET_PIP_ONLY = ('--no-setuptools', '--no-wheel', '--no-pip')

subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-q', '--upgrade']
                      + [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY])
"""
# Marks a cached bootstrap script as written by this harness (and so safe to refresh).
GET_PIP_MARKER = GET_PIP_SUBSTITUTE.splitlines()[0]


def seed_pip_bootstrap(venv_python):
    """Make sure ansible-test finds its pip bootstrap script in its cache (see GET_PIP_SUBSTITUTE)."""
    source = output_of([venv_python, '-c', 'import ansible_test._internal.python_requirements as m; print(m.__file__)'])
    match = None
    if source:
        with open(source, encoding='utf-8') as handle:
            match = re.search(r"default_packages = dict\(\s*pip='([^']+)'", handle.read())
    if not match:
        print('warning: cannot tell which pip version ansible-test bootstraps; not seeding its cache')
        return
    cache = os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % match.group(1).replace('.', '_'))
    if os.path.exists(cache):
        with open(cache, encoding='utf-8', errors='replace') as handle:
            content = handle.read()
        if content == GET_PIP_SUBSTITUTE or not content.startswith(GET_PIP_MARKER):
            return  # up to date, or the real get-pip script
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, 'w', encoding='utf-8') as handle:
        handle.write(GET_PIP_SUBSTITUTE)
    print('ansible-test downloads its pip %s bootstrap script from a host that is not reachable here: '
          'wrote a substitute (ensurepip + pip from the package index) to %s' % (match.group(1), cache))


def installed_core_version(venv_python):
    """The ansible-core version installed in a venv."""
    return output_of([venv_python, '-c', 'from ansible.release import __version__; print(__version__)']) or '?'


# --------------------------------------------------------------------------------------------
# The collection copy


def listed_files():
    """Files of the work tree: tracked and untracked, but not git-ignored."""
    if not os.path.isdir(os.path.join(REPO, '.git')) and output_of(['git', '-C', REPO, 'rev-parse']) is None:
        raise HarnessError('%s is not a git work tree: cannot tell ignored files apart' % REPO)
    out = subprocess.run(['git', '-C', REPO, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                         capture_output=True, check=True).stdout
    return sorted({name for name in out.decode('utf-8', 'surrogateescape').split('\0') if name})


def make_copy(parent):
    """Copy the work tree to <parent>/ansible_collections/prefect/cloud and make it a git repo."""
    dest = os.path.join(parent, 'ansible_collections', NAMESPACE, NAME)
    os.makedirs(dest)
    count = 0
    for name in listed_files():
        src = os.path.join(REPO, name)
        if not os.path.lexists(src) or os.path.isdir(src) and not os.path.islink(src):
            continue  # deleted but not yet staged, or a submodule
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.islink(src):
            os.symlink(os.readlink(src), target)
        else:
            shutil.copy2(src, target)
        count += 1
    # ansible-test lists the content of a collection with git when it is a git repo.
    git_env = clean_env(GIT_CONFIG_NOSYSTEM='1')
    for cmd in (['git', 'init', '-q'], ['git', 'add', '-A']):
        subprocess.run(cmd, cwd=dest, env=git_env, check=True, stdout=subprocess.DEVNULL)
    print('copied %d files to %s' % (count, dest))
    return dest


# --------------------------------------------------------------------------------------------
# The Prefect Cloud emulator


def free_port():
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def random_key():
    """A random Prefect user API key (pnu_ + 36 alphanumerics)."""
    return 'pnu_' + ''.join(secrets.choice(KEY_ALPHABET) for dummy in range(36))


def http_get(url, timeout=5):
    """GET a URL; return (status, body) or (None, error text)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # nosec - local emulator only
            return response.status, response.read().decode('utf-8', 'replace')
    except urllib.error.HTTPError as exc:
        return exc.code, ''
    except (OSError, ValueError) as exc:
        return None, str(exc)


class Emulator:
    """A local Prefect Cloud emulator process with a random port, account id and owner key."""

    def __init__(self, python, collection_root, workspace, workdir):
        self.python = python
        self.root = collection_root
        self.workspace = workspace
        self.workdir = workdir
        self.port = free_port()
        self.api_key = random_key()
        self.account_id = str(uuid.uuid4())
        self.proc = None
        self.log_path = os.path.join(workdir, 'emulator-%d.log' % self.port)

    @property
    def url(self):
        """Base URL of the emulator (the admin API is under /_emulator/)."""
        return 'http://127.0.0.1:%d' % self.port

    @property
    def api_url(self):
        """The Prefect Cloud API URL the modules use."""
        return self.url + '/api'

    def start(self, timeout=60):
        """Start the emulator and wait until its health endpoint answers."""
        package = os.path.join(self.root, 'tests', 'emulator', 'prefect_emulator')
        if not os.path.isdir(package):
            raise HarnessError('the Prefect Cloud emulator is missing: %s does not exist'
                               % os.path.relpath(package, self.root))
        ready_file = os.path.join(self.workdir, 'emulator-%d.ready' % self.port)
        cmd = [self.python, '-m', 'prefect_emulator', '--port', str(self.port), '--account-id', self.account_id,
               '--workspace', self.workspace, '--ready-file', ready_file]
        print('starting the emulator on %s (account %s, workspace %s, owner key not shown)'
              % (self.url, self.account_id, self.workspace))
        # The owner key goes through the environment, never the command line (visible in ps).
        env = clean_env(PYTHONPATH=os.path.join(self.root, 'tests', 'emulator'), PREFECT_EMULATOR_API_KEY=self.api_key)
        with open(self.log_path, 'wb') as log:
            self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdin=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        _EMULATORS.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HarnessError('the emulator exited with code %s during start-up:\n%s'
                                   % (self.proc.returncode, self.log_tail()))
            if os.path.exists(ready_file) and http_get(self.url + '/_emulator/health')[0] == 200:
                print('emulator ready (pid %d)' % self.proc.pid)
                return
            time.sleep(0.2)
        self.stop()
        raise HarnessError('the emulator was not ready after %ds:\n%s' % (timeout, self.log_tail()))

    def log_tail(self, lines=40):
        """The end of the emulator log, with the owner key redacted."""
        try:
            with open(self.log_path, encoding='utf-8', errors='replace') as log:
                text = ''.join(log.readlines()[-lines:])
        except OSError:
            return '(no emulator log)'
        return text.replace(self.api_key, REDACTED)

    @functools.cached_property
    def admin(self):
        """The emulator's admin API (/_emulator/), through the client the integration tests share (loaded once)."""
        path = os.path.join(self.root, 'tests', 'integration', 'targets', 'setup_prefect_faults', 'files',
                            'emulator_admin.py')
        spec = importlib.util.spec_from_file_location('emulator_admin', path)
        helper = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(helper)
        return helper.Admin(self.url, timeout=10)

    def issued_keys(self):
        """API keys the emulator issued (for secret-leak scans; never printed)."""
        try:
            keys = self.admin.issued_keys()
        except (OSError, ValueError):
            return set()
        return set(keys) - {self.api_key}

    def stop(self):
        """Stop the emulator (idempotent)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            print('emulator on port %d stopped' % self.port)
        self.proc = None
        if self in _EMULATORS:
            _EMULATORS.remove(self)


def stop_all_emulators():
    """atexit / signal handler: never leave an emulator behind."""
    for emulator in list(_EMULATORS):
        emulator.stop()


def on_signal(signum, dummy_frame):
    """Turn SIGTERM/SIGHUP into a normal exit so that cleanups run."""
    raise SystemExit(128 + signum)


def install_cleanup_handlers():
    """Stop emulators on exit, Ctrl-C, SIGTERM and SIGHUP."""
    atexit.register(stop_all_emulators)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)


def write_integration_config(collection, emulator):
    """Write tests/integration/integration_config.yml (mode 0600) for ansible-test."""
    path = os.path.join(collection, 'tests', 'integration', 'integration_config.yml')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = [
        '---',
        '# Written by tools/test for one run; never commit it.',
        'prefect_api_url: %s' % emulator.api_url,
        'prefect_api_key: %s' % emulator.api_key,
        'prefect_account_id: %s' % emulator.account_id,
        'prefect_workspace_handle: %s' % emulator.workspace,
        'prefect_emulator_url: %s' % emulator.url,
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w', encoding='utf-8') as handle:
        handle.write('\n'.join(lines) + '\n')
    return path


# --------------------------------------------------------------------------------------------
# Steps


class Context:
    """State shared by the steps of one tools/test run."""

    def __init__(self, args, workdir, collection):
        self.args = args
        self.workdir = workdir
        self.collection = collection
        self.results = Results()
        self.artifact = None
        self.tools_venv = None

    def step(self, name, func, *func_args):
        """Run one step, record PASS/FAIL/SKIPPED with its duration; return PASS as a bool."""
        banner('%s' % name)
        start = time.monotonic()
        try:
            detail = func(*func_args)
            status = 'PASS'
        except SkipStep as exc:
            status, detail = 'SKIPPED', str(exc)
        except HarnessError as exc:
            status, detail = 'FAIL', str(exc)
        except (OSError, subprocess.SubprocessError) as exc:
            status, detail = 'FAIL', '%s: %s' % (type(exc).__name__, exc)
        self.results.add(status, name, detail or '', time.monotonic() - start)
        return status == 'PASS'

    def wants(self, step):
        """Whether --only selects this step."""
        return not self.args.only or step in self.args.only


class SkipStep(Exception):
    """The step does not apply; the message says why."""


class CoreEnv:
    """One tested ansible-core: its interpreter and venv."""

    def __init__(self, core, python, version, full_version, venv_name=None):
        self.core = core
        self.python = python
        self.version = version
        self.full_version = full_version
        self.venv = os.path.join(VENV_ROOT, venv_name or 'test-%s' % core)
        self.venv_python = os.path.join(self.venv, 'bin', 'python')
        self.core_version = '?'

    @property
    def label(self):
        """Human label, e.g. ansible-core 2.16.19 / Python 3.11.7."""
        return 'ansible-core %s / Python %s' % (self.core_version if self.core_version != '?' else self.core,
                                                self.full_version)

    def bin(self, name):
        """Path of an executable in the venv."""
        return os.path.join(self.venv, 'bin', name)

    def env(self, **overrides):
        """Child environment with the venv first on PATH (ansible-test finds pythonX.Y there)."""
        return clean_env(extra_path=os.path.join(self.venv, 'bin'), **overrides)


def step_venv(ctx, core_env):
    """Create the venv and install ansible-core, the requirements and the test requirements."""
    ensure_venv(core_env.venv, core_env.python, core_env.version, ctx.args.recreate)
    spec = CORES[core_env.core]['spec']
    check([core_env.venv_python, '-m', 'pip', 'install'] + PIP_QUIET + [spec, '-r', 'requirements.txt', '-r', 'test-requirements.txt'],
          'pip install', cwd=ctx.collection, env=core_env.env())
    core_env.core_version = installed_core_version(core_env.venv_python)
    seed_pip_bootstrap(core_env.venv_python)
    return '%s in %s' % (core_env.label, os.path.relpath(core_env.venv, REPO))


def step_shellcheck(ctx):
    """shellcheck the bash scripts that ansible-test's shellcheck test does not cover (no .sh suffix)."""
    if not shutil.which('shellcheck'):
        if os.geteuid() != 0 or not shutil.which('apt-get'):
            raise SkipStep('shellcheck is not installed and cannot be installed here (needs root and apt-get)')
        print('shellcheck not found: installing it with apt-get (used here and by ansible-test sanity)')
        env = clean_env(DEBIAN_FRONTEND='noninteractive')
        check(['apt-get', 'update', '-qq'], 'apt-get update', env=env)
        check(['apt-get', 'install', '-y', '-qq', '-o', 'Dpkg::Use-Pty=0', 'shellcheck'], 'apt-get install shellcheck', env=env)
    scripts = []
    for name in listed_files():
        path = os.path.join(ctx.collection, name)
        if name.endswith('.sh') or not os.path.isfile(path):
            continue
        with open(path, 'rb') as handle:
            first = handle.readline()
        if re.match(rb'#!\s*(/usr/bin/env\s+)?(/bin/)?(ba)?sh\b', first):
            scripts.append(name)
    if not scripts:
        raise SkipStep('no shell scripts without a .sh suffix')
    check(['shellcheck', '--external-sources'] + scripts, 'shellcheck', cwd=ctx.collection)
    return '%d scripts: %s' % (len(scripts), ', '.join(scripts))


def step_sanity(ctx, core_env):
    """ansible-test sanity, all tests, no ignore files."""
    ignores = sorted(glob.glob(os.path.join(ctx.collection, 'tests', 'sanity', 'ignore-*.txt')))
    if ignores:
        raise HarnessError('sanity ignore files are not allowed: %s'
                           % ', '.join(os.path.relpath(path, ctx.collection) for path in ignores))
    selected = list(ctx.args.sanity_test or ())
    pylint_requirements = pylint_offline_requirements(core_env)
    pylint_apart = pylint_requirements is not None and (not selected or 'pylint' in selected)
    cmd = [core_env.bin('ansible-test'), 'sanity', '--venv', '--python', core_env.version]
    for test in selected:
        if not (pylint_apart and test == 'pylint'):
            cmd += ['--test', test]
    if pylint_apart:
        cmd += ['--skip-test', 'pylint']
    cmd += ctx.args.ansible_test_verbosity
    if not pylint_apart or selected != ['pylint']:
        check(cmd, 'ansible-test sanity', cwd=ctx.collection, env=core_env.env())
    if pylint_apart:
        run_pylint_seeded(ctx, core_env, pylint_requirements)
        return '%s (pylint venv seeded from the package index)' % core_env.label
    return core_env.label


def run_pylint_seeded(ctx, core_env, requirements):
    """ansible-test sanity --test pylint when ansible-test pins a pylint requirement to a github.com archive.

    ansible-test keeps the pylint venv in ~/.ansible/test/venv/sanity.pylint/<python>/<hash>/ and installs
    into it only while it has no marker.txt. Where github.com is not reachable that install fails; the
    venv is then filled with the same pins from the package index (the archive's package by name), marked
    as complete the way ansible-test does it, and the test runs again in it.
    """
    cmd = [core_env.bin('ansible-test'), 'sanity', '--venv', '--python', core_env.version, '--test', 'pylint']
    cmd += ctx.args.ansible_test_verbosity
    returncode, output, dummy = run(cmd, cwd=ctx.collection, env=core_env.env(), capture=True)
    if not returncode:
        return
    match = re.search(r'(/\S+/\.ansible/test/venv/sanity\.pylint/[0-9.]+/[0-9a-f]+)/bin/python', output)
    if not match or 'github.com' not in output:
        raise HarnessError('ansible-test sanity --test pylint failed (exit code %d)' % returncode)
    venv = match.group(1)
    print('ansible-test %s could not fill its pylint venv from github.com; installing the same pins from the '
          'package index into %s: %s' % (core_env.core, venv, ' '.join(requirements)))
    python = os.path.join(venv, 'bin', 'python')
    check([python, '-m', 'pip', 'install'] + PIP_QUIET + requirements, 'pip install (pylint venv)', env=core_env.env())
    tools = output_of([core_env.venv_python, '-c', 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))'])
    yaml_state = json.loads(output_of([python, os.path.join(tools, '_util', 'target', 'tools', 'yamlcheck.py')]) or '{}')
    with open(os.path.join(venv, 'meta.yaml.json'), 'w', encoding='utf-8') as handle:
        json.dump(yaml_state.get('cloader') if yaml_state.get('yaml') else None, handle)
    with open(os.path.join(venv, 'meta.install.json'), 'w', encoding='utf-8') as handle:
        json.dump({'installed_by': 'prefect.cloud tools/test', 'requirements': requirements}, handle, indent=4)
    with open(os.path.join(venv, 'marker.txt'), 'w', encoding='utf-8'):
        pass
    check(cmd, 'ansible-test sanity --test pylint', cwd=ctx.collection, env=core_env.env())


def pylint_offline_requirements(core_env):
    """The pins of ansible-test's pylint requirements with archive URLs replaced by the package name.

    None when ansible-test pins nothing to a URL (its own --venv then installs everything from the index).
    """
    source = output_of([core_env.venv_python, '-c', 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))'])
    path = os.path.join(source or '', '_data', 'requirements', 'sanity.pylint.txt')
    if not source or not os.path.isfile(path):
        return None
    pins, urls = [], 0
    with open(path, encoding='utf-8') as handle:
        for line in handle:
            line = line.split('#', 1)[0].strip() if not line.lstrip().startswith('#') else ''
            match = re.match(r'^([A-Za-z0-9_.-]+)\s*@\s*https?://', line)
            if match:
                pins.append(match.group(1))
                urls += 1
            elif line:
                pins.append(line)
    return pins if urls else None


def step_units(ctx, core_env):
    """ansible-test units with the venv's interpreter."""
    unit_dir = os.path.join(ctx.collection, 'tests', 'unit')
    tests = glob.glob(os.path.join(unit_dir, '**', 'test_*.py'), recursive=True)
    if not tests:
        raise SkipStep('no unit tests (tests/unit/**/test_*.py) yet')
    cmd = [core_env.bin('ansible-test'), 'units', '--local', '--python', core_env.version]
    cmd += ctx.args.ansible_test_verbosity
    check(cmd, 'ansible-test units', cwd=ctx.collection, env=core_env.env())
    return '%s, %d test files' % (core_env.label, len(tests))


def step_integration(ctx, core_env, targets=None):
    """Start the emulator, run every integration target (or these), scan the output for leaked keys."""
    emulator = Emulator(core_env.venv_python, ctx.collection, 'ansible-ci', ctx.workdir)
    config = None
    try:
        emulator.start()
        config = write_integration_config(ctx.collection, emulator)
        cmd = [core_env.bin('ansible-test'), 'integration', '--local', '--python', core_env.version, '--continue-on-error']
        cmd += ctx.args.ansible_test_verbosity + list(targets or ctx.args.target or ())
        for target, reason in KNOWN_INCOMPATIBLE.get(core_env.core, {}).items():
            if not (targets or ctx.args.target):
                cmd += ['--exclude', target]
                ctx.results.add('SKIPPED', 'integration %s %s' % (core_env.core, target), reason)
        returncode, output, hits = run(cmd, cwd=ctx.collection, env=core_env.env(), secrets_=[emulator.api_key],
                                       capture=True)
        leaked = [key for key in emulator.issued_keys() if key in output]
    finally:
        emulator.stop()
        if config and os.path.exists(config):
            os.remove(config)
    problems = []
    if returncode:
        problems.append('ansible-test integration failed (exit code %d)' % returncode)
    if hits:
        problems.append('the owner API key appeared %d times in the output (redacted above)' % hits)
    if leaked:
        problems.append('%d API keys issued by the emulator appeared in the output' % len(leaked))
    if problems:
        raise HarnessError('; '.join(problems))
    return '%s, emulator on a random port, no key in the output' % core_env.label


def step_changelog(ctx, core_env):
    """antsibull-changelog lint."""
    check([core_env.bin('antsibull-changelog'), 'lint'], 'antsibull-changelog lint', cwd=ctx.collection,
          env=core_env.env())
    return 'antsibull-changelog lint'


def step_build(ctx, core_env):
    """ansible-galaxy collection build into a temp dir, and check what went into the artifact."""
    out_dir = os.path.join(ctx.workdir, 'dist')
    os.makedirs(out_dir, exist_ok=True)
    check([core_env.bin('ansible-galaxy'), 'collection', 'build', '--force', '--output-path', out_dir],
          'ansible-galaxy collection build', cwd=ctx.collection, env=core_env.env())
    artifacts = glob.glob(os.path.join(out_dir, '%s-%s-*.tar.gz' % (NAMESPACE, NAME)))
    if len(artifacts) != 1:
        raise HarnessError('expected one artifact in %s, found %d' % (out_dir, len(artifacts)))
    ctx.artifact = artifacts[0]
    with tarfile.open(artifacts[0]) as tar:
        names = tar.getnames()
    unwanted = sorted(name for name in names
                      if any(name == bad.rstrip('/') or name.startswith(bad) for bad in NOT_IN_ARTIFACT))
    missing = [name for name in IN_ARTIFACT if name not in names]
    if unwanted or missing:
        raise HarnessError('artifact content: unwanted %s, missing %s' % (unwanted[:10], missing))
    return '%s (%d files, %d KiB)' % (os.path.basename(artifacts[0]), len(names),
                                      os.path.getsize(artifacts[0]) // 1024)


def step_tools_venv(ctx, core_env):
    """The venv of ansible-lint, antsibull-docs and ansible-builder (tools/requirements.txt)."""
    venv = os.path.join(VENV_ROOT, 'tools')
    python = ensure_venv(venv, core_env.python, core_env.version, ctx.args.recreate)
    check([python, '-m', 'pip', 'install'] + PIP_QUIET + [CORES[core_env.core]['spec'], '-r', 'requirements.txt',
                                                          '-r', os.path.join('tools', 'requirements.txt')],
          'pip install', cwd=ctx.collection, env=clean_env(extra_path=os.path.join(venv, 'bin')))
    ctx.tools_venv = venv
    return '%s (Python %s)' % (os.path.relpath(venv, REPO), core_env.full_version)


def step_tool(ctx, script):
    """Run one of the tools/ check scripts on the copy, with the tools venv."""
    check(['bash', os.path.join(ctx.collection, script), '--venv', ctx.tools_venv], script, cwd=ctx.collection,
          env=clean_env(extra_path=os.path.join(ctx.tools_venv, 'bin')))
    return script


INSTALL_SMOKE_PLAYBOOK = """\
- name: Use prefect.cloud installed from its artifact
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Create a service account
      prefect.cloud.service_account:
        name: install-smoke
        account_role: Member
      register: created
      no_log: true
    - name: Grant it a workspace role
      prefect.cloud.workspace_access:
        workspace: "{{ workspace }}"
        accessor_type: service_account
        accessor: install-smoke
        workspace_role: Viewer
      register: granted
    - name: Read it back
      prefect.cloud.service_account_info:
        name: install-smoke
      register: found
    - name: Check the results
      ansible.builtin.assert:
        that:
          - created is changed
          - granted is changed
          - found.service_accounts | length == 1
          - found.service_accounts[0].account_role == 'Member'
"""


def step_install(ctx, core_env):
    """Install the built artifact into a fresh path, list its content with ansible-doc, use it."""
    if not ctx.artifact:
        raise SkipStep('no artifact (the build step did not run or failed)')
    path = os.path.join(ctx.workdir, 'installed')
    env = core_env.env(ANSIBLE_COLLECTIONS_PATH=path, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false')
    check([core_env.bin('ansible-galaxy'), 'collection', 'install', '-p', path, ctx.artifact],
          'ansible-galaxy collection install', cwd=ctx.workdir, env=env)
    expected = {'module': sorted('prefect.cloud.' + name[:-3] for name in os.listdir(os.path.join(ctx.collection, 'plugins', 'modules'))
                                 if name.endswith('.py') and not name.startswith('_')),
                'role': sorted('prefect.cloud.' + name for name in os.listdir(os.path.join(ctx.collection, 'roles')))}
    for kind, names in expected.items():
        listed, dummy = check([core_env.bin('ansible-doc'), '-t', kind, '-l', 'prefect.cloud'],
                              'ansible-doc -t %s -l' % kind, cwd=ctx.workdir, env=env, capture=True)
        missing = [name for name in names if not re.search(r'^%s\b' % re.escape(name), listed, re.M)]
        if missing:
            raise HarnessError('ansible-doc -t %s -l prefect.cloud does not list %s' % (kind, ', '.join(missing)))
    playbook = os.path.join(ctx.workdir, 'install-smoke.yml')
    with open(playbook, 'w', encoding='utf-8') as handle:
        handle.write(INSTALL_SMOKE_PLAYBOOK)
    emulator = Emulator(core_env.venv_python, ctx.collection, 'install-smoke', ctx.workdir)
    try:
        emulator.start()
        run_env = dict(env, PREFECT_CLOUD_API_URL=emulator.api_url, PREFECT_API_KEY=emulator.api_key,
                       PREFECT_CLOUD_ACCOUNT_ID=emulator.account_id, ANSIBLE_LOCALHOST_WARNING='false',
                       ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
        returncode, output, hits = run([core_env.bin('ansible-playbook'), playbook, '-e', 'workspace=install-smoke'],
                                       cwd=ctx.workdir, env=run_env, secrets_=[emulator.api_key], capture=True)
        leaked = [key for key in emulator.issued_keys() if key in output]
    finally:
        emulator.stop()
    if returncode or hits or leaked:
        raise HarnessError('the installed collection failed its smoke playbook (exit code %d, %d key occurrences)'
                           % (returncode, hits + len(leaked)))
    return '%d modules and %d roles listed by ansible-doc; smoke playbook passed from %s' % (
        len(expected['module']), len(expected['role']), os.path.relpath(path, ctx.workdir))


def step_variant_venv(ctx, core_env, variant):
    """The venv of a variant run: the core's requirements, then the variant's pip installs."""
    step_venv(ctx, core_env)
    for extra in variant['pip']:
        check([core_env.venv_python, '-m', 'pip', 'install'] + PIP_QUIET + extra, 'pip install %s' % ' '.join(extra),
              cwd=ctx.collection, env=core_env.env())
    versions = output_of([core_env.venv_python, '-c', 'from importlib.metadata import version as v; '
                          'print(" ".join("%s %s" % (n, v(n)) for n in ("httpx", "pydantic", "pydantic-core")))'])
    core_env.requirement_versions = versions or '?'
    return '%s; %s' % (core_env.label, core_env.requirement_versions)


def run_variant(ctx, variant):
    """One VARIANTS run: venv, units, integration targets; returns nothing, records results."""
    name = variant['name']
    found = find_python(variant['pythons'])
    if not found:
        ctx.results.add('SKIPPED', name, variant['missing'])
        return
    core_env = CoreEnv(variant['core'], *found, venv_name=name)
    steps = [('units', step_units, ())]
    if variant['targets']:
        steps.append(('integration', step_integration, (variant['targets'],)))
    if variant['blocking']:
        if ctx.step('%s venv' % name, step_variant_venv, ctx, core_env, variant):
            for step, func, extra in steps:
                ctx.step('%s %s %s' % (name, step, ' '.join(variant['targets']) if extra else ''), func,
                         ctx, core_env, *extra)
        return
    # Not blocking: run the steps, report the outcome, record PASS or WARN (WARN is not a failure).
    start = time.monotonic()
    problem = None
    try:
        banner('%s venv' % name)
        step_variant_venv(ctx, core_env, variant)
        for step, func, extra in steps:
            banner('%s %s' % (name, step))
            func(ctx, core_env, *extra)
    except (HarnessError, SkipStep, OSError, subprocess.SubprocessError) as exc:
        problem = str(exc)
    versions = getattr(core_env, 'requirement_versions', '?')
    if problem:
        line = 'early warning: unit tests FAIL with %s (%s): %s' % (versions, core_env.label, problem)
    else:
        line = 'early warning: unit tests pass with %s (%s)' % (versions, core_env.label)
    print('\n' + line)
    ctx.results.add('WARN' if problem else 'PASS', name, line, time.monotonic() - start)


def run_once_steps(ctx, core_env):
    """Steps that run once, with the newest tested ansible-core: install, lint, docs, ee."""
    if ctx.wants('install'):
        ctx.step('install the artifact (%s)' % core_env.core, step_install, ctx, core_env)
    tools = [(name, script) for name, script, dummy in TOOL_STEPS if ctx.wants(name)]
    if tools and ctx.step('tools venv', step_tools_venv, ctx, core_env):
        for name, script in tools:
            ctx.step(name, step_tool, ctx, script)


def run_tests(args):
    """tools/test: the whole pipeline, or the parts selected with --only / --core."""
    install_cleanup_handlers()
    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix='prefect-cloud-test-')
    print('work directory: %s' % workdir)
    ctx = Context(args, workdir, None)
    failed_before_tests = False
    try:
        ctx.collection = make_copy(workdir)
    except (HarnessError, OSError, subprocess.SubprocessError) as exc:
        ctx.results.add('FAIL', 'copy the work tree', str(exc))
        failed_before_tests = True

    if not failed_before_tests:
        if ctx.wants('sanity'):
            ctx.step('shellcheck (scripts without .sh)', step_shellcheck, ctx)
        first_env = last_env = None
        for core in args.core or list(CORES):
            found = find_python(CORES[core]['pythons'])
            if not found:
                reason = CORES[core]['missing']
                print('SKIPPED: ansible-core %s (%s)' % (core, reason))
                ctx.results.add('SKIPPED', 'ansible-core %s' % core, reason)
                continue
            core_env = CoreEnv(core, *found)
            if not ctx.step('venv %s' % core, step_venv, ctx, core_env):
                continue
            if first_env is None:
                first_env = core_env
                if ctx.wants('changelog'):
                    ctx.step('changelog lint', step_changelog, ctx, core_env)
                if ctx.wants('build') or ctx.wants('install'):
                    ctx.step('collection build', step_build, ctx, core_env)
            last_env = core_env
            for step, func in (('sanity', step_sanity), ('units', step_units), ('integration', step_integration)):
                if ctx.wants(step):
                    ctx.step('%s %s' % (step, core), func, ctx, core_env)
        if last_env is not None:
            run_once_steps(ctx, last_env)
        for variant in VARIANTS:
            if (args.only and variant['name'] in args.only
                    or not args.only and (not args.core or variant['core'] in args.core)):
                run_variant(ctx, variant)

    failed = ctx.results.count('FAIL')
    ran = ctx.results.count('PASS') + failed
    if not failed and not ran:
        ctx.results.add('FAIL', 'harness', 'no step ran: nothing was tested')
        failed = 1
    if failed and not args.keep:
        print('\nkeeping the work directory for inspection: %s' % workdir)
    elif args.keep:
        print('\nwork directory kept: %s' % workdir)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    ctx.results.print_summary('tools/test summary (total %s)' % fmt_seconds(time.monotonic() - started))
    return 1 if failed else 0


# --------------------------------------------------------------------------------------------
# Demo


DEMO_INVENTORY = 'examples/demo-inventory.ini'
# The runs of the demo playbook: (name, what it shows, extra ansible-playbook arguments).
DEMO_RUNS = (
    ('preview', 'ansible-playbook --check --diff: preview the changes. The modules only read from the API '
                'and nothing is written on any host.', ['--check', '--diff']),
    ('apply', 'ansible-playbook: create the service accounts, grant their workspace roles and deploy the '
              'etl-worker key to the three agent hosts.', []),
    ('re-run', 'ansible-playbook again: nothing changes, no key is rotated and no write request reaches '
               'the API.', []),
)
ANSI_ESCAPE = re.compile(r'\x1b\[[0-9;]*m')
RECAP_LINE = re.compile(r'^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)', re.M)


def demo_files(root):
    """Every file and directory under root: {relative path: (mode, sha256 or None for a directory)}."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            digest = None
            if name in filenames:
                with open(path, 'rb') as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            found[os.path.relpath(path, root)] = (stat.S_IMODE(os.lstat(path).st_mode), digest)
    return found


def demo_check_run(name, returncode, output, requests_, files, previous_files, new_keys):
    """Check the expectations of one demo run; return (problems, one-line description)."""
    problems = []
    if returncode:
        problems.append('ansible-playbook exit code %d' % returncode)
    recap = {host: int(changed) for host, dummy_ok, changed, dummy_unreachable, dummy_failed
             in RECAP_LINE.findall(ANSI_ESCAPE.sub('', output))}
    writes = sum(1 for entry in requests_ if entry.get('write'))
    api = '%d API requests, %d writes, %d keys issued' % (len(requests_), writes, new_keys)
    changes = '%d changed tasks' % sum(recap.values())
    if not recap and not returncode:
        problems.append('no PLAY RECAP in the output')
    keys = [path for path, (dummy_mode, digest) in files.items() if digest is not None]
    if name == 'preview':
        if writes or new_keys:
            problems.append('the preview sent %d write requests' % writes)
        if files:
            problems.append('the preview wrote %d files or directories' % len(files))
        return problems, '%s (predicted); %s; nothing written on the hosts' % (changes, api)
    if name == 'apply':
        loose = sorted(path for path in keys if files[path][0] != 0o600)
        if loose:
            problems.append('files not mode 0600: %s' % ', '.join(loose))
        if not keys:
            problems.append('no file was written')
        return problems, '%s; %s; %d files with a key written, all mode 0600' % (changes, api, len(keys))
    changed = sorted(host for host, count in recap.items() if count)
    if writes or new_keys:
        problems.append('the re-run sent %d write requests and got %d new keys' % (writes, new_keys))
    if changed:
        problems.append('the re-run changed something on %s' % ', '.join(changed))
    if files != previous_files:
        problems.append('files on the hosts changed')
    return problems, '%s on %d hosts; %s; files unchanged' % (changes, len(recap), api)


def run_demo(args):
    """tools/demo: install the collection from the work tree and run the demo playbook on the emulator.

    The playbook runs three times (DEMO_RUNS): preview (--check --diff), apply, re-run. After each
    run the emulator's request log and the files under the agent hosts' root are checked; the demo
    fails if a preview or a re-run writes anything or if any API key shows up in the output.
    """
    install_cleanup_handlers()
    started = time.monotonic()
    playbook = os.path.join(REPO, args.playbook)
    inventory = os.path.join(REPO, args.inventory)
    for path, what in ((playbook, 'playbook'), (inventory, 'inventory')):
        if not os.path.isfile(path):
            print('demo %s %s is missing' % (what, os.path.relpath(path, REPO)))
            return 1
    python = args.python or shutil.which('python3') or sys.executable
    version = output_of([python, '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])
    if not version:
        print('cannot run %s' % python)
        return 1
    venv = os.path.join(VENV_ROOT, 'demo')
    banner('demo venv: %s (Python %s, newest installable ansible-core)' % (os.path.relpath(venv, REPO), version))
    workdir = tempfile.mkdtemp(prefix='prefect-cloud-demo-')
    demo_root = os.path.join(workdir, 'hosts')
    os.mkdir(demo_root, 0o700)
    os_user = output_of(['id', '-un']) or os.environ.get('USER', 'root')
    rows = []
    failed = False
    try:
        venv_python = ensure_venv(venv, python, version, args.recreate)
        # Ansible's temporary files go to the work directory too, so the demo leaves nothing behind.
        venv_env = clean_env(extra_path=os.path.join(venv, 'bin'),
                             ANSIBLE_LOCAL_TEMP=os.path.join(workdir, 'ansible-local'),
                             ANSIBLE_REMOTE_TMP=os.path.join(workdir, 'ansible-remote'))
        requirements = os.path.join(REPO, 'requirements.txt')
        # -qq: only pip's errors; its warnings (for example about a local pip configuration) are
        # not part of the demo.
        check([venv_python, '-m', 'pip', 'install'] + PIP_QUIET + ['-q', '--upgrade', 'ansible-core', '-r', requirements],
              'pip install', env=venv_env)
        print('ansible-core %s' % installed_core_version(venv_python))

        banner('build and install prefect.cloud from the work tree')
        collection = make_copy(os.path.join(workdir, 'src'))
        dist = os.path.join(workdir, 'dist')
        collections_path = os.path.join(workdir, 'collections')
        check([os.path.join(venv, 'bin', 'ansible-galaxy'), 'collection', 'build', '--output-path', dist],
              'ansible-galaxy collection build', cwd=collection, env=venv_env)
        artifact = glob.glob(os.path.join(dist, '*.tar.gz'))[0]
        check([os.path.join(venv, 'bin', 'ansible-galaxy'), 'collection', 'install', '--force', '-p',
               collections_path, artifact], 'ansible-galaxy collection install',
              env=dict(venv_env, ANSIBLE_COLLECTIONS_PATH=collections_path))

        banner('start the Prefect Cloud emulator')
        emulator = Emulator(venv_python, collection, args.workspace, workdir)
        emulator.start()
        env = dict(venv_env,
                   ANSIBLE_COLLECTIONS_PATH=collections_path,
                   ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false',
                   ANSIBLE_FORCE_COLOR='1' if sys.stdout.isatty() else '0',
                   ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                   ANSIBLE_DISPLAY_SKIPPED_HOSTS='false',
                   ANSIBLE_CALLBACK_RESULT_FORMAT='yaml',
                   PREFECT_CLOUD_API_URL=emulator.api_url,
                   PREFECT_API_KEY=emulator.api_key,
                   PREFECT_CLOUD_ACCOUNT_ID=emulator.account_id)
        print('export PREFECT_CLOUD_API_URL=%s PREFECT_CLOUD_ACCOUNT_ID=%s PREFECT_API_KEY=<owner key, not shown>'
              % (emulator.api_url, emulator.account_id))

        outputs = []
        hits = 0
        previous_files = {}
        issued_before = 0
        for number, (name, story, extra) in enumerate(DEMO_RUNS, 1):
            banner('%d/%d %s: %s' % (number, len(DEMO_RUNS), name, story))
            emulator.admin.clear_log()
            cmd = [os.path.join(venv, 'bin', 'ansible-playbook'), '-i', inventory, playbook,
                   '-e', 'demo_root=%s' % demo_root, '-e', 'demo_os_user=%s' % os_user,
                   '-e', 'demo_workspace=%s' % args.workspace] + extra + args.playbook_args
            returncode, output, run_hits = run(cmd, cwd=REPO, env=env, secrets_=[emulator.api_key], capture=True)
            outputs.append(output)
            hits += run_hits
            files = demo_files(demo_root)
            issued = len(emulator.issued_keys())
            problems, detail = demo_check_run(name, returncode, output, emulator.admin.requests() or [],
                                              files, previous_files, issued - issued_before)
            previous_files, issued_before = files, issued
            label = '%d. %s%s' % (number, name, ' (%s)' % ' '.join(extra) if extra else '')
            rows.append(('FAIL' if problems else 'PASS', label, '; '.join(problems) or detail))
            failed = failed or bool(problems)
            if returncode:
                break
        issued = emulator.issued_keys()
        leaked = [key for key in issued if any(key in output for output in outputs)]
        emulator.stop()
        if hits or leaked:
            rows.append(('FAIL', 'secrets', 'API keys in the output: the owner key %d times (redacted), %d of the '
                         'keys the emulator issued' % (hits, len(leaked))))
            failed = True
        else:
            rows.append(('PASS', 'secrets', 'no API key in the output (checked: the owner key and the %d keys '
                         'the emulator issued)' % len(issued)))
    except (HarnessError, OSError, ValueError) as exc:
        rows.append(('FAIL', 'demo', str(exc)))
        failed = True
    finally:
        stop_all_emulators()
        shutil.rmtree(workdir, ignore_errors=True)
    if os.path.exists(workdir):
        rows.append(('FAIL', 'clean-up', '%s was not removed' % workdir))
        failed = True
    else:
        rows.append(('PASS', 'clean-up', 'emulator stopped; temporary directory %s removed' % workdir))
    print('\n==== demo summary (%s) ====' % fmt_seconds(time.monotonic() - started))
    for status, label, detail in rows:
        print('%-5s %-28s %s' % (status, label, detail))
    print('demo %s' % ('FAILED' if failed else 'finished: preview, apply and re-run behaved as expected'))
    return 1 if failed else 0


# --------------------------------------------------------------------------------------------
# Command line

TEST_EPILOG = """\
steps (per ansible-core): venv, sanity, units, integration; once: shellcheck, changelog, build, install,
lint, docs, ee
  venv         .venv/test-<core>: ansible-core, requirements.txt, test-requirements.txt
  sanity       ansible-test sanity --venv --python X (all tests, tests/sanity/ignore-*.txt forbidden)
               + shellcheck of the bash scripts without a .sh suffix (installed with apt-get if missing)
  units        ansible-test units --local --python X (in the venv)
  integration  starts tests/emulator/prefect_emulator on a free port with a random owner key,
               writes tests/integration/integration_config.yml, runs every target with
               ansible-test integration --local --python X --continue-on-error, stops the
               emulator and fails if any API key shows up in the output
  changelog    antsibull-changelog lint
  build        ansible-galaxy collection build (into the temp dir) and an artifact content check
once, with the newest tested ansible-core:
  install      ansible-galaxy collection install of the artifact into a fresh path; every module
               and role must show in ansible-doc -l; a smoke playbook runs from there (emulator)
  lint         tools/lint: ansible-lint --profile production on the whole collection but tests/
  docs         tools/docs: antsibull-docs lint-collection-docs + the docs site build (Sphinx -W)
  ee           tools/check-ee: the EE declaration, ansible-builder create of the AWX guide's example EE
  import       tools/galaxy-import: galaxy-importer on the built tarball, failing on any ERROR line
  (lint, docs, ee and import share .venv/tools, installed from tools/requirements.txt)
then, each in a venv of its own:
  lower-bounds   ansible-core 2.16, Python 3.11, httpx==0.27.*, pydantic==2.7.*: units and the
                 service_account and workspace_access targets
  early-warning  ansible-core 2.22 with the newest httpx pre-release: units; printed as
                 "early warning: ..." and never counted as a failure

ansible-core versions: 2.16 (oldest supported; Python 3.11, 3.12 or 3.10) and 2.22 (newest;
Python 3.13 or 3.14). Interpreters are looked up in pyenv, then on PATH; a version
without an interpreter is reported as SKIPPED.

The work tree (git ls-files --cached --others --exclude-standard: uncommitted work included,
ignored files not) is copied to <tmp>/ansible_collections/prefect/cloud and tested there.
The last line is "N passed, N failed, N skipped"; the exit code is 1 on any failure.

examples:
  tools/test                                  everything (what CI runs)
  tools/test --only sanity --core 2.22        sanity on the newest ansible-core only
  tools/test --only units,integration         unit and integration tests on both cores
  tools/test --only integration --target emulator_smoke -v
  tools/test --only sanity --sanity-test pylint --sanity-test validate-modules
"""


def split_choices(value, choices, what):
    """Parse a comma-separated list restricted to choices."""
    items = [item.strip() for item in value.split(',') if item.strip()]
    for item in items:
        if item not in choices:
            raise argparse.ArgumentTypeError('unknown %s %r (choose from %s)' % (what, item, ', '.join(choices)))
    return items


def parse_args(argv):
    """Parse `harness.py test|demo ...`."""
    parser = argparse.ArgumentParser(prog='tools/harness.py')
    sub = parser.add_subparsers(dest='command', required=True)

    test = sub.add_parser('test', prog='tools/test', formatter_class=argparse.RawDescriptionHelpFormatter,
                          description='Run the prefect.cloud test suite in fresh venvs (sanity, units, integration '
                                      'against the local Prefect Cloud emulator, changelog lint, build).',
                          epilog=TEST_EPILOG)
    test.add_argument('--only', action='append', metavar='STEP[,STEP]',
                      type=lambda value: split_choices(value, STEPS, 'step'),
                      help='run only these steps: %s (repeatable)' % ', '.join(STEPS))
    test.add_argument('--core', action='append', metavar='VERSION', type=lambda value: split_choices(value, CORES, 'core'),
                      help='test only this ansible-core: %s (repeatable)' % ', '.join(CORES))
    test.add_argument('--target', action='append', metavar='NAME',
                      help='integration target(s) to run (default: all)')
    test.add_argument('--sanity-test', action='append', metavar='NAME', help='sanity test(s) to run (default: all)')
    test.add_argument('--recreate', action='store_true', help='delete and recreate the venvs under .venv/')
    test.add_argument('--keep', action='store_true', help='keep the temporary work directory')
    test.add_argument('-v', '--verbose', action='count', default=0, help='pass -v to ansible-test (repeatable)')

    demo = sub.add_parser('demo', prog='tools/demo',
                          description='Install prefect.cloud from the work tree into .venv/demo, start the local '
                                      'Prefect Cloud emulator and run the demo playbook three times: a preview '
                                      '(--check --diff), a real run and a re-run. Checks that the preview and the '
                                      're-run write nothing and that no API key appears in the output; removes '
                                      'its temporary directory at the end.')
    demo.add_argument('--playbook', default='examples/demo.yml', help='playbook, relative to the repo root')
    demo.add_argument('--inventory', default=DEMO_INVENTORY, help='inventory of the agent hosts, relative to the repo root')
    demo.add_argument('--python', help='interpreter for the demo venv (default: python3)')
    demo.add_argument('--workspace', default='demo', help='handle of the seeded emulator workspace')
    demo.add_argument('--recreate', action='store_true', help='recreate .venv/demo')
    demo.add_argument('playbook_args', nargs='*', help='extra ansible-playbook arguments (after --)')

    copy = sub.add_parser('copy', prog='tools/harness.py copy',
                          description='Copy the work tree (tracked and untracked, not ignored files) to '
                                      'PARENT/ansible_collections/prefect/cloud, as tools/test does.')
    copy.add_argument('parent', help='directory to create the ansible_collections tree in')

    args = parser.parse_args(argv)
    if args.command == 'test':
        args.only = sorted({item for items in args.only or () for item in items})
        args.core = [core for core in CORES if any(core in items for items in args.core or ())]
        args.ansible_test_verbosity = ['-' + 'v' * args.verbose] if args.verbose else []
    return args


def main(argv=None):
    """Entry point."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == 'copy':
            make_copy(args.parent)
            return 0
        return run_tests(args) if args.command == 'test' else run_demo(args)
    except KeyboardInterrupt:
        print('\ninterrupted')
        return 130


if __name__ == '__main__':
    sys.exit(main())
