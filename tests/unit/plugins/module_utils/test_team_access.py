# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Team grants survive whichever way Prefect Cloud reads PUT team_access/ (merge or replace).

The semantics are UNCONFIRMED, so the emulator (in process, behind an httpx.MockTransport) runs
in both modes, and the other teams' grants must be kept in both.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.prefect.cloud.plugins.module_utils._api import PrefectCloud
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectResponseError
from ansible_collections.prefect.cloud.tests.unit.plugins.module_utils.fakes import EmulatedCloud, respond


@pytest.fixture(name="setup", params=["merge", "replace"])
def setup_fixture(request, clock):
    """(api, cloud, workspace id, team ids by name, role ids by name) with three team grants."""
    cloud = EmulatedCloud(team_access_put=request.param)
    client = cloud.client(clock)
    api = PrefectCloud(client)
    workspace = api.workspaces(handles=["ws"])[0].id
    roles = {role.name: role.id for role in api.workspace_roles()}
    teams = {}
    for name, role in (("red", "Viewer"), ("green", "Runner"), ("blue", "Developer")):
        teams[name] = client.request("POST", client.account_path("teams/"), {"name": name})["id"]
        PrefectCloud(client).upsert_team_access(workspace, teams[name], roles[role])
    cloud.sent.clear()
    yield api, cloud, workspace, teams, roles
    client.close()


def grants(api, workspace):
    return {grant.team_id: grant.workspace_role_id for grant in PrefectCloud(api.client).team_accesses(workspace)}


def test_upsert_keeps_the_other_teams_grants(setup):
    api, cloud, workspace, teams, roles = setup
    before = grants(api, workspace)
    access_id = next(g.id for g in api.team_accesses(workspace) if g.team_id == teams["green"])
    cloud.sent.clear()
    changed = api.upsert_team_access(workspace, teams["green"], roles["Worker"])
    assert changed.team_id == teams["green"] and changed.id == access_id
    assert [method for method, dummy in cloud.sent] == ["PUT"]  # the listing of this run was reused
    assert grants(api, workspace) == dict(before, **{teams["green"]: roles["Worker"]})


def test_upsert_without_a_listing_reads_the_set_first(setup):
    api, cloud, workspace, teams, roles = setup
    PrefectCloud(api.client).upsert_team_access(workspace, teams["red"], roles["Owner"])
    assert [(method, path.rsplit("/", 2)[-2]) for method, path in cloud.sent] == [("POST", "team_access"),
                                                                                  ("PUT", "team_access")]
    assert cloud.sent[0][1].endswith("/team_access/filter")
    assert grants(api, workspace) == {teams["red"]: roles["Owner"], teams["green"]: roles["Runner"],
                                      teams["blue"]: roles["Developer"]}


def test_delete_removes_only_that_team(setup):
    api, dummy, workspace, teams, roles = setup
    assert api.delete_team_access(workspace, teams["blue"]) is True
    assert grants(api, workspace) == {teams["red"]: roles["Viewer"], teams["green"]: roles["Runner"]}
    assert api.delete_team_access(workspace, teams["blue"]) is False  # already gone


def test_the_put_body_holds_every_grant(make_client):
    """The PUT sends the whole set (the other grants as listed, the new one last)."""
    ws, team, other, role = ("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                             "2b3c4d5e-6f70-4a8b-9c0d-1e2f3a4b5c6d", "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b")
    listed = [{"id": "3c4d5e6f-7081-4b9c-8d0e-2f3a4b5c6d7e", "workspace_id": ws, "workspace_role_id": role,
               "team_id": other, "team_name": "other"}]
    put = [{"id": "4d5e6f70-8192-4cad-9e0f-3a4b5c6d7e8f", "workspace_id": ws, "workspace_role_id": role, "team_id": team}]
    client, script = make_client(respond(200, json=listed), respond(200, json=put))
    PrefectCloud(client).upsert_team_access(ws, team, role)
    assert json.loads(script.requests[1].content) == [{"team_id": other, "workspace_role_id": role},
                                                      {"team_id": team, "workspace_role_id": role}]


def test_a_put_answer_without_the_grant_is_an_unexpected_response(make_client):
    ws, team, role = ("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                      "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b")
    client, dummy = make_client(respond(200, json=[]), respond(200, json=[{"team_id": "other"}]))
    with pytest.raises(PrefectResponseError, match=r"^PUT .*/team_access/ returned an unexpected response: no grant "
                                                   r"of team " + team):
        PrefectCloud(client).upsert_team_access(ws, team, role)
