# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The user_api_key module: the HTTP conversation of each case (the new key is never shown)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible_collections.prefect.cloud.plugins.modules.user_api_key import UserAPIKey
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

USER = "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"
ALICE = "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e"
KEY_ID = "3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f"
OTHER_ID = "4e5f6071-8293-4d4e-9f5a-6b7c8d9e0f1a"
NEW_KEY = "pnu_" + "N3wUs3rK3y" * 3 + "x7Qa"
ME = Call("GET", "me/", {"id": USER, "handle": "me"})
KEYS = f"users/{USER}/api_keys"


def meta(name="laptop", key_id=KEY_ID, expiration=None):
    return {"id": key_id, "name": name, "created": "2026-01-01T00:00:00Z", "expiration": expiration,
            "masked_key": "pnu_...AAAA"}


def created(name="laptop", expiration=None):
    return {"id": KEY_ID, "name": name, "created": "2026-01-01T00:00:00Z", "expiration": expiration, "key": NEW_KEY}


def run(run_module, calls, check_mode=False, no_log=False, **options):
    result = run_module(UserAPIKey, dict({"name": "laptop"}, **options), calls, check_mode=check_mode, no_log=no_log)
    assert NEW_KEY not in json.dumps({k: v for k, v in result.items() if k != "api_key"})
    return result


@pytest.mark.parametrize("check_mode", [True, False])
def test_create_for_the_caller_to_a_0600_file(run_module, tmp_path, check_mode):
    dest = tmp_path / "keys" / "laptop.key"
    calls = [ME, Call("GET", KEYS, [meta("other", OTHER_ID)])]
    if not check_mode:
        calls.append(Call("POST", KEYS, created(expiration="2099-01-01T00:00:00Z"), status=201,
                          body={"name": "laptop", "expiration": "2099-01-01T00:00:00Z"}))
    result = run(run_module, calls, check_mode, api_key_expiration="2099-01-01T01:00:00+01:00", api_key_dest=str(dest))
    assert result["changed"] and result["api_key_file"] == str(dest) and "api_key" not in result
    assert result["diff"] == {"before": {}, "after": {"name": "laptop", "user_id": USER, "api_key_id": "(new key)",
                                                      "api_key_expiration": "2099-01-01T00:00:00Z"}}
    assert result["user_api_key"]["id"] == (None if check_mode else KEY_ID)
    assert result["user_api_key"]["expiration"] == "2099-01-01T00:00:00Z"
    if check_mode:
        assert not dest.exists()
    else:
        assert dest.read_text() == NEW_KEY and stat.S_IMODE(os.stat(dest).st_mode) == 0o600


def test_an_existing_key_is_left_alone(run_module):
    result = run(run_module, [ME, Call("GET", KEYS, [meta(expiration="2099-01-01T00:00:00Z")])],
                 api_key_expiration="2099-01-01T00:00:00Z", return_api_key=True)
    assert not result["changed"] and result["user_api_key"]["masked_key"] == "pnu_...AAAA" and "api_key" not in result
    assert result["diff"]["before"] == result["diff"]["after"]


def test_another_expiration_fails_before_any_write(run_module):
    result = run(run_module, [ME, Call("GET", KEYS, [meta()])], api_key_expiration="2099-01-01T00:00:00Z")
    assert result["failed"] and not result["changed"]
    assert result["msg"].startswith("api_key_expiration: the key 'laptop' exists and expires never")


def test_return_api_key_warns_without_no_log(run_module):
    calls = [ME, Call("GET", KEYS, []), Call("POST", KEYS, created(), status=201, body={"name": "laptop"})]
    result = run(run_module, calls, return_api_key=True)
    assert result["api_key"] == NEW_KEY and "no_log" in result["warnings"][0]
    calls = [ME, Call("GET", KEYS, []), Call("POST", KEYS, created(), status=201)]
    assert "warnings" not in run(run_module, calls, return_api_key=True, no_log=True)
    calls = [ME, Call("GET", KEYS, []), Call("POST", KEYS, created(), status=201)]
    warning = run(run_module, calls)["warnings"][0]
    assert "the new key is not kept" in warning and "rotate" not in warning  # a user key cannot be rotated


@pytest.mark.parametrize("check_mode", [True, False])
def test_delete_a_key_of_a_user_by_e_mail_then_again(run_module, check_mode):
    member = {"id": OTHER_ID, "actor_id": OTHER_ID, "user_id": ALICE, "email": "alice@example.com", "handle": "alice",
              "account_role_name": "Admin", "account_role_id": OTHER_ID}
    lookup = Call("POST", "account_memberships/filter", [member])
    calls = [lookup, Call("GET", f"users/{ALICE}/api_keys", [meta()])]
    if not check_mode:
        calls.append(Call("DELETE", f"users/{ALICE}/api_keys/{KEY_ID}"))
    result = run(run_module, calls, check_mode, user="Alice@Example.com", state="absent")
    assert result["changed"] and result["diff"]["after"] == {} and result["diff"]["before"]["api_key_id"] == KEY_ID
    again = run(run_module, [lookup, Call("GET", f"users/{ALICE}/api_keys", [])], user="alice@example.com", state="absent")
    assert not again["changed"] and again["diff"] == {"before": {}, "after": {}}


def test_two_keys_with_the_name_are_refused(run_module):
    result = run(run_module, [ME, Call("GET", KEYS, [meta(), meta(key_id=OTHER_ID)])], state="absent")
    assert result["failed"] and "2 API keys of the user are named 'laptop'" in result["msg"]


def test_unknown_users_fail_before_any_write(run_module):
    result = run(run_module, [Call("POST", "account_memberships/filter", [])] * 2, user="nobody@example.com")
    assert result["failed"] and result["msg"] == "user: no user 'nobody@example.com' in this account"
    result = run(run_module, [Call("GET", f"users/{ALICE}/api_keys", {"detail": "User not found."}, status=404)], user=ALICE)
    assert result["failed"] and "knows no user '" + ALICE in result["msg"]
    result = run(run_module, [Call("GET", f"users/{ALICE}/api_keys", {"detail": "no"}, status=403)], user=ALICE)
    assert result["failed"] and f"GET /api/users/{ALICE}/api_keys" in result["msg"] and "HTTP 403" in result["msg"]


@pytest.mark.parametrize("options, message", [
    ({"api_key_expiration": "2020-01-01T00:00:00Z"}, "is in the past"),
    ({"api_key_expiration": "2099-01-01T00:00:00"}, "has no time zone"),
    ({"state": "gone"}, "state"),
])
def test_bad_options_fail_without_a_request(run_module, options, message):
    if "state" in options:
        with pytest.raises(AssertionError, match="value of state must be one of"):
            run(run_module, [], **options)
        return
    result = run(run_module, [], **options)
    assert result["failed"] and message in result["msg"] and "\n" not in result["msg"]


def test_a_lost_answer_is_read_back_and_not_sent_again(run_module):
    calls = [ME, Call("GET", KEYS, []), Call("POST", KEYS, {"detail": "boom"}, status=500), Call("GET", KEYS, [meta()])]
    result = run(run_module, calls)
    assert result["failed"] and result["changed"] and "was created, but the response with the key was lost" in result["msg"]
    assert ACCOUNT not in result["msg"]
