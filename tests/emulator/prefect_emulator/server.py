# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The server: the FastAPI application under uvicorn (one worker, no reload, no access log), and
the fault rules and the request log of ``/api`` as an ASGI middleware around it."""
from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import List, Optional

import uvicorn
from fastapi import FastAPI

from . import admin, routes
from .admin import is_loopback
from .api import Api
from .routes import is_write
from .state import DEFAULT_ACCOUNT_ID, Store

# uvicorn reports a response left incomplete; the drop_response and reset faults do that on purpose.
INCOMPLETE = "ASGI callable returned without completing response."


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
    """One fault rule (``admin.FaultSpec`` has the fields)."""

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


def _json_response(status, payload, headers=None):
    body = json.dumps(payload).encode("utf-8")
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    head += [(name.lower().encode(), str(value).encode()) for name, value in (headers or {}).items()]
    return {"type": "http.response.start", "status": status, "headers": head}, {"type": "http.response.body", "body": body}


def _with_key_suffix(start, body, suffix):
    """The answer with ``suffix`` appended to the key it carries (``api_key.key``), if it carries one."""
    try:
        doc = json.loads(body)
    except ValueError:
        return start, body
    if not (isinstance(doc, dict) and isinstance(doc.get("api_key"), dict) and isinstance(doc["api_key"].get("key"), str)):
        return start, body
    doc["api_key"]["key"] += suffix
    body = json.dumps(doc).encode("utf-8")
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    return dict(start, headers=headers + [(b"content-length", str(len(body)).encode())]), body


class FaultsAndLog:
    """ASGI middleware for ``/api``: the fault rules, then the application, and the request log.

    ``reset`` and ``drop_response`` break the connection: an ASGI application cannot close it
    before a status line, so the emulator sends one with a body length it never sends and ends
    the response there; uvicorn then closes the connection and the client sees it broken before
    any response completed (httpx: ``RemoteProtocolError``)."""

    def __init__(self, app, emulator):
        self.app = app
        self.emulator = emulator

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/api" or path.startswith("/api/")):
            await self.app(scope, receive, send)
            return
        emulator = self.emulator
        method = scope["method"]
        fault = emulator.take_fault(method, path)
        if fault is not None and fault.reset:
            emulator.log.add(method, path, 0)
            await self._break(send)
            return
        body = await self._read_body(receive)
        if body is None:
            return  # the client went away
        criteria = filter_criteria(method, path, body)
        if fault is not None and fault.latency:
            await asyncio.sleep(fault.latency)
        if fault is not None and fault.status:
            headers = {}
            if fault.retry_after is not None:
                value = fault.retry_after
                headers["Retry-After"] = str(int(value)) if float(value).is_integer() else str(value)
            emulator.log.add(method, path, fault.status, criteria)
            for message in _json_response(fault.status, {"detail": f"Emulated fault: HTTP {fault.status}"}, headers):
                await send(message)
            if fault.forward_after is not None:
                emulator.keep(asyncio.ensure_future(self._forward_later(fault.forward_after, scope, body)))
            return
        if fault is not None and fault.body is not None:
            emulator.log.add(method, path, 200, criteria)
            page = fault.body.encode("utf-8")
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(page)).encode())]})
            await send({"type": "http.response.body", "body": page})
            return
        capture = fault is not None and (fault.drop_response or fault.key_suffix is not None)
        started, chunks = {}, []

        async def replay():
            nonlocal body
            if body is not None:
                message, body = {"type": "http.request", "body": body, "more_body": False}, None
                return message
            return await receive()

        async def watch(message):
            if message["type"] == "http.response.start":
                started.update(message)
                if not capture:
                    emulator.log.add(method, path, message["status"], criteria)
            if not capture:
                await send(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, replay, watch)
        except Exception:  # pylint: disable=broad-except
            if started:
                raise
            sys.stderr.write(traceback.format_exc())
            emulator.log.add(method, path, 500, criteria)
            for message in _json_response(500, {"detail": "Internal Server Error"}):
                await send(message)
            return
        if not capture:
            return
        if fault.drop_response:
            emulator.log.add(method, path, 0, criteria)
            await self._break(send)
            return
        start, data = _with_key_suffix(started, b"".join(chunks), fault.key_suffix)
        emulator.log.add(method, path, start["status"], criteria)
        await send(start)
        await send({"type": "http.response.body", "body": data})

    @staticmethod
    async def _read_body(receive):
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    async def _break(send):
        await send({"type": "http.response.start", "status": 500, "headers": [(b"content-length", b"1"), (b"connection", b"close")]})

    async def _forward_later(self, delay, scope, body):
        """Apply the request ``delay`` seconds from now, as a gateway that answered already would pass it on."""
        await asyncio.sleep(delay)
        pending = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            return pending.pop() if pending else {"type": "http.disconnect"}

        async def discard(_message):
            return None

        try:
            await self.app(dict(scope), receive, discard)
        except Exception:  # pylint: disable=broad-except
            sys.stderr.write(traceback.format_exc())


class _NotIncomplete(logging.Filter):
    def filter(self, record):
        return record.getMessage() != INCOMPLETE


logging.getLogger("uvicorn.error").addFilter(_NotIncomplete())


def create_app(emulator) -> FastAPI:
    """The FastAPI application of one emulator: ``/api`` (routes.py) and ``/_emulator`` (admin.py)."""
    app = FastAPI(title="Prefect Cloud emulator", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.emulator = emulator
    app.include_router(routes.router)
    app.include_router(admin.router)
    app.add_middleware(FaultsAndLog, emulator=emulator)
    return app


class Emulator:
    """The emulator: state, API, admin API, faults, request log and the server."""

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
        self.log = RequestLog(config.request_log)
        self.faults_lock = threading.Lock()
        self.faults = []
        self.app = create_app(self)
        self._tasks = set()
        self.sock = None
        self.server = None
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

    def keep(self, task):
        """Hold a reference to a background task (a forwarded request) until it is done."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def reset(self):
        with self.store.lock:
            self.store.seed()
            self.store.save()
        self.log.clear()
        self.set_faults([])

    # --- lifecycle ---------------------------------------------------------------------------
    def bind(self):
        """Bind the listening socket (port 0 picks a free port) and return the base URL."""
        host = self.config.host
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say TCP (without it,
        # every answer written in two parts waits for the client's delayed ACK, some 40 ms).
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, self.config.port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        self.sock = sock
        return self.url

    @property
    def port(self):
        return self.sock.getsockname()[1]

    @property
    def url(self):
        host = self.config.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def start(self, timeout=30):
        """Serve in a daemon thread (uvicorn, one worker); return the base URL once it accepts requests."""
        if self.sock is None:
            self.bind()
        config = uvicorn.Config(self.app, log_config=None, log_level="warning", access_log=False, lifespan="off",
                                server_header=False, timeout_keep_alive=120, timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, name="prefect-emulator", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise OSError("the emulator's server did not start")
            time.sleep(0.01)
        return self.url

    def serve_forever(self):
        """Serve until ``shutdown`` (for example from a signal handler in the main thread)."""
        if self.server is None:
            self.start()
        while self._thread.is_alive():
            self._thread.join(0.5)

    def shutdown(self):
        """Ask the server to stop (any thread, a signal handler too)."""
        if self.server is not None:
            self.server.should_exit = True

    def stop(self):
        self.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.server = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None
