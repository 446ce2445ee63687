# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the retry policy and the task deadline (``_retry``): no server, a fake clock."""

from __future__ import annotations

import random

import pytest

from ansible_collections.prefect.cloud.plugins.module_utils._retry import Deadline, RetryPolicy, parse_retry_after
from ansible_collections.prefect.cloud.tests.unit.plugins.module_utils.fakes import FakeClock


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("  ", None), ("3", 3.0), (" 3 ", 3.0), ("0.5", 0.5), ("-4", 0.0), ("soon", None),
    ("nan", None), ("Thu, 01 Jan 1970 00:01:40 GMT", 90.0), ("Thu, 01 Jan 1970 00:00:05 GMT", 0.0),
    ("Thu, 01 Jan 1970 00:01:40", None),  # no zone: no hint
])
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value, now=10.0) == expected


def test_retry_after_seconds_wins_over_backoff_but_is_capped():
    policy = RetryPolicy(max_backoff=30.0)
    assert policy.delay(1, retry_after="7") == 7.0
    assert policy.delay(1, retry_after="3600") == 30.0
    assert policy.delay(1, retry_after="inf") == 30.0


def test_retry_after_http_date_is_capped():
    policy = RetryPolicy(max_backoff=30.0)
    assert policy.delay(1, retry_after="Thu, 01 Jan 1970 00:00:20 GMT", now=0.0) == 20.0
    assert policy.delay(1, retry_after="Thu, 01 Jan 1970 01:00:00 GMT", now=0.0) == 30.0


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap():
    policy = RetryPolicy(backoff=0.5, max_backoff=4.0, rng=random.Random(1))
    for sends, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (8, 4.0)):
        for dummy in range(20):
            assert ceiling / 2 <= policy.delay(sends) <= ceiling


def test_may_resend_is_bounded_by_retries_plus_one_sends():
    clock = FakeClock()
    policy = RetryPolicy(retries=3)
    deadline = Deadline(60, clock=clock)
    assert policy.max_sends == 4
    assert policy.may_resend(3, 0.0, deadline)
    assert not policy.may_resend(4, 0.0, deadline)


def test_may_resend_refuses_a_wait_that_passes_the_deadline():
    clock = FakeClock()
    policy = RetryPolicy(retries=5)
    deadline = Deadline(60, clock=clock)
    clock.now += 50.0
    assert policy.may_resend(1, 9.0, deadline)
    assert not policy.may_resend(1, 10.0, deadline)  # it would end exactly at the deadline: no time to send
    assert not policy.may_resend(1, 30.0, deadline)


@pytest.mark.parametrize("timeout, seconds", [(5, 60.0), (15, 60.0), (30, 120.0), (0.5, 60.0), (100, 400.0)])
def test_task_deadline_is_max_60_and_4_times_timeout(timeout, seconds):
    clock = FakeClock()
    deadline = Deadline.for_timeout(timeout, clock=clock)
    assert deadline.seconds == seconds and deadline.left() == seconds


def test_deadline_counts_down_on_its_clock_and_stops_at_zero():
    clock = FakeClock()
    deadline = Deadline(60, clock=clock)
    clock.now += 59.5
    assert deadline.left() == 0.5
    clock.now += 10
    assert deadline.left() == 0.0


@pytest.mark.parametrize("status, idempotent, expected", [
    (429, False, True), (503, False, True), (500, False, False), (502, False, False), (504, False, False),
    (429, True, True), (503, True, True), (500, True, True), (502, True, True), (504, True, True),
    (400, True, False), (401, True, False), (404, True, False), (409, True, False), (422, False, False),
])
def test_which_statuses_are_sent_again(status, idempotent, expected):
    assert RetryPolicy.resend_status(status, idempotent) is expected


@pytest.mark.parametrize("status, expected", [(500, True), (502, True), (504, True), (503, False), (429, False),
                                              (400, False), (201, False)])
def test_ambiguous_statuses(status, expected):
    """A create answered with these may have been applied: it is read back, never sent again."""
    assert RetryPolicy.ambiguous_status(status) is expected


def test_negative_retries_rejected():
    with pytest.raises(ValueError):
        RetryPolicy(retries=-1)
