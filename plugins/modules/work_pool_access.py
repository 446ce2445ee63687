#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: work_pool_access
short_description: Set who may manage, use or view a Prefect Cloud work pool
description:
  - Set the object-level access control list (ACL) of one work pool - which service accounts, users
    and teams (the actors) may manage, run or view it.
    This is what the Terraform provider's C(prefect_work_pool_access) resource manages.
  - Each level (O(manage), O(run), O(view)) holds actors, teams and, for everyone with access to the workspace, C(*)
    (O(manage.everyone=true)). A level the task names is set to exactly the actors listed, or with
    O(append=true) they are added to it; a level the task does not name is left as it is.
  - The module reads the ACL first and only writes (one C(PUT) of the whole ACL) when it differs.
  - Every object, actor and team is looked up before the write; one that does not exist fails the
    task with one line naming the option, before anything is written.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  work_pool:
    description:
      - The name of the work pool.
    type: str
    required: true
notes:
  - The API key needs the workspace scope C(see_work_pools) to read the ACL and C(manage_work_pools) to change it
    (the OpenAPI document of Prefect Cloud).
  - Requests per run without changes - the workspace lookup,
    the ACL read, and one lookup per actor
    that is not on the ACL already. A change adds one C(PUT).
seealso:
  - module: prefect.cloud.object_access_info
  - module: prefect.cloud.workspace_access
  - name: Terraform resource prefect_work_pool_access
    description: The Terraform provider's resource for the same ACL.
    link: https://registry.terraform.io/providers/PrefectHQ/prefect/latest/docs/resources/work_pool_access
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.object_access
  - prefect.cloud.object_access.RUN
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed) and diff as a real run, and the predicted ACL.
  diff_mode:
    support: full
    details:
      - The diff shows each level as a sorted list of C(service_account:<name>), C(user:<e-mail>),
        C(team:<name>) and C(everyone).
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: Manage the access to a work pool
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: Only the CI service account and the owners may manage it; everyone may see it
      prefect.cloud.work_pool_access:
        workspace: production
        work_pool: k8s-prod
        manage:
          service_accounts: [ci-deployer]
          users: [owner@example.com]
        run:
          teams: [platform]
        view:
          everyone: true

    - name: Add a user to the viewers, removing nobody
      prefect.cloud.work_pool_access:
        workspace: production
        work_pool: k8s-prod
        view:
          users: [alice@example.com]
        append: true

    - name: Reset the access control list to everyone at every level
      prefect.cloud.work_pool_access:
        workspace: production
        work_pool: k8s-prod
        state: absent
"""

RETURN = r"""
object_access:
  description:
    - The ACL of the work pool after this run (in check mode, the predicted one). Each level is a
      list of actors - C(type) (V(service_account), V(user), V(team) or V(everyone)), C(id) (the
      actor id of a service account or user, the team id, or V(*)) and C(name) (the name, the user's
      e-mail address, or V(null) for everyone).
  returned: when the work pool exists
  type: dict
  contains:
    object_type:
      description: V(work_pool).
      type: str
      sample: work_pool
    object:
      description: The work pool as the task named it.
      type: str
      sample: k8s-prod
    manage:
      description: The actors at the manage level, sorted.
      type: list
      elements: dict
      sample: [{"type": "service_account", "id": "6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f", "name": "ci"}]
    run:
      description: The actors at the run level, sorted.
      type: list
      elements: dict
      sample: [{"type": "service_account", "id": "6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f", "name": "ci"}]
    view:
      description: The actors at the view level, sorted.
      type: list
      elements: dict
      sample: [{"type": "service_account", "id": "6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f", "name": "ci"}]
"""

from ansible_collections.prefect.cloud.plugins.module_utils._objects import ObjectAccessModule


class WorkPoolAccess(ObjectAccessModule):
    type_name = "work_pool"


def main():
    WorkPoolAccess.main()


if __name__ == "__main__":
    main()
