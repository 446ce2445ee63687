#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: workspace_role
short_description: Manage custom Prefect Cloud workspace roles
description:
  - Create, change or delete a custom workspace role of a Prefect Cloud account, found by its name.
  - A workspace role is a set of workspace scopes (permissions), optionally on top of the scopes of
    a built-in role it inherits from. Grant it with P(prefect.cloud.workspace_access#module).
  - The built-in roles V(Owner), V(Developer), V(Runner), V(Viewer) and V(Worker) cannot be changed
    or deleted; naming one in O(name) is an error.
  - The module reads the role list once and only writes when something differs.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  name:
    description:
      - Name of the custom workspace role (case sensitive).
    type: str
    required: true
  description:
    description:
      - Short description of the role, at most 140 characters.
      - When a role is created without it, the description is empty. When it is left out for an
        existing role, the description is not changed.
    type: str
  scopes:
    description:
      - The workspace scopes of the role, such as V(see_flows) or V(run_deployments), as a set
        (their order and duplicates do not matter). V([]) is a role without scopes of its own.
      - The scopes of O(inherited_role) need not be listed; they are part of the role through the
        inheritance.
      - A name that is not a workspace scope (the C(WorkspaceScopeName) list of the Prefect Cloud
        API) is an error that lists the valid names.
      - When a role is created without it, the role has no scopes of its own. When it is left out
        for an existing role, the scopes are not changed.
    type: list
    elements: str
  inherited_role:
    description:
      - Name or id of the built-in workspace role whose scopes this role inherits, such as
        V(Viewer) or V(Runner). A custom role cannot be inherited from.
      - When a role is created without it, the role inherits nothing. When it is left out for an
        existing role, the inheritance is not changed. The module cannot remove an inheritance;
        delete the role and create it again without O(inherited_role) then.
    type: str
  state:
    description:
      - V(present) creates the role or makes it match the options that are given.
      - V(absent) deletes the role. Grants of the role are deleted with it (Prefect Cloud
        behaviour, UNCONFIRMED). A role that does not exist is no change.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Requests per run - one (the role list) when nothing changes, plus one write (create, update or
    delete) when something does.
  - Whether the API returns a custom role's C(scopes) with or without the scopes it inherits is
    UNCONFIRMED; the module compares O(scopes) with the C(scopes) the API returns (without them in
    the emulator). See the collection's unconfirmed API guide.
  - Custom workspace roles are a Prefect Cloud Enterprise feature.
seealso:
  - module: prefect.cloud.workspace_role_info
  - module: prefect.cloud.workspace_access
  - name: Prefect Cloud workspace roles
    description: The built-in workspace roles, custom roles and scopes.
    link: https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/manage-roles
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed) and diff as a real run, and the predicted role
        (with C(id=null) for a role that would be created).
  diff_mode:
    support: full
    details:
      - The diff shows the name, the description, the sorted scopes and the inherited role's name.
        A role that does not exist is C({}).
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: Manage custom workspace roles
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: A role that can run deployments and read everything a Viewer can
      prefect.cloud.workspace_role:
        name: deployment-runner
        description: Runs deployments, reads the rest
        inherited_role: Viewer
        scopes:
          - run_deployments
          - run_flows

    - name: Delete a role
      prefect.cloud.workspace_role:
        name: old-role
        state: absent
"""

RETURN = r"""
workspace_role:
  description:
    - The role after this run; in check mode, the predicted role.
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: UUID of the role; V(null) in check mode for a role that would be created.
      type: str
      sample: 2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f
    name:
      description: Name of the role.
      type: str
      sample: deployment-runner
    account_id:
      description: UUID of the account.
      type: str
      sample: 6a1f7a3e-5b0c-4d2e-9f18-2c4b6d8e0a13
    description:
      description: Description of the role.
      type: str
      sample: Runs deployments, reads the rest
    scopes:
      description: The role's own scopes, sorted.
      type: list
      elements: str
      sample: [run_deployments, run_flows]
    inherited_role_id:
      description: UUID of the built-in role it inherits from, or V(null).
      type: str
      sample: 9b1a2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d
    inherited_role_name:
      description: Name of the built-in role it inherits from, or V(null).
      type: str
      sample: Viewer
