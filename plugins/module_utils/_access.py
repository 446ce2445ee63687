# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Planning the workspace grants of N accessors in one workspace (PRIVATE to this collection).

One planner for ``workspace_access`` (a fleet of one: one member, no purge, and ``state=absent``)
and ``workspace_members`` (many members, optionally authoritative). ``WorkspaceGrants`` reads
first (``read``), plans (``plan``: the grant of each member after the run, and the removals) and
writes last (``operations`` in order, one request per ``next_batch``, sent by ``write``), so that
every accessor and role is checked before the first write.

Reads are narrow for one member: the one grant is found by the accessor's name or id (one
filtered request), and a team's lookup already names the workspaces it has access to and its role
there. For many members (or a purge) each accessor kind's grants are listed once.

``KINDS`` is the one table of what differs between service accounts, users and teams: how their
grants are read, matched, written and deleted.
"""

from __future__ import annotations

from ._base import Operation
from ._errors import PrefectNotFound
from ._http import PAGE_SIZE
from ._lookup import ACCESSORS, Directory, user_filter
from ._values import is_uuid, shown
from ._views import grant_view


class AccessKind:
    """What one accessor kind's grants are: ``prefix`` names their fields (``bot_id``,
    ``bot_name``) and API methods (``bot_accesses``, ``delete_bot_access``), ``filters(value)``
    the keywords that narrow a read to one accessor (None: no filter, the grants are listed),
    ``upsert`` the API method that writes many grants; the label is ``_lookup.ACCESSORS``'."""

    def __init__(self, name, form, prefix, upsert, filters):
        self.name, self.prefix, self.upsert_method, self.filters = name, prefix, upsert, filters
        self.label = ACCESSORS[name][0]
        self.expects = f" (accessor_type={name} expects {form})"

    def read(self, api, workspace_id, value=None):
        """Every grant of the kind in the workspace, or those of ``value`` (with ``filters``)."""
        return getattr(api, f"{self.prefix}_accesses")(workspace_id, **({} if value is None else self.filters(value)))

    def accessor(self, obj):
        """(type, id, name, actor id) of a grant or of the accessor itself."""
        name = (obj.email or obj.handle) if self.name == "user" else getattr(obj, f"{self.prefix}_name", getattr(obj, "name", None))
        return self.name, getattr(obj, f"{self.prefix}_id", obj.id), name, getattr(obj, "actor_id", None)

    def keys(self, access):
        """The member keys (``member_key``) of what a member may name the grant's accessor by."""
        found = self.accessor(access)
        names = (access.email, access.handle) if self.name == "user" else (found[2],)
        return {member_key(self.name, key) for key in (found[1],) + names if key}

    def matches(self, access, value):
        return member_key(self.name, value) in self.keys(access)

    def upsert(self, api, workspace_id, pairs):
        """Write ``pairs`` (accessor id, role id); {accessor id: grant id} of the answer."""
        field = f"{self.prefix}_id"
        return {getattr(grant, field): grant.id for grant in getattr(api, self.upsert_method)(workspace_id, pairs)}

    def delete(self, api, workspace_id, grant):
        """Delete the grant (a view); a team grant by the TEAM id."""
        getattr(api, f"delete_{self.prefix}_access")(workspace_id, grant["accessor_id" if self.name == "team" else "id"])


KINDS = {kind.name: kind for kind in (
    AccessKind("service_account", "a service account name or id", "bot", "upsert_bot_accesses",
               lambda value: {"bot_ids": [value]} if is_uuid(value) else {"bot_names": [value]}),
    AccessKind("user", "a user e-mail, handle or id", "user", "upsert_user_accesses", user_filter),
    # The team-grant filter has no criteria; the PUT writes the whole team-grant set (every team grant to keep).
    AccessKind("team", "a team name or id", "team", "put_team_accesses", None),
)}
ACCESSOR_TYPES = tuple(KINDS)


def member_key(kind, value):
    """How a member names its accessor, as ``AccessKind.keys`` gives the keys of a grant: ids and
    e-mail addresses in lower case, names and handles as they are."""
    return kind, (value.lower() if is_uuid(value) or (kind == "user" and "@" in value) else value)


def check_members(members):
    """Raise ValueError for an accessor listed twice."""
    seen = {}
    for index, member in enumerate(members):
        key = member_key(member["accessor_type"], member["accessor"])
        if key in seen:
            raise ValueError(f"members[{index}].accessor {shown(member['accessor'])} is listed more than once (also "
                             f"members[{seen[key]}]); give each accessor once")
        seen[key] = index


