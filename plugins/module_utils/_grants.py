# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Converging one workspace grant (PRIVATE to this collection).

The logic of ``workspace_access``, shared with the ``workspace_access`` option of
``service_account``. A ``Grant`` reads first (``read``), decides (``plan``) and writes last
(``apply``), so that a caller can read and check every grant before it writes anything.
Requests are kept to what a decision needs: the role list is read only when the grant's role
cannot be confirmed otherwise (see ``has_role``) or a role name must be resolved for a write.
"""

from __future__ import annotations

from ._base import is_uuid
from ._errors import PrefectNotFound
from ._resolve import (
    RoleIndex, accessor_view, find_accessor, find_grant, find_team, find_workspace, grant_view, team_workspace,
    unknown_accessor, unknown_workspace,
)

# Grant reads that find nothing can exist: the workspace or the accessor is missing (state=absent).
NOTHING = False


def diff_view(grant):
    """The diff form of a grant (None when there is no grant)."""
    if grant is None:
        return None
    return {
        "workspace": grant["workspace_handle"] or grant["workspace_id"],
        "accessor_type": grant["accessor_type"],
        "accessor": grant["accessor_name"],
        "workspace_role": grant["workspace_role_name"],
    }


class Roles:
    """The workspace roles of one module run, read at most once (kept in memory only)."""

    def __init__(self, api):
        self.api = api
        self.index = None

    def all(self):
        """Every workspace role of the account (one request, at most once per run)."""
        if self.index is None:
            self.index = RoleIndex.load(self.api)
        return self.index

    def name_of(self, role_id):
        return self.all().name_of(role_id)


class Grant:
    """One accessor's access to one workspace, as the options of a task ask for it.

    ``options`` names the options in error messages (keys ``workspace``, ``accessor`` and
    ``workspace_role``).
    """

    def __init__(self, api, roles, workspace, accessor_type, accessor, role, present=True, options=None):
        self.api = api
        self.roles = roles
        self.workspace = workspace
        self.accessor_type = accessor_type
        self.accessor = accessor
        self.role = role
        self.present = present
        self.options = dict({"workspace": "workspace", "accessor": "accessor", "workspace_role": "workspace_role"},
                            **(options or {}))
        self.workspace_id = self.handle = self.team_entry = None

    # -- reading

    def role_name(self, role_id):
        """The name of a grant's role: from the team's listing, or the role list."""
        entry = self.team_entry
        if entry is not None and entry.workspace_role_id == role_id:
            return entry.workspace_role_name
        return self.roles.name_of(role_id)

    def has_role(self, grant):
        """True when the grant provably has the requested role, without reading the role list.

        - a role id: the ids are equal;
        - a team's role: the team listing (same API response) names the grant's role.
        Anything else is decided from the role list by ``plan``.
        """
        role_id, wanted = grant["workspace_role_id"], self.role
        if is_uuid(wanted):
            return role_id == wanted
        entry = self.team_entry
        return entry is not None and entry.workspace_role_id == role_id and entry.workspace_role_name == wanted

    def resolve_workspace(self, verify_id=False):
        """Set the workspace id and handle from the option; raise when it does not exist.

        A workspace id is trusted as it is (the grant read then proves it) unless ``verify_id``.
        """
        if is_uuid(self.workspace) and not verify_id:
            self.workspace_id = self.workspace
            return
        found = find_workspace(self.api, self.workspace)
        if found is None:
            raise self.unknown_workspace()
        self.workspace_id, self.handle = found.id, found.handle

    def unknown_workspace(self):
        return unknown_workspace(self.api, self.workspace, self.options["workspace"])

    def read(self):
        """Return (the current grant or None, the looked-up accessor or None), or (NOTHING, None)
        when neither can exist (state=absent and the workspace or the accessor does not)."""
        value, accessor = self.accessor, None
        if self.accessor_type == "team":
            # One request finds the team (two teams with one name are an error, not a guess) and
            # lists the workspaces it has access to, with each handle, role id and role name.
            team = find_team(self.api, value, self.options["accessor"])
            if team is None:
                return self.missing_team()
            accessor = accessor_view("team", team.id, team.name)
            value = team.id
            self.team_entry = team_workspace(team, self.workspace)
            if self.team_entry is None and not self.present:
                return NOTHING, accessor  # the team has no access to that workspace (or it does not exist)
        if self.team_entry is not None:
            self.workspace_id = self.team_entry.workspace_id
            self.handle = None if is_uuid(self.workspace) else self.team_entry.workspace_handle
        elif is_uuid(self.workspace):
            self.workspace_id = self.workspace
        else:
            workspace = find_workspace(self.api, self.workspace)
            if workspace is None:
                return self.missing()
            self.workspace_id, self.handle = workspace.id, workspace.handle
        try:
            access = find_grant(self.api, self.workspace_id, self.accessor_type, value, self.options["accessor"])
        except PrefectNotFound:
            return self.missing()
        if access is None:
            return None, accessor
        grant = grant_view(access, self.accessor_type, self.handle)
        if accessor is not None:
            grant["accessor_name"] = accessor["accessor_name"]
        grant["workspace_role_name"] = self.role_name(access.workspace_role_id)
        return grant, accessor

    def missing_team(self):
        """No such team: nothing for state=absent; otherwise the same errors, in the same order, as for other accessors."""
        if not self.present:
            return NOTHING, None
        if not is_uuid(self.workspace) and find_workspace(self.api, self.workspace) is None:
            raise self.unknown_workspace()
        self.roles.all().resolve(self.role, self.options["workspace_role"])
        raise unknown_accessor("team", self.accessor, self.options["accessor"])

    def missing(self):
        if self.present:
            raise self.unknown_workspace()
        return NOTHING, None

    # -- deciding and writing

    def plan(self, before, accessor=None):
        """The grant after this run (``before`` itself when nothing changes; reads only)."""
        if not self.present:
            return None
        if before is not None and self.has_role(before):
            return before
        role = self.roles.all().resolve(self.role, self.options["workspace_role"])
        if before is None:
            if accessor is None:
                accessor = find_accessor(self.api, self.accessor_type, self.accessor, self.options["accessor"])
                if accessor is None:
                    raise unknown_accessor(self.accessor_type, self.accessor, self.options["accessor"])
            after = {"id": None, "workspace_id": self.workspace_id, "workspace_handle": self.handle}
            after.update(accessor)
        elif before["workspace_role_id"] != role.id:
            after = dict(before)
        else:
            return before
        after.update(workspace_role_id=role.id, workspace_role_name=role.name)
        return after

    def apply(self, before, after):
        """Send the one write that turns ``before`` into ``after`` (both from this grant's read and plan)."""
        api, workspace_id = self.api, self.workspace_id
        if after is None:
            if self.accessor_type == "service_account":
                api.delete_bot_access(workspace_id, before["id"])
            elif self.accessor_type == "user":
                api.delete_user_access(workspace_id, before["id"])
            else:
                api.delete_team_access(workspace_id, before["accessor_id"])  # by TEAM id
            return
        accessor_id, role_id = after["accessor_id"], after["workspace_role_id"]
        if self.accessor_type == "service_account":
            after["id"] = api.upsert_bot_access(workspace_id, accessor_id, role_id).id
        elif self.accessor_type == "user":
            after["id"] = api.upsert_user_access(workspace_id, accessor_id, role_id).id
        else:
            after["id"] = api.upsert_team_access(workspace_id, accessor_id, role_id).id
