# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The account_member_info module: the HTTP conversation of each case."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.modules.account_member import AccountMember
from ansible_collections.prefect.cloud.plugins.modules.account_member_info import AccountMemberInfo
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import Call

ADMIN = "2c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9"
MEMBER = "3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9"


def user(name, number, role="Member"):
    return {"id": f"{number}d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a", "actor_id": f"{number}f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f",
            "user_id": f"{number}e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11", "first_name": name.title(), "last_name": None,
            "handle": name, "email": f"{name}@example.com", "account_role_name": role,
            "account_role_id": ADMIN if role == "Admin" else MEMBER, "last_login": "2026-11-30T09:12:44Z",
            "active": True}


ALICE, BOB = user("alice", 1, "Admin"), user("bob", 2)


def test_all_members_sorted_by_email(run_module):
    call = Call("POST", "account_memberships/filter", [BOB, ALICE],
                body={"account_memberships": {"email": None, "handle": None, "user_id": None}, "only_users": True,
                      "offset": 0, "limit": 200})
    result = run_module(AccountMemberInfo, {}, [call])
    assert result["changed"] is False
    assert [m["email"] for m in result["account_members"]] == ["alice@example.com", "bob@example.com"]
    assert result["account_members"][0]["last_login"] == "2026-11-30T09:12:44Z"


def test_by_role_name(run_module):
    result = run_module(AccountMemberInfo, {"role": "Admin"}, [Call("POST", "account_memberships/filter", [BOB, ALICE])])
    assert [m["handle"] for m in result["account_members"]] == ["alice"]


def test_by_email_is_one_narrow_request_and_the_view_of_the_state_module(run_module):
    call = Call("POST", "account_memberships/filter", [ALICE],
                body={"account_memberships": {"email": {"like_": "Alice@Example.com"}, "handle": None, "user_id": None},
                      "only_users": True,
                      "offset": 0, "limit": 200})
    found = run_module(AccountMemberInfo, {"user": "Alice@Example.com"}, [call])
    state = run_module(AccountMember, {"user": "alice"}, [Call("POST", "account_memberships/filter", [ALICE])])
    assert found["account_members"] == [state["account_member"]]


def test_a_substring_match_is_not_the_user(run_module):
    result = run_module(AccountMemberInfo, {"user": "lice@example.com"},
                        [Call("POST", "account_memberships/filter", [ALICE])])
    assert result["account_members"] == []


def test_bad_user_is_one_line(run_module):
    result = run_module(AccountMemberInfo, {"user": " "}, [])
    assert result["failed"] and result["msg"] == "user must not be empty"