class Member:
    """One accessor's wanted grant: ``role`` None for no grant (``state=absent``); ``prefix`` starts
    the option names in messages (``members[2].``)."""

    def __init__(self, accessor_type, accessor, role, prefix=""):
        self.kind = KINDS[accessor_type]
        self.value, self.role = accessor, role
        self.option, self.role_option = prefix + "accessor", prefix + "workspace_role"
        self.key = member_key(accessor_type, accessor)


class GrantOperation(Operation):
    """One grant to create or change (``grant``) or to remove (``revoke``); ``data["grant"]`` is
    the grant view, its ``id`` set when the write answers."""

    def __init__(self, kind, workspace, grant):
        super().__init__(kind, grant["accessor_name"] or grant["accessor_id"], workspace, grant=grant)
        self.accessor_type = grant["accessor_type"]

    def view(self):
        return {"operation": self.kind, "accessor_type": self.accessor_type, "accessor": self.name,
                "workspace": self.workspace}

    def title(self):
        return f"{self.kind} of {KINDS[self.accessor_type].label} {self.name!r} in workspace {self.workspace!r}"


def next_batch(pending):
    """What one request writes: up to 200 grants of one kind (every team grant: one PUT of the
    whole set), or one removal."""
    first = pending[0]
    if first.kind == "revoke":
        return [first]
    batch = [op for op in pending if op.kind == "grant" and op.accessor_type == first.accessor_type]
    return batch if first.accessor_type == "team" else batch[:PAGE_SIZE]


