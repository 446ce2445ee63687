#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: workspace
short_description: Manage Prefect Cloud workspaces
description:
  - Create, change or delete a workspace of a Prefect Cloud account, found by its O(handle), or by
    O(id) to change its handle.
  - Give service accounts, users and teams access to it with
    P(prefect.cloud.workspace_access#module) or P(prefect.cloud.workspace_members#module).
  - The module reads first and only writes what differs.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  handle:
    description:
      - Handle of the workspace, unique in the account and part of its URLs. Required unless O(id)
        is given.
      - With O(id), the handle is changed to O(handle) when it differs. A handle that another
        workspace has is an error (in check mode too).
      - A handle that a workspace is created with or changed to must be lowercase letters, digits and
        dashes, such as V(data-prod) (the rule Prefect Cloud documents for account handles; its rule
        for workspace handles is UNCONFIRMED). A handle in the form of a UUID is always an error,
        because a UUID names a workspace by id everywhere in this collection.
    type: str
  id:
    description:
      - UUID of the workspace. Use it to change the handle of a workspace.
      - A workspace with this id that does not exist is an error for O(state=present), and no change
        for O(state=absent).
    type: str
  name:
    description:
      - Display name of the workspace.
      - When a workspace is created without it, its name is its handle (the API requires a name).
        When it is left out for an existing workspace, the name is not changed.
    type: str
  description:
    description:
      - Description of the workspace. When a workspace is created without it, the description is
        empty. When it is left out for an existing workspace, the description is not changed.
    type: str
  default_workspace_role:
    description:
      - Name or id of the workspace role that new members of the workspace get, such as V(Viewer)
        or a custom workspace role. Names are case sensitive; a name that is not a workspace role is
        an error that lists the valid names.
      - The API creates a workspace without a default role; the module sets it with a second
        request after the create.
      - When it is left out, the default role is not changed. The module cannot remove a default
        role (whether the API clears it on an explicit null is UNCONFIRMED).
    type: str
  state:
    description:
      - V(present) creates the workspace or makes it match the options that are given.
      - V(absent) deletes the workspace B(and everything in it) - its flows, deployments, runs,
        blocks, work pools and its access grants. This cannot be undone. A workspace that does not
        exist is no change. The options that describe the workspace (O(name), O(description),
        O(default_workspace_role)) are ignored then, so that a task can be flipped to V(absent) as it
        is.
      - Like C(prefect_workspace) of the Terraform provider, the module asks for no extra
        confirmation; run the task in check mode with C(--diff) first to see which workspace it
        deletes.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Requests per run without changes - one (the workspace by handle or id), plus one for the
    workspace roles when O(default_workspace_role) is given by name or differs, and one to check that
    no other workspace has a new handle. A create is one request, and one more to set
    O(default_workspace_role); a change or a delete is one.
  - Whether C(PATCH workspaces/{id}) keeps the fields it is not sent is UNCONFIRMED; the module
    sends the name, the handle, the description and the default role, unchanged ones with their
    current value, which gives the same result either way.
  - Creating a workspace needs the account permission C(create:workspace); changing it the
    workspace scope C(write_workspace_settings); deleting it C(manage_workspace_settings).
seealso:
  - module: prefect.cloud.workspace_info
  - module: prefect.cloud.workspace_access
  - module: prefect.cloud.workspace_members
  - name: Prefect Cloud workspaces
    description: How to manage workspaces.
    link: https://docs.prefect.io/v3/how-to-guides/cloud/workspaces
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed) and diff as a real run, and the predicted workspace
        (with C(id=null) and C(api_url=null) for a workspace that would be created).
      - In the controller, a workspace that an earlier check-mode task of the play would create or
        delete is seen as created or deleted by the later tasks that name it by handle (this module,
        P(prefect.cloud.workspace_access#module), P(prefect.cloud.workspace_members#module),
        P(prefect.cloud.service_account#module), P(prefect.cloud.service_accounts#module) and
        P(prefect.cloud.workspace_info#module)), which predict a grant in a workspace to be created
        without reading its grants. A handle that is neither real nor planned still fails.
  diff_mode:
    support: full
    details:
      - The diff shows the handle, the name, the description and the default role's id. A workspace
        that does not exist is C({}).
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: Manage workspaces
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: A workspace for the data platform, whose new members are viewers
      prefect.cloud.workspace:
        handle: data-prod
        name: Data platform (production)
        description: Production flows of the data platform
        default_workspace_role: Viewer

    - name: Give the CI service account access to it
      prefect.cloud.workspace_access:
        workspace: data-prod
        accessor_type: service_account
        accessor: ci-deployer
        workspace_role: Developer

    - name: Change the handle of a workspace
      prefect.cloud.workspace:
        id: 5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c
        handle: data-production

    - name: Delete a workspace and everything in it
      prefect.cloud.workspace:
        handle: old-sandbox
        state: absent
"""

RETURN = r"""
workspace:
  description:
    - The workspace after this run; in check mode, the predicted workspace. The same form as an
      entry of C(workspaces) of M(prefect.cloud.workspace_info).
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: UUID of the workspace; V(null) in check mode for a workspace that would be created.
      type: str
      sample: 5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c
    name:
      description: Display name of the workspace.
      type: str
      sample: Data platform (production)
    handle:
      description: Handle of the workspace.
      type: str
      sample: data-prod
    description:
      description: Description of the workspace.
      type: str
      sample: Production flows of the data platform
    account_id:
      description: UUID of the account.
      type: str
      sample: 6a1f7a3e-5b0c-4d2e-9f18-2c4b6d8e0a13
    default_workspace_role_id:
      description: UUID of the workspace role new members get, or V(null).
      type: str
      sample: 2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f
    api_url:
      description:
        - The workspace API URL a Prefect client uses (the value of C(PREFECT_API_URL)); V(null) in
          check mode for a workspace that would be created.
      type: str
      sample: https://api.prefect.cloud/api/accounts/6a1f7a3e-5b0c-4d2e-9f18-2c4b6d8e0a13/workspaces/5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c
"""

import re

from ansible_collections.prefect.cloud.plugins.module_utils._base import StateModule
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError
from ansible_collections.prefect.cloud.plugins.module_utils._lookup import Directory
from ansible_collections.prefect.cloud.plugins.module_utils._values import is_uuid, shown
from ansible_collections.prefect.cloud.plugins.module_utils._views import workspace_diff, workspace_view

HANDLE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
FIELDS = ("name", "handle", "description", "default_workspace_role_id")  # what WorkspaceUpdate changes


class Workspace(StateModule):
    directory = None  # per run: set by read()
    argument_spec = dict(
        handle=dict(type="str"),
        id=dict(type="str"),
        name=dict(type="str"),
        description=dict(type="str"),
        default_workspace_role=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(required_one_of=[("handle", "id")])
    uuid_options = {"id": "a workspace (use handle for a handle)"}
    present_only = ("name", "description", "default_workspace_role")
    result_key = plan_kind = "workspace"
    plan_key = "handle"
    plan_fields = ("name", "handle", "description", "account_id", "default_workspace_role_id")
    diff_view = staticmethod(workspace_diff)

    def validate(self):
        handle = self.params["handle"]
        if handle is not None and is_uuid(handle):
            raise ValueError(f"handle must be a workspace handle such as 'data-prod', got the UUID {handle!r}; "
                             "use id to name a workspace by its id")
        if handle is not None and self.params["state"] == "present" and not HANDLE.match(handle):
            raise ValueError(f"handle must be lowercase letters, digits and single dashes between them, such as "
                             f"'data-prod', got {shown(handle)}")

    def read(self):
        params = self.params
        self.directory = Directory(self)  # with the workspaces that earlier check-mode tasks planned
        found = self.directory.find_workspace(params["id"] or params["handle"])
        if found is None and params["id"] is not None and params["state"] == "present":
            raise PrefectError(f"id: no workspace with id {params['id']!r} in this account, or the API key has no "
                               "access to it")
        return workspace_view(found, params["api_url"]) if found is not None else None

    def plan(self, before):
        params = self.params
        handle = params["handle"] or before["handle"]
        if before is not None and handle != before["handle"]:
            other = self.directory.find_workspace(handle)
            if other is not None:
                raise PrefectError(f"handle: another workspace has the handle {handle!r} (id {other.id}); choose "
                                   "another handle")
        role = params["default_workspace_role"]
        if role is not None and not (before and before["default_workspace_role_id"] == role):
            role = self.directory.workspace_roles().resolve(role, "default_workspace_role").id
            if role is None:  # a custom role that an earlier check-mode task plans: its id is not known yet
                self.set_changed()
                self.warn(f"default_workspace_role {params['default_workspace_role']!r} is a workspace role that an "
                          "earlier check-mode task would create; the predicted workspace cannot show its id yet")
        after = dict(before or {"id": None, "name": handle, "description": "", "account_id": params["account_id"],
                                "default_workspace_role_id": None, "api_url": None}, handle=handle)
        wanted = {"name": params["name"], "description": params["description"], "default_workspace_role_id": role}
        after.update((key, value) for key, value in wanted.items() if value is not None)
        return before if after == before else after

    def apply(self, before, after):
        api = self.api
        if after is None:
            api.delete_workspace(before["id"])
            return None
        if before is None:
            before = workspace_view(api.create_workspace(after["name"], after["handle"], after["description"]),
                                    self.params["api_url"])
            after = dict(after, id=before["id"], api_url=before["api_url"])
        if any(after[key] != before[key] for key in FIELDS):
            api.update_workspace(before["id"], *(after[key] for key in FIELDS))
        return after


def main():
    Workspace.main()


if __name__ == "__main__":
    main()
