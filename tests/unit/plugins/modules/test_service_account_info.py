# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The service_account_info module: the HTTP conversation of each case."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.modules.service_account_info import ServiceAccountInfo
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

BOT = "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"


def bot(name="ci"):
    return {"id": BOT, "actor_id": "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e", "account_id": ACCOUNT, "name": name,
            "account_role_name": "Member", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-02T00:00:00Z",
            "api_key": {"id": "3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f", "name": "k", "created": "2026-01-01T00:00:00Z",
                        "expiration": "2030-01-31T00:00:00Z", "masked_key": "pnb_...x7Qa"}}


VIEW = {"id": BOT, "actor_id": "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e", "name": "ci", "account_role": "Member",
        "created": "2026-01-01T00:00:00Z", "updated": "2026-01-02T00:00:00Z",
        "api_key": {"id": "3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f", "name": "k", "created": "2026-01-01T00:00:00Z",
                    "expiration": "2030-01-31T00:00:00Z", "masked_key": "pnb_...x7Qa"}}


def test_by_name_is_one_narrow_request(run_module):
    result = run_module(ServiceAccountInfo, {"name": "ci"}, [
        Call("POST", "bots/filter", [bot(), bot("ci-2")],
             body={"service_accounts": {"id": None, "name": {"any_": ["ci"]}}, "limit": 200, "offset": 0})])
    assert result == {"changed": False, "service_accounts": [VIEW]}


def test_by_id_and_an_unknown_id(run_module):
    assert run_module(ServiceAccountInfo, {"id": BOT}, [Call("GET", f"bots/{BOT}", bot())])["service_accounts"] == [VIEW]
    gone = run_module(ServiceAccountInfo, {"id": BOT}, [Call("GET", f"bots/{BOT}", {"detail": "Not found"}, status=404)])
    assert gone == {"changed": False, "service_accounts": []}


def test_all_accounts(run_module):
    result = run_module(ServiceAccountInfo, {}, [Call("POST", "bots/filter", [bot()])])
    assert result["service_accounts"] == [VIEW]


def test_bad_input_fails_before_any_request(run_module):
    result = run_module(ServiceAccountInfo, {"id": "not-a-uuid"}, [])
    assert result["failed"] and result["msg"] == "id must be the UUID of a service account, got 'not-a-uuid'"
