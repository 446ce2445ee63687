#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: workspace_invitation
short_description: Invite an e-mail address to a Prefect Cloud workspace, or revoke the invitation
description:
  - Invite someone who is not a member of the Prefect Cloud account yet to one workspace, by e-mail
    address; on accepting, they join the account and get access to the workspace. Or revoke the
    pending invitations of that address to the workspace.
  - A module of its own rather than an option of P(prefect.cloud.workspace_access#module) - an
    invitation is not a grant. It has its own life (pending, then accepted, revoked or expired), is
    made for an address rather than for a user, and its role is chosen by the API; a grant is
    given to a user who exists, with the role asked for. Use this module to bring a new person
    in, and P(prefect.cloud.workspace_access#module) for the access of account members.
  - To invite someone to the account only (with an account role), use
    P(prefect.cloud.account_member#module) with O(prefect.cloud.account_member#module:invite=true).
  - The module reads first and only writes what differs.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  email:
    description:
      - The e-mail address to invite, of the form C(local@domain.tld). Compared case-insensitively
        with the address of a pending invitation.
    type: str
    required: true
  workspace:
    description:
      - Handle or UUID of the workspace. A UUID is treated as a workspace id.
      - A workspace that does not exist is an error that lists the valid handles, with
        O(state=absent) too.
    type: str
    required: true
  workspace_role:
    description:
      - Name or id of the workspace role the invitation must give. The API takes no role when it
        invites - the invitation gives the workspace's default workspace role (its
        C(default_workspace_role_id)); so this option states what is expected rather than chooses
        it.
      - Left out, any pending invitation is kept, whatever its role.
      - Given, a pending invitation with another role (one sent before the workspace's default
        role was changed) is replaced - the module invites the address again, which revokes the
        old invitation. A role that is not the workspace's default role is an error before any
        write; change the workspace's default role, or grant the role with
        P(prefect.cloud.workspace_access#module) once the user has accepted.
      - A name that is not a workspace role is an error that lists the valid names.
    type: str
    aliases: [role]
  state:
    description:
      - V(present) makes sure an invitation of O(email) to the workspace is pending, unless the
        address already belongs to an account member (someone who accepted, or a member anyway),
        which is no change.
      - V(absent) revokes every pending invitation of O(email) to the workspace. An address without
        one is no change. It never removes access; use P(prefect.cloud.workspace_access#module).
    type: str
    choices: [present, absent]
    default: present
notes:
  - Requests per run without changes - 3 (the workspace, its pending invitations of the address
    and the workspace roles); one more with O(state=present) when there is no pending invitation
    (whether the address belongs to an account member).
  - Which role a workspace without a default role gives is UNCONFIRMED; the module expects the
    built-in V(Viewer) (so does the emulator), and a real run reports the role the API answers. The
    account role of the invitee (V(Member) in the emulator) is the API's choice.
  - An invitation expires (after seven days in the emulator; UNCONFIRMED); an expired invitation
    is not pending, and the next run with O(state=present) invites again.
seealso:
  - module: prefect.cloud.account_member
  - module: prefect.cloud.workspace_access
  - module: prefect.cloud.workspace_info
  - module: prefect.cloud.workspace_role_info
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed) and diff as a real run, and the predicted invitation
        (with C(id) and C(expiration) V(null) for an invitation that would be sent).
  diff_mode:
    support: full
    details:
      - The diff shows the e-mail address, the workspace handle and the workspace role name of the
        pending invitation. No pending invitation is C({}).
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: Manage workspace invitations
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: Invite dora to the staging workspace
      prefect.cloud.workspace_invitation:
        email: dora@example.com
        workspace: staging

    - name: Invite erin, who must get the Developer role (the workspace's default role)
      prefect.cloud.workspace_invitation:
        email: erin@example.com
        workspace: staging
        workspace_role: Developer

    - name: Revoke the invitation of a contractor
      prefect.cloud.workspace_invitation:
        email: mallory@example.com
        workspace: staging
        state: absent
"""

RETURN = r"""
invitation:
  description:
    - The pending invitation after this run. In check mode C(id) and C(expiration) are V(null) for
      an invitation that would be sent.
  returned: when an invitation is pending after the run (not with O(state=absent), nor for an
    address of an account member)
  type: dict
  contains:
    id:
      description: UUID of the invitation.
      type: str
      sample: 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
    email:
      description: The invited e-mail address.
      type: str
      sample: dora@example.com
    workspace_id:
      description: UUID of the workspace.
      type: str
      sample: 9b3f6a1e-2c4d-4e5f-8a7b-6c5d4e3f2a1b
    workspace_handle:
      description: Handle of the workspace.
      type: str
      sample: staging
    workspace_role_id:
      description: UUID of the workspace role the user gets on accepting.
      type: str
      sample: 3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9
    workspace_role_name:
      description: Name of that workspace role.
      type: str
      sample: Viewer
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
from ansible_collections.prefect.cloud.plugins.module_utils._values import is_email, shown
from ansible_collections.prefect.cloud.plugins.module_utils._views import invitation_view

# The role of an invitation to a workspace without a default role (UNCONFIRMED; the emulator's).
FALLBACK_ROLE = "Viewer"


class WorkspaceInvitation(StateModule):
    directory = workspace = roles = wanted = None  # per run: set by read()
    pending = ()
    argument_spec = dict(
        email=dict(type="str", required=True),
        workspace=dict(type="str", required=True),
        workspace_role=dict(type="str", aliases=["role"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    present_only = ("workspace_role",)
    result_key = "invitation"

    def validate(self):
        if not is_email(self.params["email"]):
            raise ValueError(f"email must be an e-mail address such as dora@example.com, got {shown(self.params['email'])}")

    def read(self):
        params, self.directory = self.params, Directory(self)
        self.workspace = self.directory.workspace(params["workspace"])
        self.roles = self.directory.workspace_roles()
        if params["workspace_role"] is not None:
            self.wanted = self.roles.resolve(params["workspace_role"], "workspace_role")
        self.pending = self.directory.pending_invitations(params["email"], self.workspace.id)
        found = invitation_with(self.pending, self.wanted and self.wanted.id, "workspace_role_id")
        return None if found is None else self.view(found)

    def plan(self, before):
        wanted = self.wanted and self.wanted.id
        if before is not None and wanted in (None, before["workspace_role_id"]):
            return before
        if before is None and self.directory.find_accessor("user", self.params["email"], "email") is not None:
            return None  # an account member (who accepted, or a member anyway) needs no invitation
        default = self.roles.by_id.get(self.workspace.default_workspace_role_id) or self.roles.resolve(FALLBACK_ROLE, "workspace")
        if wanted not in (None, default.id):
            raise PrefectError(f"workspace_role: the API invites to workspace {self.workspace.handle!r} with its default role "
                               f"{default.name!r} only, not {self.wanted.name!r}; change the workspace's default role, or "
                               "grant the role with prefect.cloud.workspace_access once the user has accepted")
        return self.view(Planned(email=self.params["email"], workspace_role_id=default.id))

    def apply(self, before, after):
        if after is None:
            for item in self.pending:
                self.api.revoke_invitation(item.id, self.workspace.id)
            return None
        return self.view(self.api.create_workspace_invitation(self.workspace.id, after["email"]))

    def diff_view(self, view):
        """The diff form (names only); no module but this one shows a workspace invitation."""
        if view is None:
            return None
        return {"email": view["email"], "workspace": view["workspace_handle"], "workspace_role": view["workspace_role_name"]}

    def view(self, invitation):
        return invitation_view(invitation, self.roles, "workspace", workspace_id=self.workspace.id,
                               workspace_handle=self.workspace.handle)


def main():
    WorkspaceInvitation.main()


if __name__ == "__main__":
    main()