class WorkspaceGrants:
    """The grants of ``members`` in one workspace, and with ``purge_types`` the removal of every
    other grant of those kinds (except the calling key's own)."""

    def __init__(self, module, workspace, members, purge_types=()):
        self.module, self.api = module, module.api
        self.directory = Directory(module)
        self.workspace, self.members = workspace, members
        self.purge_types = [name for name in ACCESSOR_TYPES if name in purge_types]
        self.narrow = len(members) == 1 and not purge_types
        self.workspace_id = self.handle = None
        self.known_roles = {}  # role id -> name, from a team's listing (no role list needed)
        self.accessors = {}  # member key -> accessor found by a lookup
        self.current = {}  # (kind, key) -> grant view, for many members
        self.listed = []  # every current grant view of the kinds listed
        self.befores = self.afters = self.removals = ()

    # -- reading

    def read(self):
        """The current grant of each member (a view or None); None instead of the list when the
        workspace or a narrow member's team does not exist (for ``state=absent``: no grant)."""
        member = self.members[0] if self.narrow else None
        team = None if member is None else self.real_team(member)
        entry = None if team is None else \
            next((ws for ws in team.workspaces if self.workspace in (ws.workspace_id, ws.workspace_handle)), None)
        if entry is None and member is not None and member.kind.name == "team" and member.role is None:
            return None  # no such team, or it has no access to that workspace
        if entry is not None:
            self.workspace_id = entry.workspace_id
            self.handle = None if is_uuid(self.workspace) else entry.workspace_handle
            self.known_roles[entry.workspace_role_id] = entry.workspace_role_name
        elif member is not None and is_uuid(self.workspace):
            self.workspace_id = self.workspace  # proved by the grant read
        elif not self.find_workspace():
            return None
        try:
            self.befores = self.read_grants()
        except PrefectNotFound:
            if not self.find_workspace(verify=True):
                return None
            self.befores = self.read_grants()
        return self.befores

    def find_workspace(self, verify=False):
        """Set the workspace id and handle; False when it does not exist and no member needs it."""
        found = None if verify else self.directory.find_workspace(self.workspace)
        if found is None:
            if self.members and all(member.role is None for member in self.members):
                return False
            self.directory.workspaces()  # the error lists the valid handles
            found = self.directory.workspace(self.workspace)
        self.workspace_id, self.handle = found.id, found.handle
        return True

    def read_grants(self):
        if self.narrow:
            member = self.members[0]
            team = self.real_team(member)
            if member.kind.name == "team" and team is None:
                return [None]  # no such team, or one that an earlier check-mode task plans
            access = self.directory.find_grant(self.workspace_id, member.kind, team.id if team else member.value, member.option)
            return [self.view(member.kind, access, team)]
        kinds = {member.kind.name for member in self.members} | set(self.purge_types)
        for kind in [KINDS[name] for name in ACCESSOR_TYPES if name in kinds]:
            for access in self.directory.grants(self.workspace_id, kind):
                view = self.view(kind, access)
                if view is not None:
                    self.listed.append(view)
                    self.current.update(dict.fromkeys(kind.keys(access), view))
        return [self.current.get(member.key) for member in self.members]

    def view(self, kind, access, accessor=None):
        """The returned form of a grant as read (None for none, and for the grant of an accessor
        that an earlier check-mode task deletes)."""
        if access is None:
            return None
        found = kind.accessor(access)
        if self.module.planned(kind.name).get(found[2], ()) is None:  # users are never planned
            return None
        if accessor is not None and found[2] is None:
            found = kind.accessor(accessor)
        role_id = access.workspace_role_id
        name = self.known_roles.get(role_id) or self.directory.workspace_roles().name_of(role_id)
        return grant_view(access.id, self.workspace_id, self.handle, found, role_id, name)

    def real_team(self, member):
        """The member's team when it is a team that exists (not one that an earlier check-mode task
        plans), else None; None for the other kinds."""
        team = self.accessor(member) if member.kind.name == "team" else None
        return team if team is not None and team.id is not None else None

    def accessor(self, member):
        """The member's accessor (looked up once), or None."""
        if member.key not in self.accessors:
            self.accessors[member.key] = self.directory.find_accessor(member.kind.name, member.value, member.option)
        return self.accessors[member.key]

    # -- planning

    def plan(self, protected=()):
        """The grant of each member after the run (its ``before`` itself when nothing changes, None
        for no grant), and the grants to remove (``removals``); ``protected``: accessor or actor
        ids whose grants are never removed. Reads only: roles, then accessors without a grant."""
        wanted = [None if member.role is None or self.keeps(before, member.role)
                  else self.directory.workspace_roles().resolve(member.role, member.role_option)
                  for member, before in zip(self.members, self.befores)]
        self.prime([member for member, before in zip(self.members, self.befores) if before is None and member.role])
        self.afters = [self.after(*row) for row in zip(self.members, self.befores, wanted)]
        kept = {before["id"] for before in self.befores if before is not None}
        self.removals = [grant for grant in self.listed
                         if grant["accessor_type"] in self.purge_types and grant["id"] not in kept
                         and not {grant["accessor_id"], grant["actor_id"]} & set(protected)]
        return self.afters

    def after(self, member, before, role):
        """The member's grant after the run: None, ``before`` itself, or a view with ``role``."""
        if member.role is None:
            return None
        if role is None or before is not None and before["workspace_role_id"] == role.id:
            return before
        if before is None:
            accessor = self.accessor(member)
            if accessor is None:
                raise self.directory.unknown(member.kind.name, member.value, member.option, member.kind.expects)
            before = grant_view(None, self.workspace_id, self.handle, member.kind.accessor(accessor), None, None)
        return dict(before, workspace_role_id=role.id, workspace_role_name=role.name)

    def keeps(self, before, role):
        """True when the grant provably has ``role`` without the role list: the same role id, or
        the role a team's listing names."""
        role_id = None if before is None else before["workspace_role_id"]
        return role_id is not None and (role_id == role if is_uuid(role) else self.known_roles.get(role_id) == role)

    def prime(self, missing):
        """Many members without a grant: list the service accounts and users once (teams are
        looked up one by one)."""
        for name in ("service_account", "user") if not self.narrow else ():
            if any(member.kind.name == name for member in missing):
                self.directory.everyone(name)

    # -- writing

    def operations(self):
        """The writes in order: service-account grants, user grants, team grants, removals."""
        label = self.handle or self.workspace_id
        changed = [(before, after) for before, after in zip(self.befores, self.afters) if after is not before]
        ops = [GrantOperation("grant", label, after) for name in ACCESSOR_TYPES
               for before, after in changed if after is not None and after["accessor_type"] == name]
        revokes = [before for before, after in changed if after is None] + list(self.removals)
        return ops + [GrantOperation("revoke", label, grant) for grant in revokes]

    def write(self, batch):
        """One request: up to 200 grants of one kind, the whole team-grant set, or one removal."""
        kind = KINDS[batch[0].accessor_type]
        grants = [op.data["grant"] for op in batch]
        if batch[0].kind == "revoke":
            kind.delete(self.api, self.workspace_id, grants[0])
            return
        pairs = {grant["accessor_id"]: grant["workspace_role_id"] for grant in grants}
        if kind.name == "team":  # the whole set that is to remain, with this run's roles
            removed = {grant["id"] for grant in self.removals}
            keep = {access.team_id: access.workspace_role_id for access in self.directory.grants(self.workspace_id, kind)
                    if access.id not in removed}
            pairs = {**keep, **pairs}
        answered = kind.upsert(self.api, self.workspace_id, list(pairs.items()))
        for grant in grants:
            grant["id"] = answered.get(grant["accessor_id"], grant["id"])
