# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workspace_access_info module: the HTTP conversation of each case (the same grant views as
workspace_access)."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.modules.workspace_access_info import WorkspaceAccessInfo
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.test_workspace_access import (
    BOT, FIND_WS, READ_ROLES, TEAM, WORKSPACE, WS, bot, bot_grant, team_grant, view,
)

OTHER_WS = "6d7e8f90-a1b2-4c3d-8e4f-5a6b7c8d9e0f"


def test_every_grant_of_a_workspace(run_module):
    result = run_module(WorkspaceAccessInfo, {"workspace": "production"}, [
        FIND_WS, READ_ROLES, Call("POST", f"workspaces/{WS}/bot_access/filter", [bot_grant()]),
        Call("POST", f"workspaces/{WS}/user_access/filter", []),
        Call("POST", f"workspaces/{WS}/team_access/filter", [team_grant()])])
    assert result["workspace_accesses"] == [view(), view(kind="team", accessor=TEAM, name="platform", actor=None)]


def test_one_kind_of_a_workspace(run_module):
    result = run_module(WorkspaceAccessInfo, {"workspace": "production", "accessor_type": "team"}, [
        FIND_WS, READ_ROLES, Call("POST", f"workspaces/{WS}/team_access/filter", [team_grant()])])
    assert [g["accessor_type"] for g in result["workspace_accesses"]] == ["team"]


def test_the_workspaces_of_a_service_account(run_module):
    other = dict(WORKSPACE, id=OTHER_WS, handle="hidden")
    result = run_module(WorkspaceAccessInfo, {"accessor": "ci"}, [
        Call("POST", "bots/filter", [bot()]), Call("POST", "workspaces/filter", [WORKSPACE, other]), READ_ROLES,
        Call("POST", f"workspaces/{WS}/bot_access/filter", [bot_grant()],
             body={"bots": {"id": {"any_": [BOT]}, "name": None}, "limit": 200, "offset": 0}),
        Call("POST", f"workspaces/{OTHER_WS}/bot_access/filter", {"detail": "no"}, status=404)])
    assert result["workspace_accesses"] == [view()]


def test_an_accessor_planned_by_an_earlier_check_mode_task_has_no_grant(run_module):
    planned = {ACCOUNT: {"service_account": {"new": {"name": "new", "actor_id": None, "account_role_name": "Member"}}}}
    result = run_module(WorkspaceAccessInfo, {"accessor": "new", "workspace": "production"},
                        [Call("POST", "bots/filter", []), FIND_WS, READ_ROLES], check_mode=True, planned=planned)
    assert result == {"changed": False, "workspace_accesses": []}


def test_errors_are_one_line(run_module):
    result = run_module(WorkspaceAccessInfo, {"accessor_type": "team", "accessor": "ghosts"},
                        [Call("POST", "teams/filter", [])] * 2)
    assert result["msg"] == "accessor: no team 'ghosts' in this account (accessor_type=team expects a team name or id)"
    result = run_module(WorkspaceAccessInfo, {"workspace": "nope"},
                        [Call("POST", "workspaces/filter", []), Call("POST", "workspaces/filter", [WORKSPACE])])
    assert result["msg"].startswith("workspace: no workspace with handle 'nope' in this account")
    assert result["msg"].endswith("(valid handles: production)")
