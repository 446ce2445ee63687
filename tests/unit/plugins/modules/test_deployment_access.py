# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The deployment_access module: the HTTP conversation of each case."""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.modules.deployment_access import DeploymentAccess
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

WS = "5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c"
DEP = "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"
FLOW = "4d5e6f70-8192-4d3e-9f4a-5b6c7d8e9f0a"
BOT = "6e7f8091-a2b3-4c4d-8e5f-6a7b8c9d0e1f"
ACTOR = "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e"
USER_ACTOR = "0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11"
TEAM = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
WORKSPACE = {"id": WS, "name": "Production", "handle": "production", "account_id": ACCOUNT}
FIND_WS = Call("POST", "workspaces/filter", [WORKSPACE])
FIND_DEP = Call("GET", f"workspaces/{WS}/deployments/name/etl/nightly", {"id": DEP, "name": "nightly", "flow_id": FLOW})
ACCESS = f"workspaces/{WS}/deployments/{DEP}/access"
EVERYONE = {"id": "*", "name": "*", "email": None, "type": "*"}
BOT_ACTOR = {"id": ACTOR, "name": "ci", "email": None, "type": "service_account"}
ALICE = {"id": USER_ACTOR, "name": "Alice Anders", "email": "alice@example.com", "type": "user"}
PLATFORM = {"id": TEAM, "name": "platform", "email": None, "type": "team"}
BOT_ROW = {"id": BOT, "actor_id": ACTOR, "account_id": ACCOUNT, "name": "ci", "account_role_name": "Member",
           "api_key": {"id": "3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f", "name": "k", "expiration": None}}
NAMES = {"workspace": "production", "deployment": "etl/nightly"}


def acl(manage=(EVERYONE,), run=(EVERYONE,), view=(EVERYONE,)):
    return {"manage_actors": list(manage), "run_actors": list(run), "view_actors": list(view)}


def put(manage=("*",), run=("*",), view=("*",), manage_teams=(), run_teams=(), view_teams=()):
    body = {"manage_actor_ids": list(manage), "manage_team_ids": list(manage_teams), "run_actor_ids": list(run),
            "run_team_ids": list(run_teams), "view_actor_ids": list(view), "view_team_ids": list(view_teams)}
    return Call("PUT", ACCESS, None, status=204, body={"access_control": body})


