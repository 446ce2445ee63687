# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The account_member module: the HTTP conversation of each case (member, invitation, absent)."""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.modules.account_member import AccountMember
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import Call

MEMBERSHIP = "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a"
USER = "0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11"
ACTOR = "6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f"
ROLES = {"Owner": "1c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9", "Admin": "2c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9",
         "Member": "3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9"}
INVITE = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
OLD_INVITE = "4a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
ACCOUNT_ROLES = Call("POST", "account_roles/filter", [
    {"id": role_id, "name": name, "account_id": None, "is_system_role": True, "permissions": []}
    for name, role_id in ROLES.items()])
NO_MEMBER = Call("POST", "account_memberships/filter", [])


def member(role="Member", email="alice@example.com"):
    return {"id": MEMBERSHIP, "actor_id": ACTOR, "user_id": USER, "first_name": "Alice", "last_name": "Anders",
            "handle": "alice", "email": email, "account_role_name": role, "account_role_id": ROLES[role],
            "last_login": None, "active": True}


def members(*found):
    return Call("POST", "account_memberships/filter", list(found))


def invitation(role="Member", invitation_id=INVITE, email="carol@example.com"):
    return {"id": invitation_id, "email": email, "account_role_id": ROLES[role], "status": "PENDING",
            "expiration": "2026-12-08T10:00:00Z"}


def pending(*found):
    return Call("POST", "invitations/filter", list(found))


# -- a member


def test_member_no_change_is_one_request(run_module):
    result = run_module(AccountMember, {"user": "ALICE@example.com", "account_role": "Member"}, [members(member())])
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"] == {"user": "alice@example.com",
                                                                   "account_role": "Member", "status": "member",
                                                                   "active": True}
    assert result["account_member"]["id"] == MEMBERSHIP and result["invitation"] is None


def test_member_found_by_email_is_matched_exactly(run_module):
    """The API matches e-mail addresses as a substring: another address is not the user."""
    result = run_module(AccountMember, {"user": "alice@example.com"},
                        [members(member(email="malice@example.com"))])
    assert result["failed"] and result["msg"].startswith("user: no account member with e-mail, handle or id")


