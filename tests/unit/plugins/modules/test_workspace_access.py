# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workspace_access module: the HTTP conversation of each case (the request counts are those
of docs/performance.md)."""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.modules.workspace_access import WorkspaceAccess
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

WS = "5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c"
BOT = "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"
ACTOR = "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e"
TEAM = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
USER = "0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11"
GRANT = "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a"
VIEWER = "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f"
DEVELOPER = "3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d"
ROLES = [{"id": VIEWER, "name": "Viewer"}, {"id": DEVELOPER, "name": "Developer"}]
WORKSPACE = {"id": WS, "name": "Production", "handle": "production", "account_id": ACCOUNT}

FIND_WS = Call("POST", "workspaces/filter", [WORKSPACE])
NO_WS = Call("POST", "workspaces/filter", [])
ALL_WS = Call("POST", "workspaces/filter", [WORKSPACE])
READ_ROLES = Call("POST", "workspace_roles/filter", ROLES)


def bot_grant(role=VIEWER):
    return {"id": GRANT, "workspace_id": WS, "workspace_role_id": role, "actor_id": ACTOR, "bot_id": BOT, "bot_name": "ci"}


def bot(name="ci"):
    return {"id": BOT, "actor_id": ACTOR, "account_id": ACCOUNT, "name": name, "account_role_name": "Member",
            "api_key": {"id": "3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f", "name": "k", "created": "2026-01-01T00:00:00Z",
                        "expiration": None}}


def team(workspaces=()):
    return {"id": TEAM, "name": "platform", "description": "", "workspaces": list(workspaces)}


def team_entry(role=VIEWER, name="Viewer"):
    return {"workspace_id": WS, "workspace_handle": "production", "workspace_role_id": role, "workspace_role_name": name}


def team_grant(role=VIEWER, team_id=TEAM, grant=GRANT):
    return {"id": grant, "workspace_id": WS, "workspace_role_id": role, "team_id": team_id, "team_name": "platform"}


def bot_grants(answer):
    return Call("POST", f"workspaces/{WS}/bot_access/filter", answer)


def view(role_id=VIEWER, role="Viewer", grant=GRANT, handle="production", kind="service_account", accessor=BOT,
         name="ci", actor=ACTOR):
    return {"id": grant, "workspace_id": WS, "workspace_handle": handle, "accessor_type": kind, "accessor_id": accessor,
            "accessor_name": name, "actor_id": actor, "workspace_role_id": role_id, "workspace_role_name": role}


def diff(role="Viewer", workspace="production", kind="service_account", accessor="ci"):
    return {"workspace": workspace, "accessor_type": kind, "accessor": accessor, "workspace_role": role}


NAMES = {"workspace": "production", "accessor": "ci", "workspace_role": "Viewer"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_create_by_names(run_module, check_mode):
    write = Call("POST", f"workspaces/{WS}/bot_access/", [bot_grant()],
                 body=[{"bot_id": BOT, "workspace_role_id": VIEWER}])
    result = run_module(WorkspaceAccess, NAMES, [FIND_WS, bot_grants([]), READ_ROLES, Call("POST", "bots/filter", [bot()])]
                        + ([] if check_mode else [write]), check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {"before": {}, "after": diff()}
    assert result["workspace_access"] == view(grant=None if check_mode else GRANT)


def test_no_change_by_names_is_three_requests(run_module):
    result = run_module(WorkspaceAccess, NAMES, [FIND_WS, bot_grants([bot_grant()]), READ_ROLES])
    assert result["changed"] is False
    assert result["workspace_access"] == view()
    assert result["diff"] == {"before": diff(), "after": diff()}


def test_no_change_by_ids_is_two_requests(run_module):
    result = run_module(WorkspaceAccess, {"workspace": WS, "accessor": BOT, "workspace_role": VIEWER},
                        [Call("POST", f"workspaces/{WS}/bot_access/filter", [bot_grant()],
                              body={"bots": {"id": {"any_": [BOT]}, "name": None}, "limit": 200, "offset": 0}), READ_ROLES])
    assert result["changed"] is False
    assert result["workspace_access"] == view(handle=None)


@pytest.mark.parametrize("check_mode", [False, True])
def test_change_of_role(run_module, check_mode):
    write = Call("POST", f"workspaces/{WS}/bot_access/", [bot_grant(DEVELOPER)],
                 body=[{"bot_id": BOT, "workspace_role_id": DEVELOPER}])
    result = run_module(WorkspaceAccess, dict(NAMES, workspace_role="Developer"),
                        [FIND_WS, bot_grants([bot_grant()]), READ_ROLES] + ([] if check_mode else [write]),
                        check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {"before": diff(), "after": diff("Developer")}
    assert result["workspace_access"] == view(DEVELOPER, "Developer")


@pytest.mark.parametrize("check_mode", [False, True])
def test_delete_ignores_the_role(run_module, check_mode):
    """state=absent never refuses workspace_role (it describes the present grant)."""
    delete = Call("DELETE", f"workspaces/{WS}/bot_access/{GRANT}")
    result = run_module(WorkspaceAccess, dict(NAMES, state="absent", workspace_role="No such role"),
                        [FIND_WS, bot_grants([bot_grant()]), READ_ROLES] + ([] if check_mode else [delete]),
                        check_mode=check_mode)
    assert result["changed"] is True and "workspace_access" not in result
    assert result["diff"] == {"before": diff(), "after": {}}


def test_delete_again_is_no_change(run_module):
    result = run_module(WorkspaceAccess, dict(NAMES, state="absent"), [FIND_WS, bot_grants([])])
    assert result["changed"] is False and result["diff"] == {"before": {}, "after": {}}


def test_absent_in_a_missing_workspace_is_no_change(run_module):
    result = run_module(WorkspaceAccess, dict(NAMES, state="absent", workspace="gone"), [NO_WS])
    assert result["changed"] is False


def test_team_no_change_is_two_requests_and_reads_no_role_list(run_module):
    result = run_module(WorkspaceAccess, {"workspace": "production", "accessor_type": "team", "accessor": "platform",
                                          "workspace_role": "Viewer"},
                        [Call("POST", "teams/filter", [team([team_entry()])]),
                         Call("POST", f"workspaces/{WS}/team_access/filter", [team_grant()])])
    assert result["changed"] is False
    assert result["workspace_access"] == view(kind="team", accessor=TEAM, name="platform", actor=None)


def test_team_create_puts_the_whole_set(run_module):
    other = "4b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7c8d"
    kept = team_grant(DEVELOPER, other, "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b")
    result = run_module(
        WorkspaceAccess, {"workspace": "production", "accessor_type": "team", "accessor": "platform", "role": "Viewer"},
        [Call("POST", "teams/filter", [team()]), FIND_WS, Call("POST", f"workspaces/{WS}/team_access/filter", [kept]),
         READ_ROLES,
         Call("PUT", f"workspaces/{WS}/team_access/", [kept, team_grant()],
              body=[{"team_id": other, "workspace_role_id": DEVELOPER}, {"team_id": TEAM, "workspace_role_id": VIEWER}])])
    assert result["changed"] is True
    assert result["workspace_access"] == view(kind="team", accessor=TEAM, name="platform", actor=None)


def test_team_absent_without_access_is_one_request(run_module):
    result = run_module(WorkspaceAccess, {"workspace": "production", "accessor_type": "team", "accessor": "platform",
                                          "state": "absent"}, [Call("POST", "teams/filter", [team()])])
    assert result["changed"] is False


def test_team_delete_is_by_team_id(run_module):
    result = run_module(WorkspaceAccess, {"workspace": "production", "accessor_type": "team", "accessor": "platform",
                                          "state": "absent"},
                        [Call("POST", "teams/filter", [team([team_entry()])]),
                         Call("POST", f"workspaces/{WS}/team_access/filter", [team_grant()]),
                         Call("DELETE", f"workspaces/{WS}/team_access/{TEAM}")])
    assert result["changed"] is True


def test_user_by_email_any_case(run_module):
    grant = {"id": GRANT, "workspace_id": WS, "workspace_role_id": VIEWER, "actor_id": ACTOR, "user_id": USER,
             "email": "alice@example.com", "handle": "alice"}
    result = run_module(WorkspaceAccess, {"workspace": WS, "accessor_type": "user", "accessor": "Alice@Example.com",
                                          "workspace_role": "Viewer"},
                        [Call("POST", f"workspaces/{WS}/user_access/filter", [grant]), READ_ROLES])
    assert result["changed"] is False
    assert result["workspace_access"]["accessor_name"] == "alice@example.com"


# Check-mode plans of earlier tasks (the accessor or the role does not exist yet)

PLANNED_BOT = {"service_account": {"ci": {"name": "ci", "actor_id": None, "account_role_name": "Member"}}}
PLANNED_ROLE = {"workspace_role": {"operator": {
    "name": "operator", "account_id": ACCOUNT, "scopes": [], "description": "", "inherited_role_id": None}}}


def test_a_grant_to_a_planned_service_account_with_a_planned_role(run_module):
    result = run_module(WorkspaceAccess, dict(NAMES, workspace_role="operator"),
                        [FIND_WS, bot_grants([]), READ_ROLES, Call("POST", "bots/filter", [])],
                        check_mode=True, planned={ACCOUNT: dict(PLANNED_BOT, **PLANNED_ROLE)})
    assert result["changed"] is True
    assert result["diff"] == {"before": {}, "after": diff("operator")}
    assert result["workspace_access"] == view(None, "operator", grant=None, accessor=None, actor=None)


def test_a_grant_to_a_planned_team(run_module):
    result = run_module(WorkspaceAccess, {"workspace": "production", "accessor_type": "team", "accessor": "platform",
                                          "workspace_role": "Viewer"},
                        [Call("POST", "teams/filter", []), FIND_WS, READ_ROLES], check_mode=True,
                        planned={ACCOUNT: {"team": {"platform": {"name": "platform", "description": ""}}}})
    assert result["changed"] is True
    assert result["diff"] == {"before": {}, "after": diff(kind="team", accessor="platform")}
    assert result["workspace_access"]["accessor_id"] is None


def test_a_misspelt_role_still_fails_with_a_hint(run_module):
    result = run_module(WorkspaceAccess, dict(NAMES, workspace_role="operater"),
                        [FIND_WS, bot_grants([]), READ_ROLES], check_mode=True, planned={ACCOUNT: PLANNED_ROLE})
    assert result["failed"] and result["changed"] is False
    assert result["msg"].startswith("workspace_role: no workspace role with name or id 'operater' (did you mean "
                                    "'operator'?); valid names are: Developer, Viewer, operator")


def test_a_misspelt_accessor_that_is_not_planned_fails(run_module):
    planned = {"service_account": {"pipeline": {"name": "pipeline", "actor_id": None, "account_role_name": "Member"}}}
    result = run_module(WorkspaceAccess, dict(NAMES, accessor="pipelin"),
                        [FIND_WS, bot_grants([]), READ_ROLES, Call("POST", "bots/filter", []),
                         Call("POST", "bots/filter", [bot("other")])],
                        check_mode=True, planned={ACCOUNT: planned})
    assert result["msg"] == ("accessor: no service account 'pipelin' in this account (did you mean 'pipeline'?) "
                             "(accessor_type=service_account expects a service account name or id)")


# Errors


def test_unknown_workspace_lists_the_handles(run_module):
    result = run_module(WorkspaceAccess, dict(NAMES, workspace="producton"), [NO_WS, ALL_WS])
    assert result["msg"] == ("workspace: no workspace with handle 'producton' in this account, or the API key has no access "
                             "to it (did you mean 'production'?) (valid handles: production)")


def test_unknown_workspace_id(run_module):
    result = run_module(WorkspaceAccess, dict(NAMES, workspace=WS),
                        [Call("POST", f"workspaces/{WS}/bot_access/filter", {"detail": "nope"}, status=404),
                         Call("POST", "workspaces/filter", [])])
    assert result["msg"].startswith(f"workspace: no workspace with id '{WS}' in this account")


def test_unknown_team_fails_after_the_workspace_and_role_checks(run_module):
    result = run_module(WorkspaceAccess, {"workspace": "production", "accessor_type": "team", "accessor": "ghosts",
                                          "workspace_role": "Viewer"},
                        [Call("POST", "teams/filter", []), FIND_WS, READ_ROLES,
                         Call("POST", "teams/filter", [team()], body={"teams": {"name": None, "id": None}, "limit": 200,
                                                                      "offset": 0})])
    assert result["msg"] == "accessor: no team 'ghosts' in this account (accessor_type=team expects a team name or id)"


def test_a_failed_write_names_the_request(run_module):
    result = run_module(WorkspaceAccess, dict(NAMES, workspace_role="Developer"),
                        [FIND_WS, bot_grants([bot_grant()]), READ_ROLES,
                         Call("POST", f"workspaces/{WS}/bot_access/", {"detail": "role not writable"}, status=422)])
    assert result["failed"] and result["changed"] is False
    assert result["status"] == 422 and "\n" not in result["msg"] and "role not writable" in result["msg"]
    assert result["msg"].startswith(f"POST /api/accounts/{ACCOUNT}/workspaces/{WS}/bot_access/")


def test_the_grant_of_a_service_account_an_earlier_task_deletes_is_gone(run_module):
    result = run_module(WorkspaceAccess, dict(NAMES, state="absent"), [FIND_WS, bot_grants([bot_grant()])],
                        check_mode=True, planned={ACCOUNT: {"service_account": {"ci": None}}})
    assert result["changed"] is False
