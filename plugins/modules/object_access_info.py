#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: object_access_info
short_description: Read the access control lists of Prefect Cloud deployments, block documents and work pools
description:
  - Read who may manage, run or view a deployment, block document or work pool (the object-level
    access control list that M(prefect.cloud.deployment_access), M(prefect.cloud.block_access) and
    M(prefect.cloud.work_pool_access) set).
  - With O(object), the ACL of that one object; without it, the ACLs of every object of
    O(object_type) in the workspace (one request per object).
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  workspace:
    description:
      - Handle or UUID of the workspace. A UUID is treated as a workspace id.
    type: str
    required: true
  object_type:
    description:
      - The kind of object. Block documents have no C(run) level.
    type: str
    required: true
    choices: [deployment, block, work_pool]
  object:
    description:
      - The object - a deployment as C(flow_name/deployment_name) or id, a block document as
        C(block_type_slug/block_name) or id, a work pool by name.
      - An object that does not exist is an error.
    type: str
seealso:
  - module: prefect.cloud.deployment_access
  - module: prefect.cloud.block_access
  - module: prefect.cloud.work_pool_access
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
  - prefect.cloud.attributes.INFO_MODULE
"""

EXAMPLES = r"""
- name: Read object access
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: Who may run the nightly ETL deployment
      prefect.cloud.object_access_info:
        workspace: production
        object_type: deployment
        object: etl/nightly
      register: nightly

    - name: Show the runners
      ansible.builtin.debug:
        msg: "{{ nightly.objects[0].run | map(attribute='name') }}"

    - name: The ACLs of every work pool
      prefect.cloud.object_access_info:
        workspace: production
        object_type: work_pool
"""

RETURN = r"""
objects:
  description:
    - The objects with their ACLs. Each level (C(manage), C(run) except for block documents, C(view))
      is a list of actors - C(type) (V(service_account), V(user), V(team) or V(everyone)), C(id) (the
      actor id of a service account or user, the team id, or V(*)) and C(name) (the name, the user's
      e-mail address, or V(null) for everyone), sorted.
  returned: always
  type: list
  elements: dict
  contains:
    object_type:
      description: The kind of object, as O(object_type).
      type: str
      sample: deployment
    object:
      description:
        - The object as O(object) named it. When listed, a work pool's name, a block document's
          C(block_type_slug/block_name), and a deployment's id.
      type: str
      sample: etl/nightly
    manage:
      description: The actors at the manage level.
      type: list
      elements: dict
      sample: [{"type": "everyone", "id": "*", "name": null}]
    run:
      description: The actors at the run level (not for block documents).
      type: list
      elements: dict
      sample: [{"type": "team", "id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "name": "platform"}]
    view:
      description: The actors at the view level.
      type: list
      elements: dict
      sample: [{"type": "user", "id": "6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f", "name": "alice@example.com"}]
"""

from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule
from ansible_collections.prefect.cloud.plugins.module_utils._objects import TYPES, ObjectAcls, acl_view


class ObjectAccessInfo(PrefectModule):
    argument_spec = dict(
        workspace=dict(type="str", required=True),
        object_type=dict(type="str", required=True, choices=list(TYPES)),
        object=dict(type="str"),
    )

    def converge(self):
        params, kind = self.params, self.params["object_type"]
        acls = ObjectAcls(self, params["workspace"])
        refs = acls.refs(kind) if params["object"] is None else [acls.find(kind, params["object"], "object")]
        views = [acl_view(ref, acl) for ref, acl in ((ref, ref and acls.read(ref)) for ref in refs) if acl is not None]
        if params["object"] is not None and not views:
            self.fail(f"object: no {TYPES[kind].label} {params['object']!r} in workspace {params['workspace']!r} "
                      f"(object_type={kind} expects {TYPES[kind].form})")
        self.result["objects"] = views


def main():
    ObjectAccessInfo.main()


if __name__ == "__main__":
    main()
