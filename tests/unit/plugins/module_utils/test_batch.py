# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The batch writer of _base (service_accounts, workspace_members): the order of the writes, the
one-line report of a failure in the middle, and the deadline that grows with the planned writes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils._base import (
    WRITE_BUDGET, BatchModule, Operation, TaskFailed, batches,
)
from ansible_collections.prefect.cloud.plugins.module_utils._errors import (
    PrefectAPIError, PrefectResponseLost, PrefectTransportError,
)
from ansible_collections.prefect.cloud.plugins.module_utils._retry import Deadline


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Fleet(BatchModule):
    module_name = "service_accounts"

    def converge(self):
        raise AssertionError("the tests call write_all() directly")


def fleet(clock=None):
    runner = SimpleNamespace(params={}, check_mode=False, diff_mode=False, no_log=False, warn=lambda msg: None)
    module = Fleet(runner)
    module.deadline = Deadline.for_timeout(10, clock or Clock())
    module.result["api_keys"] = {}
    return module


OPERATIONS = [Operation("create", "a"), Operation("grant", "a", "ws"), Operation("grant", "b", "ws"), Operation("delete", "c")]


def next_batch(pending):
    return [op for op in pending if op.kind == pending[0].kind] if pending[0].kind == "grant" else pending[:1]


def failing_on(kind, exc):
    def write(batch):
        if batch[0].kind == kind:
            raise exc
    return write


def test_batches_and_write_all_apply_every_batch_in_order():
    assert [[op.name for op in batch] for batch in batches(OPERATIONS, next_batch)] == [["a"], ["a", "b"], ["c"]]
    module, sent = fleet(), []
    applied = module.write_all(OPERATIONS, next_batch, sent.append)
    assert [[op.name for op in batch] for batch in sent] == [["a"], ["a", "b"], ["c"]]
    assert applied == OPERATIONS
    assert module.result == {"changed": False, "api_keys": {}}  # nothing reported: the caller sets changed


def test_a_failed_batch_reports_applied_and_not_applied_on_one_line():
    module = fleet()
    error = PrefectAPIError("POST", "/api/x/bot_access/", 500, "boom")
    with pytest.raises(TaskFailed) as caught:
        module.write_all(OPERATIONS, next_batch, failing_on("grant", error))
    result = caught.value.result
    assert caught.value.msg == (
        "service_accounts: grant of 'a' in workspace 'ws' (and 1 more in the same request) failed after 1 of 4 operations "
        "were applied (see applied and not_applied; run the task again to converge): POST /api/x/bot_access/ failed with "
        "HTTP 500: boom (a Prefect Cloud or proxy error; re-run the task later, it reads the current state first)")
    assert result["changed"] and result["applied"] == [{"operation": "create", "service_account": "a"}]
    assert result["not_applied"] == [{"operation": "grant", "service_account": "a", "workspace": "ws"},
                                     {"operation": "grant", "service_account": "b", "workspace": "ws"},
                                     {"operation": "delete", "service_account": "c"}]
    assert (result["method"], result["path"], result["status"]) == ("POST", "/api/x/bot_access/", 500)
    assert result["api_keys"] == {}  # the rest of the result is kept


def test_a_first_write_that_fails_is_no_change_and_a_lost_answer_counts_as_applied():
    with pytest.raises(TaskFailed) as caught:
        fleet().write_all(OPERATIONS, next_batch, failing_on("create", PrefectAPIError("POST", "/p", 403, "no")))
    assert not caught.value.result["changed"] and caught.value.result["applied"] == []
    assert caught.value.msg.startswith("service_accounts: create of 'a' failed after 0 of 4 operations")
    lost = PrefectResponseLost(PrefectAPIError("POST", "/p", 502, "gateway"), "the create", found=None)
    with pytest.raises(TaskFailed) as caught:
        fleet().write_all(OPERATIONS, next_batch, failing_on("create", lost))
    result = caught.value.result
    assert result["changed"] and result["applied"] == [{"operation": "create", "service_account": "a"}]
    assert len(result["not_applied"]) == 3 and "failed after 1 of 4 operations were applied" in caught.value.msg


def test_the_deadline_grows_with_the_planned_writes():
    """Issue 28 item 9: 5,000 creates at 0.1 s each outlast max(60, 4 x timeout) = 60 s; the
    deadline grows by WRITE_BUDGET per planned request once the plan is known."""
    clock = Clock()
    module = fleet(clock)
    operations = [Operation("create", f"a{i}") for i in range(5000)]

    def write(_batch):
        assert module.deadline.left() > 0, "the deadline ended the run"
        clock.now += 0.1

    assert module.write_all(operations, next_batch, write) == operations
    assert module.deadline.seconds == 60 + 5000 * WRITE_BUDGET


def test_a_run_the_deadline_ends_says_so_and_what_to_raise():
    clock = Clock()
    module = fleet(clock)

    def write(_batch):
        clock.now += WRITE_BUDGET + 20  # a server slower than the budget
        if module.deadline.left() <= 0:
            raise PrefectTransportError("POST", "/api/bots/", "the task deadline of 80 s was reached", 1, timed_out=True)

    with pytest.raises(TaskFailed) as caught:
        module.write_all([Operation("create", f"a{i}") for i in range(4)], next_batch, write)
    assert caught.value.msg.startswith("service_accounts: create of 'a3' failed after 3 of 4 operations were applied")
    assert "the task deadline of 80 s (max(60, 4 x timeout) plus 5 s per write request) ended it: raise the timeout " \
           "option" in caught.value.msg
    assert "\n" not in caught.value.msg
