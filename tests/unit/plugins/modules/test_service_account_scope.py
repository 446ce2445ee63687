# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The service_account_scope module: the HTTP conversation of each case.

The workspace has one deployment (etl/nightly: the service account ci at run, alice at manage,
everyone at view), one block document (secret/db: team platform at view) and one work pool
(k8s: everyone at every level)."""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.modules.service_account_scope import ServiceAccountScope
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, KEY, Call
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.test_deployment_access import (
    ACTOR, ALICE, BOT_ACTOR, BOT_ROW, DEP, EVERYONE, FIND_WS, FLOW, PLATFORM, TEAM, USER_ACTOR, WS,
)

BLOCK = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
POOL = "8b7c6d5e-4f30-4b2c-8d9e-0f1a2b3c4d5e"
FIND_BOT = Call("POST", "bots/filter", [BOT_ROW])
LISTINGS = [Call("POST", f"workspaces/{WS}/deployments/filter", [{"id": DEP, "name": "nightly", "flow_id": FLOW}]),
            Call("POST", f"workspaces/{WS}/flows/filter", [{"id": FLOW, "name": "etl"}],
                 body={"flows": {"id": {"any_": [FLOW]}}, "limit": 200, "offset": 0}),
            Call("POST", f"workspaces/{WS}/block_documents/filter",
                 [{"id": BLOCK, "name": "db", "block_type": {"slug": "secret"}, "block_type_id": POOL, "block_schema_id": POOL}]),
            Call("POST", f"workspaces/{WS}/work_pools/filter", [{"id": POOL, "name": "k8s"}])]
OBJECT_PATHS = (f"deployments/{DEP}", f"block_documents/{BLOCK}", "work_pools/k8s")
DEP_ACCESS, BLOCK_ACCESS, POOL_ACCESS = (f"workspaces/{WS}/{path}/access" for path in OBJECT_PATHS)
ALL = [EVERYONE]


def reads(deployment=None, block=None):
    """The ACL reads, one per object, with the deployment's and the block's ACL as given."""
    deployment = deployment or {"manage_actors": [ALICE], "run_actors": [BOT_ACTOR], "view_actors": ALL}
    block = block or {"manage_actors": [ALICE], "view_actors": [PLATFORM]}
    return [FIND_WS, FIND_BOT] + LISTINGS + [Call("GET", DEP_ACCESS, deployment), Call("GET", BLOCK_ACCESS, block),
                                             Call("GET", POOL_ACCESS, {"manage_actors": ALL, "run_actors": ALL, "view_actors": ALL})]


def put(path, status=204, **levels):
    """A PUT of the whole ACL: every level's actor ids and team ids (absent: none)."""
    body = {f"{level}_{kind}_ids": levels.get(f"{level}_{kind}", []) for level in ("manage", "view") for kind in ("actor", "team")}
    if path != BLOCK_ACCESS:
        body.update(run_actor_ids=levels.get("run_actor", []), run_team_ids=levels.get("run_team", []))
    return Call("PUT", path, {"detail": "boom"} if status >= 400 else None, status=status, body={"access_control": body})


OPEN = [{"object": "work_pool:k8s", "levels": ["manage", "run", "view"]}]
SCOPE = {"workspace": "production", "service_account": "ci", "deployments": [{"name": "etl/nightly", "level": "manage"}],
         "blocks": [{"name": "secret/db", "level": "view"}]}


@pytest.mark.parametrize("check_mode", [False, True])
def test_scope_moves_and_adds_only_this_account(run_module, check_mode):
    """Every other entry of each PUT is the one read: alice, the team, everyone."""
    writes = [put(DEP_ACCESS, manage_actor=[ACTOR, USER_ACTOR], view_actor=["*"]),
              put(BLOCK_ACCESS, manage_actor=[USER_ACTOR], view_actor=[ACTOR], view_team=[TEAM])]
    result = run_module(ServiceAccountScope, SCOPE, reads() + ([] if check_mode else writes), check_mode=check_mode)
    assert result["changed"] is True
    assert result["changes"] == ["block:secret/db: (none) -> view", "deployment:etl/nightly: run -> manage"]
    assert result["access"] == {"block:secret/db": "view", "deployment:etl/nightly": "manage"}
    assert result["diff"] == {
        "before": {"workspace": "production", "service_account": "ci", "access": {"deployment:etl/nightly": "run"}},
        "after": {"workspace": "production", "service_account": "ci", "access": result["access"]}}
    # view of etl/nightly is everyone's, below manage: reported too (the API does not say levels nest)
    assert result["open_to_everyone"] == [{"object": "deployment:etl/nightly", "levels": ["view"]}] + OPEN
    assert len(result["warnings"]) == 1 and "deployment:etl/nightly, work_pool:k8s" in result["warnings"][0]


