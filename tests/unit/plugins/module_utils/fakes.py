# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fakes for the module_utils unit tests (imported by conftest.py and the tests).

Every HTTP call is declared with ``httpx.MockTransport``: ``Script`` answers from a list in order
(and fails the test on a request nobody expected); ``EmulatedCloud`` serves the emulator's API in
process (tests/emulator) with faults injected per request. Time is a ``FakeClock``: its ``sleep``
advances it, nothing really sleeps.
"""

from __future__ import annotations

import asyncio
import json as _json
import os
import random
import re
import ssl
import sys
import uuid
from urllib.parse import urlsplit

import httpx

from ansible_collections.prefect.cloud.plugins.module_utils._http import ConnectionFailed, PrefectClient
from ansible_collections.prefect.cloud.plugins.module_utils._retry import Deadline, RetryPolicy

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 3, "emulator")
API_URL = "https://cloud.test/api"
KEY = "pnu_" + "Kx7" * 12 + "wxyz"  # 40 characters, as a Prefect user key
ACCOUNT = "0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e"


class FakeClock:
    """A monotonic clock that only moves when told to (``sleep`` moves it too)."""

    def __init__(self, now=1000.0):
        self.now = now
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


# httpx 0.x and 1.0 share almost no public API (see _http.py): the fakes below build answers,
# transports and transport errors for whichever is installed, told by the same feature check as
# the client, and hand every request to the tests as a ``Sent`` record.
LEGACY = hasattr(httpx, "BaseTransport")


class Sent:
    """A request as the transport got it: method, url (text), path, query, netloc, headers (names in
    lower case), content (bytes), timeout (seconds)."""

    def __init__(self, method, url, headers, content, timeout):
        parts = urlsplit(url)
        self.method, self.url, self.path, self.query, self.netloc = method, url, parts.path, parts.query, parts.netloc
        self.headers = {name.lower(): value for name, value in headers.items()}
        self.content = content
        self.timeout = timeout

    def read(self):
        return self.content


def respond(status, json=None, text=None, headers=None):
    """A new httpx.Response (a response can be read once, so each answer is its own)."""
    headers = dict(headers or {})
    if json is not None:
        body = _json.dumps(json).encode("utf-8")
        headers.setdefault("content-type", "application/json")
    else:
        body = (text or "").encode("utf-8")
        if text:
            headers.setdefault("content-type", "text/plain; charset=utf-8")
    if LEGACY:
        return httpx.Response(status, content=body, headers=headers)
    return httpx.Response(status, headers=headers, content=_Body(body, headers))


def streamed(status, chunks, headers=None):
    """A new httpx.Response whose body comes from the iterator ``chunks`` as it is read (no length)."""
    if LEGACY:
        return httpx.Response(status, content=chunks, headers=headers)
    return httpx.Response(status, headers=headers, content=_Body(chunks, headers, chunked=True))


# httpx 1.0 only (with 0.x the classes are never used, and derive from object).
class _Stream(getattr(httpx, "Stream", object)):
    """Reads as httpx 1.0's response stream does: ``size`` bytes unless the body ends first."""

    def __init__(self, chunks):
        self._chunks = chunks
        self._left = b""

    def read(self, size=-1):
        data = self._left
        while size < 0 or len(data) < size:
            chunk = next(self._chunks, b"")
            if not chunk:
                break
            data += chunk
        if size < 0:
            size = len(data)
        data, self._left = data[:size], data[size:]
        return data

    def close(self):
        pass


class _Body(getattr(httpx, "Content", object)):
    """A response body for httpx 1.0: bytes (with a Content-Length, the declared one if given) or an
    iterator of chunks (with none)."""

    def __init__(self, body, headers=None, chunked=False):
        self._body, self._streamed = body, chunked
        declared = {k.lower(): v for k, v in (headers or {}).items()}.get("content-length")
        self._length = None if chunked else (declared or str(len(body)))

    def open(self):
        return _Stream(self._body if self._streamed else iter([self._body]))

    def headers(self):
        return httpx.Headers({} if self._length is None else {"Content-Length": self._length})


