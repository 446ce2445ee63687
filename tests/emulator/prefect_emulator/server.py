# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP server (stdlib ThreadingHTTPServer, HTTP/1.1 keep-alive), fault injection and request log."""
from __future__ import annotations

import ipaddress
import json
import re
import socket
import struct
import threading
import sys
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List, Optional
from urllib.parse import unquote, urlsplit

from .admin import Admin
from .api import Api, Reply
from .routes import is_write
from .state import DEFAULT_ACCOUNT_ID, Store


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class EmulatorConfig:
    api_key: str
    account_id: str = DEFAULT_ACCOUNT_ID
    workspaces: List[str] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 0
    state_file: Optional[str] = None
    request_log: Optional[str] = None
    allow_remote: bool = False
    # UNCONFIRMED in Prefect Cloud: does PUT team_access/ merge into or replace the workspace's
    # team grants? "merge" (what Terraform assumes) or "replace", so tests can cover both.
    team_access_put: str = "merge"


class FaultRule:
    """One fault rule (see ``Admin.put_faults`` for the fields)."""

    def __init__(self, spec):
        self.spec = spec
        self.method = spec.method.upper() if spec.method else None
        self.path = re.compile(spec.path) if spec.path else None
        self.times = spec.times

    def matches(self, method, path):
        if self.times == 0:
            return False
        if self.method is not None and self.method != method:
            return False
        return self.path is None or self.path.search(path) is not None

    def as_dict(self):
        out = self.spec.model_dump()
        out["times"] = self.times
        return out


def filter_criteria(method, path, body):
    """The criteria a ``POST .../filter`` request filters on, as sorted dotted names, values left out.

    ``{"service_accounts": {"name": {"any_": ["x"]}}, "limit": 200}`` gives
    ``["service_accounts.name.any_"]``; a body without criteria gives ``[]``. None for other
    requests, and for a body that is not a JSON object. Paging and sorting are not criteria.
    """
    if method != "POST" or not path.endswith("/filter"):
        return None
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    found = []

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else key, item)
        elif value is not None and prefix not in ("limit", "offset", "sort"):
            found.append(prefix)

    walk("", data)
    return sorted(found)


class RequestLog:
    """The /api request log: seq, method, path, status, write, and for filter requests the names
    of the criteria used (``criteria``). Never bodies, values, headers or keys."""

    def __init__(self, path=None):
        self.lock = threading.Lock()
        self.entries = []
        self.seq = 0
        self.path = path

    def add(self, method, path, status, criteria=None):
        with self.lock:
            self.seq += 1
            entry = {"seq": self.seq, "method": method, "path": path, "status": status, "write": is_write(method, path)}
            if criteria is not None:
                entry["criteria"] = criteria
            self.entries.append(entry)
            if self.path:
                with open(self.path, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(entry, sort_keys=True) + "\n")

    def list(self):
        with self.lock:
            return [dict(e) for e in self.entries]

    def clear(self):
        with self.lock:
            self.entries = []


