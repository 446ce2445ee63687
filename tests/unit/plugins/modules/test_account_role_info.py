# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The account_role_info module: the HTTP conversation of each case."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.modules.account_role_info import AccountRoleInfo
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

MEMBER = {"id": "3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9", "name": "Member", "account_id": None, "is_system_role": True,
          "permissions": ["read:workspace"]}
CUSTOM = {"id": "4c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9", "name": "member", "account_id": ACCOUNT,
          "is_system_role": False, "permissions": []}


def test_all_roles(run_module):
    result = run_module(AccountRoleInfo, {}, [Call("POST", "account_roles/filter", [MEMBER, CUSTOM])])
    assert result["changed"] is False
    assert result["account_roles"] == [MEMBER, CUSTOM]


def test_by_name_is_one_filtered_request_and_exact(run_module):
    """The name filter is sent; a role whose name only matches without case is left out."""
    call = Call("POST", "account_roles/filter", [MEMBER, CUSTOM],
                body={"account_roles": {"name": {"any_": ["Member"]}}, "offset": 0, "limit": 200})
    result = run_module(AccountRoleInfo, {"name": "Member"}, [call])
    assert result["account_roles"] == [MEMBER]


def test_unknown_name_is_an_empty_list(run_module):
    result = run_module(AccountRoleInfo, {"name": "Superhero"}, [Call("POST", "account_roles/filter", [])])
    assert result["account_roles"] == []


def test_bad_name_is_one_line(run_module):
    result = run_module(AccountRoleInfo, {"name": ""}, [])
    assert result["failed"] and result["msg"] == "name must not be empty"
