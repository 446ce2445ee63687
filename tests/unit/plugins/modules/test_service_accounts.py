# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The service_accounts module: the HTTP conversation of each case."""

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible_collections.prefect.cloud.plugins.modules.service_accounts import ServiceAccounts
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

WS = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"
RUNNER = "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e"
VIEWER = "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
ME = "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a"
ADMIN = "9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
KEYS = {name: f"pnb_{name.replace('-', '')}{'K' * 20}" for name in ("pipe-a", "pipe-b", "pipe-c")}
NO_KEY_WARNING = "neither api_keys_dest nor return_api_key is set"


def uid(number):
    return f"00000000-0000-4000-8000-{number:012d}"


def bot(name, number, role="Member", key_id=None, expiration=None):
    return {"id": uid(number), "actor_id": uid(number + 100), "account_id": ACCOUNT, "name": name,
            "account_role_name": role, "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
            "api_key": {"id": key_id or uid(number + 200), "name": f"{name}-key", "created": "2026-01-01T00:00:00Z",
                        "expiration": expiration, "masked_key": "pnb_...KKKK"}}


def created(name, number):
    answer = bot(name, number)
    answer["api_key"] = dict(answer["api_key"], key=KEYS[name])
    del answer["api_key"]["masked_key"]
    return answer


def access(name, number, role=RUNNER, access_number=None):
    return {"id": uid(access_number or number + 300), "workspace_id": WS, "workspace_role_id": role,
            "actor_id": uid(number + 100), "bot_id": uid(number), "bot_name": name}


WORKSPACES = Call("POST", "workspaces/filter", [{"id": WS, "name": "Prod", "handle": "prod", "account_id": ACCOUNT}])
ROLES = Call("POST", "workspace_roles/filter", [{"id": RUNNER, "name": "Runner"}, {"id": VIEWER, "name": "Viewer"}])


def bots(*items):
    return Call("POST", "bots/filter", list(items))


def grants(*items):
    return Call("POST", f"workspaces/{WS}/bot_access/filter", list(items))


def entry(name, role="Runner", **options):
    return dict({"name": name, "workspace_access": [{"workspace": "prod", "workspace_role": role}]}, **options)


@pytest.mark.parametrize("check_mode", [False, True])
def test_create_two_accounts_with_their_grants(run_module, check_mode, tmp_path):
    writes = [Call("POST", "bots/", created("pipe-a", 1), body={"name": "pipe-a"}),
              Call("POST", "bots/", created("pipe-b", 2), body={"name": "pipe-b"}),
              Call("POST", f"workspaces/{WS}/bot_access/", [access("pipe-a", 1), access("pipe-b", 2)],
                   body=[{"bot_id": uid(1), "workspace_role_id": RUNNER}, {"bot_id": uid(2), "workspace_role_id": RUNNER}])]
    result = run_module(ServiceAccounts, {"service_accounts": [entry("pipe-a"), entry("pipe-b")],
                                          "api_keys_dest": str(tmp_path / "keys")},
                        [bots(), WORKSPACES, grants(), ROLES] + ([] if check_mode else writes), check_mode=check_mode)
    assert result["changed"] is True
    new = {"name": None, "account_role": "Member", "api_key_id": "(new key)", "api_key_expiration": None,
           "workspace_access": [{"workspace": "prod", "workspace_role": "Runner"}]}
    after = {"pipe-a": dict(new, name="pipe-a"), "pipe-b": dict(new, name="pipe-b")}
    assert result["diff"] == {"before": {}, "after": {"service_accounts": after}}
    files = {name: str(tmp_path / "keys" / f"{name}.key") for name in ("pipe-a", "pipe-b")}
    assert result["api_key_files"] == files and result["api_keys"] == {}
    assert "warnings" not in result
    grant = result["service_accounts"][0]["workspace_access"][0]
    if check_mode:
        assert not (tmp_path / "keys").exists()
        assert result["service_accounts"][0]["id"] is None and grant["id"] is None
        planned = result["ansible_facts"]["prefect_cloud_planned"][ACCOUNT]["service_account"]
        assert planned == {"pipe-a": {"name": "pipe-a", "actor_id": None, "account_role_name": "Member"},
                           "pipe-b": {"name": "pipe-b", "actor_id": None, "account_role_name": "Member"}}
    else:
        assert result["service_accounts"][0]["id"] == uid(1) and grant["id"] == uid(301)
        assert (grant["accessor_id"], grant["workspace_role_name"]) == (uid(1), "Runner")
        for name, path in files.items():
            assert open(path, encoding="utf-8").read() == KEYS[name]
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert sorted(os.listdir(tmp_path / "keys")) == ["pipe-a.key", "pipe-b.key"]  # no temporary file left
        assert not any(key in json.dumps(result) for key in KEYS.values())


