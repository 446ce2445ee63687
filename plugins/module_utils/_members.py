# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Converging every accessor of one workspace in one task (PRIVATE to this collection).

The logic of ``workspace_members``. Reads first (the workspace, its service-account, user and
team grants once each, the workspace roles once, and one listing per accessor type for accessors
that have no grant yet), then plans locally, then writes: one upsert request per accessor type
(per 200 grants), the whole team-grant set in one PUT, and one DELETE per removed grant. A failed
write fails the task as ``service_accounts`` does (``_fleet.write_all``): with the operations
applied and not applied.
"""

from __future__ import annotations

from ._base import is_uuid, shown
from ._errors import PrefectError
from ._fleet import Operation, write_all
from ._grants import diff_view
from ._http import PAGE_SIZE
from ._resolve import (
    ACCESSOR_FORMS, ACCESSOR_LABELS, ACCESSOR_TYPES, RoleIndex, accessor_view, find_workspace, grant_view, unknown_workspace,
)


def member_key(accessor_type, value):
    """How a member is matched: (type, 'id'|'email'|'name', normalised value)."""
    if is_uuid(value):
        return accessor_type, "id", value.lower()
    if accessor_type == "user" and "@" in value:
        return accessor_type, "email", value.lower()
    return accessor_type, "name", value


def accessor_keys(accessor):
    """Every key under which an accessor (``accessor_view`` plus e-mail/handle) can be named."""
    kind = accessor["accessor_type"]
    keys = [(kind, "id", accessor["accessor_id"])]
    if kind == "user":
        if accessor.get("email"):
            keys.append((kind, "email", accessor["email"].lower()))
        if accessor.get("handle"):
            keys.append((kind, "name", accessor["handle"]))
    elif accessor["accessor_name"] is not None:
        keys.append((kind, "name", accessor["accessor_name"]))
    return keys


def check_members(params):
    """Checks that need no request: duplicates and the empty-list guard. Raise ValueError."""
    members = params["members"] or []
    seen = {}
    for index, member in enumerate(members):
        key = member_key(member["accessor_type"], member["accessor"])
        if key in seen:
            raise ValueError(f"members[{index}].accessor {shown(member['accessor'])} is listed more than once (also "
                             f"members[{seen[key]}]); give each accessor once")
        seen[key] = index
    if params["purge"] and not members and not params["allow_empty_purge"]:
        raise ValueError("members is empty and purge is true, which would remove every grant of the workspace (of "
                         "purge_types); set allow_empty_purge: true if that is what you want")


class Grant(Operation):
    """One grant to create or change (``grant``) or to remove (``revoke``); ``data["grant"]`` is
    the grant dict (``grant_view``), its ``id`` set when the write answers."""

    def __init__(self, kind, workspace, grant):
        super().__init__(kind, grant["accessor_name"] or grant["accessor_id"], workspace, grant=grant)

    @property
    def accessor_type(self):
        return self.data["grant"]["accessor_type"]

    def view(self):
        """The operation as listed in ``applied`` / ``not_applied``."""
        return {"operation": self.kind, "accessor_type": self.accessor_type, "accessor": self.name,
                "workspace": self.workspace}

    def title(self):
        return f"{self.kind} of {ACCESSOR_LABELS[self.accessor_type]} {self.name!r} in workspace {self.workspace!r}"


def next_batch(pending):
    """What one request writes: up to 200 grants of one type (every team grant: one PUT of the
    whole set), or one removal."""
    first = pending[0]
    if first.kind == "revoke":
        return [first]
    batch = [op for op in pending if op.kind == "grant" and op.accessor_type == first.accessor_type]
    return batch if first.accessor_type == "team" else batch[:PAGE_SIZE]


class Members:
    """The ``workspace_members`` task."""

    def __init__(self, module):
        self.module = module
        self.api = module.api
        self.params = params = module.params
        self.members = params["members"] or []
        try:
            check_members(params)
        except ValueError as exc:
            module.fail(str(exc))
        self.purge_types = set(params["purge_types"]) if params["purge"] else set()
        self.types = {m["accessor_type"] for m in self.members} | self.purge_types
        self.workspace = None
        self.current = {}  # key -> (grant dict, access model)
        self.grants = []  # every current grant dict of the types read
        self.me = None
        self.removals = []

    # -- reading

    def read(self):
        api = self.api
        self.workspace = find_workspace(api, self.params["workspace"])
        if self.workspace is None:
            raise unknown_workspace(api, self.params["workspace"])
        roles = RoleIndex.load(api)
        wanted = [roles.resolve(m["workspace_role"], f"members[{i}].workspace_role") for i, m in enumerate(self.members)]
        if self.purge_types:
            self.me = api.me()
        reads = {"service_account": api.bot_accesses, "user": api.user_accesses, "team": api.team_accesses}
        for kind in ACCESSOR_TYPES:
            if kind not in self.types:
                continue
            for access in reads[kind](self.workspace.id):
                grant = grant_view(access, kind, self.workspace.handle, roles)
                accessor = dict(grant, email=getattr(access, "email", None), handle=getattr(access, "handle", None))
                self.grants.append((grant, access))
                for key in accessor_keys(accessor):
                    self.current[key] = (grant, access)
        accessors = self.resolve_missing()
        return roles, wanted, accessors

    def resolve_missing(self):
        """The accessors of members without a grant: one listing per accessor type, only when needed."""
        missing = [(i, m) for i, m in enumerate(self.members)
                   if member_key(m["accessor_type"], m["accessor"]) not in self.current]
        found = {}
        for kind in ACCESSOR_TYPES:
            values = [m["accessor"] for _i, m in missing if m["accessor_type"] == kind]
            if values:
                for accessor in self.list_accessors(kind, values):
                    for key in accessor_keys(accessor):
                        found[key] = accessor
        for index, member in missing:
            if member_key(member["accessor_type"], member["accessor"]) not in found:
                kind = member["accessor_type"]
                raise PrefectError(f"members[{index}].accessor: no {ACCESSOR_LABELS[kind]} {member['accessor']!r} in this "
                                   f"account (accessor_type={kind} expects {ACCESSOR_FORMS[kind]})")
        return found

    def list_accessors(self, kind, values):
        """The accessors of one type that ``values`` may name (id, name, e-mail or handle), as ``accessor_view``."""
        api = self.api
        ids = [v.lower() for v in values if is_uuid(v)]
        names = [v for v in values if not is_uuid(v)]
        out = []
        if kind == "service_account":
            bots = (api.bots(ids=ids) if ids else []) + (api.bots(names=names) if names else [])
            out = [accessor_view(kind, b.id, b.name, b.actor_id) for b in bots]
        elif kind == "user":
            for m in api.user_memberships():  # every user of the account: e-mails match regardless of case
                if m.user_id:
                    out.append(dict(accessor_view(kind, m.user_id, m.email or m.handle, m.actor_id), email=m.email,
                                    handle=m.handle))
        else:
            teams = (api.teams(ids=ids) if ids else []) + (api.teams(names=names) if names else [])
            named = [t.name for t in teams]
            twice = sorted({n for n in named if named.count(n) > 1} & set(names))
            if twice:
                raise PrefectError(f"members: {named.count(twice[0])} teams are named {twice[0]!r}; use the team id instead")
            out = [accessor_view(kind, t.id, t.name) for t in teams]
        return out

    # -- planning and writing

    def protected(self, grant):
        """The calling key's own grant (its user or service account) is never removed."""
        me = self.me
        return me is not None and me.id is not None and me.id in (grant["accessor_id"], grant["actor_id"])

    def converge(self):
        dummy_roles, wanted, accessors = self.read()
        upserts, results, kept_ids = [], [], set()
        for member, role in zip(self.members, wanted):
            key = member_key(member["accessor_type"], member["accessor"])
            if key in self.current:
                before = self.current[key][0]
                kept_ids.add(before["id"])
                after = before if before["workspace_role_id"] == role.id else dict(
                    before, workspace_role_id=role.id, workspace_role_name=role.name)
            else:
                before = None
                after = {"id": None, "workspace_id": self.workspace.id, "workspace_handle": self.workspace.handle}
                after.update({k: v for k, v in accessors[key].items() if k not in ("email", "handle")})
                after.update(workspace_role_id=role.id, workspace_role_name=role.name)
            if after is not before:
                upserts.append((before, after))
            results.append(after)
        self.removals = removals = [
            grant for grant, _access in self.grants
            if grant["accessor_type"] in self.purge_types and grant["id"] not in kept_ids and not self.protected(grant)]
        result = self.module.result
        result["members"] = results
        result["removed"] = removals
        self.module.set_changed(bool(upserts or removals))
        self.module.set_diff(
            {"workspace": self.workspace.handle, "members": [diff_view(b) for b, _a in upserts if b] +
             [diff_view(g) for g in removals]} if upserts or removals else None,
            {"workspace": self.workspace.handle, "members": [diff_view(a) for _b, a in upserts]} if upserts or removals
            else None)
        if not self.module.check_mode:
            self.apply(upserts)

    def apply(self, upserts):
        """The writes in order (service-account grants, user grants, team grants, removals); on a
        failure the result says which were applied and which were not."""
        handle = self.workspace.handle
        operations = [Grant("grant", handle, after) for kind in ACCESSOR_TYPES
                      for _before, after in upserts if after["accessor_type"] == kind]
        operations += [Grant("revoke", handle, grant) for grant in self.removals]
        write_all(self.module, "workspace_members", operations, next_batch, self.write)

    def write(self, batch):
        """One request: up to 200 grants of one type, the whole team-grant set, or one removal."""
        api, workspace_id, kind = self.api, self.workspace.id, batch[0].accessor_type
        afters = [op.data["grant"] for op in batch]
        if batch[0].kind == "revoke":
            grant = afters[0]
            if kind == "service_account":
                api.delete_bot_access(workspace_id, grant["id"])
            elif kind == "user":
                api.delete_user_access(workspace_id, grant["id"])
            else:
                api.delete_team_access(workspace_id, grant["accessor_id"])  # by TEAM id
            return
        if kind == "team":
            # The whole set that is to remain: every team grant not removed, with this run's roles.
            desired = {g["accessor_id"]: g["workspace_role_id"] for g, _a in self.grants
                       if g["accessor_type"] == "team" and g not in self.removals}
            desired.update((a["accessor_id"], a["workspace_role_id"]) for a in afters)
            answered = {x.team_id: x.id for x in api.put_team_accesses(workspace_id, list(desired.items()))}
        else:
            upsert = api.upsert_bot_accesses if kind == "service_account" else api.upsert_user_accesses
            answered = {getattr(x, "bot_id", None) or getattr(x, "user_id", None): x.id for x in
                        upsert(workspace_id, [(a["accessor_id"], a["workspace_role_id"]) for a in afters])}
        for after in afters:
            after["id"] = answered.get(after["accessor_id"], after["id"])
