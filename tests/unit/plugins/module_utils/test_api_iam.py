# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The identity and access helpers (_iam) and API methods (workspace roles, teams, members, invitations)."""

from __future__ import annotations

import json
import os
import re
import sys
import uuid

import pytest

pytest.importorskip("httpx")
pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils._api import PrefectCloud
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError
from ansible_collections.prefect.cloud.plugins.module_utils._http import PrefectClient
from ansible_collections.prefect.cloud.plugins.module_utils._iam import (
    WORKSPACE_SCOPES, Actors, check_names, check_scopes, find_member, member_label,
)

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 3, "emulator")
FULL_DOC = "/work/shared/prefect-cloud-openapi/prefect-cloud-openapi.json"
OWNER_KEY = "pnu_" + uuid.uuid4().hex + "wxyz"
ACCOUNT_ID = str(uuid.uuid4())


def test_scopes_are_a_sorted_set_and_unknown_names_list_the_valid_ones():
    assert check_scopes(["run_flows", "see_flows", "run_flows"]) == ["run_flows", "see_flows"]
    assert check_scopes([]) == []
    with pytest.raises(PrefectError) as caught:
        check_scopes(["see_flows", "fly", "Run_Flows"])
    message = str(caught.value)
    assert message.startswith("scopes: unknown workspace scope 'Run_Flows', 'fly' (did you mean 'run_flows'?); "
                              "valid scopes are: see/run/manage_flows, manage_saved_search, run_tasks, see/manage_blocks, ")
    assert "\n" not in message and len(message) < 1000
    listed = message.split("valid scopes are: ")[1].rsplit(" (", 1)[0].split(", ")
    expanded = [f"{verb}_{group.split('_', 1)[1]}" for group in listed for verb in group.split("_", 1)[0].split("/")]
    assert sorted(expanded) == sorted(WORKSPACE_SCOPES)  # every valid scope is in the message
    with pytest.raises(PrefectError, match=r"^scopes: unknown workspace scope 'a', 'b', 'c', 'd', 'e' and 2 more; "):
        check_scopes(list("abcdefg"))


def test_scope_names_are_the_openapi_enum():
    if not os.path.isfile(FULL_DOC):
        pytest.skip(f"the OpenAPI document ({FULL_DOC}) is not available here")
    with open(FULL_DOC, "r", encoding="utf-8") as handle:
        enum = json.load(handle)["components"]["schemas"]["WorkspaceScopeName"]["enum"]
    assert list(WORKSPACE_SCOPES) == enum


@pytest.mark.parametrize("value, problem", [
    (" ", "users[1] must not be empty"),
    ("a\nb", "users[1] must not contain control or invisible format characters"),
    ("a\u202eb", "U+202E"),
    ("x" * 5001, "users[1] must be at most 5000 characters, got 5001"),
])
def test_bad_list_entries_are_refused(value, problem):
    with pytest.raises(PrefectError, match=re.escape(problem)):
        check_names(["alice", value], "users")


def test_list_ids_are_lower_case():
    value = str(uuid.uuid4())
    assert check_names([value.upper(), "Alice@Example.com"], "users") == [value, "Alice@Example.com"]


def test_member_labels():
    assert member_label({"type": "user", "email": "a@example.com", "name": "A B"}) == "user:a@example.com"
    assert member_label({"type": "service_account", "email": None, "name": "ci"}) == "service_account:ci"


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
    assert [t.id for t in api.team_details(names=["t2"])] == [team.id]
    emulator.log.clear()
    assert api.delete_team(team.id) is True and api.delete_team(team.id) is False
    assert api.team_detail(team.id) is None


def test_actors_read_each_list_once(cloud):
    api, emulator = cloud
    bot = api.client.request("POST", api.client.account_path("bots/"), {"name": "b2"})
    actors = Actors(api)
    emulator.log.clear()
    assert actors.service_account("b2")[0] == bot["id"]
    assert actors.service_account(bot["id"])[1]["actor_id"] == bot["actor_id"]
    user_id, view = actors.user("Bob@Example.com")
    assert view == {"actor_id": actors.user("bob")[1]["actor_id"], "type": "user", "name": "Bob Brown", "email": "bob@example.com"}
    assert actors.user(user_id)[0] == user_id
    assert actors.member_id(view["actor_id"], "user") == user_id
    assert actors.member_id(bot["actor_id"], "service_account") == bot["id"]
    assert [e["path"].rsplit("/", 2)[-2] for e in emulator.log.list()] == ["bots", "account_memberships"]
    with pytest.raises(PrefectError, match="^service_accounts: no service account with name 'nope' in this account$"):
        actors.service_account("nope")
    with pytest.raises(PrefectError, match="^users: no user with e-mail, handle or id 'carol@example.com' in this account$"):
        actors.user("carol@example.com")


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
