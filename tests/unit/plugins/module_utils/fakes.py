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

import os
import random
import re
import sys
import uuid

import httpx

from ansible_collections.prefect.cloud.plugins.module_utils._http import PrefectClient
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


def respond(status, json=None, text=None, headers=None):
    """A new httpx.Response (a response can be read once, so each answer is its own)."""
    if json is not None:
        return httpx.Response(status, json=json, headers=headers)
    return httpx.Response(status, text=text or "", headers=headers)


def streamed(status, chunks, headers=None):
    """A new httpx.Response whose body comes from the iterator ``chunks`` as it is read (no length)."""
    return httpx.Response(status, content=chunks, headers=headers)


def mock_transport(handler):
    """A transport for PrefectClient that answers every request with ``handler(request)``."""
    return httpx.MockTransport(handler)


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
        request.read()
        self.requests.append(request)
        if self.deadline is not None:
            self.left.append(self.deadline.left())
        if not self.answers:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        answer = self.answers.pop(0)
        timeout = request.extensions["timeout"]["read"]
        if timeout is not None and self.took > timeout:
            self.clock.now += timeout
            raise httpx.ReadTimeout("The read operation timed out", request=request)
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
        return [request.extensions["timeout"]["read"] for request in self.requests]


# -- the emulator's API in process, behind a MockTransport


class Fault:
    """What goes wrong with the next ``times`` requests matching ``method`` and ``path`` (a regex).

    ``applied``: the emulator handles the request first (so the write takes effect) and then
    the answer is lost; otherwise the request never reaches it. ``status`` answers with that
    status; ``error`` (an httpx exception class) raises it instead. ``took``: seconds of the
    client's fake clock it takes.
    """

    def __init__(self, method, path, status=None, error=None, applied=False, times=1, took=0.0):
        self.method, self.path, self.status, self.error = method, re.compile(path), status, error
        self.applied, self.times, self.took = applied, times, took

    def matches(self, method, path):
        return self.times != 0 and method == self.method and self.path.search(path) is not None


class EmulatedCloud:
    """A MockTransport handler serving ``prefect_emulator``'s API (what the integration tests
    run against) without a socket, plus ``faults``; ``sent`` lists (method, path) of every request."""

    OWNER_KEY = "pnu_" + uuid.uuid4().hex + "wxyz"
    ACCOUNT_ID = "7c1e5b8a-2f4d-4e6b-9a1c-3d5e7f9b1a2c"

    def __init__(self, team_access_put="merge"):
        if EMULATOR_DIR not in sys.path:
            sys.path.insert(0, EMULATOR_DIR)
        # pylint: disable=import-outside-toplevel
        from prefect_emulator.api import Api
        from prefect_emulator.state import Store

        self.store = Store(self.ACCOUNT_ID, self.OWNER_KEY, ["ws"])
        self.api = Api(self.store, team_access_put=team_access_put)
        self.faults = []
        self.sent = []
        self.clock = None

    def __call__(self, request):
        method, path = request.method, request.url.path
        self.sent.append((method, path))
        fault = next((f for f in self.faults if f.matches(method, path)), None)
        if fault is not None:
            fault.times -= 1
            self.clock.now += fault.took
        reply = None
        if fault is None or fault.applied:
            reply = self.api.handle(method, path, request.headers.get("authorization"), request.read(),
                                    request.url.netloc.decode(), request.url.query.decode())
        if fault is not None:
            if fault.error is not None:
                raise fault.error("emulated failure", request=request)
            return httpx.Response(fault.status, json={"detail": f"Emulated fault: HTTP {fault.status}"})
        if reply.payload is None:
            return httpx.Response(reply.status, headers=reply.headers)
        return httpx.Response(reply.status, json=reply.payload, headers=reply.headers)

    def count(self, method, path_end):
        """How many ``method`` requests were sent to a path ending in ``path_end``."""
        return sum(1 for m, p in self.sent if m == method and p.endswith(path_end))

    def client(self, clock, retries=3, timeout=30.0):
        self.clock = clock
        return PrefectClient(
            "http://emulator.test/api", self.OWNER_KEY, self.ACCOUNT_ID, timeout=timeout,
            retry=RetryPolicy(retries=retries, rng=random.Random(3)), deadline=Deadline.for_timeout(timeout, clock=clock),
            sleep=clock.sleep, transport=httpx.MockTransport(self))
