# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""CLI: ``PYTHONPATH=tests/emulator python -m vault_emulator --token TOKEN [--port 0] [--ready-file F]``."""
from __future__ import annotations

import argparse
import ipaddress
import json
import os
import signal
import sys
import tempfile
import threading

from .server import make_server


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="vault_emulator", description="Local HashiCorp Vault KV v2 emulator (for tests only).")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=8200, help="port to bind; 0 picks a free port")
    parser.add_argument("--token", default=os.environ.get("VAULT_EMULATOR_TOKEN"),
                        help="the one valid Vault token (default: $VAULT_EMULATOR_TOKEN)")
    parser.add_argument("--mount", action="append", default=[], help="a KV v2 mount (repeatable; default: secret)")
    parser.add_argument("--ready-file", help="write {\"url\", \"pid\"} here once listening")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("--token or VAULT_EMULATOR_TOKEN is required")
    try:
        if not (args.host == "localhost" or ipaddress.ip_address(args.host).is_loopback):
            parser.error("--host must be a loopback address")
    except ValueError:
        parser.error("--host must be a loopback address")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        httpd = make_server(args.host, args.port, args.token, args.mount or ["secret"])
    except OSError as exc:
        sys.stderr.write(f"vault emulator: {exc}\n")
        return 2
    url = "http://%s:%d" % (args.host, httpd.server_address[1])

    def stop(_signum, _frame):
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.ready_file:
        fd, tmp_path = tempfile.mkstemp(prefix=".vault-emulator-ready-", dir=os.path.dirname(os.path.abspath(args.ready_file)))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"url": url, "pid": os.getpid()}, handle)
        os.replace(tmp_path, args.ready_file)
    print(f"vault emulator listening on {url}", flush=True)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
        if args.ready_file and os.path.exists(args.ready_file):
            os.unlink(args.ready_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
