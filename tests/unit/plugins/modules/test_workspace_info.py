# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workspace_info module: the HTTP conversation of each case."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.modules.workspace_info import WorkspaceInfo
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, API_URL, Call
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.test_workspace_access import WORKSPACE, WS

EXPECTED = {"id": WS, "name": "Production", "handle": "production", "description": "", "account_id": ACCOUNT,
            "default_workspace_role_id": None, "api_url": f"{API_URL}/accounts/{ACCOUNT}/workspaces/{WS}"}


def test_all_workspaces(run_module):
    result = run_module(WorkspaceInfo, {}, [Call("POST", "workspaces/filter", [WORKSPACE])])
    assert result == {"changed": False, "workspaces": [EXPECTED]}


def test_by_handle_is_a_filter(run_module):
    result = run_module(WorkspaceInfo, {"handle": "production"},
                        [Call("POST", "workspaces/filter", [WORKSPACE],
                              body={"workspaces": {"handle": {"any_": ["production"]}, "id": None}, "limit": 200,
                                    "offset": 0})])
    assert result["workspaces"] == [EXPECTED]


def test_by_id_and_a_missing_one(run_module):
    assert run_module(WorkspaceInfo, {"id": WS}, [Call("GET", f"workspaces/{WS}", WORKSPACE)])["workspaces"] == [EXPECTED]
    missing = run_module(WorkspaceInfo, {"id": WS}, [Call("GET", f"workspaces/{WS}", {"detail": "no"}, status=404)])
    assert missing == {"changed": False, "workspaces": []}


def test_a_handle_given_as_id_is_one_line(run_module):
    result = run_module(WorkspaceInfo, {"id": "production"}, [])
    assert result["msg"].startswith("id must be the UUID of a workspace")
    assert "use handle" in result["msg"]


def test_a_read_only_module_sends_no_write_in_check_mode(run_module):
    result = run_module(WorkspaceInfo, {}, [Call("POST", "workspaces/filter", [])], check_mode=True)
    assert result == {"changed": False, "workspaces": []}
