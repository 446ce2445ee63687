#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: workspace_members
short_description: Manage every service account, user and team of one Prefect Cloud workspace in one task
description:
  - Give many accessors (service accounts, users and teams) their workspace role in one Prefect
    Cloud workspace, in one task.
  - Optionally authoritative. With O(purge=true), the grants of the workspace whose accessor is not
    listed are removed, so that the workspace's access is exactly the list (for the accessor types
    of O(purge_types)).
  - Each member means what one P(prefect.cloud.workspace_access#module) task with
    O(prefect.cloud.workspace_access#module:state=present) means. Access through a team is not a
    grant of the workspace and is not touched.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  workspace:
    description:
      - Handle or UUID of the workspace.
    type: str
    required: true
  members:
    description:
      - The accessors of the workspace and their roles. Each accessor may be listed once.
      - Every accessor and role is checked before anything is written, so that one bad member fails
        the task before any write; messages name the member, such as C(members[2].accessor).
    type: list
    elements: dict
    default: []
    suboptions:
      accessor_type:
        description:
          - The kind of accessor that O(members[].accessor) names.
        type: str
        choices: [service_account, user, team]
        default: service_account
      accessor:
        description:
          - As O(prefect.cloud.workspace_access#module:accessor) - a service account name or id, a
            user e-mail (compared case-insensitively), handle or id, or a team name or id.
        type: str
        required: true
      workspace_role:
        description:
          - Name or id of the workspace role, such as V(Viewer), V(Runner), V(Developer) or V(Owner).
            Role names are case sensitive.
        type: str
        required: true
        aliases: [role]
  purge:
    description:
      - Remove the workspace's grants of accessors that O(members) does not list, of the accessor
        types in O(purge_types).
      - The grant of the calling API key's own identity (its user or service account) is never removed.
    type: bool
    default: false
  purge_types:
    description:
      - The accessor types that O(purge=true) removes grants of.
    type: list
    elements: str
    choices: [service_account, user, team]
    default: [service_account, user, team]
  allow_empty_purge:
    description:
      - With O(purge=true) and an empty O(members), the task fails before any request, unless this
        is V(true). Set it only to remove every grant of the workspace (of O(purge_types)).
    type: bool
    default: false
notes:
  - Requests of a run without changes - one for the workspace (a filter by handle, or a C(GET) by id), one
    for the workspace roles, one listing (200 per request) of each accessor type's grants that the
    members or O(purge_types) need, and C(GET /me/) with O(purge=true). Service accounts and users
    without a grant yet cost one listing of their kind (one for all of them); a team without a
    grant yet costs one lookup.
  - In a check-mode run in the controller, a service account, team or custom workspace role that an
    earlier task of the same play would create is found by its name (see
    P(prefect.cloud.workspace_access#module)).
  - Writes - one request per 200 service-account grants and per 200 user grants to create or
    change, one C(PUT) of the whole team-grant set when a team grant changes, and one C(DELETE) per
    removed grant.
  - The order of the writes is - service-account grants, user grants, team grants, removals. If a
    write fails, the task fails with one line naming the operation and the request (method, path
    and the server's answer), and the result still has RV(applied) and RV(not_applied), as
    P(prefect.cloud.service_accounts#module) reports them. Run the task again to converge.
  - Whether the team-grant C(PUT) merges into or replaces the set is UNCONFIRMED; the module sends
    every team grant that is to remain, and deletes the removed ones one by one, which gives the same
    result either way.
  - Removing the last workspace access of a user whose account role is C(Collaborator) also removes
    the user from the account (Prefect Cloud behaviour).
  - The calling key's membership of a team is not checked; a purge may remove the grant of a team
    the calling user belongs to (the key keeps any access it has as a user or service account).
seealso:
  - module: prefect.cloud.workspace_access
  - module: prefect.cloud.service_accounts
  - module: prefect.cloud.workspace_access_info
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed), diff and RV(removed) as a real run, and the
        predicted grants (with C(id=null) for a grant that would be created).
  diff_mode:
    support: full
    details:
      - The diff lists the grants that change or are removed (C(before)) and the grants as they
        will be (C(after)), each as P(prefect.cloud.workspace_access#module) shows one.
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: The production workspace's access is exactly this list
  prefect.cloud.workspace_members:
    workspace: production
    members:
      - accessor: pipeline-billing
        workspace_role: Runner
      - accessor_type: user
        accessor: alice@example.com
        workspace_role: Developer
      - accessor_type: team
        accessor: platform
        workspace_role: Owner
    purge: true

- name: Remove stray service accounts only; leave users and teams alone
  prefect.cloud.workspace_members:
    workspace: staging
    members: "{{ staging_service_accounts }}"
    purge: true
    purge_types: [service_account]
"""

RETURN = r"""
members:
  description:
    - One grant per member, in the order of O(members), shaped like
      RV(prefect.cloud.workspace_access#module:workspace_access), as read or as changed by this run.
    - In check mode, the predicted grants; C(id) is V(null) for a grant that would be created.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a
      workspace_id: 5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c
      workspace_handle: production
      accessor_type: user
      accessor_id: 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11
      accessor_name: alice@example.com
      actor_id: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
      workspace_role_id: 2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f
      workspace_role_name: Developer
removed:
  description:
    - The grants that O(purge=true) removes (or would remove, in check mode), shaped like RV(members).
    - When a write failed, only the grants that were removed before it.
  returned: always
  type: list
  elements: dict
  sample: []
applied:
  description:
    - When a write failed, the operations applied before it, each with C(operation) (V(grant) to
      create or change a grant, V(revoke) to remove one), C(accessor_type), C(accessor) (the
      accessor's name, the C(accessor_name) of its grant) and C(workspace) (the handle).
  returned: when a write failed
  type: list
  elements: dict
  sample:
    - operation: grant
      accessor_type: service_account
      accessor: pipeline-billing
      workspace: production
not_applied:
  description:
    - When a write failed, the operations not applied, the failed one first (with the others sent
      in the same request), shaped like RV(applied).
  returned: when a write failed
  type: list
  elements: dict
  sample:
    - operation: grant
      accessor_type: user
      accessor: alice@example.com
      workspace: production
    - operation: revoke
      accessor_type: team
      accessor: contractors
      workspace: production
"""

from ansible_collections.prefect.cloud.plugins.module_utils._access import (
    ACCESSOR_TYPES, Member, WorkspaceGrants, check_members, next_batch,
)
from ansible_collections.prefect.cloud.plugins.module_utils._base import BatchModule
from ansible_collections.prefect.cloud.plugins.module_utils._views import grant_diff


class WorkspaceMembers(BatchModule):
    """Every accessor of one workspace: the grant planner with many members and the purge."""

    argument_spec = dict(
        workspace=dict(type="str", required=True),
        members=dict(type="list", elements="dict", default=[], options=dict(
            accessor_type=dict(type="str", choices=list(ACCESSOR_TYPES), default="service_account"),
            accessor=dict(type="str", required=True),
            workspace_role=dict(type="str", required=True, aliases=["role"]),
        )),
        purge=dict(type="bool", default=False),
        purge_types=dict(type="list", elements="str", choices=list(ACCESSOR_TYPES), default=list(ACCESSOR_TYPES)),
        allow_empty_purge=dict(type="bool", default=False),
    )
    module_name = "workspace_members"

    def validate(self):
        params = self.params
        check_members(params["members"])
        if params["purge"] and not params["members"] and not params["allow_empty_purge"]:
            raise ValueError("members is empty and purge is true, which would remove every grant of the workspace (of "
                             "purge_types); set allow_empty_purge: true if that is what you want")

    def converge(self):
        params = self.params
        members = [Member(m["accessor_type"], m["accessor"], m["workspace_role"], f"members[{index}].")
                   for index, m in enumerate(params["members"])]
        purge_types = params["purge_types"] if params["purge"] else ()
        grants = WorkspaceGrants(self, params["workspace"], members, purge_types)
        grants.read()
        me = self.api.me() if purge_types else None
        results = grants.plan(protected=[me.id] if me is not None and me.id is not None else [])
        operations = grants.operations()
        changes = [(before, after) for before, after in zip(grants.befores, results) if after is not before]
        self.result.update(members=results, removed=grants.removals)
        self.set_changed(bool(operations))
        if operations:
            workspace = grants.handle
            self.set_diff({"workspace": workspace, "members": [grant_diff(b) for b, _a in changes if b] +
                           [grant_diff(g) for g in grants.removals]},
                          {"workspace": workspace, "members": [grant_diff(a) for _b, a in changes]})
        else:
            self.set_diff(None, None)
        if not self.check_mode:
            self.write_all(operations, next_batch, grants.write)

    def on_partway(self, applied):
        """``removed`` lists only the removals that were applied."""
        self.result["removed"] = [op.data["grant"] for op in applied if op.kind == "revoke"]


def main():
    WorkspaceMembers.main()


if __name__ == "__main__":
    main()