class Emulator:
    """The emulator: state, API, admin API, faults, request log and the HTTP server."""

    def __init__(self, config: EmulatorConfig):
        if not config.api_key:
            raise ValueError("an API key is required")
        if not config.allow_remote and not is_loopback(config.host):
            raise ValueError(f"refusing to listen on non-loopback host {config.host!r} without allow_remote")
        self.config = config
        self.store = Store(config.account_id, config.api_key, config.workspaces, config.state_file)
        if config.team_access_put not in ("merge", "replace"):
            raise ValueError(f"team_access_put must be merge or replace, got {config.team_access_put!r}")
        self.api = Api(self.store, team_access_put=config.team_access_put)
        self.admin = Admin(self)
        self.log = RequestLog(config.request_log)
        self.faults_lock = threading.Lock()
        self.faults = []
        self.httpd = None
        self._thread = None

    # --- faults ------------------------------------------------------------------------------
    def set_faults(self, specs):
        with self.faults_lock:
            self.faults = [FaultRule(s) for s in specs]

    def list_faults(self):
        with self.faults_lock:
            return [f.as_dict() for f in self.faults]

    def take_fault(self, method, path):
        """First matching rule with times left; its counter is decremented (-1 = always)."""
        with self.faults_lock:
            for rule in self.faults:
                if rule.matches(method, path):
                    if rule.times > 0:
                        rule.times -= 1
                    return rule.spec
        return None

    def reset(self):
        with self.store.lock:
            self.store.seed()
            self.store.save()
        self.log.clear()
        self.set_faults([])

    # --- lifecycle ---------------------------------------------------------------------------
    def bind(self):
        self.httpd = EmulatorHTTPServer((self.config.host, self.config.port), self)
        return self.url

    @property
    def port(self):
        return self.httpd.server_address[1]

    @property
    def url(self):
        host = self.config.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def start(self):
        """Bind and serve in a daemon thread (for in-process tests). Returns the base URL."""
        self.bind()
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self.url

    def serve_forever(self):
        self.httpd.serve_forever(poll_interval=0.2)

    def shutdown(self):
        """Stop serve_forever (call from another thread than the serving one)."""
        if self.httpd is not None:
            self.httpd.shutdown()

    def stop(self):
        if self.httpd is None:
            return
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.httpd = None


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, emulator):
        self.emulator = emulator
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "prefect-emulator"
    sys_version = ""

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Silence the default access log (it would go to stderr)."""

    def do_GET(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_HEAD(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_POST(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_PUT(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_PATCH(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_DELETE(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_OPTIONS(self):  # pylint: disable=invalid-name
        self._dispatch()

    # --- plumbing ----------------------------------------------------------------------------
    @property
    def emulator(self) -> Emulator:
        return self.server.emulator

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(length) if length else b""

    def _send(self, status, payload=None, headers=None):
        """Answer with ``payload`` as JSON (no body when it is None)."""
        body = None if payload is None else json.dumps(payload).encode("utf-8")
        self._answer(status, body, "application/json", headers)

    def _answer(self, status, body, content_type, headers=None):
        """Answer with ``body`` (bytes of ``content_type``, or None for no body)."""
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", content_type)
        if status >= 200 and status not in (204, 304):
            self.send_header("Content-Length", str(len(body or b"")))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _abort(self):
        """Close the connection without a response (a reset when unread data remains)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass

    def _dispatch(self):
        path = unquote(urlsplit(self.path).path)
        try:
            if path == "/_emulator" or path.startswith("/_emulator/"):
                self._handle_admin(path)
            elif path == "/api" or path.startswith("/api/"):
                self._handle_api(path)
            else:
                self._read_body()
                self._send(404, {"detail": "Not Found"})
        except (ConnectionError, socket.timeout):
            self.close_connection = True
        except ValueError:
            self.close_connection = True
            self._send(400, {"detail": "Bad Request"}, {"Connection": "close"})

    def _handle_admin(self, path):
        body = self._read_body()
        if not is_loopback(self.client_address[0]):
            self._send(403, {"detail": "The emulator admin API is only served to loopback clients."})
            return
        status, payload = self.emulator.admin.handle(self.command, path, body)
        self._send(status, payload)

    def _forward_later(self, delay, method, path, body):
        """Apply the request ``delay`` seconds from now, as a gateway that answered already would pass it on."""
        authorization, host = self.headers.get("Authorization"), self.headers.get("Host") or ""
        query = urlsplit(self.path).query

        def forward():
            time.sleep(delay)
            self.emulator.api.handle(method, path, authorization, body, host, query)

        threading.Thread(target=forward, daemon=True).start()

    def _handle_api(self, path):
        emulator = self.emulator
        method = self.command
        fault = emulator.take_fault(method, path)
        if fault is not None and fault.reset:
            emulator.log.add(method, path, 0)
            self._abort()
            return
        body = self._read_body()
        criteria = filter_criteria(method, path, body)
        if fault is not None and fault.latency:
            time.sleep(fault.latency)
        if fault is not None and fault.status:
            headers = {}
            if fault.retry_after is not None:
                value = fault.retry_after
                headers["Retry-After"] = str(int(value)) if float(value).is_integer() else str(value)
            emulator.log.add(method, path, fault.status, criteria)
            self._send(fault.status, {"detail": f"Emulated fault: HTTP {fault.status}"}, headers)
            if fault.forward_after is not None:
                self._forward_later(fault.forward_after, method, path, body)
            return
        if fault is not None and fault.body is not None:
            emulator.log.add(method, path, 200, criteria)
            self._answer(200, fault.body.encode("utf-8"), "text/html; charset=utf-8")
            return
        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        query = urlsplit(self.path).query
        try:
            reply = emulator.api.handle(method, path, self.headers.get("Authorization"), body, host, query)
        except Exception:  # pylint: disable=broad-except
            sys.stderr.write(traceback.format_exc())
            reply = Reply(500, {"detail": "Internal Server Error"})
        if fault is not None and fault.drop_response:
            emulator.log.add(method, path, 0, criteria)
            self._abort()
            return
        emulator.log.add(method, path, reply.status, criteria)
        self._send(reply.status, reply.payload, reply.headers)
