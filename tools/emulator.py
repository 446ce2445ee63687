# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local Prefect Cloud emulator for the integration tests and the demo, and the key-leak scan.

What no standard tool does, kept as our own code (the rest of the test suite is nox/antsibull-nox):

- start tests/emulator/prefect_emulator on a free 127.0.0.1 port with a random account id and a
  random owner API key (passed through the environment, never on a command line), and stop it;
- write tests/integration/integration_config.yml (mode 0600) for ansible-test;
- run a command with the owner key redacted from its output, and fail when the owner key or any
  key the emulator issued during the run appears in that output.

Command line (used by the integration sessions of noxfile.py):

    python tools/emulator.py run --collection DIR [--workspace HANDLE] -- COMMAND [ARG...]

starts the emulator with the Python running this script, writes DIR/tests/integration/
integration_config.yml, runs COMMAND in DIR, stops the emulator, removes the config and exits
with COMMAND's exit code, or 1 when an API key leaked into the output.
Standard library only (the emulator itself, a FastAPI application under uvicorn, needs
tests/emulator/requirements.txt in that Python).
"""

from __future__ import annotations

import argparse
import atexit
import functools
import importlib.util
import json
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

KEY_ALPHABET = string.ascii_letters + string.digits
# Prefect API keys: pnu_ (user) / pnb_ (bot, i.e. service account) + 36 alphanumerics.
REDACTED = 'pnu_<redacted>'

_EMULATORS = []


class EmulatorError(Exception):
    """The emulator could not be started; the message says why."""


def clean_env(extra_path=None, **overrides):
    """The environment for child processes: no inherited Ansible settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith('ANSIBLE_')}
    env['PYTHONUNBUFFERED'] = '1'
    if extra_path:
        env['PATH'] = extra_path + os.pathsep + env.get('PATH', '')
    env.update(overrides)
    return env


def run(cmd, cwd=None, env=None, secrets_=(), capture=False):
    """Run a command, streaming its output with the given secrets redacted.

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
            raise EmulatorError('the Prefect Cloud emulator is missing: %s does not exist'
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
                raise EmulatorError('the emulator exited with code %s during start-up:\n%s'
                                    % (self.proc.returncode, self.log_tail()))
            if os.path.exists(ready_file) and http_get(self.url + '/_emulator/health')[0] == 200:
                print('emulator ready (pid %d)' % self.proc.pid)
                return
            time.sleep(0.2)
        self.stop()
        raise EmulatorError('the emulator was not ready after %ds:\n%s' % (timeout, self.log_tail()))

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


def seed_objects(root):
    """The names of the emulator's seed objects (``seed_object_names`` of its state.py, which needs
    only the standard library)."""
    spec = importlib.util.spec_from_file_location(
        'prefect_emulator_state', os.path.join(root, 'tests', 'emulator', 'prefect_emulator', 'state.py'))
    state = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(state)
    return state.seed_object_names()


def write_integration_config(collection, emulator):
    """Write tests/integration/integration_config.yml (mode 0600) for ansible-test."""
    path = os.path.join(collection, 'tests', 'integration', 'integration_config.yml')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = [
        '---',
        '# Written by tools/emulator.py for one test run; never commit it.',
        'prefect_api_url: %s' % emulator.api_url,
        'prefect_api_key: %s' % emulator.api_key,
        'prefect_account_id: %s' % emulator.account_id,
        'prefect_workspace_handle: %s' % emulator.workspace,
        'prefect_emulator_url: %s' % emulator.url,
        'prefect_seed_objects: %s' % json.dumps(seed_objects(emulator.root), sort_keys=True),
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w', encoding='utf-8') as handle:
        handle.write('\n'.join(lines) + '\n')
    return path


def run_with_emulator(args):
    """`run`: the emulator around one command, with the key-leak scan of its output."""
    install_cleanup_handlers()
    collection = os.path.abspath(args.collection)
    workdir = os.path.join(collection, 'tests', 'output', '.tmp', 'emulator')
    os.makedirs(workdir, exist_ok=True)
    emulator = Emulator(sys.executable, collection, args.workspace, workdir)
    config = None
    try:
        emulator.start()
        config = write_integration_config(collection, emulator)
        returncode, output, hits = run(args.command, cwd=collection, env=clean_env(), secrets_=[emulator.api_key],
                                       capture=True)
        issued = emulator.issued_keys()
        leaked = [key for key in issued if key in output]
    except EmulatorError as exc:
        print('emulator: %s' % exc)
        return 1
    finally:
        emulator.stop()
        if config and os.path.exists(config):
            os.remove(config)
    problems = []
    if hits:
        problems.append('the owner API key appeared %d times in the output (redacted above)' % hits)
    if leaked:
        problems.append('%d API keys issued by the emulator appeared in the output' % len(leaked))
    if problems:
        print('key-leak scan: FAIL: %s' % '; '.join(problems))
        return 1
    print('key-leak scan: no API key in the output (checked: the owner key and the %d keys the emulator issued)'
          % len(issued))
    return returncode


def main(argv=None):
    """Entry point."""
    parser = argparse.ArgumentParser(prog='tools/emulator.py', description=__doc__.split('\n\n', 1)[0])
    sub = parser.add_subparsers(dest='command_name', required=True)
    run_parser = sub.add_parser('run', help='run a command with the emulator and the key-leak scan')
    run_parser.add_argument('--collection', required=True, help='collection root (ansible_collections/prefect/cloud)')
    run_parser.add_argument('--workspace', default='ansible-ci', help='handle of the seeded workspace')
    run_parser.add_argument('command', nargs=argparse.REMAINDER, help='-- COMMAND [ARG...]')
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command[:1] == ['--']:
        args.command = args.command[1:]
    if not args.command:
        parser.error('no command given')
    return run_with_emulator(args)


if __name__ == '__main__':
    sys.exit(main())
