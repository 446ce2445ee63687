#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: workspace_access_info
short_description: List the workspace access grants of Prefect Cloud service accounts, users and teams
description:
  - With O(workspace), list who has access to that workspace (service accounts, users and teams)
    and with which workspace role.
  - With O(accessor) and no O(workspace), list the workspaces one service account, user or team has
    access to, and its role in each.
  - With both, return the one grant of that accessor in that workspace, if any.
  - Only direct grants are listed. Access that a user or service account has through a team is
    listed under the team.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  workspace:
    description:
      - Handle or UUID of the workspace to list the grants of. A UUID is treated as a workspace id.
      - A workspace that does not exist is an error.
      - One of O(workspace) and O(accessor) is required.
    type: str
  accessor_type:
    description:
      - The kind of accessor that O(accessor) names; V(service_account) if O(accessor) is set and
        this option is not.
      - With O(workspace) and without O(accessor), list only the grants of this kind of accessor.
    type: str
    choices: [service_account, user, team]
  accessor:
    description:
      - The service account (name or id), user (e-mail, handle or id) or team (name or id) to list
        the grants of. A UUID is always treated as an id.
      - An accessor that does not exist, or a team name shared by several teams, is an error.
    type: str
notes:
  - Without O(workspace), the module reads the grants of every workspace of the account, one
    request per workspace. Workspaces the API key cannot see are skipped.
seealso:
  - module: prefect.cloud.workspace_access
  - module: prefect.cloud.workspace_info
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
  - prefect.cloud.attributes.INFO_MODULE
"""

EXAMPLES = r"""
- name: Read workspace access
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: Who has access to the production workspace
      prefect.cloud.workspace_access_info:
        workspace: production
      register: production_access

    - name: Show the service accounts with the Owner role there
      ansible.builtin.debug:
        msg: >-
          {{ production_access.workspace_accesses
             | selectattr('accessor_type', 'eq', 'service_account')
             | selectattr('workspace_role_name', 'eq', 'Owner')
             | map(attribute='accessor_name') | list }}

    - name: Only the teams of a workspace
      prefect.cloud.workspace_access_info:
        workspace: production
        accessor_type: team

    - name: The workspaces a service account can use
      prefect.cloud.workspace_access_info:
        accessor: ci-deployer
      register: ci_access

    - name: The workspaces of a user
      prefect.cloud.workspace_access_info:
        accessor_type: user
        accessor: alice@example.com
"""

RETURN = r"""
workspace_accesses:
  description:
    - The matching grants; an empty list when there is none. With O(workspace), service accounts
      come first, then users, then teams.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the grant.
      type: str
      sample: 7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a
    workspace_id:
      description: UUID of the workspace.
      type: str
      sample: 5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c
    workspace_handle:
      description: Handle of the workspace.
      type: str
      sample: production
    accessor_type:
      description: The kind of accessor, V(service_account), V(user) or V(team).
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

from ansible_collections.prefect.cloud.plugins.module_utils._access import ACCESSOR_TYPES, KINDS
from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectNotFound
from ansible_collections.prefect.cloud.plugins.module_utils._lookup import Directory
from ansible_collections.prefect.cloud.plugins.module_utils._views import grant_view


class WorkspaceAccessInfo(PrefectModule):
    argument_spec = dict(
        workspace=dict(type="str"),
        accessor_type=dict(type="str", choices=list(ACCESSOR_TYPES)),
        accessor=dict(type="str"),
    )
    module_kwargs = dict(required_one_of=[("workspace", "accessor")])

    def converge(self):
        params, directory = self.params, Directory(self)
        kinds = [KINDS[params["accessor_type"]]] if params["accessor_type"] else list(KINDS.values())
        accessor = None
        if params["accessor"] is not None:
            kinds = [KINDS[params["accessor_type"] or "service_account"]]
            found = directory.accessor(kinds[0].name, params["accessor"], "accessor", kinds[0].expects)
            accessor = kinds[0].accessor(found)
        if params["workspace"] is not None:
            workspaces = [directory.workspace(params["workspace"])]
        else:
            workspaces = directory.workspaces()
        roles = directory.workspace_roles()
        grants = []
        for workspace in workspaces:
            if accessor is not None:
                if accessor[1] is None:  # planned by an earlier check-mode task: no grant yet
                    continue
                try:
                    access = directory.find_grant(workspace.id, kinds[0], accessor[1])
                except PrefectNotFound:  # a workspace the API key cannot see
                    continue
                pairs = [(kinds[0], access)] if access is not None else []
            else:
                pairs = [(kind, access) for kind in kinds for access in directory.grants(workspace.id, kind)]
            for kind, access in pairs:
                who = kind.accessor(access)
                if who[2] is None and accessor is not None:
                    who = accessor
                grants.append(grant_view(access.id, workspace.id, workspace.handle, who, access.workspace_role_id,
                                         roles.name_of(access.workspace_role_id)))
        self.result["workspace_accesses"] = grants


def main():
    WorkspaceAccessInfo.main()


if __name__ == "__main__":
    main()