def test_no_change_reads_each_list_once(run_module):
    result = run_module(ServiceAccounts, {"service_accounts": [entry("pipe-a"), entry("pipe-b")]},
                        [bots(bot("pipe-a", 1), bot("pipe-b", 2)), WORKSPACES,
                         grants(access("pipe-a", 1), access("pipe-b", 2)), ROLES])
    assert result["changed"] is False and "diff" not in result or result["diff"] == {"before": {}, "after": {}}
    assert [account["workspace_access"][0]["id"] for account in result["service_accounts"]] == [uid(301), uid(302)]


def test_without_a_destination_the_keys_are_not_kept_and_the_task_warns_once(run_module):
    result = run_module(ServiceAccounts, {"service_accounts": [{"name": "pipe-a"}, {"name": "pipe-b"}]},
                        [bots(), Call("POST", "bots/", created("pipe-a", 1)), Call("POST", "bots/", created("pipe-b", 2))])
    assert result["changed"] and result["api_keys"] == {} and result["api_key_files"] == {}
    assert [w for w in result["warnings"] if NO_KEY_WARNING in w and "return_api_key" in w] == result["warnings"]
    assert len(result["warnings"]) == 1
    assert not any(key in json.dumps(result) for key in KEYS.values())


def test_return_api_key_returns_the_keys_with_the_no_log_warning(run_module):
    result = run_module(ServiceAccounts, {"service_accounts": [{"name": "pipe-a"}], "return_api_key": True},
                        [bots(), Call("POST", "bots/", created("pipe-a", 1))])
    assert result["api_keys"] == {"pipe-a": KEYS["pipe-a"]}
    assert len(result["warnings"]) == 1 and "no_log: true" in result["warnings"][0]
    assert run_module(ServiceAccounts, {"service_accounts": [{"name": "pipe-a"}], "return_api_key": True},
                      [bots(), Call("POST", "bots/", created("pipe-a", 1))], no_log=True).get("warnings") is None


def test_a_name_that_is_no_safe_file_name_fails_before_any_write(run_module, tmp_path):
    result = run_module(ServiceAccounts, {"service_accounts": [{"name": "ok"}, {"name": "../etc/passwd"}],
                                          "api_keys_dest": str(tmp_path)}, [bots()])
    assert result["failed"] and result["changed"] is False
    assert result["msg"].startswith("api_keys_dest: the service account name '../etc/passwd' is not a safe file name")
    assert os.listdir(tmp_path) == []


def test_role_change_and_rotation_of_existing_accounts(run_module):
    role = Call("POST", "account_roles/filter", [{"id": ADMIN, "name": "Admin"}])
    result = run_module(ServiceAccounts, {"service_accounts": [{"name": "pipe-a", "account_role": "Admin"},
                                                               {"name": "pipe-b", "rotate": True}],
                                          "return_api_key": True},
                        [bots(bot("pipe-a", 1), bot("pipe-b", 2)), role,
                         Call("PATCH", f"bots/{uid(1)}", body={"account_role_id": ADMIN}),
                         Call("POST", f"bots/{uid(2)}/rotate_api_key", created("pipe-b", 2),
                              body={"api_key_expiration": None, "old_key_expires_in_seconds": None})], no_log=True)
    assert result["changed"]
    assert result["diff"]["after"]["service_accounts"]["pipe-a"]["account_role"] == "Admin"
    assert result["diff"]["after"]["service_accounts"]["pipe-b"]["api_key_id"] == "(new key)"
    assert result["api_keys"] == {"pipe-b": KEYS["pipe-b"]}


