#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: team
short_description: Manage Prefect Cloud teams and their members
description:
  - Create, rename or delete a team of a Prefect Cloud account, and add or remove its members
    (users and service accounts).
  - A team is found by O(name), or by O(id) to rename it. Give a team access to a workspace with
    P(prefect.cloud.workspace_access#module) and O(prefect.cloud.workspace_access#module:accessor_type=team).
  - Members listed in O(users) and O(service_accounts) are added. Other members stay unless
    O(purge_members=true), which makes the two lists the exact member set.
  - The module reads first and only writes what differs.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  name:
    description:
      - Name of the team (case sensitive). Required unless O(id) is given.
      - With O(id), the team is renamed to O(name) when its name differs. A name that another team
        has is an error (in check mode too).
      - A name shared by several teams is an error; use O(id) then.
    type: str
  id:
    description:
      - UUID of the team. Use it to rename a team, or to address a team whose name is not unique.
      - A team with this id that does not exist is an error for O(state=present), and no change for
        O(state=absent).
    type: str
  description:
    description:
      - Description of the team. When a team is created without it, the description is empty.
        When it is left out for an existing team, the description is not changed.
    type: str
  users:
    description:
      - Users that are members of the team, each by e-mail address (compared case-insensitively),
        handle or user id. They must be members of the account (see
        P(prefect.cloud.account_member#module)).
    type: list
    elements: str
  service_accounts:
    description:
      - Service accounts that are members of the team, each by name or id.
    type: list
    elements: str
  purge_members:
    description:
      - V(true) removes every member that is not in O(users) or O(service_accounts); an option that
        is left out counts as an empty list, so O(purge_members=true) alone removes all members.
      - V(false) only adds the listed members.
      - The name follows C(purge_users) of M(community.general.gitlab_group_members) and the
        C(purge_*) options of other collections.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the team or makes it match the options.
      - V(absent) deletes the team with its workspace access. A team that does not exist is no
        change. The options that describe the team (O(description), O(users), O(service_accounts),
        O(purge_members)) are ignored then, so that a task can be flipped to V(absent) as it is.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Requests per run without changes - one for the team (with its members and workspaces), plus one
    for the service account list when O(service_accounts) is given and one for the user list when
    O(users) is given (each list is read once, then compared locally). A rename reads the team list
    by the new name once. Each change is one write; member changes are one C(PUT) for all added
    members and one C(DELETE) per removed member.
  - Whether C(PUT teams/{id}/members) adds to or replaces the member set is UNCONFIRMED; the module
    sends the whole member set it wants, which gives the same result either way. Whether
    C(PUT teams/{id}) keeps fields it is not sent is UNCONFIRMED too; the module sends every field.
  - Teams are a Prefect Cloud Enterprise feature.
seealso:
  - module: prefect.cloud.team_info
  - module: prefect.cloud.workspace_access
  - module: prefect.cloud.account_member
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed) and diff as a real run, and the predicted team
        (with C(id=null) for a team that would be created).
  diff_mode:
    support: full
    details:
      - The diff shows the name, the description and the members (sorted, as
        C(user:<e-mail>) and C(service_account:<name>)). A team that does not exist is C({}).
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: Manage teams
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: A team with exactly these members
      prefect.cloud.team:
        name: data-platform
        description: Owns the data platform workspaces
        users:
          - alice@example.com
          - bob
        service_accounts:
          - ci-deployer
        purge_members: true

    - name: Add one user and keep the other members
      prefect.cloud.team:
        name: data-platform
        users: [carol@example.com]

    - name: Rename a team by id
      prefect.cloud.team:
        id: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
        name: data-platform-eu

    - name: Delete a team
      prefect.cloud.team:
        name: old-team
        state: absent
"""

RETURN = r"""
team:
  description:
    - The team after this run; in check mode, the predicted team.
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: UUID of the team; V(null) in check mode for a team that would be created.
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
          description: Actor id of the user or service account (what the API names members by).
          type: str
          sample: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
        type:
          description: V(user) or V(service_account).
          type: str
          sample: user
        name:
          description: Name of the service account, or first and last name of the user.
          type: str
          sample: Alice Anders
        email:
          description: E-mail address of a user; V(null) for a service account.
          type: str
          sample: alice@example.com
    workspaces:
      description: The workspaces the team has access to, with the role (manage them with
        M(prefect.cloud.workspace_access)).
      type: list
      elements: dict
      sample: [{workspace_id: 5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c, workspace_handle: production,
                workspace_role_id: 2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f, workspace_role_name: Developer}]
"""

from ansible_collections.prefect.cloud.plugins.module_utils._base import StateModule
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError
from ansible_collections.prefect.cloud.plugins.module_utils._lookup import Directory
from ansible_collections.prefect.cloud.plugins.module_utils._values import check_names
from ansible_collections.prefect.cloud.plugins.module_utils._views import (
    member_view, team_detail_view, team_diff, team_view,
)


class Team(StateModule):
    directory = team = added = removed = None  # per run: set by read() and plan()
    argument_spec = dict(
        name=dict(type="str"),
        id=dict(type="str"),
        description=dict(type="str"),
        users=dict(type="list", elements="str"),
        service_accounts=dict(type="list", elements="str"),
        purge_members=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(required_one_of=[("name", "id")])
    uuid_options = {"id": "a team"}
    present_only = ("description", "users", "service_accounts", "purge_members")
    result_key = plan_kind = "team"
    plan_fields = ("name", "description")
    diff_view = staticmethod(team_diff)

    def validate(self):
        for option in ("users", "service_accounts"):
            self.params[option] = self.params[option] and check_names(self.params[option], option)

    def read(self):
        params = self.params
        self.directory = Directory(self)
        if params["id"] is None:  # by name: with the teams that earlier check-mode tasks planned
            self.team = self.directory.find_accessor("team", params["name"], "name")
        else:
            self.team = self.api.team_detail(params["id"])
            if self.team is None and params["state"] == "present":
                raise PrefectError(f"id: no team with id {params['id']!r} in this account")
        return team_detail_view(self.team) if self.team is not None else None

    def plan(self, before):
        params = self.params
        name = params["name"] or before["name"]
        description = params["description"] if params["description"] is not None else (before or {}).get("description", "")
        if before is not None and name != before["name"]:
            other = self.directory.find_accessor("team", name, "name")
            if other is not None and other.id != before["id"]:
                raise PrefectError(f"name: another team is named {name!r} (id {other.id}); choose another name")
        wanted = {}
        for kind, option in (("service_account", "service_accounts"), ("user", "users")):
            for actor in self.directory.actors(params[option] or (), kind, option):
                wanted[actor.actor_id or actor.name] = (getattr(actor, "user_id", None) or actor.id, member_view(actor))
        have = {member["actor_id"] or member["name"]: member for member in (before or {}).get("members", [])}
        self.added = [found for actor, found in wanted.items() if actor not in have]
        self.removed = [actor for actor in have if actor not in wanted] if params["purge_members"] else []
        members = [member for actor, member in have.items() if actor not in self.removed]
        after = team_view(before and before["id"], name, description, members + [view for dummy, view in self.added],
                          (before or {}).get("workspaces", []))
        return before if after == before else after

    def apply(self, before, after):
        api = self.api
        if after is None:
            api.delete_team(before["id"])
            return None
        if before is None:
            after["id"] = api.create_team(after["name"], after["description"]).id
        elif (after["name"], after["description"]) != (before["name"], before["description"]):
            api.update_team(before["id"], after["name"], after["description"], self.team.workos_directory_group_id)
        for actor_id in self.removed:
            api.remove_team_member(after["id"], actor_id)  # a member already gone is no error
        if self.added:
            # The whole member set (UNCONFIRMED whether PUT adds or replaces; the full set is right either way).
            ids = {view["actor_id"]: member_id for member_id, view in self.added}
            members = [(ids.get(member["actor_id"]) or self.member_id(member), member["type"]) for member in after["members"]]
            api.upsert_team_members(after["id"], [member for member in members if member[0] is not None])
        return after

    def member_id(self, member):
        """The user id or bot id (what ``PUT teams/{id}/members`` takes) of a current member, or None."""
        items = self.directory.everyone("user" if member["type"] == "user" else "service_account")
        return next((getattr(i, "user_id", None) or i.id for i in items if i.actor_id == member["actor_id"]), None)


def main():
    Team.main()


if __name__ == "__main__":
    main()
