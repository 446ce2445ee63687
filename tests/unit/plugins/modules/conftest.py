# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The conversation fixture of the module unit tests (community.hrobot's style, on httpx).

A test declares the HTTP conversation a task must have, in order: each ``Call`` is one request
the module must send (method, path below ``/api/``, and optionally the JSON body it must send)
and the answer it gets. ``run_module`` runs the module class with the options given, through a
runner like the controller's, and fails the test on any request that was not declared, sent out
of order, or declared and not sent.
"""

from __future__ import annotations

import functools
import json

import pytest

pytest.importorskip("httpx")
pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.prefect.cloud.plugins.module_utils import _base
from ansible_collections.prefect.cloud.plugins.module_utils._base import TaskFailed
from ansible_collections.prefect.cloud.tests.unit.plugins.module_utils.fakes import mock_transport, respond

ACCOUNT = "0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e"
KEY = "pnu_" + "T3st" * 9
API_URL = "https://cloud.test/api"
BASE = f"accounts/{ACCOUNT}/"


class Call:
    """One request the module must send, and the answer it gets."""

    def __init__(self, method, path, answer=None, status=None, body=None):
        self.method = method
        self.path = path if path.startswith(("accounts/", "me/", "users/", "/")) else BASE + path
        self.answer = answer
        self.status = status or (204 if answer is None and method == "DELETE" else 200)
        self.body = body

    def __repr__(self):
        return f"{self.method} {self.path}"


class Runner:
    """Runs a module class as the controller does: options validated by ansible-core's
    ``ArgumentSpecValidator``; warnings kept."""

    planned = None

    def __init__(self, module_class, params, check_mode, diff, no_log):
        spec = module_class.spec()
        kwargs = dict(module_class.module_kwargs)
        args = dict(dict(api_url=API_URL, api_key=KEY, account_id=ACCOUNT), **params)
        validation = ArgumentSpecValidator(spec, **kwargs).validate(args)
        if validation.error_messages:
            raise AssertionError(f"the options do not validate: {validation.error_messages}")
        self.params = validation.validated_parameters
        self.raw_params = args
        self.check_mode = check_mode
        self.diff_mode = diff
        self.no_log = no_log
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)


class Conversation:
    def __init__(self, calls):
        self.expected = list(calls)
        self.sent = []

    def __call__(self, request):
        """Answer one request (``fakes.Sent``: the same on httpx 0.x and 1.0)."""
        path = request.path.split("/api/", 1)[1]
        if not self.expected:
            raise AssertionError(f"unexpected request {request.method} {path} after {self.sent}")
        call = self.expected.pop(0)
        self.sent.append(call)
        assert (request.method, path) == (call.method, call.path), f"expected {call}, got {request.method} {path}"
        if call.body is not None:
            sent = json.loads(request.content or b"null")
            assert sent == call.body, f"{call}: body {sent!r} != {call.body!r}"
        if call.answer is None:
            return respond(call.status)
        return respond(call.status, json=call.answer)


@pytest.fixture(name="run_module")
def run_module_fixture(monkeypatch):
    """``run_module(ModuleClass, params, calls, check_mode=False, diff=True, planned=None)`` ->
    the result (with ``failed`` and ``msg`` on failure, and ``warnings``)."""

    def run(module_class, params, calls, check_mode=False, diff=True, no_log=False, planned=None):
        conversation = Conversation(calls)
        monkeypatch.setattr(_base, "PrefectClient", functools.partial(_base.PrefectClient,
                                                                      transport=mock_transport(conversation)))
        runner = Runner(module_class, params, check_mode, diff, no_log)
        runner.planned = planned or {}
        try:
            result = module_class(runner).execute()
        except TaskFailed as failed:
            result = dict(failed.result, failed=True, msg=failed.msg)
        assert not conversation.expected, f"declared and not sent: {conversation.expected} ({result.get('msg')})"
        if runner.warnings:
            result["warnings"] = runner.warnings
        return result

    return run
