# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The work_pool_access module: the HTTP conversation of each case (a work pool is read by name)."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.modules.work_pool_access import WorkPoolAccess
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

WS = "5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c"
BOT = "6e7f8091-a2b3-4c4d-8e5f-6a7b8c9d0e1f"
ACTOR = "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e"
FIND_WS = Call("POST", "workspaces/filter", [{"id": WS, "name": "Production", "handle": "production", "account_id": ACCOUNT}])
ACCESS = f"workspaces/{WS}/work_pools/k8s-prod/access"
EVERYONE = {"id": "*", "name": "*", "email": None, "type": "*"}
CI = {"id": ACTOR, "name": "ci", "email": None, "type": "service_account"}
BOT_ROW = {"id": BOT, "actor_id": ACTOR, "account_id": ACCOUNT, "name": "ci", "account_role_name": "Member",
           "api_key": {"id": "3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f", "name": "k", "expiration": None}}
NAMES = {"workspace": "production", "work_pool": "k8s-prod"}


def acl(manage=(EVERYONE,), run=(EVERYONE,), view=(EVERYONE,)):
    return {"manage_actors": list(manage), "run_actors": list(run), "view_actors": list(view)}


def test_run_by_service_account_id(run_module):
    """A service account named by its id is looked up (the ACL holds actor ids, not bot ids)."""
    put = Call("PUT", ACCESS, None, status=204, body={"access_control": {
        "manage_actor_ids": ["*"], "manage_team_ids": [], "run_actor_ids": [ACTOR], "run_team_ids": [],
        "view_actor_ids": ["*"], "view_team_ids": []}})
    calls = [FIND_WS, Call("GET", ACCESS, acl()), Call("GET", f"bots/{BOT}", BOT_ROW), put]
    result = run_module(WorkPoolAccess, dict(NAMES, run={"service_accounts": [BOT]}), calls)
    assert result["changed"] is True
    assert result["diff"]["after"]["run"] == ["service_account:ci"]


def test_append_of_an_actor_already_there_is_no_change(run_module):
    calls = [FIND_WS, Call("GET", ACCESS, acl(run=(CI,)))]
    result = run_module(WorkPoolAccess, dict(NAMES, run={"service_accounts": ["ci"]}, append=True), calls)
    assert result["changed"] is False


def test_unknown_work_pool(run_module):
    calls = [FIND_WS, Call("GET", ACCESS, {"detail": "Work pool not found."}, status=404)]
    result = run_module(WorkPoolAccess, dict(NAMES, view={"everyone": True}), calls)
    assert result["failed"]
    assert result["msg"] == "work_pool: no work pool 'k8s-prod' in workspace 'production' (work_pool expects a work pool name)"


def test_unknown_workspace_lists_the_handles(run_module):
    calls = [Call("POST", "workspaces/filter", []), FIND_WS]
    result = run_module(WorkPoolAccess, dict(NAMES, workspace="prod", view={"everyone": True}), calls)
    assert result["failed"] and "workspace: no workspace with handle 'prod'" in result["msg"] and "production" in result["msg"]
