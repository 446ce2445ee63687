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
      - Left out, the role of a member is not changed. Required to invite (O(invite=true)).
    type: str
    aliases: [role]
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
    type: str
    choices: [present, absent]
    default: present
notes:
  - Requests per run without changes - one for a member when O(account_role) is a name or left
    out (the membership lookup), or when it is an id that matches; one more (the role list) when the
    role must be resolved for a change. A user who is not a member costs one more request to read the
    invitations (with O(invite=true), or with O(state=absent) and an e-mail address).
  - What the API does when the account's last Owner would be changed or removed is UNCONFIRMED (the
    emulator refuses it with HTTP 409, which this module reports as an error).
  - Removing a user also removes the user from the account's teams (UNCONFIRMED; so in the emulator).
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
        (V(member) or V(invited)). A user who is neither is C({}).
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

from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule, is_uuid
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError
from ansible_collections.prefect.cloud.plugins.module_utils._iam import find_member, listing, member_result


class AccountRoles:
    """The account roles, read at most once per run."""

    def __init__(self, api):
        self.api = api
        self._roles = None

    def all(self):
        if self._roles is None:
            self._roles = self.api.account_roles()
        return self._roles

    def resolve(self, value):
        found = [role for role in self.all() if (role.id == value if is_uuid(value) else role.name == value)]
        if len(found) == 1:
            return found[0]
        raise PrefectError(f"account_role: no account role with name or id {value!r}; "
                           f"valid names are: {listing(role.name for role in self.all())}")

    def name_of(self, role_id):
        return next((role.name for role in self.all() if role.id == role_id), None)


def member_diff(member):
    return {"user": member["email"] or member["handle"], "account_role": member["account_role_name"], "status": "member"}


def invitation_view(invitation, roles):
    data = invitation.to_result()
    return {"id": data["id"], "email": data["email"], "account_role_id": data["account_role_id"],
            "account_role_name": roles.name_of(data["account_role_id"]), "status": data["status"],
            "expiration": data.get("expiration")}


def invitation_diff(invitation):
    return {"user": invitation["email"], "account_role": invitation["account_role_name"], "status": "invited"}


def pending_invitations(api, email):
    found = api.invitations(email_like=email, statuses=["PENDING"])
    return [item for item in found if item.email.lower() == email.lower() and item.status == "PENDING"]


def converge_member(module, member, roles):
    """state=present for a member: set the role when it differs."""
    params, api = module.params, module.api
    before = member_result(member)
    after = before
    wanted = params["account_role"]
    if wanted is not None and wanted not in (before["account_role_name"], before["account_role_id"]):
        role = roles.resolve(wanted)
        if role.id != before["account_role_id"]:
            after = dict(before, account_role_id=role.id, account_role_name=role.name)
            if not module.check_mode:
                api.update_account_membership(member.id, role.id)
            module.set_changed()  # after the write: a write that fails changed nothing
    module.set_diff(member_diff(before), member_diff(after))
    module.result.update(account_member=after, invitation=None)


def converge_invitation(module, roles):
    """state=present for a user who is not a member: invite when asked to."""
    params, api = module.params, module.api
    user = params["user"]
    if not params["invite"]:
        raise PrefectError(f"user: no account member with e-mail, handle or id {user!r} "
                           "(set invite=true to invite an e-mail address)")
    if "@" not in user:
        raise PrefectError(f"user: {user!r} is not an account member, and only an e-mail address can be invited")
    if params["account_role"] is None:
        raise PrefectError("account_role is required to invite a user (invite=true)")
    role = roles.resolve(params["account_role"])
    pending = [invitation_view(item, roles) for item in pending_invitations(api, user)]
    before = pending[-1] if pending else None
    after = next((item for item in pending if item["account_role_id"] == role.id), None)
    if after is None:
        after = {"id": None, "email": user, "account_role_id": role.id, "account_role_name": role.name,
                 "status": "PENDING", "expiration": None}
        if not module.check_mode:
            after = invitation_view(api.create_invitation(user, role.id), roles)
        module.set_changed()
    else:
        before = after
    module.set_diff(invitation_diff(before) if before else None, invitation_diff(after))
    module.result.update(account_member=None, invitation=after)


def converge_absent(module, member, roles):
    params, api = module.params, module.api
    if member is not None:
        module.set_diff(member_diff(member_result(member)), None)
        if not module.check_mode:
            api.delete_account_membership(member.id)
        module.set_changed()
        return
    if "@" not in params["user"]:
        module.set_diff(None, None)
        return
    pending = pending_invitations(api, params["user"])
    before = invitation_diff(invitation_view(pending[-1], roles)) if pending else None
    module.set_diff(before, None)
    for item in pending:
        if not module.check_mode:
            api.revoke_invitation(item.id)
        module.set_changed()


def converge(module):
    params, api = module.params, module.api
    roles = AccountRoles(api)
    member = find_member(api, params["user"])
    if params["state"] == "absent":
        converge_absent(module, member, roles)
    elif member is not None:
        converge_member(module, member, roles)
    else:
        converge_invitation(module, roles)


def main():
    module = PrefectModule(
        argument_spec=dict(
            user=dict(type="str", required=True),
            account_role=dict(type="str", aliases=["role"]),
            invite=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
    )
    module.run(lambda: converge(module))


if __name__ == "__main__":
    main()