@pytest.mark.parametrize("check_mode", [False, True])
def test_set_a_level_exactly(run_module, check_mode):
    """manage becomes the service account and the team (looked up); run and view are left as they are."""
    calls = [FIND_WS, FIND_DEP, Call("GET", ACCESS, acl()), Call("POST", "bots/filter", [BOT_ROW]),
             Call("POST", "teams/filter", [{"id": TEAM, "name": "platform"}])]
    calls += [] if check_mode else [put(manage=(ACTOR,), manage_teams=(TEAM,))]
    result = run_module(DeploymentAccess, dict(NAMES, manage={"service_accounts": ["ci"], "teams": ["platform"]}), calls,
                        check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {
        "before": {"object": "deployment etl/nightly", "manage": ["everyone"], "run": ["everyone"], "view": ["everyone"]},
        "after": {"object": "deployment etl/nightly", "manage": ["service_account:ci", "team:platform"], "run": ["everyone"],
                  "view": ["everyone"]}}
    assert result["object_access"]["manage"] == [{"type": "service_account", "id": ACTOR, "name": "ci"},
                                                 {"type": "team", "id": TEAM, "name": "platform"}]


def test_no_change_needs_no_lookup(run_module):
    """Actors already on the ACL are recognised by name or e-mail (any case): no lookup, no write."""
    calls = [FIND_WS, FIND_DEP, Call("GET", ACCESS, acl(manage=(BOT_ACTOR, ALICE), view=(PLATFORM,)))]
    result = run_module(DeploymentAccess, dict(NAMES, manage={"service_accounts": ["ci"], "users": ["Alice@Example.com"]},
                                               view={"teams": ["platform"]}), calls)
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


def test_append_adds_and_removes_nobody(run_module):
    calls = [FIND_WS, FIND_DEP, Call("GET", ACCESS, acl(run=(BOT_ACTOR,))),
             Call("POST", "account_memberships/filter", [{"id": "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a", "actor_id": USER_ACTOR,
                                                          "user_id": "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
                                                          "email": "alice@example.com", "handle": "alice",
                                                          "account_role_id": TEAM, "account_role_name": "Member"}]),
             put(run=(ACTOR, USER_ACTOR))]
    result = run_module(DeploymentAccess, dict(NAMES, run={"users": ["alice@example.com"]}, append=True), calls)
    assert result["changed"] is True
    assert result["diff"]["after"]["run"] == ["service_account:ci", "user:alice@example.com"]


def test_absent_resets_to_everyone_then_no_op(run_module):
    calls = [FIND_WS, FIND_DEP, Call("GET", ACCESS, acl(manage=(BOT_ACTOR,), view=(PLATFORM, EVERYONE))), put()]
    result = run_module(DeploymentAccess, dict(NAMES, state="absent"), calls)
    assert result["changed"] is True
    assert result["diff"]["after"] == {"object": "deployment etl/nightly", "manage": ["everyone"], "run": ["everyone"],
                                       "view": ["everyone"]}
    again = run_module(DeploymentAccess, dict(NAMES, state="absent"), [FIND_WS, FIND_DEP, Call("GET", ACCESS, acl())])
    assert again["changed"] is False


def test_empty_level_is_refused_before_any_write(run_module):
    calls = [FIND_WS, FIND_DEP, Call("GET", ACCESS, acl())]
    result = run_module(DeploymentAccess, dict(NAMES, manage={}), calls)
    assert result["failed"] and "manage: this would leave nobody at the manage level" in result["msg"]
    assert "\n" not in result["msg"]
    allowed = run_module(DeploymentAccess, dict(NAMES, manage={}, allow_empty=True), calls + [put(manage=())])
    assert allowed["changed"] is True and allowed["object_access"]["manage"] == []


def test_unknown_deployment_fails(run_module):
    missing = Call("GET", f"workspaces/{WS}/deployments/name/etl/nightly", {"detail": "Deployment not found."}, status=404)
    result = run_module(DeploymentAccess, dict(NAMES, view={"everyone": True}), [FIND_WS, missing])
    assert result["failed"] and result["msg"].startswith("deployment: no deployment 'etl/nightly' in workspace 'production'")


def test_deployment_not_in_the_name_form(run_module):
    result = run_module(DeploymentAccess, dict(NAMES, deployment="nightly", view={"everyone": True}), [FIND_WS])
    assert result["failed"] and result["msg"] == ("deployment must be flow_name/deployment_name or a deployment id, "
                                                  "got 'nightly'")


def test_unknown_actor_fails_with_the_closest_name(run_module):
    calls = [FIND_WS, Call("GET", ACCESS, acl()), Call("POST", "bots/filter", []), Call("POST", "bots/filter", [BOT_ROW])]
    result = run_module(DeploymentAccess, dict(NAMES, deployment=DEP, run={"service_accounts": ["cii"]}), calls)
    assert result["failed"] and result["msg"] == "run.service_accounts[0]: no service account 'cii' in this account (did you mean 'ci'?)"


def test_everyone_with_actors_by_id(run_module):
    """A deployment by id needs no lookup; everyone: true is the actor id "*"."""
    calls = [FIND_WS, Call("GET", ACCESS, acl(view=(ALICE,))),
             Call("POST", "teams/filter", [{"id": TEAM, "name": "platform"}]), put(view=("*",), view_teams=(TEAM,))]
    result = run_module(DeploymentAccess, dict(NAMES, deployment=DEP, view={"everyone": True, "teams": [TEAM]}), calls)
    assert result["changed"] is True
    assert result["diff"]["after"]["view"] == ["everyone", "team:platform"]
