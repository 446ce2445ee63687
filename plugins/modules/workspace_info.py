#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: workspace_info
short_description: List Prefect Cloud workspaces
description:
  - List the workspaces of a Prefect Cloud account, or look up one by handle or id, for example to
    turn a workspace handle into its id.
  - Each workspace also carries the workspace API URL that Prefect clients use
    (C(PREFECT_API_URL)).
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  handle:
    description:
      - Return only the workspace with this handle.
      - Mutually exclusive with O(id). Without O(handle) and O(id), all workspaces are returned.
    type: str
  id:
    description:
      - Return only the workspace with this UUID.
      - Mutually exclusive with O(handle).
    type: str
notes:
  - In check mode in the controller, the list holds the workspaces that earlier check-mode tasks of
    the play would create with P(prefect.cloud.workspace#module) (with C(id=null) and
    C(api_url=null)), and not those they would delete.
seealso:
  - module: prefect.cloud.workspace
  - module: prefect.cloud.workspace_access
  - module: prefect.cloud.workspace_access_info
  - name: Prefect Cloud workspaces
    description: How workspaces work in Prefect Cloud.
    link: https://docs.prefect.io/v3/how-to-guides/cloud/workspaces
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
  - prefect.cloud.attributes.INFO_MODULE
"""

EXAMPLES = r"""
- name: Read workspaces
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: Look up a workspace by its handle
      prefect.cloud.workspace_info:
        handle: production
      register: production

    - name: Fail unless it exists
      ansible.builtin.assert:
        that: production.workspaces | length == 1
        fail_msg: There is no workspace with the handle production.

    - name: Write the Prefect client settings for it
      ansible.builtin.copy:
        content: |
          PREFECT_API_URL={{ production.workspaces[0].api_url }}
        dest: /etc/prefect/workspace.env
        mode: "0644"

    - name: List all workspaces
      prefect.cloud.workspace_info:
      register: all_workspaces

    - name: Show their handles
      ansible.builtin.debug:
        msg: "{{ all_workspaces.workspaces | map(attribute='handle') | list }}"
"""

RETURN = r"""
workspaces:
  description:
    - The matching workspaces; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the workspace.
      type: str
      sample: 5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c
    name:
      description: Display name of the workspace.
      type: str
      sample: Production
    handle:
      description: Handle of the workspace (unique in the account, used in URLs).
      type: str
      sample: production
    description:
      description: Description of the workspace.
      type: str
      sample: Production flows
    account_id:
      description: UUID of the account.
      type: str
      sample: 3e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c4b
    default_workspace_role_id:
      description: UUID of the workspace role new members get, or V(null).
      type: str
      sample: 2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f
    api_url:
      description:
        - The workspace API URL a Prefect client uses (the value of C(PREFECT_API_URL)),
          C({api_url}/accounts/{account_id}/workspaces/{id}), built from O(api_url); V(null) for a
          workspace that an earlier check-mode task would create.
      type: str
      sample: https://api.prefect.cloud/api/accounts/3e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c4b/workspaces/5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c
"""

from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule
from ansible_collections.prefect.cloud.plugins.module_utils._lookup import Directory
from ansible_collections.prefect.cloud.plugins.module_utils._views import workspace_view


class WorkspaceInfo(PrefectModule):
    argument_spec = dict(handle=dict(type="str"), id=dict(type="str"))
    module_kwargs = dict(mutually_exclusive=[("handle", "id")])
    uuid_options = {"id": "a workspace (use handle for a handle)"}

    def converge(self):
        value, directory = self.params["id"] or self.params["handle"], Directory(self)  # with the planned ones
        if value is not None:
            workspaces = [ws for ws in [directory.find_workspace(value)] if ws is not None]
        else:
            workspaces = directory.workspaces()
        self.result["workspaces"] = [workspace_view(ws, self.params["api_url"]) for ws in workspaces]


def main():
    WorkspaceInfo.main()


if __name__ == "__main__":
    main()
