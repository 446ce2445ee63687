#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: account_member
short_description: Manage the users of a Prefect Cloud account, their account role and invitations
description:
  - Set the account role of a user who is a member of a Prefect Cloud account, or remove the user
    from the account.
  - With O(invite=true), invite an e-mail address that is not a member yet; the user becomes a member
    when they accept the invitation.
  - Service accounts are account members too; manage their account role with
    P(prefect.cloud.service_account#module) instead.
  - The module reads first and only writes what differs.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  user:
    description:
      - The user, by e-mail address (compared case-insensitively), handle or user id (a UUID; not
        the account membership id or the actor id).
      - Only an e-mail address can be invited.
    type: str
    required: true
  account_role:
    description:
      - Name or id of the account role, such as V(Owner), V(Admin), V(Member) or V(Collaborator)
        (names are case sensitive). A name that is not an account role is an error that lists the
        valid names.
      - Left out, the role of a member is not changed. Required with O(invite=true).
    type: str
    aliases: [role]
  active:
    description:
      - Whether the user's account membership is active. V(false) deactivates a member without
        removing them (the membership, its account role, team memberships and workspace access
        stay); V(true) reactivates it.
      - Left out, the member's activity is not changed. It applies to members only; an invitation is
        not affected.
    type: bool
  invite:
    description:
      - What to do with O(state=present) when the user is not a member of the account.
      - V(false) - an error.
      - V(true) - invite O(user) (an e-mail address) with O(account_role), unless a pending
        invitation with that role exists. A pending invitation with another role is replaced (the API
        revokes an address's pending invitations when it invites it again).
    type: bool
    default: false
  state:
    description:
      - V(present) makes sure the user is a member with O(account_role) (or is invited, see
        O(invite)).
      - V(absent) removes the user from the account, which also removes the user's workspace access
        (Prefect Cloud behaviour), and revokes the pending invitations of an O(user) given as an
        e-mail address. A user who is neither a member nor invited is no change.
      - The options that describe the membership (O(account_role), O(active), O(invite)) are ignored with
        V(absent), so that a task can be flipped to V(absent) as it is.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Requests per run without changes - one for a member when O(account_role) is a name or left
    out (the membership lookup), or when it is an id that matches; one more (the role list) when the
    role must be resolved for a change. A change of both the role and O(active) is two writes (the
    API has a route for each). A user who is not a member costs one more request to read the
    invitations (with O(invite=true), or with O(state=absent) and an e-mail address).
  - What the API does when the account's last Owner would be changed or removed is UNCONFIRMED (the
    emulator refuses it with HTTP 409, which this module reports as an error).
  - Removing a user also removes the user from the account's teams (UNCONFIRMED; so in the emulator).
  - A deactivated member is still a member. The module finds members with the membership filter
    without its C(active) criterion, which the OpenAPI document gives as V(null) by default, read as
    no criterion (active and deactivated members alike), as every other criterion of the API's
    filters; that the API reads it so is UNCONFIRMED (the emulator does). Were deactivated members
    left out, the module would report such a user as not a member and fail (or, with O(invite=true),
    the invitation would be refused by the API), never change the membership.
seealso:
  - module: prefect.cloud.account_member_info
  - module: prefect.cloud.account_role_info
  - module: prefect.cloud.team
  - module: prefect.cloud.workspace_access
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed) and diff as a real run, and the predicted member or
        invitation (with C(id=null) for an invitation that would be sent).
  diff_mode:
    support: full
    details:
      - The diff shows the user (e-mail address, else handle), the account role name and the status
        (V(member) or V(invited)), and for a member whether the membership is C(active). A user who
        is neither is C({}).
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: Manage account members
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: Make alice an account Admin
      prefect.cloud.account_member:
        user: alice@example.com
        account_role: Admin

    - name: Invite carol as a Member unless she is one already
      prefect.cloud.account_member:
        user: carol@example.com
        account_role: Member
        invite: true

    - name: Deactivate bob without removing him from the account
      prefect.cloud.account_member:
        user: bob@example.com
        active: false

    - name: Remove a user from the account (and revoke a pending invitation)
      prefect.cloud.account_member:
        user: mallory@example.com
        state: absent