@pytest.mark.parametrize("check_mode", [False, True])
def test_member_role_change(run_module, check_mode):
    write = Call("PATCH", f"account_memberships/{MEMBERSHIP}", body={"account_role_id": ROLES["Admin"]})
    result = run_module(AccountMember, {"user": "alice", "role": "Admin"},
                        [members(member()), ACCOUNT_ROLES] + ([] if check_mode else [write]), check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"]["before"]["account_role"] == "Member" and result["diff"]["after"]["account_role"] == "Admin"
    assert result["account_member"]["account_role_id"] == ROLES["Admin"]
    assert result["account_member"]["account_role_name"] == "Admin"


def test_member_role_by_id_that_matches_reads_no_role_list(run_module):
    result = run_module(AccountMember, {"user": USER, "account_role": ROLES["Member"]}, [members(member())])
    assert result["changed"] is False


def test_unknown_role_lists_the_valid_ones(run_module):
    result = run_module(AccountMember, {"user": "alice", "account_role": "admin"}, [members(member()), ACCOUNT_ROLES])
    assert result["failed"] and result["changed"] is False
    assert result["msg"].startswith("account_role: no account role with name or id 'admin'")
    assert result["msg"].endswith("valid names are: Admin, Member, Owner")


# -- an invitation


@pytest.mark.parametrize("check_mode", [False, True])
def test_invite(run_module, check_mode):
    write = Call("POST", "invitations/", [invitation()],
                 body=[{"email": "carol@example.com", "account_role_id": ROLES["Member"]}])
    result = run_module(AccountMember, {"user": "carol@example.com", "account_role": "Member", "invite": True},
                        [NO_MEMBER, ACCOUNT_ROLES, pending()] + ([] if check_mode else [write]), check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {"before": {}, "after": {"user": "carol@example.com", "account_role": "Member",
                                                      "status": "invited"}}
    assert result["account_member"] is None
    assert result["invitation"]["id"] == (None if check_mode else INVITE)
    assert result["invitation"]["expiration"] == (None if check_mode else "2026-12-08T10:00:00Z")


def test_pending_invitation_with_the_role_is_no_change(run_module):
    """An older invitation with another role beside it does not matter."""
    result = run_module(AccountMember, {"user": "carol@example.com", "account_role": "Member", "invite": True},
                        [NO_MEMBER, ACCOUNT_ROLES, pending(invitation(), invitation("Admin", OLD_INVITE))])
    assert result["changed"] is False
    assert result["invitation"]["id"] == INVITE and result["invitation"]["account_role_name"] == "Member"


def test_pending_invitation_with_another_role_is_replaced(run_module):
    write = Call("POST", "invitations/", [invitation("Admin")])
    result = run_module(AccountMember, {"user": "carol@example.com", "account_role": "Admin", "invite": True},
                        [NO_MEMBER, ACCOUNT_ROLES, pending(invitation()), write])
    assert result["changed"] is True
    assert result["diff"]["before"]["account_role"] == "Member" and result["diff"]["after"]["account_role"] == "Admin"


@pytest.mark.parametrize("params, msg", [
    ({"user": "dave@example.com"},
     "user: no account member with e-mail, handle or id 'dave@example.com' (set invite=true to invite an e-mail address)"),
    ({"user": "dave", "invite": True, "account_role": "Member"}, "user: 'dave' is not an account member, and only an e-mail address can be invited"),
    ({"user": "dave@example", "invite": True, "account_role": "Member"},
     "user: 'dave@example' is not an account member, and only an e-mail address can be invited"),
])
def test_not_a_member_errors(run_module, params, msg):
    result = run_module(AccountMember, params, [NO_MEMBER])
    assert result["failed"] and result["changed"] is False
    assert result["msg"] == msg


def test_invite_without_a_role_is_refused_by_the_argument_spec(run_module):
    """ansible-core's required_if, before any request (the runner validates the options)."""
    with pytest.raises(AssertionError, match="invite is True but all of the following are missing: account_role"):
        run_module(AccountMember, {"user": "dave@example.com", "invite": True}, [])


# -- active


@pytest.mark.parametrize("check_mode", [False, True])
def test_deactivate_a_member(run_module, check_mode):
    write = Call("PATCH", f"account_memberships/{MEMBERSHIP}/active", body={"active": False})
    result = run_module(AccountMember, {"user": "alice", "active": False},
                        [members(member())] + ([] if check_mode else [write]), check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"]["before"]["active"] is True and result["diff"]["after"]["active"] is False
    assert result["diff"]["after"]["account_role"] == "Member"
    assert result["account_member"]["active"] is False


def test_a_deactivated_member_is_found_and_left_as_is(run_module):
    """No ``active`` criterion in the filter; without the option the activity is not changed."""
    found = Call("POST", "account_memberships/filter", [dict(member(), active=False)],
                 body={"account_memberships": {"email": None, "handle": {"any_": ["alice"]}, "user_id": None},
                       "only_users": True, "limit": 200, "offset": 0})
    result = run_module(AccountMember, {"user": "alice", "account_role": "Member"}, [found])
    assert result["changed"] is False and result["account_member"]["active"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


def test_reactivate_with_a_role_change_is_two_writes(run_module):
    calls = [members(dict(member(), active=False)), ACCOUNT_ROLES,
             Call("PATCH", f"account_memberships/{MEMBERSHIP}", body={"account_role_id": ROLES["Admin"]}),
             Call("PATCH", f"account_memberships/{MEMBERSHIP}/active", body={"active": True})]
    result = run_module(AccountMember, {"user": "alice", "account_role": "Admin", "active": True}, calls)
    assert result["changed"] is True
    assert result["diff"]["after"] == {"user": "alice@example.com", "account_role": "Admin", "status": "member", "active": True}


def test_active_that_matches_is_no_write(run_module):
    result = run_module(AccountMember, {"user": "alice", "active": True}, [members(member())])
    assert result["changed"] is False


# -- absent


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_removes_a_member_and_ignores_the_present_options(run_module, check_mode):
    write = Call("DELETE", f"account_memberships/{MEMBERSHIP}")
    result = run_module(AccountMember, {"user": "alice@example.com", "state": "absent", "account_role": "Nope",
                                        "invite": True},
                        [members(member())] + ([] if check_mode else [write]), check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {"before": {"user": "alice@example.com", "account_role": "Member", "status": "member",
                                         "active": True}, "after": {}}
    assert "account_member" not in result and "invitation" not in result


def test_absent_revokes_every_pending_invitation(run_module):
    result = run_module(AccountMember, {"user": "carol@example.com", "state": "absent"},
                        [NO_MEMBER, pending(invitation("Admin", OLD_INVITE), invitation()), ACCOUNT_ROLES,
                         Call("POST", f"invitations/{OLD_INVITE}/revoke"), Call("POST", f"invitations/{INVITE}/revoke")])
    assert result["changed"] is True
    assert result["diff"] == {"before": {"user": "carol@example.com", "account_role": "Member", "status": "invited"},
                              "after": {}}


def test_absent_in_check_mode_sends_no_write(run_module):
    result = run_module(AccountMember, {"user": "carol@example.com", "state": "absent"},
                        [NO_MEMBER, pending(invitation()), ACCOUNT_ROLES], check_mode=True)
    assert result["changed"] is True and result["diff"]["after"] == {}


def test_absent_again_is_no_change(run_module):
    result = run_module(AccountMember, {"user": "carol@example.com", "state": "absent"}, [NO_MEMBER, pending()])
    assert result["changed"] is False and result["diff"] == {"before": {}, "after": {}}


def test_absent_handle_reads_no_invitations(run_module):
    result = run_module(AccountMember, {"user": "carol", "state": "absent"}, [NO_MEMBER])
    assert result["changed"] is False


def test_last_owner_refusal_names_the_request(run_module):
    refused = Call("PATCH", f"account_memberships/{MEMBERSHIP}", {"detail": "The account must keep at least one Owner"},
                   status=409)
    result = run_module(AccountMember, {"user": "alice", "account_role": "Admin"},
                        [members(member("Owner")), ACCOUNT_ROLES, refused])
    assert result["failed"] and result["changed"] is False
    assert result["status"] == 409 and "The account must keep at least one Owner" in result["msg"]
