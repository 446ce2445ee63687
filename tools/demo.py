# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo: examples/demo.yml against the local Prefect Cloud emulator (run it with tools/demo or make demo).

Standard library only: it runs on a fresh machine before any venv exists, and creates .venv/demo.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

import emulator as emu

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_ROOT = os.path.join(REPO, '.venv')
PIP_QUIET = ['--disable-pip-version-check', '-q']


class DemoError(Exception):
    """A demo step failed for a reason that is explained by the message."""


def banner(text):
    """Print a visible section line."""
    print('\n### %s' % text)
    sys.stdout.flush()


def fmt_seconds(seconds):
    """Format a duration as 1m05s."""
    return '%dm%02ds' % divmod(int(round(seconds)), 60)


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


def check(cmd, what, **kwargs):
    """Run a command (output streamed, secrets redacted) and raise DemoError when it fails."""
    returncode, output, hits = emu.run(cmd, **kwargs)
    if returncode:
        raise DemoError('%s failed (exit code %d)' % (what, returncode))
    return output, hits


def output_of(cmd, env=None):
    """Return a quick command's stripped stdout, or None if it cannot run."""
    try:
        return subprocess.run(cmd, env=env or clean_env(), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


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
    """Create (or reuse) a virtualenv made from `python` (of this X.Y version); return its interpreter."""
    venv_python = os.path.join(path, 'bin', 'python')
    current = output_of([venv_python, '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])
    if os.path.isdir(path) and (recreate or current != version):
        print('removing %s' % path)
        shutil.rmtree(path)
    if not os.path.isdir(path):
        check([python, '-m', 'venv', path], 'creating the virtualenv %s' % path)
    return venv_python


def installed_core_version(venv_python):
    """The ansible-core version installed in a venv."""
    return output_of([venv_python, '-c', 'from ansible.release import __version__; print(__version__)']) or '?'


def listed_files():
    """Files of the work tree: tracked and untracked, but not git-ignored."""
    out = subprocess.run(['git', '-C', REPO, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                         capture_output=True, check=True).stdout
    return sorted({name for name in out.decode('utf-8', 'surrogateescape').split('\0') if name})


def make_copy(parent):
    """Copy the work tree to <parent>/ansible_collections/prefect/cloud."""
    dest = os.path.join(parent, 'ansible_collections', 'prefect', 'cloud')
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
    print('copied %d files to %s' % (count, dest))
    return dest


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
    emu.install_cleanup_handlers()
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
        # The emulator (a FastAPI application under uvicorn) runs with the venv's Python too.
        emulator_requirements = os.path.join(REPO, 'tests', 'emulator', 'requirements.txt')
        # -qq: only pip's errors; its warnings (for example about a local pip configuration) are
        # not part of the demo.
        check([venv_python, '-m', 'pip', 'install'] + PIP_QUIET + ['-q', '--upgrade', 'ansible-core', '-r', requirements,
                                                                   '-r', emulator_requirements],
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
        emulator = emu.Emulator(venv_python, collection, args.workspace, workdir)
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
            returncode, output, run_hits = emu.run(cmd, cwd=REPO, env=env, secrets_=[emulator.api_key], capture=True)
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
    except (DemoError, emu.EmulatorError, OSError, ValueError) as exc:
        rows.append(('FAIL', 'demo', str(exc)))
        failed = True
    finally:
        emu.stop_all_emulators()
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


def main(argv=None):
    """Entry point."""
    demo = argparse.ArgumentParser(
        prog='tools/demo',
        description='Install prefect.cloud from the work tree into .venv/demo, start the local Prefect Cloud '
                    'emulator and run the demo playbook three times: a preview (--check --diff), a real run and a '
                    're-run. Checks that the preview and the re-run write nothing and that no API key appears in '
                    'the output; removes its temporary directory at the end.')
    demo.add_argument('--playbook', default='examples/demo.yml', help='playbook, relative to the repo root')
    demo.add_argument('--inventory', default=DEMO_INVENTORY, help='inventory of the agent hosts, relative to the repo root')
    demo.add_argument('--python', help='interpreter for the demo venv (default: python3)')
    demo.add_argument('--workspace', default='demo', help='handle of the seeded emulator workspace')
    demo.add_argument('--recreate', action='store_true', help='recreate .venv/demo')
    demo.add_argument('playbook_args', nargs='*', help='extra ansible-playbook arguments (after --)')

    args = demo.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return run_demo(args)
    except KeyboardInterrupt:
        print('\ninterrupted')
        return 130


if __name__ == '__main__':
    sys.exit(main())