"""

from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule, is_uuid
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError
from ansible_collections.prefect.cloud.plugins.module_utils._iam import ROLE_DESCRIPTION_MAX, check_scopes, listing


def role_view(role, names):
    """The returned form of a role (a ``WorkspaceRole`` or a dict of its fields)."""
    data = role if isinstance(role, dict) else role.to_result()
    inherited = data.get("inherited_role_id")
    return {
        "id": data.get("id"), "name": data["name"], "account_id": data.get("account_id"),
        "description": data.get("description") or "", "scopes": sorted(set(data.get("scopes") or [])),
        "inherited_role_id": inherited, "inherited_role_name": names.get(inherited) if inherited else None,
    }


def diff_view(view):
    if view is None:
        return None
    return {"name": view["name"], "description": view["description"], "scopes": view["scopes"],
            "inherited_role": view["inherited_role_name"]}


def resolve_inherited(roles, value):
    """The built-in role with name or id ``value``."""
    builtin = [role for role in roles if role.account_id is None]
    found = [role for role in builtin if (role.id == value if is_uuid(value) else role.name == value)]
    if len(found) == 1:
        return found[0]
    if any(role.account_id is not None and value in (role.id, role.name) for role in roles):
        problem = f"{value!r} is a custom workspace role; a role can only inherit from a built-in role"
    else:
        problem = f"no built-in workspace role with name or id {value!r}"
    raise PrefectError(f"inherited_role: {problem} (valid names are: {listing(role.name for role in builtin)})")


def plan(params, before, roles, names):
    """The role after this run (``before`` itself when nothing changes) and the changed fields."""
    if params["state"] == "absent":
        return None, {}
    inherited = params["inherited_role"]
    if inherited is not None:
        inherited = resolve_inherited(roles, inherited).id
    wanted = {
        "description": params["description"],
        "scopes": check_scopes(params["scopes"]) if params["scopes"] is not None else None,
        "inherited_role_id": inherited,
    }
    if before is None:
        after = {"id": None, "name": params["name"], "account_id": params["account_id"], "description": "",
                 "scopes": [], "inherited_role_id": None}
        after.update({key: value for key, value in wanted.items() if value is not None})
        return role_view(after, names), after
    changes = {key: value for key, value in wanted.items() if value is not None and value != before[key]}
    if not changes:
        return before, {}
    after = dict(before, **changes)
    return role_view(after, names), changes


def converge(module):
    params, api = module.params, module.api
    name = params["name"]
    roles = api.workspace_roles()
    names = {role.id: role.name for role in roles}
    if any(role.name == name and role.account_id is None for role in roles):
        raise PrefectError(f"name: {name!r} is a built-in workspace role, which cannot be changed or deleted; "
                           "use another name for a custom role")
    found = [role for role in roles if role.name == name]
    if len(found) > 1:
        raise PrefectError(f"name: {len(found)} workspace roles are named {name!r}; rename or delete the others first")
    before = role_view(found[0], names) if found else None
    after, changes = plan(params, before, roles, names)
    if after is not before:
        if not module.check_mode:
            if after is None:
                api.delete_workspace_role(before["id"])
            elif before is None:
                created = api.create_workspace_role(name, changes["description"], changes["scopes"], changes["inherited_role_id"])
                after = role_view(created, names)
            else:
                api.update_workspace_role(before["id"], **changes)
        module.set_changed()  # after the write: a write that fails changed nothing
    module.set_diff(diff_view(before), diff_view(after))
    if after is not None:
        module.result["workspace_role"] = after


def main():
    module = PrefectModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            description=dict(type="str"),
            scopes=dict(type="list", elements="str"),
            inherited_role=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
    )
    description = module.params["description"]
    if description is not None and len(description) > ROLE_DESCRIPTION_MAX:
        module.fail(f"description must be at most {ROLE_DESCRIPTION_MAX} characters, got {len(description)}")
    if module.params["scopes"] is not None:
        try:
            check_scopes(module.params["scopes"])
        except PrefectError as exc:
            module.fail(str(exc))
    module.run(lambda: converge(module))


if __name__ == "__main__":
    main()