"""

RETURN = r"""
account_member:
  description:
    - The membership after this run; V(null) when the user is not a member (for example when only
      invited).
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: UUID of the account membership.
      type: str
      sample: 7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a
    user_id:
      description: UUID of the user.
      type: str
      sample: 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11
    actor_id:
      description: UUID of the user's actor.
      type: str
      sample: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
    email:
      description: E-mail address of the user.
      type: str
      sample: alice@example.com
    handle:
      description: Handle of the user.
      type: str
      sample: alice
    first_name:
      description: First name of the user.
      type: str
      sample: Alice
    last_name:
      description: Last name of the user.
      type: str
      sample: Anders
    account_role_id:
      description: UUID of the account role.
      type: str
      sample: 3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9
    account_role_name:
      description: Name of the account role.
      type: str
      sample: Admin
    active:
      description: Whether the membership is active.
      type: bool
      sample: true
    last_login:
      description: When the user last logged in, or V(null).
      type: str
      sample: "2026-11-30T09:12:44Z"
invitation:
  description:
    - The pending invitation of O(user) after this run; V(null) when there is none (for example for a
      member). In check mode C(id) and C(expiration) are V(null) for an invitation that would be sent.
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: UUID of the invitation.
      type: str
      sample: 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
    email:
      description: The invited e-mail address.
      type: str
      sample: carol@example.com
    account_role_id:
      description: UUID of the account role the user gets on accepting.
      type: str
      sample: 3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9
    account_role_name:
      description: Name of that account role.
      type: str
      sample: Member
    status:
      description: V(PENDING).
      type: str
      sample: PENDING
    expiration:
      description: When the invitation expires.
      type: str
      sample: "2026-12-08T10:00:00Z"
"""

from ansible_collections.prefect.cloud.plugins.module_utils._base import StateModule
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError
from ansible_collections.prefect.cloud.plugins.module_utils._lookup import Directory, Planned, invitation_with
from ansible_collections.prefect.cloud.plugins.module_utils._values import changed, is_email
from ansible_collections.prefect.cloud.plugins.module_utils._views import (
    account_member_diff, account_member_view, invitation_view,
)


class AccountMember(StateModule):
    """The object is the user's place in the account: ``{"account_member": ..., "invitation": ...}``
    with one of the two set (a member, or a pending invitation), or None (neither)."""

    directory = member = None  # per run: set by read()
    pending = ()
    argument_spec = dict(
        user=dict(type="str", required=True),
        account_role=dict(type="str", aliases=["role"]),
        active=dict(type="bool"),
        invite=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(required_if=[("invite", True, ("account_role",))])
    present_only = ("account_role", "active", "invite")
    diff_view = staticmethod(account_member_diff)

    def read(self):
        params = self.params
        user, self.directory = params["user"], Directory(self)
        self.member = self.directory.find_accessor("user", user)
        if self.member is not None:
            return {"account_member": account_member_view(self.member), "invitation": None}
        wanted = None
        if params["state"] == "present":
            if not params["invite"]:
                raise PrefectError(f"user: no account member with e-mail, handle or id {user!r} "
                                   "(set invite=true to invite an e-mail address)")
            if not is_email(user):
                raise PrefectError(f"user: {user!r} is not an account member, and only an e-mail address can be invited")
            wanted = self.role().id
        elif "@" not in user:
            return None  # only an e-mail address has invitations
        self.pending = self.directory.pending_invitations(user)
        found = invitation_with(self.pending, wanted)
        return None if found is None else {"account_member": None, "invitation": invitation_view(found, self.directory.account_roles())}

    def role(self):
        return self.directory.account_roles().resolve(self.params["account_role"], "account_role")

    def plan(self, before):
        params = self.params
        if self.member is not None:
            member = before["account_member"]
            wanted = dict(member, active=member["active"] if params["active"] is None else params["active"])
            if params["account_role"] not in (None, member["account_role_name"], member["account_role_id"]):
                role = self.role()
                wanted.update(account_role_id=role.id, account_role_name=role.name)
            return before if wanted == member else dict(before, account_member=wanted)
        role = self.role()
        if before is not None and before["invitation"]["account_role_id"] == role.id:
            return before
        invitation = Planned(email=params["user"], account_role_id=role.id)
        return {"account_member": None, "invitation": invitation_view(invitation, self.directory.account_roles())}

    def apply(self, before, after):
        if after is None:
            if self.member is not None:
                self.api.delete_account_membership(self.member.id)
            for item in self.pending:
                self.api.revoke_invitation(item.id)
            return None
        if after["account_member"] is not None:
            changes = changed(before["account_member"], after["account_member"], "account_role_id", "active")
            self.api.update_account_membership(self.member.id, **changes)
            return after
        created = self.api.create_invitation(after["invitation"]["email"], after["invitation"]["account_role_id"])
        return dict(after, invitation=invitation_view(created, self.directory.account_roles()))


def main():
    AccountMember.main()


if __name__ == "__main__":
    main()
