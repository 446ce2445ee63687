# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workspace module: the HTTP conversation of each case; and the later tasks of a check-mode
play that name a workspace an earlier task plans (workspace_access, workspace_members,
service_account, service_accounts)."""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.modules.service_account import ServiceAccount
from ansible_collections.prefect.cloud.plugins.modules.service_accounts import ServiceAccounts
from ansible_collections.prefect.cloud.plugins.modules.workspace import Workspace
from ansible_collections.prefect.cloud.plugins.modules.workspace_access import WorkspaceAccess
from ansible_collections.prefect.cloud.plugins.modules.workspace_info import WorkspaceInfo
from ansible_collections.prefect.cloud.plugins.modules.workspace_members import WorkspaceMembers
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, API_URL, Call

WS = "5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c"
OTHER = "6d1f9e5f-4c3b-4a2f-8e9d-8c7b6a5f4e3d"
VIEWER = "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f"
DEVELOPER = "3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d"
BOT = "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"
ACTOR = "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e"
ROLES = Call("POST", "workspace_roles/filter", [{"id": VIEWER, "name": "Viewer"}, {"id": DEVELOPER, "name": "Developer"}])


def workspace(handle="data-prod", workspace_id=WS, name="Data", description="", role=None):
    return {"id": workspace_id, "name": name, "handle": handle, "account_id": ACCOUNT, "description": description,
            "default_workspace_role_id": role}


def view(handle="data-prod", workspace_id=WS, name="Data", description="", role=None):
    api_url = f"{API_URL}/accounts/{ACCOUNT}/workspaces/{workspace_id}" if workspace_id else None
    return dict(workspace(handle, workspace_id, name, description, role), api_url=api_url)


def diff(handle="data-prod", name="Data", description="", role=None):
    return {"handle": handle, "name": name, "description": description, "default_workspace_role_id": role}


def find(*found, handle="data-prod"):
    body = {"workspaces": {"id": None, "handle": {"any_": [handle]}}, "limit": 200, "offset": 0}
    return Call("POST", "workspaces/filter", list(found), body=body)


def patch(**fields):
    body = dict({"name": "Data", "handle": "data-prod", "description": "", "default_workspace_role_id": None}, **fields)
    return Call("PATCH", f"workspaces/{WS}", body=body)


def planned(**workspaces):
    return {ACCOUNT: {"workspace": workspaces}}


PLANNED = {"name": "Data", "handle": "data-prod", "description": "", "account_id": ACCOUNT,
           "default_workspace_role_id": VIEWER}


@pytest.mark.parametrize("check_mode", [False, True])
def test_create_with_a_default_role_is_a_create_and_a_patch(run_module, check_mode):
    writes = [Call("POST", "workspaces/", workspace(), status=201,
                   body={"name": "Data", "handle": "data-prod", "description": ""}),
              patch(default_workspace_role_id=VIEWER)]
    result = run_module(Workspace, {"handle": "data-prod", "name": "Data", "default_workspace_role": "Viewer"},
                        [find(), ROLES] + ([] if check_mode else writes), check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {"before": {}, "after": diff(role=VIEWER)}
    expected = view(role=VIEWER, workspace_id=None if check_mode else WS)
    assert result["workspace"] == expected
    if check_mode:
        assert result["ansible_facts"]["prefect_cloud_planned"] == planned(**{"data-prod": PLANNED})
    else:
        assert "ansible_facts" not in result


def test_create_whose_answer_is_lost_is_read_back_and_names_the_workspace_not_a_key(run_module):
    create = Call("POST", "workspaces/", {"detail": "bad gateway"}, status=502)
    result = run_module(Workspace, {"handle": "data-prod", "name": "Data", "retries": 0},
                        [find(), create, find(workspace())])
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == (f"POST /api/accounts/{ACCOUNT}/workspaces/: the workspace 'data-prod' was created, but the "
                             "response was lost; run the task again: it finds the workspace and converges on it")


def test_create_without_name_is_named_by_its_handle_and_sends_one_write(run_module):
    create = Call("POST", "workspaces/", workspace(name="data-prod"), status=201,
                  body={"name": "data-prod", "handle": "data-prod", "description": ""})
    result = run_module(Workspace, {"handle": "data-prod"}, [find(), create])
    assert result["changed"] is True and result["workspace"] == view(name="data-prod")


def test_no_change_is_one_request(run_module):
    result = run_module(Workspace, {"handle": "data-prod", "name": "Data", "default_workspace_role": VIEWER},
                        [find(workspace(role=VIEWER))])
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"] == diff(role=VIEWER)
    assert result["workspace"] == view(role=VIEWER)


@pytest.mark.parametrize("check_mode", [False, True])
def test_change_sends_every_field(run_module, check_mode):
    update = patch(description="new", default_workspace_role_id=DEVELOPER)
    result = run_module(Workspace, {"handle": "data-prod", "description": "new", "default_workspace_role": "Developer"},
                        [find(workspace(role=VIEWER)), ROLES] + ([] if check_mode else [update]), check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {"before": diff(role=VIEWER), "after": diff(description="new", role=DEVELOPER)}
    assert result["workspace"] == view(description="new", role=DEVELOPER)
    assert "ansible_facts" not in result  # an existing workspace is not a planned one


def test_rename_the_handle_by_id(run_module):
    result = run_module(Workspace, {"id": WS, "handle": "data-production"},
                        [Call("GET", f"workspaces/{WS}", workspace()), find(handle="data-production"),
                         patch(handle="data-production")])
    assert result["changed"] is True
    assert result["workspace"]["handle"] == "data-production" and result["workspace"]["id"] == WS


def test_rename_to_a_handle_another_workspace_has_fails_before_any_write(run_module):
    result = run_module(Workspace, {"id": WS, "handle": "staging"},
                        [Call("GET", f"workspaces/{WS}", workspace()), find(workspace("staging", OTHER), handle="staging")])
    assert result["failed"] is True
    assert result["msg"] == f"handle: another workspace has the handle 'staging' (id {OTHER}); choose another handle"


@pytest.mark.parametrize("check_mode", [False, True])
def test_delete_ignores_the_options_of_the_present_workspace(run_module, check_mode):
    result = run_module(Workspace, {"handle": "data-prod", "state": "absent", "default_workspace_role": "Nope"},
                        [find(workspace())] + ([] if check_mode else [Call("DELETE", f"workspaces/{WS}")]),
                        check_mode=check_mode)
    assert result["changed"] is True and "workspace" not in result
    assert result["diff"] == {"before": diff(), "after": {}}
    if check_mode:
        assert result["ansible_facts"]["prefect_cloud_planned"] == planned(**{"data-prod": None})


def test_delete_again_is_no_change(run_module):
    result = run_module(Workspace, {"handle": "data-prod", "state": "absent"}, [find()])
    assert result["changed"] is False and result["diff"] == {"before": {}, "after": {}}


def test_unknown_id_fails_for_present_and_is_no_change_for_absent(run_module):
    missing = Call("GET", f"workspaces/{WS}", {"detail": "Workspace not found"}, status=404)
    result = run_module(Workspace, {"id": WS, "description": "x"}, [missing])
    assert result["failed"] is True and result["msg"].startswith(f"id: no workspace with id '{WS}' in this account")
    assert run_module(Workspace, {"id": WS, "state": "absent"}, [missing])["changed"] is False


def test_unknown_default_role_fails_with_did_you_mean_before_any_write(run_module):
    result = run_module(Workspace, {"handle": "data-prod", "default_workspace_role": "Viewr"}, [find(), ROLES])
    assert result["failed"] is True
    assert result["msg"] == ("default_workspace_role: no workspace role with name or id 'Viewr' (did you mean "
                             "'Viewer'?); valid names are: Developer, Viewer")


@pytest.mark.parametrize("params, msg", [
    ({"handle": "Data Prod"}, "handle must be lowercase letters, digits and single dashes between them, such as "
                              "'data-prod', got 'Data Prod'"),
    ({"handle": "-prod"}, "handle must be lowercase letters, digits and single dashes between them, such as "
                          "'data-prod', got '-prod'"),
    ({"handle": WS, "state": "absent"}, f"handle must be a workspace handle such as 'data-prod', got the UUID '{WS}'; "
                                        "use id to name a workspace by its id"),
    ({"id": "production"}, "id must be the UUID of a workspace (use handle for a handle), got 'production'"),
])
def test_bad_input_fails_on_one_line_before_any_request(run_module, params, msg):
    result = run_module(Workspace, params, [])
    assert result["failed"] is True and result["msg"] == msg


def test_absent_accepts_an_existing_handle_outside_the_create_rule(run_module):
    """The handle rule is for the handles the module creates; an existing one is deleted as it is."""
    result = run_module(Workspace, {"handle": "Old_Sandbox", "state": "absent"},
                        [find(workspace("Old_Sandbox"), handle="Old_Sandbox"), Call("DELETE", f"workspaces/{WS}")])
    assert result["changed"] is True


def test_a_workspace_planned_earlier_is_no_change_then_changed_as_in_the_real_run(run_module):
    same = run_module(Workspace, {"handle": "data-prod", "name": "Data"}, [find()], check_mode=True,
                      planned=planned(**{"data-prod": PLANNED}))
    assert same["changed"] is False and same["workspace"] == view(role=VIEWER, workspace_id=None)
    gone = run_module(Workspace, {"handle": "data-prod", "state": "absent"}, [find()], check_mode=True,
                      planned=planned(**{"data-prod": PLANNED}))
    assert gone["changed"] is True and gone["ansible_facts"]["prefect_cloud_planned"] == planned(**{"data-prod": None})


def test_a_workspace_deleted_earlier_is_created_again(run_module):
    result = run_module(Workspace, {"handle": "data-prod", "name": "Data"}, [find(workspace())], check_mode=True,
                        planned=planned(**{"data-prod": None}))
    assert result["changed"] is True and result["diff"]["before"] == {}


# Later tasks of a check-mode play that name a planned workspace: no grant read for it (it has no id).

GRANT_DIFF = {"workspace": "data-prod", "accessor_type": "service_account", "accessor": "ci",
              "workspace_role": "Developer"}


def bot(name="ci"):
    return {"id": BOT, "actor_id": ACTOR, "account_id": ACCOUNT, "name": name, "account_role_name": "Member",
            "api_key": {"id": "3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f", "name": "k", "created": "2026-01-01T00:00:00Z",
                        "expiration": None}}


def test_workspace_access_in_a_planned_workspace_predicts_the_grant(run_module):
    result = run_module(WorkspaceAccess, {"workspace": "data-prod", "accessor": "ci", "workspace_role": "Developer"},
                        [find(), ROLES, Call("POST", "bots/filter", [bot()])], check_mode=True,
                        planned=planned(**{"data-prod": PLANNED}))
    assert result["changed"] is True
    assert result["diff"] == {"before": {}, "after": GRANT_DIFF}
    assert result["workspace_access"]["workspace_id"] is None
    assert result["workspace_access"]["workspace_handle"] == "data-prod"


def test_workspace_access_in_a_workspace_neither_real_nor_planned_fails_with_did_you_mean(run_module):
    result = run_module(WorkspaceAccess, {"workspace": "data-prd", "accessor": "ci", "workspace_role": "Developer"},
                        [find(handle="data-prd"), Call("POST", "workspaces/filter", [workspace("staging", OTHER)])],
                        check_mode=True, planned=planned(**{"data-prod": PLANNED}))
    assert result["failed"] is True
    assert result["msg"] == ("workspace: no workspace with handle 'data-prd' in this account, or the API key has no "
                             "access to it (did you mean 'data-prod'?) (valid handles: data-prod, staging)")


def test_workspace_members_in_a_planned_workspace_predicts_the_grants(run_module):
    result = run_module(WorkspaceMembers, {"workspace": "data-prod", "members": [
        {"accessor_type": "service_account", "accessor": "ci", "workspace_role": "Developer"}]},
        [find(), ROLES, Call("POST", "bots/filter", [bot()])], check_mode=True, planned=planned(**{"data-prod": PLANNED}))
    assert result["changed"] is True
    assert result["diff"]["after"]["members"] == [GRANT_DIFF]


def test_service_account_with_access_to_a_planned_workspace(run_module):
    result = run_module(ServiceAccount, {"name": "ci", "workspace_access": [
        {"workspace": "data-prod", "workspace_role": "Developer"}]},
        [Call("POST", "bots/filter", [bot()]), find(), ROLES], check_mode=True, planned=planned(**{"data-prod": PLANNED}))
    assert result["changed"] is True
    grant = result["workspace_access"][0]
    assert (grant["workspace_id"], grant["workspace_handle"], grant["workspace_role_name"]) == (None, "data-prod", "Developer")


def test_service_accounts_with_access_to_two_planned_workspaces(run_module):
    """Two planned workspaces (both without an id) are two workspaces, and no grant is read for either."""
    staging = dict(PLANNED, handle="staging", name="Staging")
    result = run_module(ServiceAccounts, {"service_accounts": [{"name": "ci", "workspace_access": [
        {"workspace": "data-prod", "workspace_role": "Developer"}, {"workspace": "staging", "workspace_role": "Viewer"}]}]},
        [Call("POST", "bots/filter", [bot()]), Call("POST", "workspaces/filter", [workspace("old", OTHER)]), ROLES],
        check_mode=True, planned=planned(**{"data-prod": PLANNED, "staging": staging}))
    assert result["changed"] is True
    grants = result["service_accounts"][0]["workspace_access"]
    assert [(g["workspace_id"], g["workspace_handle"], g["workspace_role_name"]) for g in grants] == [
        (None, "data-prod", "Developer"), (None, "staging", "Viewer")]


def test_workspace_info_lists_a_planned_workspace_and_hides_a_deleted_one(run_module):
    everything = planned(**{"data-prod": PLANNED, "old": None})
    listed = run_module(WorkspaceInfo, {}, [Call("POST", "workspaces/filter", [workspace("old", OTHER)])],
                        check_mode=True, planned=everything)
    assert listed["workspaces"] == [view(role=VIEWER, workspace_id=None)]
    one = run_module(WorkspaceInfo, {"handle": "data-prod"}, [find()], check_mode=True, planned=everything)
    assert one["workspaces"] == [view(role=VIEWER, workspace_id=None)]
    by_id = run_module(WorkspaceInfo, {"id": OTHER}, [Call("GET", f"workspaces/{OTHER}", workspace("old", OTHER))],
                       check_mode=True, planned=everything)
    assert by_id["workspaces"] == []


def test_a_default_role_planned_earlier_is_a_change_with_a_warning(run_module):
    roles = {"flow-operator": {"name": "flow-operator", "account_id": ACCOUNT, "description": "", "scopes": [],
                               "inherited_role_id": None}}
    result = run_module(Workspace, {"handle": "data-prod", "name": "Data", "default_workspace_role": "flow-operator"},
                        [find(workspace()), ROLES], check_mode=True, planned={ACCOUNT: {"workspace_role": roles}})
    assert result["changed"] is True
    assert result["warnings"] == ["default_workspace_role 'flow-operator' is a workspace role that an earlier check-mode "
                                  "task would create; the predicted workspace cannot show its id yet"]