def test_absent_entries_ignore_the_options_of_the_present_account(run_module):
    result = run_module(ServiceAccounts, {"service_accounts": [dict(entry("pipe-a"), state="absent", rotate=True)]},
                        [bots(bot("pipe-a", 1)), Call("DELETE", f"bots/{uid(1)}")])
    assert result["changed"] and result["service_accounts"] == [{"name": "pipe-a", "state": "absent"}]
    assert result["diff"]["after"] == {}


def purge_calls():
    return [bots(bot("pipe-a", 1), bot("pipe-old", 2), bot("pipe-older", 3), bot("other", 4)),
            Call("GET", "me/", {"id": ME, "handle": "owner"}), WORKSPACES,
            grants(access("pipe-a", 1), access("pipe-old", 2, VIEWER)), ROLES]


def test_purge_removes_the_grants_then_the_accounts_of_the_prefix(run_module):
    result = run_module(ServiceAccounts, {"service_accounts": [entry("pipe-a")], "purge_service_accounts": True,
                                          "purge_prefix": "pipe-"},
                        purge_calls() + [Call("DELETE", f"workspaces/{WS}/bot_access/{uid(302)}"),
                                         Call("DELETE", f"bots/{uid(2)}"), Call("DELETE", f"bots/{uid(3)}")])
    assert result["removed"] == {"service_accounts": ["pipe-old", "pipe-older"], "workspace_access": [
        {"workspace": "prod", "service_account": "pipe-old", "workspace_role": "Viewer"}]}
    assert sorted(result["diff"]["before"]["service_accounts"]) == ["pipe-old", "pipe-older"]
    assert result["diff"]["after"] == {}


def test_a_partial_purge_lists_in_removed_only_what_was_removed(run_module):
    """Issue 28 item 5: ``removed`` listed deletions that never happened."""
    result = run_module(ServiceAccounts, {"service_accounts": [entry("pipe-a")], "purge_service_accounts": True,
                                          "purge_prefix": "pipe-"},
                        purge_calls() + [Call("DELETE", f"workspaces/{WS}/bot_access/{uid(302)}"),
                                         Call("DELETE", f"bots/{uid(2)}", {"detail": "no"}, status=403)])
    assert result["failed"] and result["changed"] is True
    assert result["msg"].startswith("service_accounts: delete of 'pipe-old' failed after 1 of 3 operations were applied")
    assert result["removed"] == {"service_accounts": [], "workspace_access": [
        {"workspace": "prod", "service_account": "pipe-old", "workspace_role": "Viewer"}]}
    assert result["applied"] == [{"operation": "revoke", "service_account": "pipe-old", "workspace": "prod"}]
    assert result["not_applied"] == [{"operation": "delete", "service_account": "pipe-old"},
                                     {"operation": "delete", "service_account": "pipe-older"}]


def test_purge_in_check_mode_records_the_deletions(run_module):
    result = run_module(ServiceAccounts, {"service_accounts": [entry("pipe-a")], "purge_service_accounts": True,
                                          "purge_prefix": "pipe-"}, purge_calls(), check_mode=True)
    assert result["changed"] and result["removed"]["service_accounts"] == ["pipe-old", "pipe-older"]
    planned = result["ansible_facts"]["prefect_cloud_planned"][ACCOUNT]["service_account"]
    assert planned == {"pipe-old": None, "pipe-older": None}


@pytest.mark.parametrize("params, message", [
    ({"service_accounts": [{"name": "a"}, {"name": "a"}]},
     "service_accounts[1].name 'a' is listed more than once (also service_accounts[0]); give each service account once"),
    ({"service_accounts": [{"name": "a", "api_key_expiration": "2001-01-01T00:00:00Z"}]},
     "service_accounts[0].api_key_expiration '2001-01-01T00:00:00Z' is in the past; give a future time or never"),
    ({"service_accounts": [{"name": "a", "old_key_expires_in_seconds": -1}]},
     "service_accounts[0].old_key_expires_in_seconds must be between 0 and 172800 (48 hours), got -1"),
    ({"service_accounts": [], "purge_workspace_access": True},
     "service_accounts is empty and a purge option is set, which would remove every service account (with purge_prefix) "
     "or grant it manages; set allow_empty_purge: true if that is what you want"),
])
def test_bad_input_fails_before_any_request(run_module, params, message):
    result = run_module(ServiceAccounts, params, [])
    assert result["failed"] and result["msg"] == message


