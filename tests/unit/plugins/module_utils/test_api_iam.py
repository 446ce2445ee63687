# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The identity and access API methods (workspace roles, teams, members, invitations) against the emulator."""

from __future__ import annotations

import os
import sys
import uuid

import pytest

pytest.importorskip("httpx")
pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils._api import PrefectCloud
from ansible_collections.prefect.cloud.plugins.module_utils._http import PrefectClient
from ansible_collections.prefect.cloud.plugins.module_utils._lookup import user_filter, user_matches

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 3, "emulator")
FULL_DOC = "/work/shared/prefect-cloud-openapi/prefect-cloud-openapi.json"
OWNER_KEY = "pnu_" + uuid.uuid4().hex + "wxyz"
ACCOUNT_ID = str(uuid.uuid4())


def find_member(api, value):
    """The account member with e-mail address (any case), handle or user id ``value``, or None."""
    found = [user for user in api.account_members(**user_filter(value)) if user_matches(user, value)]
    return found[0] if found else None


@pytest.fixture(name="cloud")
def cloud_fixture():
    if EMULATOR_DIR not in sys.path:
        sys.path.insert(0, EMULATOR_DIR)
    from prefect_emulator import Emulator, EmulatorConfig  # pylint: disable=import-outside-toplevel

    emulator = Emulator(EmulatorConfig(api_key=OWNER_KEY, account_id=ACCOUNT_ID, workspaces=["ws"], port=0))
    emulator.start()
    client = PrefectClient(f"{emulator.url}/api", OWNER_KEY, ACCOUNT_ID)
    yield PrefectCloud(client), emulator
    client.close()
    emulator.stop()


def test_workspace_role_create_update_delete(cloud):
    api, emulator = cloud
    viewer = next(role for role in api.workspace_roles() if role.name == "Viewer")
    role = api.create_workspace_role("r1", "d", ["see_flows"], viewer.id)
    assert (role.name, role.scopes, role.inherited_role_id, role.account_id) == ("r1", ["see_flows"], viewer.id, ACCOUNT_ID)
    emulator.log.clear()
    api.update_workspace_role(role.id, scopes=["run_flows"])
    assert [(e["method"], e["status"]) for e in emulator.log.list()] == [("PATCH", 204)]
    read = api.workspace_role(role.id)
    assert (read.scopes, read.description, read.inherited_role_id) == (["run_flows"], "d", viewer.id)  # the rest kept
    assert api.delete_workspace_role(role.id) is True
    assert api.delete_workspace_role(role.id) is False


def test_team_metadata_and_members(cloud):
    api, emulator = cloud
    bot = api.client.request("POST", api.client.account_path("bots/"), {"name": "b1"})
    alice = find_member(api, "ALICE@example.com")
    assert alice is not None and alice.email == "alice@example.com"
    team = api.create_team("t1", "first")
    api.upsert_team_members(team.id, [(alice.user_id, "user"), (bot["id"], "service_account")])
    api.update_team(team.id, "t2", "second", None)
    read = api.team_detail(team.id)
    assert (read.name, read.description) == ("t2", "second")
    assert sorted((m.id, m.type) for m in read.memberships) == sorted([(alice.actor_id, "user"), (bot["actor_id"], "service_account")])
    assert api.remove_team_member(team.id, bot["actor_id"]) is True
    assert api.remove_team_member(team.id, bot["actor_id"]) is False
    assert [t.id for t in api.teams(names=["t2"])] == [team.id]
    emulator.log.clear()
    assert api.delete_team(team.id) is True and api.delete_team(team.id) is False
    assert api.team_detail(team.id) is None


def test_memberships_and_invitations(cloud):
    api, dummy = cloud
    roles = {role.name: role.id for role in api.account_roles()}
    bob = find_member(api, "bob")
    api.update_account_membership(bob.id, roles["Admin"])
    assert find_member(api, bob.user_id).account_role_name == "Admin"
    first = api.create_invitation("Carol@Example.com", roles["Member"])
    second = api.create_invitation("carol@example.com", roles["Admin"])
    pending = api.invitations(email_like="CAROL@example.com", statuses=["PENDING"])
    assert [i.id for i in pending] == [second.id] and first.id != second.id
    assert api.revoke_invitation(second.id) is True
    assert api.invitations(statuses=["PENDING"]) == []
    assert api.revoke_invitation(str(uuid.uuid4())) is False
    assert api.delete_account_membership(bob.id) is True
    assert find_member(api, "bob@example.com") is None
    assert api.delete_account_membership(bob.id) is False
