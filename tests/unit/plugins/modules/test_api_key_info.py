# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The api_key_info module: the HTTP conversation of each case (the candidate key is never shown)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.prefect.cloud.plugins.modules.api_key_info import APIKeyInfo
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

BOT = "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"
ACTOR = "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e"
CANDIDATE = "pnb_" + "c4nd1d4te" * 3 + "x7Qa"
ACTIVE = "3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f"
OLD = "4e5f6071-8293-4d4e-9f5a-6b7c8d9e0f1a"


def bot():
    return {"id": BOT, "actor_id": ACTOR, "account_id": ACCOUNT, "name": "ci", "account_role_name": "Member",
            "api_key": {"id": ACTIVE, "name": "k", "expiration": None, "masked_key": "pnb_...AAAA"}}


def keys(active_mask="pnb_...AAAA", rotating_mask="pnb_...x7Qa"):
    return {"active_key": {"id": ACTIVE, "name": "k", "expiration": None, "masked_key": active_mask},
            "rotating_keys": [{"id": OLD, "name": "k", "expiration": "2099-01-01T00:00:00Z", "masked_key": rotating_mask}]}


ME = Call("GET", "me/", {"id": ACTOR, "handle": "ci"})


def check(run_module, calls, **options):
    result = run_module(APIKeyInfo, dict({"key": CANDIDATE}, **options), calls)
    assert CANDIDATE not in json.dumps(result)
    return result


def test_a_rotating_key_of_the_service_account(run_module):
    result = check(run_module, [ME, Call("POST", "bots/filter", [bot()]), Call("GET", f"bots/{BOT}/read_bot_api_keys", keys())],
                   service_account="ci")
    assert (result["authenticates"], result["belongs_to_service_account"], result["key_state"]) == (True, True, "rotating")
    assert (result["api_key_id"], result["expiration"]) == (OLD, "2099-01-01T00:00:00Z")
    assert result["expires_in_seconds"] > 0 and result["identity"] == {"id": ACTOR, "handle": "ci"}


def test_the_active_key(run_module):
    result = check(run_module, [ME, Call("POST", "bots/filter", [bot()]),
                                Call("GET", f"bots/{BOT}/read_bot_api_keys", keys("pnb_...x7Qa", "pnb_...BBBB"))],
                   service_account="ci")
    assert (result["key_state"], result["api_key_id"], result["expires_in_seconds"]) == ("active", ACTIVE, None)


def test_two_keys_with_the_same_last_characters_are_not_told_apart(run_module):
    result = check(run_module, [ME, Call("POST", "bots/filter", [bot()]),
                                Call("GET", f"bots/{BOT}/read_bot_api_keys", keys("pnb_...x7Qa", "pnb_...x7Qa"))],
                   service_account="ci")
    assert result["belongs_to_service_account"] and result["key_state"] == "unknown"


def test_a_key_that_does_not_authenticate(run_module):
    result = check(run_module, [Call("GET", "me/", {"detail": "Unauthorized"}, status=401), Call("POST", "bots/filter", [bot()])],
                   service_account="ci")
    assert (result["authenticates"], result["belongs_to_service_account"], result["service_account_exists"]) == \
        (False, False, True)


def test_another_identity_and_no_service_account(run_module):
    other = Call("GET", "me/", {"id": "5f607182-93a4-4e5f-8a6b-7c8d9e0f1a2b", "handle": "someone"})
    result = check(run_module, [other, Call("POST", "bots/filter", [bot()])], service_account="ci")
    assert result["authenticates"] and not result["belongs_to_service_account"]
    assert check(run_module, [ME])["key_state"] == "unknown"
    assert check(run_module, [ME, Call("POST", "bots/filter", [])], service_account="gone")["service_account_exists"] is False


def test_a_server_error_fails_without_the_key(run_module):
    result = check(run_module, [Call("GET", "me/", {"detail": f"bad key {CANDIDATE}"}, status=400)])
    assert result["failed"] and "GET /api/me/" in result["msg"] and "HTTP 400" in result["msg"]


def test_a_key_with_characters_no_key_has_is_not_sent(run_module):
    result = run_module(APIKeyInfo, {"key": "pnb_ with space"}, [])
    assert result["authenticates"] is False and "was not sent" in result["warnings"][0]
    assert "with space" not in json.dumps(result)


# --------------------------------------------------------------------------- wait_until: refused (issue: keys)


class Clock:
    """A fake monotonic clock that the fake sleep advances (no real waiting)."""

    def __init__(self):
        self.now = 1000.0
        self.pauses = []

    def sleep(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(APIKeyInfo, "clock", staticmethod(lambda: clock.now))
    monkeypatch.setattr(APIKeyInfo, "sleep", staticmethod(clock.sleep))
    return clock


REFUSED = Call("GET", "me/", {"detail": "Invalid authentication credentials"}, status=401)


def test_wait_until_refused_polls_with_a_growing_pause(run_module, clock):
    result = check(run_module, [ME, ME, ME, REFUSED], wait_until="refused")
    assert result["refused_after_seconds"] == 7.0 and clock.pauses == [1.0, 2.0, 4.0]
    assert result["authenticates"] is False and "identity" not in result and not result["changed"]


def test_wait_until_refused_at_once_and_with_a_service_account(run_module, clock):
    result = check(run_module, [REFUSED, Call("POST", "bots/filter", [bot()])], wait_until="refused", service_account="ci")
    assert result["refused_after_seconds"] == 0 and clock.pauses == [] and result["service_account_exists"]


def test_wait_until_refused_fails_on_one_line_after_wait_timeout(run_module, clock):
    result = check(run_module, [ME] * 6, wait_until="refused", wait_timeout=20)  # the last check at 20 s
    assert result["failed"] and clock.pauses == [1.0, 2.0, 4.0, 8.0, 5.0]
    assert result["msg"].startswith("wait_until: the key still authenticates after 20 s (wait_timeout 20)")
    assert result["authenticates"] is True and "\n" not in result["msg"]


@pytest.mark.parametrize("timeout", [0, 3601])
def test_a_wait_timeout_out_of_range_fails_without_a_request(run_module, timeout):
    result = check(run_module, [], wait_until="refused", wait_timeout=timeout)
    assert result["failed"] and result["msg"] == f"wait_timeout must be between 1 and 3600 seconds, got {timeout}"
