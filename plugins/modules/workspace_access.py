#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: workspace_access
short_description: Grant a service account, user or team a role in a Prefect Cloud workspace
description:
  - Give a service account, a user or a team (the I(accessor)) a workspace role in one Prefect Cloud
    workspace, change that role, or remove the accessor's access to the workspace.
  - An accessor has at most one role per workspace. Changing the role updates the grant in place;
    its id does not change.
  - The module reads the current grant first and only writes when the role differs or the grant
    must be removed. A run without changes sends no write request.
  - Access that a user or service account has through a team is not managed by this module; grant
    or remove it on the team with O(accessor_type=team).
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  workspace:
    description:
      - Handle or UUID of the workspace. A UUID is treated as a workspace id.
      - For a service account or user, giving the id saves one request per run. With an id,
        RV(workspace_access.workspace_handle) is V(null).
    type: str
    required: true
  accessor_type:
    description:
      - The kind of accessor that O(accessor) names.
    type: str
    choices: [service_account, user, team]
    default: service_account
  accessor:
    description:
      - The accessor to grant the role to, or to remove from the workspace.
      - For V(service_account), the name or id of the service account.
      - For V(user), the e-mail address (compared case-insensitively), the handle or the user id
        (not the account membership id or the actor id).
      - For V(team), the name or id of the team. A name shared by several teams is an error; use
        the team id then.
      - A UUID is always treated as an id.
    type: str
    required: true
  workspace_role:
    description:
      - Name or id of the workspace role to grant, such as V(Owner), V(Developer), V(Runner),
        V(Viewer), V(Worker), or the name of a custom workspace role. Names are case sensitive.
      - Required when O(state=present). Ignored when O(state=absent), where the grant is removed
        whatever its role.
      - A name that is not a workspace role is an error that lists the valid names.
    type: str
    aliases: [role]
  state:
    description:
      - V(present) makes sure the accessor has O(workspace_role) in the workspace.
      - V(absent) removes the accessor's access to the workspace. A workspace or accessor that does
        not exist (for example because it was deleted, which also deletes its grants) has no grant,
        so the task reports no change.
    type: str
    choices: [present, absent]
    default: present
notes:
  - In a check-mode run in the controller, an accessor (a service account or a team) or a custom
    workspace role that an earlier task of the same play would create is found by its name, so
    that the preview predicts the real run - the grant that would be created, with C(id=null)
    and V(null) ids of what does not exist yet. A name that is neither real nor planned still
    fails, with the closest valid name. A module process (async, a remote connection or
    C(prefect_cloud_run_on_controller=false)) cannot see what earlier tasks planned.
  - Requests per run without changes, for O(state=present) - 2 (no write) when O(workspace) and
    O(workspace_role) are ids or the accessor is a team, and 3 for a service account or user named
    with a workspace handle and a role name. For a service account or user, the workspace handle
    lookup (none with a workspace id), the accessor's grant and, unless the role is an id, the role
    list; for a team, the team lookup (which also lists the team's workspaces and role names) and
    the team's grant. Nothing is cached between runs. See the collection's C(docs/performance.md).
  - Requests with O(state=absent) when there is no grant - service account or user, 2 with a
    workspace handle and 1 with an id; team, 1.
  - Removing the last workspace access of a user whose account role is C(Collaborator) also removes
    the user from the account (Prefect Cloud behaviour).
  - Teams are a Prefect Cloud Enterprise feature; workspace access needs a Pro or Enterprise plan.
seealso:
  - module: prefect.cloud.workspace_access_info
  - module: prefect.cloud.service_account
  - module: prefect.cloud.workspace_info
  - module: prefect.cloud.workspace_role_info
  - name: Prefect Cloud workspace roles
    description: The built-in workspace roles and custom roles.
    link: https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/manage-roles
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed) and diff as a real run, and the predicted grant
        (with C(id=null) for a grant that would be created).
  diff_mode:
    support: full
    details:
      - The diff shows the workspace, the accessor type, the accessor and the role name. A grant
        that does not exist is C({}).
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: Manage workspace access
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: Let the CI service account deploy to the production workspace
      prefect.cloud.workspace_access:
        workspace: production
        accessor: ci-deployer
        workspace_role: Developer

    - name: Give a user read-only access
      prefect.cloud.workspace_access:
        workspace: production
        accessor_type: user
        accessor: alice@example.com
        role: Viewer

    - name: Give a team a custom role, by ids (fewer requests)
      prefect.cloud.workspace_access:
        workspace: 5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c
        accessor_type: team
        accessor: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
        workspace_role: 2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f

    - name: Remove a worker service account from the workspace
      prefect.cloud.workspace_access:
        workspace: production
        accessor: old-worker
        state: absent
"""

RETURN = r"""
workspace_access:
  description:
    - The grant, as read from the API or as changed by this run.
    - In check mode, the predicted grant; C(id) is V(null) for a grant that would be created.
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: UUID of the grant. It does not change when the role changes.
      type: str
      sample: 7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a
    workspace_id:
      description: UUID of the workspace.
      type: str
      sample: 5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c
    workspace_handle:
      description: Handle of the workspace; V(null) when O(workspace) was given as an id.
      type: str
      sample: production
    accessor_type:
      description: The kind of accessor.
      type: str
      sample: service_account
    accessor_id:
      description: UUID of the service account, user or team.
      type: str
      sample: 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11
    accessor_name:
      description: Name of the service account or team, or e-mail address of the user.
      type: str
      sample: ci-deployer
    actor_id:
      description: UUID of the actor of the service account or user; V(null) for a team.
      type: str
      sample: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
    workspace_role_id:
      description: UUID of the workspace role.
      type: str
      sample: 2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f
    workspace_role_name:
      description: Name of the workspace role.
      type: str
      sample: Developer
"""

from ansible_collections.prefect.cloud.plugins.module_utils._access import (
    ACCESSOR_TYPES, Member, WorkspaceGrants, next_batch,
)
from ansible_collections.prefect.cloud.plugins.module_utils._base import StateModule, batches
from ansible_collections.prefect.cloud.plugins.module_utils._views import grant_diff


class WorkspaceAccess(StateModule):
    grants = after = None  # per run: set by read()
    """One grant: a fleet of one of ``workspace_members`` (one member, no purge), or its removal."""

    argument_spec = dict(
        workspace=dict(type="str", required=True),
        accessor_type=dict(type="str", choices=list(ACCESSOR_TYPES), default="service_account"),
        accessor=dict(type="str", required=True),
        workspace_role=dict(type="str", aliases=["role"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(required_if=[("state", "present", ("workspace_role",))])
    present_only = ("workspace_role",)
    result_key = "workspace_access"
    diff_view = staticmethod(grant_diff)

    def read(self):
        params = self.params
        member = Member(params["accessor_type"], params["accessor"], params["workspace_role"])
        self.grants = WorkspaceGrants(self, params["workspace"], [member])
        befores = self.grants.read()
        # None: the workspace or the team does not exist (state=absent). The planner plans a removal
        # too, so it plans here: plan() is not called with state=absent.
        self.after = None if befores is None else self.grants.plan()[0]
        return None if befores is None else befores[0]

    def plan(self, before):
        return self.after

    def apply(self, before, after):
        for batch in batches(self.grants.operations(), next_batch):
            self.grants.write(batch)
        return after


def main():
    WorkspaceAccess.main()


if __name__ == "__main__":
    main()
