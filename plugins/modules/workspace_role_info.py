#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: workspace_role_info
short_description: List Prefect Cloud workspace roles
description:
  - List the workspace roles of a Prefect Cloud account (the built-in V(Owner), V(Developer),
    V(Runner), V(Viewer) and V(Worker) roles, and the account's custom roles), or look up one by
    name.
  - The role names and ids are the values that P(prefect.cloud.workspace_access#module) accepts in
    its C(workspace_role) option.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  name:
    description:
      - Return only the workspace roles with this exact (case sensitive) name.
      - Without O(name), all workspace roles are returned.
    type: str
notes:
  - One request, the role list (also with O(name); the list names the inherited roles).
  - Each role has the form that P(prefect.cloud.workspace_role#module) returns.
  - In check mode in the controller, the list holds the roles that earlier check-mode tasks of the
    play would create (with C(id=null)), and not those they would delete.
seealso:
  - module: prefect.cloud.workspace_access
  - module: prefect.cloud.account_role_info
  - name: Prefect Cloud roles
    description: The built-in account and workspace roles, and custom roles.
    link: https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/manage-roles
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
  - prefect.cloud.attributes.INFO_MODULE
"""

EXAMPLES = r"""
- name: Read workspace roles
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: List all workspace roles
      prefect.cloud.workspace_role_info:
      register: workspace_roles

    - name: Show the names of the custom roles
      ansible.builtin.debug:
        msg: "{{ workspace_roles.workspace_roles | rejectattr('account_id', 'none') | map(attribute='name') | list }}"

    - name: Read the scopes of the Worker role
      prefect.cloud.workspace_role_info:
        name: Worker
      register: worker
"""

RETURN = r"""
workspace_roles:
  description:
    - The matching workspace roles; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the role.
      type: str
      sample: 2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f
    name:
      description: Name of the role.
      type: str
      sample: Developer
    account_id:
      description: UUID of the account for a custom role; V(null) for a built-in role.
      type: str
      sample: null
    description:
      description: Description of the role (empty when it has none).
      type: str
      sample: Create and manage workspace objects.
    scopes:
      description: The workspace scopes of the role, sorted.
      type: list
      elements: str
      sample: [see_flows, run_flows]
    inherited_role_id:
      description: UUID of the built-in role a custom role inherits from, or V(null).
      type: str
      sample: null
    inherited_role_name:
      description: Name of the built-in role a custom role inherits from, or V(null).
      type: str
      sample: null
"""

from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule
from ansible_collections.prefect.cloud.plugins.module_utils._lookup import Directory
from ansible_collections.prefect.cloud.plugins.module_utils._views import workspace_role_view


class WorkspaceRoleInfo(PrefectModule):
    argument_spec = dict(name=dict(type="str"))

    def converge(self):
        name = self.params["name"]
        # The whole list (one request either way) names the inherited roles, and holds the roles
        # that earlier check-mode tasks of the play would create.
        roles = Directory(self).workspace_roles()
        self.result["workspace_roles"] = [workspace_role_view(role, roles) for role in roles.roles
                                          if name in (None, role.name)]


def main():
    WorkspaceRoleInfo.main()


if __name__ == "__main__":
    main()