class _Transport(getattr(httpx, "Transport", object)):
    def __init__(self, handler, client=None):
        self.handler = handler
        self.client = client

    def send(self, request):
        timeout = getattr(self.client, "last_timeout", None)
        return self.handler(Sent(str(request.method), str(request.url), dict(request.headers.items()),
                                 request.body, timeout))


def mock_transport(handler, client=None):
    """A transport for PrefectClient that answers every request with ``handler(Sent)``.

    httpx 1.0 takes the timeout from a context that only httpx reads: with it, ``Sent.timeout`` is
    the ``last_timeout`` of ``client`` (set ``transport.client`` after making the client)."""
    if LEGACY:
        def handle(request):
            request.read()
            return handler(Sent(request.method, str(request.url), dict(request.headers.items()), request.content,
                                request.extensions["timeout"]["read"]))

        return httpx.MockTransport(handle)
    return _Transport(handler, client)


def attach(transport, client):
    """Let a transport of mock_transport read ``client``'s timeouts (httpx 1.0)."""
    if not LEGACY:
        transport.client = client
    return client


# -- transport errors, as the installed httpx raises them


def read_timeout(message="The read operation timed out", request=None):
    return httpx.ReadTimeout(message, request=request) if LEGACY else TimeoutError(message)


def connect_error(message="[Errno 111] Connection refused", request=None):
    if LEGACY:
        return httpx.ConnectError(message, request=request)
    error = ConnectionFailed(message)
    error.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return error


def connect_timeout(message="timed out", request=None):
    if LEGACY:
        return httpx.ConnectTimeout(message, request=request)
    error = ConnectionFailed(message)
    error.__cause__ = TimeoutError(message)
    return error


def remote_protocol_error(message="Server disconnected without sending a response.", request=None):
    return httpx.RemoteProtocolError(message, request=request) if LEGACY else httpx.ProtocolError(message)


def read_error(message="[Errno 104] Connection reset by peer", request=None):
    return httpx.ReadError(message, request=request) if LEGACY else ConnectionResetError(104, message)


def certificate_error():
    """What the installed httpx raises when the server's certificate does not verify: an error
    caused by an ssl.SSLCertVerificationError (whose verify_message the ssl module sets)."""
    cause = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    cause.verify_code, cause.verify_message = 18, "self-signed certificate"
    text = "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"
    error = httpx.ConnectError(text) if LEGACY else ConnectionFailed(text)
    error.__cause__ = cause
    return error


class Script:
    """A MockTransport handler that answers from ``answers`` in order and records what was sent.

    An answer is an ``httpx.Response``, an exception to raise, or a callable taking the request.
    ``took``: seconds of the fake clock each request takes; one that takes longer than its
    timeout raises httpx.ReadTimeout when the timeout is spent, as a real one would. ``left``:
    the deadline's time left when each request was sent.
    """

    def __init__(self, clock, answers, took=0.0):
        self.clock = clock
        self.answers = list(answers)
        self.took = took
        self.requests = []
        self.left = []
        self.deadline = None

    def __call__(self, request):
        self.requests.append(request)
        if self.deadline is not None:
            self.left.append(self.deadline.left())
        if not self.answers:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        answer = self.answers.pop(0)
        timeout = request.timeout
        if timeout is not None and self.took > timeout:
            self.clock.now += timeout
            raise read_timeout()
        self.clock.now += self.took
        if callable(answer) and not isinstance(answer, httpx.Response):
            answer = answer(request)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    @property
    def sends(self):
        return len(self.requests)

    def timeouts(self):
        """The read timeout of each request sent (all four httpx timeouts are set alike)."""
        return [request.timeout for request in self.requests]


# -- the emulator's API in process, behind a MockTransport


