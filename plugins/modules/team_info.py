#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: team_info
short_description: List Prefect Cloud teams with their members and workspaces
description:
  - List the teams of a Prefect Cloud account, or look up one by name or id, with the members of
    each team and the workspaces it has access to.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  name:
    description:
      - Return only the teams with this exact (case sensitive) name.
    type: str
  id:
    description:
      - Return only the team with this UUID.
    type: str
notes:
  - One request (more for an account with more than 200 teams, which are read 200 at a time).
  - Teams are a Prefect Cloud Enterprise feature.
seealso:
  - module: prefect.cloud.team
  - module: prefect.cloud.workspace_access_info
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
  - prefect.cloud.attributes.INFO_MODULE
"""

EXAMPLES = r"""
- name: Read teams
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: List all teams
      prefect.cloud.team_info:
      register: teams

    - name: Show the members of the team data-platform
      prefect.cloud.team_info:
        name: data-platform
      register: platform

    - name: Their e-mail addresses
      ansible.builtin.debug:
        msg: "{{ platform.teams[0].members | selectattr('type', 'eq', 'user') | map(attribute='email') | list }}"
"""

RETURN = r"""
teams:
  description:
    - The matching teams, sorted by name; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the team.
      type: str
      sample: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
    name:
      description: Name of the team.
      type: str
      sample: data-platform
    description:
      description: Description of the team.
      type: str
      sample: Owns the data platform workspaces
    members:
      description: The members, sorted by type and e-mail address or name.
      type: list
      elements: dict
      contains:
        actor_id:
          description: Actor id of the user or service account.
          type: str
          sample: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
        type:
          description: V(user) or V(service_account).
          type: str
          sample: service_account
        name:
          description: Name of the member as the API gives it.
          type: str
          sample: ci-deployer
        email:
          description: E-mail address of a user; V(null) for a service account.
          type: str
          sample: null
    workspaces:
      description: The workspaces the team has access to.
      type: list
      elements: dict
      contains:
        workspace_id:
          description: UUID of the workspace.
          type: str
          sample: 5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c
        workspace_handle:
          description: Handle of the workspace.
          type: str
          sample: production
        workspace_role_id:
          description: UUID of the team's workspace role there.
          type: str
          sample: 2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f
        workspace_role_name:
          description: Name of that role.
          type: str
          sample: Developer
"""

from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule
from ansible_collections.prefect.cloud.plugins.module_utils._views import team_detail_view


class TeamInfo(PrefectModule):
    argument_spec = dict(name=dict(type="str"), id=dict(type="str"))
    module_kwargs = dict(mutually_exclusive=[("name", "id")])
    uuid_options = {"id": "a team"}

    def converge(self):
        name, team_id = self.params["name"], self.params["id"]
        teams = self.api.teams(names=[name] if name is not None else None,
                                      ids=[team_id] if team_id is not None else None)
        teams = [team for team in teams if name in (None, team.name) and team_id in (None, team.id.lower())]
        self.result["teams"] = sorted((team_detail_view(team) for team in teams), key=lambda t: (t["name"], t["id"]))


def main():
    TeamInfo.main()


if __name__ == "__main__":
    main()
