# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workspace_role_info module: the HTTP conversation of each case."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.modules.workspace_role import WorkspaceRole
from ansible_collections.prefect.cloud.plugins.modules.workspace_role_info import WorkspaceRoleInfo
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

VIEWER = {"id": "9b1a2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d", "name": "Viewer", "account_id": None, "description": None,
          "scopes": ["see_flows", "see_blocks"], "inherited_role_id": None}
CUSTOM = {"id": "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f", "name": "runner", "account_id": ACCOUNT, "description": "d",
          "scopes": ["run_flows"], "inherited_role_id": VIEWER["id"]}


def roles():
    return Call("POST", "workspace_roles/filter", [VIEWER, CUSTOM])


def test_all_roles(run_module):
    result = run_module(WorkspaceRoleInfo, {}, [roles()])
    assert result["changed"] is False
    assert [role["name"] for role in result["workspace_roles"]] == ["Viewer", "runner"]
    viewer = result["workspace_roles"][0]
    assert viewer["scopes"] == ["see_blocks", "see_flows"] and viewer["description"] == ""
    assert viewer["inherited_role_name"] is None


def test_by_name_is_one_request_and_the_view_of_the_state_module(run_module):
    """The one role list names the inherited role; workspace_role returns the same form."""
    found = run_module(WorkspaceRoleInfo, {"name": "runner"}, [roles()])
    state = run_module(WorkspaceRole, {"name": "runner"}, [roles()])
    assert found["workspace_roles"] == [state["workspace_role"]]
    assert found["workspace_roles"][0]["inherited_role_name"] == "Viewer"


def test_unknown_name_is_an_empty_list(run_module):
    result = run_module(WorkspaceRoleInfo, {"name": "Runner"}, [roles()])
    assert result["workspace_roles"] == []


def test_check_mode_lists_the_roles_planned_earlier(run_module):
    planned = {ACCOUNT: {"workspace_role": {"runner": None, "new": {
        "name": "new", "account_id": ACCOUNT, "description": "", "scopes": ["see_flows"], "inherited_role_id": None}}}}
    result = run_module(WorkspaceRoleInfo, {}, [roles()], check_mode=True, planned=planned)
    assert [(role["name"], role["id"]) for role in result["workspace_roles"]] == [("Viewer", VIEWER["id"]), ("new", None)]
    real = run_module(WorkspaceRoleInfo, {}, [roles()], planned=planned)  # a real run ignores plans
    assert [role["name"] for role in real["workspace_roles"]] == ["Viewer", "runner"]
