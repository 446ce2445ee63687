# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workspace_role module: the HTTP conversation of each case."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.prefect.cloud.plugins.module_utils._values import WORKSPACE_SCOPES, check_scopes
from ansible_collections.prefect.cloud.plugins.modules.workspace_role import WorkspaceRole
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

ROLE = "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f"
VIEWER = "9b1a2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
RUNNER = "8a0b1c2d-3e4f-4a5b-9c6d-7e8f9a0b1c2d"
FULL_DOC = "/work/shared/prefect-cloud-openapi/prefect-cloud-openapi.json"


def role(name="runner", role_id=ROLE, account_id=ACCOUNT, description="", scopes=(), inherited=None):
    return {"id": role_id, "name": name, "account_id": account_id, "description": description, "scopes": list(scopes),
            "inherited_role_id": inherited}


BUILTIN = [role("Viewer", VIEWER, None, "Read", ["see_flows"]), role("Runner", RUNNER, None, "Run", ["run_flows"])]


def roles(*custom):
    return Call("POST", "workspace_roles/filter", BUILTIN + list(custom))


@pytest.mark.parametrize("check_mode", [False, True])
def test_create(run_module, check_mode):
    create = Call("POST", "workspace_roles/", role(scopes=["run_flows", "see_flows"], inherited=VIEWER),
                  body={"name": "runner", "description": "", "scopes": ["run_flows", "see_flows"],
                        "inherited_role_id": VIEWER})
    result = run_module(WorkspaceRole, {"name": "runner", "scopes": ["see_flows", "run_flows", "see_flows"],
                                        "inherited_role": "Viewer"},
                        [roles()] + ([] if check_mode else [create]), check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {"before": {}, "after": {"name": "runner", "description": "", "inherited_role": "Viewer",
                                                      "scopes": ["run_flows", "see_flows"]}}
    assert result["workspace_role"] == {"id": None if check_mode else ROLE, "name": "runner", "account_id": ACCOUNT,
                                        "description": "", "scopes": ["run_flows", "see_flows"],
                                        "inherited_role_id": VIEWER, "inherited_role_name": "Viewer"}
    if check_mode:
        assert result["ansible_facts"]["prefect_cloud_planned"][ACCOUNT]["workspace_role"] == {"runner": {
            "name": "runner", "account_id": ACCOUNT, "description": "", "scopes": ["run_flows", "see_flows"],
            "inherited_role_id": VIEWER}}
    else:
        assert "ansible_facts" not in result


def test_no_change_is_one_request(run_module):
    result = run_module(WorkspaceRole, {"name": "runner", "description": "d", "scopes": ["run_flows"],
                                        "inherited_role": VIEWER},
                        [roles(role(description="d", scopes=["run_flows"], inherited=VIEWER))])
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["workspace_role"]["inherited_role_name"] == "Viewer"


@pytest.mark.parametrize("check_mode", [False, True])
def test_change_sends_only_what_differs(run_module, check_mode):
    update = Call("PATCH", f"workspace_roles/{ROLE}", body={"scopes": ["manage_flows"]})
    result = run_module(WorkspaceRole, {"name": "runner", "description": "d", "scopes": ["manage_flows"]},
                        [roles(role(description="d", scopes=["run_flows"]))] + ([] if check_mode else [update]),
                        check_mode=check_mode)
    assert result["changed"] is True
    assert (result["diff"]["before"]["scopes"], result["diff"]["after"]["scopes"]) == (["run_flows"], ["manage_flows"])
    assert result["workspace_role"]["id"] == ROLE
    assert "ansible_facts" not in result  # an existing role is not a planned one


def test_delete_ignores_the_options_of_the_present_role(run_module):
    result = run_module(WorkspaceRole, {"name": "runner", "state": "absent", "description": "x" * 141,
                                        "scopes": ["nope"], "inherited_role": "Owner"},
                        [roles(role()), Call("DELETE", f"workspace_roles/{ROLE}")])
    assert result["changed"] is True and "workspace_role" not in result
    assert result["diff"]["after"] == {}


def test_delete_again_is_no_change(run_module):
    result = run_module(WorkspaceRole, {"name": "runner", "state": "absent"}, [roles()])
    assert result["changed"] is False and result["diff"] == {"before": {}, "after": {}}


def test_delete_in_check_mode_is_planned(run_module):
    result = run_module(WorkspaceRole, {"name": "runner", "state": "absent"}, [roles(role())], check_mode=True)
    assert result["changed"] is True
    assert result["ansible_facts"]["prefect_cloud_planned"][ACCOUNT]["workspace_role"] == {"runner": None}


def test_a_role_planned_earlier_is_changed_as_in_the_real_run(run_module):
    """Create, then change the role in one check-mode play: the second task predicts the change
    (not a second create) and records the changed role for the tasks after it."""
    planned = {ACCOUNT: {"workspace_role": {"runner": {"name": "runner", "account_id": ACCOUNT, "description": "",
                                                       "scopes": ["run_flows"], "inherited_role_id": None}}}}
    same = run_module(WorkspaceRole, {"name": "runner", "scopes": ["run_flows"]}, [roles()], check_mode=True,
                      planned=planned)
    assert same["changed"] is False and same["workspace_role"]["id"] is None
    changed = run_module(WorkspaceRole, {"name": "runner", "description": "new"}, [roles()], check_mode=True,
                         planned=planned)
    assert changed["changed"] is True
    assert changed["diff"]["before"]["description"] == "" and changed["diff"]["after"]["description"] == "new"
    recorded = changed["ansible_facts"]["prefect_cloud_planned"][ACCOUNT]["workspace_role"]["runner"]
    assert recorded["description"] == "new" and recorded["scopes"] == ["run_flows"]


def test_a_role_deleted_earlier_is_created_again(run_module):
    planned = {ACCOUNT: {"workspace_role": {"runner": None}}}
    result = run_module(WorkspaceRole, {"name": "runner"}, [roles(role())], check_mode=True, planned=planned)
    assert result["changed"] is True and result["diff"]["before"] == {}


@pytest.mark.parametrize("params, msg", [
    ({"name": "Viewer"}, "name: 'Viewer' is a built-in workspace role, which cannot be changed or deleted; "
                         "use another name for a custom role"),
    ({"name": "Viewer", "state": "absent"}, "name: 'Viewer' is a built-in workspace role, which cannot be changed or "
                                            "deleted; use another name for a custom role"),
    ({"name": "runner", "inherited_role": "viewer"},
     "inherited_role: no built-in workspace role with name or id 'viewer' (did you mean 'Viewer'?); valid names are: "
         "Runner, Viewer"),
    ({"name": "runner", "inherited_role": "custom"},
     "inherited_role: 'custom' is a custom workspace role; a role can only inherit from a built-in role "
     "(valid names are: Runner, Viewer)"),
])
def test_errors_after_the_read_send_no_write(run_module, params, msg):
    result = run_module(WorkspaceRole, params, [roles(role("custom"))])
    assert result["failed"] and result["changed"] is False
    assert result["msg"] == msg


def test_two_roles_with_the_name_are_an_error(run_module):
    result = run_module(WorkspaceRole, {"name": "runner"}, [roles(role(), role(role_id="3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d"))])
    assert result["msg"] == "name: 2 workspace roles are named 'runner'; rename or delete the others first"


@pytest.mark.parametrize("params, msg", [
    ({"description": "d" * 141}, "description must be at most 140 characters, got 141"),
    ({"scopes": ["see_everything"]}, "scopes: unknown workspace scope 'see_everything' (did you mean"),
    ({"state": "absent", "name": ""}, "name must not be empty"),
])
def test_bad_input_sends_nothing(run_module, params, msg):
    result = run_module(WorkspaceRole, dict({"name": "runner"}, **params), [])
    assert result["failed"] and result["msg"].startswith(msg) and "\n" not in result["msg"]


def test_failed_write_names_the_request(run_module):
    result = run_module(WorkspaceRole, {"name": "runner"},
                        [roles(), Call("POST", "workspace_roles/", {"detail": "Conflict"}, status=409)])
    assert result["failed"] and result["changed"] is False
    assert result["method"] == "POST" and result["status"] == 409 and "workspace_roles/" in result["msg"]


def test_scopes_are_a_sorted_set_and_unknown_names_list_the_valid_ones():
    assert check_scopes(["run_flows", "see_flows", "run_flows"]) == ["run_flows", "see_flows"]
    assert check_scopes([]) == []
    with pytest.raises(ValueError) as caught:
        check_scopes(["see_flows", "fly", "Run_Flows"])
    message = str(caught.value)
    assert message.startswith("scopes: unknown workspace scope 'Run_Flows', 'fly' (did you mean 'run_flows'?); "
                              "valid scopes are: see/run/manage_flows, manage_saved_search, run_tasks, see/manage_blocks, ")
    assert "\n" not in message and len(message) < 1000
    listed = message.split("valid scopes are: ")[1].rsplit(" (", 1)[0].split(", ")
    expanded = [f"{verb}_{group.split('_', 1)[1]}" for group in listed for verb in group.split("_", 1)[0].split("/")]
    assert sorted(expanded) == sorted(WORKSPACE_SCOPES)  # every valid scope is in the message
    with pytest.raises(ValueError, match=r"^scopes: unknown workspace scope 'a', 'b', 'c', 'd', 'e' and 2 more; "):
        check_scopes(list("abcdefg"))


def test_scope_names_are_the_openapi_enum():
    if not os.path.isfile(FULL_DOC):
        pytest.skip(f"the OpenAPI document ({FULL_DOC}) is not available here")
    with open(FULL_DOC, "r", encoding="utf-8") as handle:
        enum = json.load(handle)["components"]["schemas"]["WorkspaceScopeName"]["enum"]
    assert list(WORKSPACE_SCOPES) == enum


def test_a_real_delete_drops_the_plan_of_an_earlier_check_mode_task(run_module):
    planned = {ACCOUNT: {"workspace_role": {"runner": {"name": "runner", "account_id": ACCOUNT, "description": "",
                                                       "scopes": [], "inherited_role_id": None}}}}
    result = run_module(WorkspaceRole, {"name": "runner", "state": "absent"},
                        [roles(role()), Call("DELETE", f"workspace_roles/{ROLE}")], planned=planned)
    assert result["changed"] is True
    assert result["ansible_facts"]["prefect_cloud_planned"] == {ACCOUNT: {"workspace_role": {}}}
