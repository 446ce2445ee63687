# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures shared by the module_utils unit tests (the fakes are in fakes.py)."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("httpx")
pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils._http import PrefectClient
from ansible_collections.prefect.cloud.plugins.module_utils._retry import Deadline, RetryPolicy
from ansible_collections.prefect.cloud.tests.unit.plugins.module_utils.fakes import (
    ACCOUNT, API_URL, KEY, FakeClock, Script, attach, mock_transport,
)


@pytest.fixture(name="clock")
def clock_fixture():
    return FakeClock()


@pytest.fixture(name="make_client")
def make_client_fixture(clock):
    """``make_client(*answers, retries=3, timeout=30, ...)`` -> (PrefectClient, Script)."""

    def make(*answers, retries=3, timeout=30.0, deadline=None, check_mode=False, took=0.0, api_url=API_URL,
             max_backoff=30.0):
        script = Script(clock, answers, took)
        transport = mock_transport(script)
        client = attach(transport, PrefectClient(
            api_url, KEY, ACCOUNT, timeout=timeout,
            retry=RetryPolicy(retries=retries, max_backoff=max_backoff, rng=random.Random(7)),
            deadline=deadline or Deadline.for_timeout(timeout, clock=clock), check_mode=check_mode,
            sleep=clock.sleep, transport=transport))
        script.deadline = client.deadline
        return client, script

    return make