class Fault:
    """What goes wrong with the next ``times`` requests matching ``method`` and ``path`` (a regex).

    ``applied``: the emulator handles the request first (so the write takes effect) and then
    the answer is lost; otherwise the request never reaches it. ``status`` answers with that
    status; ``error`` (a maker of a transport error, such as ``read_timeout``) raises it instead. ``took``: seconds of the
    client's fake clock it takes.
    """

    def __init__(self, method, path, status=None, error=None, applied=False, times=1, took=0.0):
        self.method, self.path, self.status, self.error = method, re.compile(path), status, error
        self.applied, self.times, self.took = applied, times, took

    def matches(self, method, path):
        return self.times != 0 and method == self.method and self.path.search(path) is not None


def call_asgi(app, method, path, query, headers, body):
    """(status, headers, body) of one request to an ASGI application, called directly (no socket,
    no HTTP client: the emulator's answers do not depend on the httpx under test)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode("ascii"), "root_path": "", "query_string": (query or "").encode("ascii"),
             "headers": [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()],
             "server": ("emulator.test", 80), "client": ("127.0.0.1", 50000)}
    incoming = [{"type": "http.request", "body": body or b"", "more_body": False}]
    answer = {"status": None, "headers": [], "body": b""}

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"], answer["headers"] = message["status"], message.get("headers", [])
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return answer["status"], {k.decode("latin-1"): v.decode("latin-1") for k, v in answer["headers"]}, answer["body"]


class EmulatedCloud:
    """A MockTransport handler serving ``prefect_emulator``'s API (what the integration tests
    run against) without a socket, plus ``faults``; ``sent`` lists (method, path) of every request."""

    OWNER_KEY = "pnu_" + uuid.uuid4().hex + "wxyz"
    ACCOUNT_ID = "7c1e5b8a-2f4d-4e6b-9a1c-3d5e7f9b1a2c"

    def __init__(self, team_access_put="merge"):
        if EMULATOR_DIR not in sys.path:
            sys.path.insert(0, EMULATOR_DIR)
        # pylint: disable=import-outside-toplevel
        from prefect_emulator import Emulator, EmulatorConfig

        emulator = Emulator(EmulatorConfig(api_key=self.OWNER_KEY, account_id=self.ACCOUNT_ID, workspaces=["ws"], port=0,
                                           team_access_put=team_access_put))  # never started: called in process
        self.app, self.store, self.api = emulator.app, emulator.store, emulator.api
        self.faults = []
        self.sent = []
        self.clock = None

    def __call__(self, request):
        method, path = request.method, request.path
        self.sent.append((method, path))
        fault = next((f for f in self.faults if f.matches(method, path)), None)
        if fault is not None:
            fault.times -= 1
            self.clock.now += fault.took
        reply = None
        if fault is None or fault.applied:
            headers = {"authorization": request.headers.get("authorization") or "", "host": request.netloc,
                       "content-type": "application/json"}
            reply = call_asgi(self.app, method, path, request.query, headers, request.content)
        if fault is not None:
            if fault.error is not None:
                raise fault.error("emulated failure")
            return respond(fault.status, json={"detail": f"Emulated fault: HTTP {fault.status}"})
        status, headers, body = reply
        if not body:
            return respond(status, headers={k: v for k, v in headers.items() if k == "retry-after"})
        return respond(status, json=_json.loads(body), headers={k: v for k, v in headers.items() if k == "retry-after"})

    def count(self, method, path_end):
        """How many ``method`` requests were sent to a path ending in ``path_end``."""
        return sum(1 for m, p in self.sent if m == method and p.endswith(path_end))

    def client(self, clock, retries=3, timeout=30.0):
        self.clock = clock
        transport = mock_transport(self)
        return attach(transport, PrefectClient(
            "http://emulator.test/api", self.OWNER_KEY, self.ACCOUNT_ID, timeout=timeout,
            retry=RetryPolicy(retries=retries, rng=random.Random(3)), deadline=Deadline.for_timeout(timeout, clock=clock),
            sleep=clock.sleep, transport=transport))
