# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The object_access_info module: the HTTP conversation of each case."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.modules.object_access_info import ObjectAccessInfo
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

WS = "5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c"
DEP = "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"
FLOW = "4d5e6f70-8192-4d3e-9f4a-5b6c7d8e9f0a"
TEAM = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
FIND_WS = Call("POST", "workspaces/filter", [{"id": WS, "name": "Production", "handle": "production", "account_id": ACCOUNT}])
EVERYONE = {"id": "*", "name": "*", "email": None, "type": "*"}
PLATFORM = {"id": TEAM, "name": "platform", "email": None, "type": "team"}
EVERYONE_VIEW = {"type": "everyone", "id": "*", "name": None}
PLATFORM_VIEW = {"type": "team", "id": TEAM, "name": "platform"}


def test_one_deployment_by_name(run_module):
    calls = [FIND_WS, Call("GET", f"workspaces/{WS}/deployments/name/etl/nightly", {"id": DEP, "name": "nightly", "flow_id": FLOW}),
             Call("GET", f"workspaces/{WS}/deployments/{DEP}/access",
                  {"manage_actors": [EVERYONE], "run_actors": [PLATFORM, EVERYONE], "view_actors": []})]
    result = run_module(ObjectAccessInfo, {"workspace": "production", "object_type": "deployment", "object": "etl/nightly"}, calls)
    assert result == {"changed": False, "objects": [{"object_type": "deployment", "object": "etl/nightly", "manage": [EVERYONE_VIEW],
                                                    "run": [EVERYONE_VIEW, PLATFORM_VIEW], "view": []}]}


def test_every_work_pool(run_module):
    pools = [{"id": DEP, "name": "k8s-prod", "type": "kubernetes"}, {"id": FLOW, "name": "process dev", "type": "process"}]
    acl = {"manage_actors": [EVERYONE], "run_actors": [EVERYONE], "view_actors": [EVERYONE]}
    calls = [FIND_WS, Call("POST", f"workspaces/{WS}/work_pools/filter", pools),
             Call("GET", f"workspaces/{WS}/work_pools/k8s-prod/access", acl),
             Call("GET", f"workspaces/{WS}/work_pools/process%20dev/access", acl)]
    result = run_module(ObjectAccessInfo, {"workspace": "production", "object_type": "work_pool"}, calls)
    assert [view["object"] for view in result["objects"]] == ["k8s-prod", "process dev"]


def test_every_block_document_named_by_slug(run_module):
    docs = [{"id": DEP, "name": "prod", "block_type": {"slug": "aws-credentials"}}]
    calls = [FIND_WS, Call("POST", f"workspaces/{WS}/block_documents/filter", docs),
             Call("GET", f"workspaces/{WS}/block_documents/{DEP}/access", {"manage_actors": [], "view_actors": [PLATFORM]})]
    result = run_module(ObjectAccessInfo, {"workspace": "production", "object_type": "block"}, calls)
    assert result["objects"] == [{"object_type": "block", "object": "aws-credentials/prod", "manage": [], "view": [PLATFORM_VIEW]}]


def test_unknown_object_is_an_error(run_module):
    calls = [FIND_WS, Call("GET", f"workspaces/{WS}/deployments/{DEP}/access", {"detail": "Deployment not found."}, status=404)]
    result = run_module(ObjectAccessInfo, {"workspace": "production", "object_type": "deployment", "object": DEP}, calls)
    assert result["failed"] and result["msg"].startswith(f"object: no deployment '{DEP}' in workspace 'production'")
