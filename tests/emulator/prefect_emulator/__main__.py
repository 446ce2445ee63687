# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""CLI: ``PYTHONPATH=tests/emulator python -m prefect_emulator --api-key pnu_... --workspace HANDLE``.

FastAPI under uvicorn: one worker, no reload, no access log (see server.py)."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile

from .server import Emulator, EmulatorConfig
from .state import DEFAULT_ACCOUNT_ID, StateError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="prefect_emulator", description="Local Prefect Cloud API emulator (for tests only).")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback only unless --allow-remote)")
    parser.add_argument("--port", type=int, default=4280, help="port to bind; 0 picks a free port")
    parser.add_argument("--account-id", default=DEFAULT_ACCOUNT_ID, help="UUID of the emulated account")
    parser.add_argument("--api-key", default=os.environ.get("PREFECT_EMULATOR_API_KEY"),
                        help="the owner's user API key (default: $PREFECT_EMULATOR_API_KEY)")
    parser.add_argument("--workspace", action="append", default=[], help="seed a workspace with this handle (repeatable)")
    parser.add_argument("--state-file", help="load state from and save it to this JSON file")
    parser.add_argument("--ready-file", help="write {\"url\", \"pid\"} here once listening")
    parser.add_argument("--request-log", help="append the request log as JSON lines to this file")
    parser.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --host")
    parser.add_argument("--team-access-put", choices=("merge", "replace"), default="merge",
                        help="UNCONFIRMED API behaviour to emulate for PUT team_access/ (default: merge)")
    args = parser.parse_args(argv)
    if not args.api_key:
        parser.error("--api-key or PREFECT_EMULATOR_API_KEY is required")
    return args


def write_ready_file(path, url):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp_path = tempfile.mkstemp(prefix=".prefect-emulator-ready-", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"url": url, "pid": os.getpid()}, handle)
    os.replace(tmp_path, path)


def main(argv=None):
    args = parse_args(argv)
    if args.ready_file and os.path.exists(args.ready_file):
        os.unlink(args.ready_file)
    config = EmulatorConfig(
        api_key=args.api_key, account_id=args.account_id, workspaces=args.workspace, host=args.host, port=args.port,
        state_file=args.state_file, request_log=args.request_log, allow_remote=args.allow_remote,
        team_access_put=args.team_access_put,
    )
    try:
        emulator = Emulator(config)
        emulator.bind()
        # uvicorn serves in a thread; the signals stop it from here (exit 0, not uvicorn's re-raise).
        signal.signal(signal.SIGTERM, lambda _signum, _frame: emulator.shutdown())
        signal.signal(signal.SIGINT, lambda _signum, _frame: emulator.shutdown())
        url = emulator.start()
    except (ValueError, StateError, OSError) as exc:
        sys.stderr.write(f"prefect emulator: {exc}\n")
        return 2
    try:
        if args.ready_file:
            write_ready_file(args.ready_file, url)
        print(f"prefect emulator listening on {url}/api", flush=True)
        emulator.serve_forever()
    finally:
        emulator.stop()
        if args.ready_file and os.path.exists(args.ready_file):
            os.unlink(args.ready_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
