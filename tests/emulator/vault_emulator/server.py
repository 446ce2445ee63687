# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP server of the Vault KV v2 emulator (stdlib ThreadingHTTPServer) and its admin API.

Vault answers (as hvac expects them, ``Content-Type: application/json``):

* a missing or unknown ``X-Vault-Token``: 403 ``{"errors": ["permission denied"]}`` (hvac: Forbidden);
* ``GET /v1/<mount>/data/<path>[?version=N]``: 200 ``{"data": {"data": {...}, "metadata": {...}}, ...}``,
  404 ``{"errors": []}`` when the secret (or that version) does not exist (hvac: InvalidPath);
* ``POST`` or ``PUT /v1/<mount>/data/<path>`` with ``{"data": {...}, "options": {"cas": N}}``: a new
  version, 200 ``{"data": {metadata}}``; 400 when ``cas`` does not match the current version (0: the
  secret must not exist) (hvac: InvalidRequest);
* a path under no emulated mount: 404 ``{"errors": ["no handler for route ..."]}``;
* ``GET /v1/auth/token/lookup-self``: 200 with the token's data.

Admin API, loopback clients only, no auth: ``GET /_emulator/health``; ``GET``/``DELETE
/_emulator/requests`` (the log: ``{"seq", "time", "method", "path", "status", "write"}``, never a body
or a token); ``GET /_emulator/secrets`` (every secret with its versions: for the tests' assertions,
which must not print it); ``POST /_emulator/reset`` (no secret, empty log).
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def _now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class VaultState:
    """Secrets per mount: ``{mount: {path: [version dicts]}}`` and the request log."""

    def __init__(self, token, mounts):
        self.token = token
        self.mounts = list(mounts)
        self.lock = threading.Lock()
        self.secrets = {}
        self.log = []
        self.seq = 0

    def reset(self):
        with self.lock:
            self.secrets = {}
            self.log = []

    def record(self, method, path, status, write):
        with self.lock:
            self.seq += 1
            self.log.append({"seq": self.seq, "time": time.time(), "method": method, "path": path,
                             "status": status, "write": write})

    def split(self, path):
        """(mount, secret path) of /v1/<mount>/data/<path>, or None."""
        for mount in sorted(self.mounts, key=len, reverse=True):
            prefix = "/v1/%s/data/" % mount
            if path.startswith(prefix) and len(path) > len(prefix):
                return mount, path[len(prefix):].strip("/")
        return None

    def read(self, mount, path, version):
        with self.lock:
            versions = self.secrets.get(mount, {}).get(path)
            if not versions:
                return None
            if version is None or version == 0:
                return versions[-1]
            if 1 <= version <= len(versions):
                return versions[version - 1]
            return None

    def write(self, mount, path, data, cas):
        """The new version's metadata, or None when check-and-set fails."""
        with self.lock:
            versions = self.secrets.setdefault(mount, {}).setdefault(path, [])
            if cas is not None and int(cas) != len(versions):
                return None
            metadata = {"created_time": _now(), "custom_metadata": None, "deletion_time": "",
                        "destroyed": False, "version": len(versions) + 1}
            versions.append({"data": data, "metadata": metadata})
            return metadata

    def dump(self):
        with self.lock:
            return {"%s/%s" % (mount, path): versions
                    for mount, paths in self.secrets.items() for path, versions in paths.items()}


def _envelope(data):
    return {"request_id": str(uuid.uuid4()), "lease_id": "", "renewable": False, "lease_duration": 0,
            "data": data, "wrap_info": None, "warnings": None, "auth": None}


class Handler(BaseHTTPRequestHandler):
    """One request; the state is the server's ``state`` attribute."""

    protocol_version = "HTTP/1.1"
    server_version = "VaultEmulator/1"

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass  # no access log: the tests read the admin request log instead

    @property
    def state(self) -> VaultState:
        return self.server.state  # type: ignore[attr-defined]

    def _reply(self, status, body):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if not length:
            return {}
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def _admin(self, method, path):
        if not self.client_address[0].startswith("127.") and self.client_address[0] != "::1":
            return self._reply(403, {"errors": ["admin API: loopback clients only"]})
        route = path[len("/_emulator/"):]
        if method == "GET" and route == "health":
            return self._reply(200, {"status": "ok"})
        if method == "GET" and route == "requests":
            with self.state.lock:
                return self._reply(200, list(self.state.log))
        if method == "DELETE" and route == "requests":
            with self.state.lock:
                self.state.log = []
            return self._reply(200, {})
        if method == "GET" and route == "secrets":
            return self._reply(200, self.state.dump())
        if method == "POST" and route == "reset":
            self.state.reset()
            return self._reply(200, {})
        return self._reply(404, {"errors": ["unknown admin route"]})

    def _vault(self, method, url):
        path = url.path
        write = method in ("POST", "PUT")
        if self.headers.get("X-Vault-Token") != self.state.token:
            return 403, {"errors": ["permission denied"]}
        if path == "/v1/auth/token/lookup-self" and method == "GET":
            return 200, _envelope({"accessor": "emulated", "display_name": "token", "expire_time": None,
                                   "id": self.state.token, "policies": ["root"], "renewable": False, "ttl": 0})
        where = self.state.split(path)
        if where is None:
            return 404, {"errors": ["no handler for route %r. route entry not found." % path[len("/v1/"):]]}
        mount, secret = where
        if method == "GET":
            version = parse_qs(url.query).get("version", [None])[0]
            try:
                version = int(version) if version not in (None, "") else None
            except ValueError:
                return 400, {"errors": ["invalid version"]}
            found = self.state.read(mount, secret, version)
            if found is None:
                return 404, {"errors": []}
            return 200, _envelope({"data": found["data"], "metadata": found["metadata"]})
        if write:
            body = self._body()
            if body is None or not isinstance(body.get("data"), dict):
                return 400, {"errors": ["no data provided"]}
            cas = (body.get("options") or {}).get("cas")
            metadata = self.state.write(mount, secret, body["data"], cas)
            if metadata is None:
                return 400, {"errors": ["check-and-set parameter did not match the current version"]}
            return 200, _envelope(metadata)
        return 405, {"errors": ["unsupported operation"]}

    def _handle(self, method):
        url = urlsplit(self.path)
        if url.path.startswith("/_emulator/"):
            return self._admin(method, url.path)
        status, body = self._vault(method, url)
        self.state.record(method, url.path, status, method in ("POST", "PUT", "DELETE", "PATCH"))
        return self._reply(status, body)

    def do_GET(self):  # pylint: disable=invalid-name
        self._handle("GET")

    def do_POST(self):  # pylint: disable=invalid-name
        self._handle("POST")

    def do_PUT(self):  # pylint: disable=invalid-name
        self._handle("PUT")

    def do_DELETE(self):  # pylint: disable=invalid-name
        self._handle("DELETE")


def make_server(host, port, token, mounts):
    """A bound ThreadingHTTPServer with its ``state``."""
    httpd = ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True
    httpd.state = VaultState(token, mounts)  # type: ignore[attr-defined]
    return httpd
