#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: account_role_info
short_description: List Prefect Cloud account roles
description:
  - List the account roles of a Prefect Cloud account (the built-in V(Owner), V(Admin) and
    V(Member) roles, and any custom roles), or look up one by name.
  - The role names are the values that P(prefect.cloud.service_account#module) accepts in its
    C(account_role) option.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  name:
    description:
      - Return only the account role with this exact (case sensitive) name.
      - Without O(name), all account roles are returned.
    type: str
seealso:
  - module: prefect.cloud.service_account
  - module: prefect.cloud.workspace_role_info
  - name: Prefect Cloud roles
    description: The built-in account and workspace roles.
    link: https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/manage-roles
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
  - prefect.cloud.attributes.INFO_MODULE
"""

EXAMPLES = r"""
- name: Read account roles
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: List all account roles
      prefect.cloud.account_role_info:
      register: account_roles

    - name: Show their names
      ansible.builtin.debug:
        msg: "{{ account_roles.account_roles | map(attribute='name') | list }}"

    - name: Read the permissions of the Member role
      prefect.cloud.account_role_info:
        name: Member
      register: member
"""

RETURN = r"""
account_roles:
  description:
    - The matching account roles; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the role.
      type: str
      sample: 8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b
    name:
      description: Name of the role.
      type: str
      sample: Member
    account_id:
      description: UUID of the account for a custom role; V(null) for a built-in role.
      type: str
      sample: null
    is_system_role:
      description: Whether the role is built in.
      type: bool
      sample: true
    permissions:
      description: The account permissions of the role.
      type: list
      elements: str
      sample: [read:account, read:workspace]
"""

from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule
from ansible_collections.prefect.cloud.plugins.module_utils._views import account_role_view


class AccountRoleInfo(PrefectModule):
    argument_spec = dict(name=dict(type="str"))

    def converge(self):
        name = self.params["name"]
        roles = self.api.account_roles(names=[name] if name is not None else None)
        self.result["account_roles"] = [account_role_view(role) for role in roles if name in (None, role.name)]


def main():
    AccountRoleInfo.main()


if __name__ == "__main__":
    main()
