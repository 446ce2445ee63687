# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The team_info module: the HTTP conversation of each case."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.modules.team import Team
from ansible_collections.prefect.cloud.plugins.modules.team_info import TeamInfo
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import Call

TEAM = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
OTHER = "1a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
WORKSPACE = {"workspace_id": "5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c", "workspace_handle": "production",
             "workspace_role_id": "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f", "workspace_role_name": "Developer"}
MEMBERS = [{"id": "6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f", "name": "ci", "type": "service_account"},
           {"id": "7f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f", "name": "Alice Anders", "type": "user",
            "email": "alice@example.com"}]


def team(name="platform", team_id=TEAM):
    return {"id": team_id, "name": name, "description": None, "memberships": MEMBERS, "workspaces": [WORKSPACE]}


def test_all_teams_sorted_by_name(run_module):
    call = Call("POST", "teams/filter", [team("ops", OTHER), team()],
                body={"teams": {"id": None, "name": None}, "offset": 0, "limit": 200})
    result = run_module(TeamInfo, {}, [call])
    assert result["changed"] is False
    assert [t["name"] for t in result["teams"]] == ["ops", "platform"]
    assert [m["type"] for m in result["teams"][1]["members"]] == ["service_account", "user"]
    assert result["teams"][1]["description"] == "" and result["teams"][1]["workspaces"] == [WORKSPACE]


def test_by_name_is_the_view_of_the_team_module(run_module):
    """team_info and team return one form of a team."""
    found = run_module(TeamInfo, {"name": "platform"},
                       [Call("POST", "teams/filter", [team(), team("platform-eu", OTHER)])])
    state = run_module(Team, {"name": "platform"}, [Call("POST", "teams/filter", [team()])])
    assert found["teams"] == [state["team"]]


def test_by_id_in_any_case(run_module):
    result = run_module(TeamInfo, {"id": TEAM.upper()}, [Call("POST", "teams/filter", [team()])])
    assert [t["id"] for t in result["teams"]] == [TEAM]


def test_none_is_an_empty_list(run_module):
    result = run_module(TeamInfo, {"name": "nope"}, [Call("POST", "teams/filter", [])])
    assert result["teams"] == [] and result["changed"] is False


def test_bad_id_is_one_line(run_module):
    result = run_module(TeamInfo, {"id": "nope"}, [])
    assert result["failed"] and result["msg"] == "id must be the UUID of a team, got 'nope'"
