#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: service_account_info
short_description: List Prefect Cloud service accounts
description:
  - Look up one Prefect Cloud service account by name or id, or list all service accounts of the
    account.
  - Returns the metadata of each account's active API key, never a key.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  name:
    description:
      - Return only the service account with this exact name.
      - Mutually exclusive with O(id). Without O(name) and O(id), all service accounts are returned.
    type: str
  id:
    description:
      - Return only the service account with this UUID.
      - Mutually exclusive with O(name).
    type: str
seealso:
  - module: prefect.cloud.service_account
  - name: Prefect Cloud service accounts
    description: How service accounts work in Prefect Cloud.
    link: https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/service-accounts
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
  - prefect.cloud.attributes.INFO_MODULE
"""

EXAMPLES = r"""
- name: Read service accounts
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: Look up one service account by name
      prefect.cloud.service_account_info:
        name: ci-deployer
      register: found

    - name: Show the id of its active key (it changes with every rotation)
      ansible.builtin.debug:
        msg: "{{ found.service_accounts[0].api_key.id }}"
      when: found.service_accounts | length == 1

    - name: List all service accounts
      prefect.cloud.service_account_info:
      register: all_accounts

    - name: Show their names
      ansible.builtin.debug:
        msg: "{{ all_accounts.service_accounts | map(attribute='name') | list }}"
"""

RETURN = r"""
service_accounts:
  description:
    - The matching service accounts; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the service account.
      type: str
      sample: 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11
    actor_id:
      description: UUID of the actor of the service account.
      type: str
      sample: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
    name:
      description: Name of the service account.
      type: str
      sample: ci-deployer
    account_role:
      description: Name of the account role.
      type: str
      sample: Member
    created:
      description: When the service account was created (RFC 3339).
      type: str
      sample: "2026-01-15T10:00:00Z"
    updated:
      description: When the service account was last updated (RFC 3339).
      type: str
      sample: "2026-01-15T10:00:00Z"
    api_key:
      description: Metadata of the active API key. Never the key itself.
      type: dict
      contains:
        id:
          description: UUID of the active key. It changes with every rotation.
          type: str
          sample: 3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9
        name:
          description: Name of the key.
          type: str
          sample: ci-deployer-key
        created:
          description: When the key was issued (RFC 3339).
          type: str
          sample: "2026-01-15T10:00:00Z"
        expiration:
          description: When the key expires (RFC 3339), or V(null) if it never expires.
          type: str
          sample: "2030-01-31T00:00:00Z"
        masked_key:
          description: The key's prefix and last four characters, to recognise it.
          type: str
          sample: pnb_...x7Qa
"""

from ansible_collections.prefect.cloud.plugins.module_utils._accounts import account_result
from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule


class ServiceAccountInfo(PrefectModule):
    argument_spec = dict(name=dict(type="str"), id=dict(type="str"))
    module_kwargs = dict(mutually_exclusive=[("name", "id")])
    uuid_options = {"id": "a service account"}

    def converge(self):
        name, bot_id = self.params["name"], self.params["id"]
        if bot_id is not None:
            bots = [bot for bot in [self.api.bot(bot_id)] if bot is not None]
        elif name is not None:
            bots = [bot for bot in self.api.bots(names=[name]) if bot.name == name]
        else:
            bots = self.api.bots()
        self.result["service_accounts"] = [account_result(bot) for bot in bots]


def main():
    ServiceAccountInfo.main()


if __name__ == "__main__":
    main()
