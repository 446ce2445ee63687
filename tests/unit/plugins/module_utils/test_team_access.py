# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Team grants survive whichever way Prefect Cloud reads PUT team_access/ (merge or replace).

The semantics are UNCONFIRMED, so the emulator runs in both modes and the client must keep the
other teams' grants in both.
"""

from __future__ import annotations

import os
import sys
import uuid

import pytest

pytest.importorskip("httpx")
pytest.importorskip("pydantic_core")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils._api import PrefectCloud
from ansible_collections.prefect.cloud.plugins.module_utils._http import PrefectClient

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 3, "emulator")
OWNER_KEY = "pnu_" + uuid.uuid4().hex + "wxyz"
ACCOUNT_ID = str(uuid.uuid4())


@pytest.fixture(name="cloud", params=["merge", "replace"])
def cloud_fixture(request):
    """A PrefectCloud client, its emulator (in both PUT modes), and three team grants."""
    if EMULATOR_DIR not in sys.path:
        sys.path.insert(0, EMULATOR_DIR)
    from prefect_emulator import Emulator, EmulatorConfig  # pylint: disable=import-outside-toplevel

    emulator = Emulator(EmulatorConfig(api_key=OWNER_KEY, account_id=ACCOUNT_ID, workspaces=["ws"], port=0,
                                       team_access_put=request.param))
    emulator.start()
    client = PrefectClient(f"{emulator.url}/api", OWNER_KEY, ACCOUNT_ID)
    api = PrefectCloud(client)
    workspace = api.workspaces(handles=["ws"])[0].id
    roles = {role.name: role.id for role in api.workspace_roles()}
    teams = {}
    for name, role in (("red", "Viewer"), ("green", "Runner"), ("blue", "Developer")):
        teams[name] = client.request("POST", client.account_path("teams/"), {"name": name})["id"]
        PrefectCloud(client).upsert_team_access(workspace, teams[name], roles[role])
    yield api, emulator, workspace, teams, roles
    client.close()
    emulator.stop()


def grants(api, workspace):
    return {grant.team_id: grant.workspace_role_id for grant in PrefectCloud(api.client).team_accesses(workspace)}


def test_upsert_keeps_other_team_grants(cloud):
    api, emulator, workspace, teams, roles = cloud
    before = grants(api, workspace)
    access_id = next(g.id for g in api.team_accesses(workspace) if g.team_id == teams["green"])
    emulator.log.clear()
    changed = api.upsert_team_access(workspace, teams["green"], roles["Worker"])
    assert changed.team_id == teams["green"] and changed.id == access_id
    assert grants(api, workspace) == dict(before, **{teams["green"]: roles["Worker"]})
    # the listing of this run was reused: one request, the PUT
    assert [entry["method"] for entry in emulator.log.list()][:1] == ["PUT"]


def test_upsert_without_a_listing_reads_the_set_first(cloud):
    api, emulator, workspace, teams, roles = cloud
    fresh = PrefectCloud(api.client)
    emulator.log.clear()
    fresh.upsert_team_access(workspace, teams["red"], roles["Owner"])
    methods = [entry["method"] for entry in emulator.log.list()]
    assert methods[0] == "POST" and methods[-1] == "PUT"  # team_access/filter, then the PUT
    assert grants(api, workspace) == {teams["red"]: roles["Owner"], teams["green"]: roles["Runner"],
                                      teams["blue"]: roles["Developer"]}


def test_delete_removes_only_that_team(cloud):
    api, dummy, workspace, teams, roles = cloud
    api.delete_team_access(workspace, teams["blue"])
    assert grants(api, workspace) == {teams["red"]: roles["Viewer"], teams["green"]: roles["Runner"]}
