# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the retry policy (no server, no sleeping)."""

from __future__ import annotations

import random

import pytest

from ansible_collections.prefect.cloud.plugins.module_utils._retry import RetryPolicy, parse_retry_after


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("3", 3.0), ("0.5", 0.5), ("-4", 0.0), ("soon", None),
    ("Thu, 01 Jan 1970 00:01:40 GMT", 90.0),
])
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value, now=10.0) == expected


def test_retry_after_wins_but_is_capped():
    policy = RetryPolicy(max_backoff=30.0)
    assert policy.delay(1, retry_after="7") == 7.0
    assert policy.delay(1, retry_after="3600") == 30.0


def test_backoff_grows_exponentially_with_jitter_and_cap():
    policy = RetryPolicy(backoff=0.5, max_backoff=4.0, rng=random.Random(1))
    for attempt, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (8, 4.0)):
        wait = policy.delay(attempt)
        assert ceiling / 2 <= wait <= ceiling


def test_bounded_by_attempts_and_total_time():
    policy = RetryPolicy(retries=3, max_total=10.0)
    assert policy.allows(3, 0.0, 1.0)
    assert not policy.allows(4, 0.0, 1.0)
    assert not policy.allows(1, 9.5, 1.0)


@pytest.mark.parametrize("status, idempotent, expected", [
    (429, False, True), (503, False, True), (502, False, False), (504, False, False), (500, False, False),
    (502, True, True), (504, True, True), (500, True, True), (400, True, False), (404, True, False), (409, True, False),
])
def test_retryable_status(status, idempotent, expected):
    assert RetryPolicy().retryable_status(status, idempotent) is expected


@pytest.mark.parametrize("status, expected", [(500, True), (502, True), (504, True), (503, False), (429, False), (400, False)])
def test_ambiguous_status(status, expected):
    """A create answered with these statuses may have been applied: it is never resent blindly."""
    assert RetryPolicy.ambiguous_status(status) is expected


def test_negative_retries_rejected():
    with pytest.raises(ValueError):
        RetryPolicy(retries=-1)
