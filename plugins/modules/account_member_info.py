#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: account_member_info
short_description: List the users of a Prefect Cloud account with their account roles
description:
  - List the users who are members of a Prefect Cloud account, with their account roles, or look up
    one user by e-mail address, handle or id.
  - Service accounts are not listed; see P(prefect.cloud.service_account_info#module).
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  user:
    description:
      - Return only this user, by e-mail address (compared case-insensitively), handle or user id.
    type: str
  account_role:
    description:
      - Return only the members with this account role name (case sensitive), such as V(Admin).
    type: str
    aliases: [role]
notes:
  - One request (more for an account with more than 200 users, which are read 200 at a time).
seealso:
  - module: prefect.cloud.account_member
  - module: prefect.cloud.account_role_info
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
  - prefect.cloud.attributes.INFO_MODULE
"""

EXAMPLES = r"""
- name: Read account members
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: List the account's Admins
      prefect.cloud.account_member_info:
        account_role: Admin
      register: admins

    - name: Their e-mail addresses
      ansible.builtin.debug:
        msg: "{{ admins.account_members | map(attribute='email') | list }}"

    - name: Look up one user
      prefect.cloud.account_member_info:
        user: alice@example.com
      register: alice
"""

RETURN = r"""
account_members:
  description:
    - The matching users, sorted by e-mail address; an empty list when none matches.
  returned: always
  type: list
  elements: dict
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
      sample: Member
    active:
      description: Whether the membership is active.
      type: bool
      sample: true
    last_login:
      description: When the user last logged in, or V(null).
      type: str
      sample: null
"""

from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule
from ansible_collections.prefect.cloud.plugins.module_utils._lookup import Directory
from ansible_collections.prefect.cloud.plugins.module_utils._views import account_member_view, sort_account_members


class AccountMemberInfo(PrefectModule):
    argument_spec = dict(user=dict(type="str"), account_role=dict(type="str", aliases=["role"]))

    def converge(self):
        user, role = self.params["user"], self.params["account_role"]
        directory = Directory(self)
        if user is not None:
            members = [member for member in [directory.find_accessor("user", user)] if member is not None]
        else:
            members = directory.everyone("user")
        views = [account_member_view(member) for member in members if role in (None, member.account_role_name)]
        self.result["account_members"] = sort_account_members(views)


def main():
    AccountMemberInfo.main()


if __name__ == "__main__":
    main()
