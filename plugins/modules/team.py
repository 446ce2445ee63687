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
        change. The member options must not be given then.
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

from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule, is_uuid, shown
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError
from ansible_collections.prefect.cloud.plugins.module_utils._iam import (
    Actors, check_names, member_label, team_detail_result, team_result,
)


def diff_view(view):
    if view is None:
        return None
    return {"name": view["name"], "description": view["description"],
            "members": sorted(member_label(member) for member in view["members"])}


def find(api, params):
    """The team the options name (``TeamDetail``), or None."""
    if params["id"] is not None:
        return api.team_detail(params["id"])
    name = params["name"]
    found = [team for team in api.team_details(names=[name]) if team.name == name]
    if len(found) > 1:
        raise PrefectError(f"name: {len(found)} teams are named {name!r}; use the option id to choose one")
    return found[0] if found else None


def check_name_free(api, name, team_id):
    taken = [team for team in api.team_details(names=[name]) if team.name == name and team.id != team_id]
    if taken:
        raise PrefectError(f"name: another team is named {name!r} (id {taken[0].id}); choose another name")


def plan_members(actors, params, current):
    """(members after, members to add as (member id, type), actor ids to remove)."""
    wanted = {}
    for value in params["service_accounts"] or ():
        member_id, view = actors.service_account(value)
        wanted[view["actor_id"]] = (member_id, view)
    for value in params["users"] or ():
        member_id, view = actors.user(value)
        wanted[view["actor_id"]] = (member_id, view)
    by_actor = {member["actor_id"]: member for member in current}
    added = [actor for actor in wanted if actor not in by_actor]
    removed = [actor for actor in by_actor if actor not in wanted] if params["purge_members"] else []
    after = [member for actor, member in by_actor.items() if actor not in removed]
    after.extend(wanted[actor][1] for actor in added)
    return after, [wanted[actor] for actor in added], removed


def write_members(module, actors, team_id, after, added, removed):
    api = module.api
    for actor_id in removed:
        api.remove_team_member(team_id, actor_id)  # a member already gone is no error
        module.set_changed()
    if not added:
        return
    # The whole member set (UNCONFIRMED whether PUT adds or replaces; the full set is right either way).
    fresh = {view["actor_id"] for dummy, view in added}
    members = [(member_id, view["type"]) for member_id, view in added]
    for member in after:
        if member["actor_id"] not in fresh:
            member_id = actors.member_id(member["actor_id"], member["type"])
            if member_id is not None:
                members.append((member_id, member["type"]))
    api.upsert_team_members(team_id, members)
    module.set_changed()


def converge(module):
    params, api = module.params, module.api
    present = params["state"] == "present"
    team = find(api, params)
    if team is None and present and params["id"] is not None:
        raise PrefectError(f"id: no team with id {params['id']!r} in this account")
    before = team_detail_result(team) if team is not None else None
    if not present:
        after, added, removed = None, [], []
    else:
        name = params["name"] if params["name"] is not None else before["name"]
        description = params["description"]
        if description is None:
            description = before["description"] if before else ""
        if before is not None and name != before["name"]:
            check_name_free(api, name, before["id"])
        actors = Actors(api)
        members, added, removed = plan_members(actors, params, before["members"] if before else [])
        after = team_result(before["id"] if before else None, name, description, members,
                            before["workspaces"] if before else [])
    if after != before:
        if module.check_mode:
            module.set_changed()
        elif after is None:
            api.delete_team(before["id"])
            module.set_changed()
        else:
            # Each write reports a change once it succeeded, so that a failure later in the run
            # still says what was changed before it.
            if before is None:
                after["id"] = api.create_team(after["name"], after["description"]).id
                module.set_changed()
            elif (after["name"], after["description"]) != (before["name"], before["description"]):
                api.update_team(before["id"], after["name"], after["description"], team.workos_directory_group_id)
                module.set_changed()
            write_members(module, actors, after["id"], after["members"], added, removed)
    module.set_diff(diff_view(before), diff_view(after))
    if after is not None:
        module.result["team"] = after


def main():
    module = PrefectModule(
        argument_spec=dict(
            name=dict(type="str"),
            id=dict(type="str"),
            description=dict(type="str"),
            users=dict(type="list", elements="str"),
            service_accounts=dict(type="list", elements="str"),
            purge_members=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_one_of=[("name", "id")],
    )
    params = module.params
    if params["id"] is not None and not is_uuid(params["id"]):
        module.fail(f"id must be a team UUID, got {shown(params['id'])}")
    if params["state"] == "absent":
        given = [option for option in ("users", "service_accounts", "description") if params[option] is not None]
        if given or params["purge_members"]:
            module.fail(f"{(given or ['purge_members'])[0]} cannot be used with state=absent (the team is deleted)")
    for option in ("users", "service_accounts"):
        if params[option] is not None:
            try:
                params[option] = check_names(params[option], option)
            except PrefectError as exc:
                module.fail(str(exc))
    module.run(lambda: converge(module))


if __name__ == "__main__":
    main()