def test_an_unknown_role_or_workspace_names_the_entry(run_module):
    result = run_module(ServiceAccounts, {"service_accounts": [{"name": "a"}, {"name": "b", "account_role": "Superhero"}]},
                        [bots(), Call("POST", "account_roles/filter", [{"id": ADMIN, "name": "Admin"}])])
    assert result["msg"] == "service_accounts[1].account_role 'Superhero' does not exist; valid account roles: Admin"
    result = run_module(ServiceAccounts, {"service_accounts": [{"name": "a", "workspace_access": [
        {"workspace": "nowhere", "workspace_role": "Runner"}]}]}, [bots(), WORKSPACES])
    assert result["msg"].startswith("service_accounts[0].workspace_access[0].workspace: no workspace with handle 'nowhere'")


def test_a_conflicting_create_converges_on_the_account_another_run_created(run_module):
    result = run_module(ServiceAccounts, {"service_accounts": [{"name": "pipe-a"}]},
                        [bots(), Call("POST", "bots/", {"detail": "exists"}, status=409),
                         Call("POST", "bots/filter", [bot("pipe-a", 1)])])
    assert result["changed"] is False and result["service_accounts"][0]["id"] == uid(1)
    assert any("created by another run" in warning for warning in result["warnings"])


def test_many_creates_converge_in_one_run_past_the_first_deadline(run_module, monkeypatch):
    """Issue 28 item 9: the task deadline grows with the planned writes (a fake clock: each create takes 0.5 s)."""
    from ansible_collections.prefect.cloud.plugins.module_utils import _base  # pylint: disable=import-outside-toplevel

    clock = [0.0]
    monkeypatch.setattr(_base.Deadline, "for_timeout", classmethod(
        lambda cls, timeout, clock_=None: cls(max(60.0, 4 * timeout), lambda: clock[0])))
    names = [f"pipe-{i}" for i in range(400)]

    class Slow(Call):
        def __init__(self, name, number):
            answer = bot(name, number)
            answer["api_key"] = dict(answer["api_key"], key="pnb_" + "K" * 20)
            del answer["api_key"]["masked_key"]
            super().__init__("POST", "bots/", answer)

        @property
        def method(self):
            clock[0] += 0.5  # read when the request is matched
            return "POST"

        @method.setter
        def method(self, value):
            pass

    result = run_module(ServiceAccounts, {"service_accounts": [{"name": name} for name in names]},
                        [bots()] + [Slow(name, number) for number, name in enumerate(names, 1)])
    assert "failed" not in result, result.get("msg")
    assert clock[0] >= 200 > 60


# The same against the emulator, through AnsibleModule (as on main before the engine, where it failed).
from ansible_collections.prefect.cloud.plugins.modules import service_accounts  # noqa: E402  pylint: disable=wrong-import-position
# pylint: disable-next=wrong-import-position,unused-import
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.test_service_account import (  # noqa: E402,F401
    emulator_fixture, run_fixture, set_faults,
)


def test_a_partial_purge_on_the_emulator_lists_in_removed_only_what_was_removed(run, emulator):
    run({"service_accounts": [{"name": n} for n in ("pipe-a", "pipe-old", "pipe-older")]}, module=service_accounts)
    set_faults(emulator, {"method": "DELETE", "path": ".*/bots/[^/]+$", "status": 403, "times": 1})
    result, dummy = run({"service_accounts": [{"name": "pipe-a"}], "purge_service_accounts": True, "purge_prefix": "pipe-"},
                        module=service_accounts, fails=True)
    assert result["not_applied"][0]["operation"] == "delete" and result["applied"] == []
    assert result["removed"]["service_accounts"] == []
