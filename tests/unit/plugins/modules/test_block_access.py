# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The block_access module: the HTTP conversation of each case (block documents have no run level)."""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.modules.block_access import BlockAccess
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

WS = "5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c"
DOC = "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"
USER_ACTOR = "0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11"
TEAM = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
FIND_WS = Call("GET", f"workspaces/{WS}", {"id": WS, "name": "Production", "handle": "production", "account_id": ACCOUNT})
FIND_DOC = Call("GET", f"workspaces/{WS}/block_types/slug/secret/block_documents/name/db%20password",
                {"id": DOC, "name": "db password", "block_type": {"slug": "secret"}})
ACCESS = f"workspaces/{WS}/block_documents/{DOC}/access"
EVERYONE = {"id": "*", "name": "*", "email": None, "type": "*"}
ALICE = {"id": USER_ACTOR, "name": "Alice Anders", "email": "alice@example.com", "type": "user"}
DATA_ENG = {"id": TEAM, "name": "data-eng", "email": None, "type": "team"}
NAMES = {"workspace": WS, "block": "secret/db password"}


def put(manage, view, manage_teams=(), view_teams=()):
    body = {"manage_actor_ids": list(manage), "manage_team_ids": list(manage_teams), "view_actor_ids": list(view),
            "view_team_ids": list(view_teams)}
    return Call("PUT", ACCESS, None, status=204, body={"access_control": body})


@pytest.mark.parametrize("check_mode", [False, True])
def test_view_set_exactly_and_sent_without_run(run_module, check_mode):
    """The PUT carries manage and view only; the name is quoted in the lookup path."""
    calls = [FIND_WS, FIND_DOC, Call("GET", ACCESS, {"manage_actors": [ALICE], "view_actors": [EVERYONE, ALICE]})]
    calls += [] if check_mode else [put(manage=(USER_ACTOR,), view=(), view_teams=(TEAM,))]
    calls.insert(3, Call("POST", "teams/filter", [{"id": TEAM, "name": "data-eng"}]))
    result = run_module(BlockAccess, dict(NAMES, view={"teams": ["data-eng"]}), calls, check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {
        "before": {"object": "block document secret/db password", "manage": ["user:alice@example.com"],
                   "view": ["everyone", "user:alice@example.com"]},
        "after": {"object": "block document secret/db password", "manage": ["user:alice@example.com"], "view": ["team:data-eng"]}}
    assert set(result["object_access"]) == {"object_type", "object", "manage", "view"}


def test_reset_of_an_object_that_is_gone_is_no_change(run_module):
    missing = Call("GET", FIND_DOC.path, {"detail": "Block document not found."}, status=404)
    result = run_module(BlockAccess, dict(NAMES, state="absent"), [FIND_WS, missing])
    assert result == {"changed": False, "diff": {"before": {}, "after": {}}}


def test_reset_by_id(run_module):
    calls = [FIND_WS, Call("GET", ACCESS, {"manage_actors": [ALICE], "view_actors": [DATA_ENG]}), put(("*",), ("*",))]
    result = run_module(BlockAccess, dict(NAMES, block=DOC, state="absent"), calls)
    assert result["changed"] is True
    assert result["object_access"] == {"object_type": "block", "object": DOC,
                                       "manage": [{"type": "everyone", "id": "*", "name": None}],
                                       "view": [{"type": "everyone", "id": "*", "name": None}]}


def test_a_level_is_required_with_present(run_module):
    result = run_module(BlockAccess, NAMES, [])
    assert result["failed"] and result["msg"] == "state=present needs at least one of the levels manage, view"


def test_bad_name_in_a_list_is_refused_before_any_request(run_module):
    result = run_module(BlockAccess, dict(NAMES, manage={"users": ["alice@example.com\n"]}), [])
    assert result["failed"] and result["msg"].startswith("manage.users[0] must not contain control or invisible")


def test_api_error_names_method_and_path_not_the_key(run_module):
    calls = [FIND_WS, Call("GET", ACCESS, {"manage_actors": [], "view_actors": []}),
             Call("PUT", ACCESS, {"detail": "Invalid access control"}, status=400)]
    result = run_module(BlockAccess, dict(NAMES, block=DOC, manage={"everyone": True}), calls)
    assert result["failed"] and result["method"] == "PUT" and result["path"].endswith(f"/block_documents/{DOC}/access")
    assert "Invalid access control" in result["msg"] and result["msg"].startswith("PUT /api/accounts/") and "pnu_" not in result["msg"]