def test_the_same_scope_again_writes_nothing(run_module):
    deployment = {"manage_actors": [ALICE, BOT_ACTOR], "run_actors": [], "view_actors": ALL}
    block = {"manage_actors": [ALICE], "view_actors": [BOT_ACTOR, PLATFORM]}
    result = run_module(ServiceAccountScope, SCOPE, reads(deployment, block))
    assert result["changed"] is False and result["changes"] == []
    assert result["diff"]["before"] == result["diff"]["after"]


def test_absent_takes_the_account_out_of_every_level_and_leaves_everyone(run_module):
    """state=absent ignores the lists; the account at two levels leaves both; '*' stays."""
    deployment = {"manage_actors": [ALICE], "run_actors": [BOT_ACTOR], "view_actors": [BOT_ACTOR, EVERYONE]}
    calls = reads(deployment) + [put(DEP_ACCESS, manage_actor=[USER_ACTOR], view_actor=["*"])]
    result = run_module(ServiceAccountScope, dict(SCOPE, state="absent"), calls)
    assert result["changes"] == ["deployment:etl/nightly: run+view -> (none)"]
    assert result["access"] == {} and result["diff"]["after"]["access"] == {}
    assert result["open_to_everyone"] == [{"object": "deployment:etl/nightly", "levels": ["view"]}] + OPEN


def test_an_unknown_object_fails_before_any_acl_is_read(run_module):
    params = dict(SCOPE, blocks=[{"name": "secret/dbb", "level": "view"}])
    result = run_module(ServiceAccountScope, params, [FIND_WS, FIND_BOT] + LISTINGS)
    assert result["failed"] is True and "changed" in result and result["changed"] is False
    assert result["msg"] == ("blocks[0].name: no block document 'secret/dbb' in workspace 'production' (did you mean "
                             "'secret/db'?) (give block_type_slug/block_name or a block document id)")


def test_an_object_by_name_and_by_id_is_listed_twice(run_module):
    params = dict(SCOPE, deployments=[{"name": "etl/nightly", "level": "run"}, {"name": DEP.upper(), "level": "view"}])
    result = run_module(ServiceAccountScope, params, [FIND_WS, FIND_BOT] + LISTINGS)
    assert result["msg"] == "deployments[1].name: deployment 'etl/nightly' is listed more than once; give each object once"


def test_an_unknown_service_account_fails_before_the_listings(run_module):
    result = run_module(ServiceAccountScope, dict(SCOPE, service_account="cii"),
                        [FIND_WS, Call("POST", "bots/filter", []), Call("POST", "bots/filter", [BOT_ROW])])
    assert result["msg"] == "service_account: no service account 'cii' in this account (did you mean 'ci'?)"


def test_open_objects_fail_refuses_before_any_write(run_module):
    result = run_module(ServiceAccountScope, dict(SCOPE, open_objects="fail"), reads())
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("open_objects=fail: 2 objects give everyone ('*') a level")
    assert "deployment:etl/nightly, work_pool:k8s" in result["msg"]
    assert result["open_to_everyone"][1] == OPEN[0]


def test_a_failed_write_lists_what_was_applied(run_module):
    writes = [put(DEP_ACCESS, manage_actor=[ACTOR, USER_ACTOR], view_actor=["*"]),
              put(BLOCK_ACCESS, status=500, manage_actor=[USER_ACTOR], view_actor=[ACTOR], view_team=[TEAM])]
    result = run_module(ServiceAccountScope, dict(SCOPE, retries=0), reads() + writes)
    assert result["failed"] is True and result["changed"] is True
    assert result["applied"] == [{"operation": "set_access", "object": "deployment:etl/nightly", "workspace": "production"}]
    assert result["not_applied"] == [{"operation": "set_access", "object": "block:secret/db", "workspace": "production"}]
    assert result["msg"].startswith("service_account_scope: set_access of 'block:secret/db' in workspace 'production' failed "
                                    "after 1 of 2 operations were applied")
    assert "PUT" in result["msg"] and "boom" in result["msg"] and KEY not in repr(result)


def test_a_service_account_an_earlier_check_mode_task_creates_is_previewed(run_module):
    """A play that creates the account and scopes it previews both: the account has no entry yet."""
    planned = {ACCOUNT: {"service_account": {"new": {"name": "new", "actor_id": None, "account_role_name": "Member"}}}}
    calls = [FIND_WS, Call("POST", "bots/filter", [])] + reads()[2:]
    result = run_module(ServiceAccountScope, dict(SCOPE, service_account="new"), calls, check_mode=True, planned=planned)
    assert result["changed"] is True
    assert result["changes"] == ["block:secret/db: (none) -> view", "deployment:etl/nightly: (none) -> manage"]
    assert result["diff"]["before"]["access"] == {}
