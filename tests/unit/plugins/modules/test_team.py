# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The team module: the HTTP conversation of each case."""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.modules.team import Team
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

TEAM = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
BOT = "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"
BOT_ACTOR = "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e"
NO_TEAMS = Call("POST", "teams/filter", [])


def team(members=(), name="platform", description=""):
    return {"id": TEAM, "name": name, "description": description, "memberships": list(members), "workspaces": []}


def bot(name="ci"):
    return {"id": BOT, "actor_id": BOT_ACTOR, "account_id": ACCOUNT, "name": name, "account_role_name": "Member",
            "api_key": {"id": "3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f", "name": "k", "created": "2026-01-01T00:00:00Z",
                        "expiration": None}}


CI_MEMBER = {"id": BOT_ACTOR, "name": "ci", "type": "service_account"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_create_with_a_member(run_module, check_mode):
    writes = [Call("POST", "teams/", team(), body={"name": "platform", "description": ""}),
              Call("PUT", f"teams/{TEAM}/members", body={"members": [{"member_id": BOT, "member_type": "service_account"}]})]
    result = run_module(Team, {"name": "platform", "service_accounts": ["ci"]},
                        [NO_TEAMS, Call("POST", "bots/filter", [bot()])] + ([] if check_mode else writes),
                        check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {"before": {}, "after": {"name": "platform", "description": "",
                                                      "members": ["service_account:ci"]}}
    assert result["team"]["id"] == (None if check_mode else TEAM)
    if check_mode:
        planned = result["ansible_facts"]["prefect_cloud_planned"][ACCOUNT]["team"]
        assert planned == {"platform": {"name": "platform", "description": ""}}
    else:
        assert "ansible_facts" not in result


def test_no_change_is_one_request(run_module):
    result = run_module(Team, {"name": "platform"}, [Call("POST", "teams/filter", [team([CI_MEMBER])])])
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


def test_absent_ignores_the_options_of_the_present_team(run_module):
    result = run_module(Team, {"name": "platform", "state": "absent", "service_accounts": ["ci"], "purge_members": True},
                        [Call("POST", "teams/filter", [team()]), Call("DELETE", f"teams/{TEAM}")])
    assert result["changed"] is True and "team" not in result
    assert result["diff"]["after"] == {}


def test_absent_again_is_no_change(run_module):
    result = run_module(Team, {"name": "platform", "state": "absent"}, [NO_TEAMS])
    assert result["changed"] is False


def test_unknown_service_account_fails_before_any_write(run_module):
    result = run_module(Team, {"name": "platform", "service_accounts": ["cj"]},
                        [NO_TEAMS, Call("POST", "bots/filter", []), Call("POST", "bots/filter", [])])
    assert result["failed"] and result["changed"] is False
    assert result["msg"] == "service_accounts: no service account 'cj' in this account"


def test_a_team_planned_earlier_in_check_mode_is_found(run_module):
    planned = {ACCOUNT: {"team": {"platform": {"name": "platform", "description": "x"}}}}
    result = run_module(Team, {"name": "platform", "description": "x"}, [NO_TEAMS], check_mode=True, planned=planned)
    assert result["changed"] is False
    assert result["team"]["id"] is None and "ansible_facts" not in result


def test_changing_a_team_planned_earlier_plans_the_change(run_module):
    """Create, then change the team in one check-mode play: the second task predicts the change,
    and a third one sees the changed team."""
    planned = {ACCOUNT: {"team": {"platform": {"name": "platform", "description": "x"}}}}
    result = run_module(Team, {"name": "platform", "description": "y"}, [NO_TEAMS], check_mode=True, planned=planned)
    assert result["changed"] is True
    assert result["diff"]["before"]["description"] == "x" and result["diff"]["after"]["description"] == "y"
    assert result["ansible_facts"]["prefect_cloud_planned"][ACCOUNT]["team"] == {
        "platform": {"name": "platform", "description": "y"}}


def test_a_team_deleted_earlier_in_check_mode_is_created_again(run_module):
    """A planned deletion hides the real team: creating it again is a change, as in the real run."""
    planned = {ACCOUNT: {"team": {"platform": None}}}
    real = Call("POST", "teams/filter", [team()])
    result = run_module(Team, {"name": "platform"}, [real], check_mode=True, planned=planned)
    assert result["changed"] is True and result["diff"]["before"] == {}
    absent = run_module(Team, {"name": "platform", "state": "absent"}, [real], check_mode=True, planned=planned)
    assert absent["changed"] is False


def test_bad_list_entries_are_refused(run_module):
    for value, problem in [(" ", "users[1] must not be empty"),
                           ("a\nb", "users[1] must not contain control or invisible format characters"),
                           ("a\u202eb", "U+202E"), ("x" * 5001, "users[1] must be at most 5000 characters, got 5001")]:
        result = run_module(Team, {"name": "platform", "users": ["alice", value]}, [])
        assert result["failed"] and problem in result["msg"] and "\n" not in result["msg"]


def test_user_ids_are_compared_in_lower_case(run_module):
    user = {"id": "4e5f6071-8293-4d4e-9f50-6a7b8c9d0e1f", "actor_id": "5f607182-93a4-4e5f-a061-7b8c9d0e1f2a",
            "user_id": "6071829a-a4b5-4f60-b172-8c9d0e1f2a3b", "first_name": "Alice", "last_name": "Anders",
            "handle": "alice", "email": "alice@example.com", "account_role_name": "Member",
            "account_role_id": "708192ab-b5c6-4071-8283-9d0e1f2a3b4c"}
    member = {"id": user["actor_id"], "name": "Alice Anders", "type": "user", "email": "alice@example.com"}
    result = run_module(Team, {"name": "platform", "users": [user["user_id"].upper()]},
                        [Call("POST", "teams/filter", [team([member])]), Call("POST", "account_memberships/filter", [user])])
    assert result["changed"] is False
    assert result["diff"]["after"]["members"] == ["user:alice@example.com"]


def test_bad_id_is_one_line(run_module):
    result = run_module(Team, {"id": "not-a-uuid", "name": "x"}, [])
    assert result["msg"] == "id must be the UUID of a team, got 'not-a-uuid'"


def test_a_plan_never_hides_an_object_that_exists(run_module):
    """A service account planned by an earlier check-mode task, which a real task has created since:
    the real one (with its ids) is used."""
    planned = {ACCOUNT: {"service_account": {"ci": {"name": "ci", "actor_id": None, "account_role_name": "Member"}}}}
    result = run_module(Team, {"name": "platform", "service_accounts": ["ci"]},
                        [Call("POST", "teams/filter", [team()]), Call("POST", "bots/filter", [bot()])],
                        check_mode=True, planned=planned)
    assert result["changed"] is True
    assert [member["actor_id"] for member in result["team"]["members"]] == [BOT_ACTOR]


def test_a_real_create_drops_the_plan_of_an_earlier_check_mode_task(run_module):
    """A play that previews a team in check mode and then creates it: the check-mode tasks after
    the real create see the real team, not the stale plan."""
    planned = {ACCOUNT: {"team": {"platform": {"name": "platform", "description": ""}, "other": None}}}
    result = run_module(Team, {"name": "platform"}, [NO_TEAMS, Call("POST", "teams/", team())], planned=planned)
    assert result["changed"] is True and result["team"]["id"] == TEAM
    assert result["ansible_facts"]["prefect_cloud_planned"] == {ACCOUNT: {"team": {"other": None}}}


def test_several_users_read_the_user_list_once(run_module):
    """Two users by e-mail address and id: one read of the user list, not one request each."""
    alice = {"id": "4e5f6071-8293-4d4e-9f50-6a7b8c9d0e1f", "actor_id": "5f607182-93a4-4e5f-a061-7b8c9d0e1f2a",
             "user_id": "6071829a-a4b5-4f60-b172-8c9d0e1f2a3b", "first_name": "Alice", "last_name": None,
             "handle": "alice", "email": "alice@example.com", "account_role_name": "Member",
             "account_role_id": "708192ab-b5c6-4071-8283-9d0e1f2a3b4c"}
    bob = dict(alice, id="4e5f6071-8293-4d4e-9f50-6a7b8c9d0e2f", actor_id="5f607182-93a4-4e5f-a061-7b8c9d0e1f3a",
               user_id="6071829a-a4b5-4f60-b172-8c9d0e1f2a4b", first_name="Bob", handle="bob", email="bob@example.com")
    members = [{"id": user["actor_id"], "name": user["first_name"], "type": "user", "email": user["email"]}
               for user in (alice, bob)]
    result = run_module(Team, {"name": "platform", "users": ["ALICE@example.com", bob["user_id"]]},
                        [Call("POST", "teams/filter", [team(members)]),
                         Call("POST", "account_memberships/filter", [alice, bob],
                              body={"account_memberships": {"email": None, "handle": None, "user_id": None},
                                    "only_users": True, "offset": 0, "limit": 200})])
    assert result["changed"] is False
