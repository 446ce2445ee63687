# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Finding objects by id, name, handle or e-mail address: one rule, one place (PRIVATE).

``Directory`` is the lookup of one task: each list it reads (workspaces, workspace roles,
account roles, service accounts, users, teams) is read at most once per run and kept in memory
only. A single object is looked up with a narrow request (by name or id) unless the whole list
was read already, so a task about one object sends no more requests than it needs.

The id/name rule: a value in the canonical UUID form is an id; a user is also found by e-mail
address (any case) or handle; everything else is a name, compared exactly (names are case
sensitive in Prefect Cloud). Two objects that match one name are an error naming the option.

In check mode the directory also knows the objects that earlier tasks of the play planned to
create or delete (``PrefectModule.planned``): a planned object is found by name like a real one,
with the id ``None``; a planned deletion hides the real object. ``Planned`` stands for such an
object: it has the attributes the planners read.
"""

from __future__ import annotations

from ._errors import PrefectError
from ._values import hint, is_uuid, listing


class Planned:
    """An object that an earlier check-mode task of the play would create (its id is None)."""

    planned = True

    def __init__(self, **fields):
        self.id = None
        self.__dict__.update(fields)


def user_matches(user, value):
    """True when ``user`` (a membership or access with ``user_id``, ``email``, ``handle``) has the
    id, the e-mail address (without case) or the handle ``value``."""
    if is_uuid(value):
        return user.user_id == value
    if "@" in value:
        return (user.email or "").lower() == value.lower()
    return user.handle == value


def user_filter(value):
    """Keyword arguments of the user filters of ``_api`` for an id, e-mail address or handle (an
    e-mail address is matched without case by the API, ``like_``; ``user_matches`` then keeps the
    exact address)."""
    if is_uuid(value):
        return {"user_ids": [value]}
    if "@" in value:
        return {"email": value}
    return {"handles": [value]}


def one(found, what, value, option):
    """The one object in ``found``, None when empty; several are an error naming ``option``."""
    if len(found) > 1:
        raise PrefectError(f"{option}: {len(found)} {what}s match {value!r}; use the id instead")
    return found[0] if found else None


class RoleIndex:
    """Roles (workspace or account roles) by id and name, from one list."""

    def __init__(self, roles, what="workspace role"):
        self.roles = list(roles)
        self.what = what
        self.by_id = {role.id: role for role in self.roles if role.id is not None}

    def name_of(self, role_id):
        return getattr(self.by_id.get(role_id), "name", None)

    def resolve(self, value, option):
        """The role named ``value`` (case sensitive) or with id ``value``; raise if none or several."""
        if is_uuid(value) and value in self.by_id:
            return self.by_id[value]
        found = [role for role in self.roles if role.name == value]
        if len(found) > 1:
            raise PrefectError(f"{option}: {len(found)} {self.what}s are named {value!r}; use the role id instead")
        if not found:
            names = [role.name for role in self.roles]
            raise PrefectError(f"{option}: no {self.what} with name or id {value!r}{hint(value, names)}; valid names "
                               f"are: {listing(names)}")
        return found[0]


# Per accessor kind: its label in messages, the API method listing them all, the fields that a
# planned one lacks.
ACCESSORS = {"service_account": ("service account", "bots", {}), "user": ("user", "account_members", {}),
             "team": ("team", "teams", {"workspaces": [], "memberships": []})}


class Directory:
    """The objects of the account as one task sees them (see the module docstring)."""

    def __init__(self, module):
        self.module = module
        self.api = module.api
        self._lists = {}

    def _all(self, kind, read):
        if kind not in self._lists:
            self._lists[kind] = read()
        return self._lists[kind]

    def _with_planned(self, kind, found, names=None, key="name", **extra):
        """``found`` (real objects), corrected by what earlier check-mode tasks planned for the
        ``names`` (every planned name when None; the names are the objects' ``key``, such as a
        workspace's handle): a planned deletion hides the real object; a planned create adds a
        ``Planned`` one, unless a real object has the name by now (a plan never hides what exists,
        such as an object a real task of the play created since)."""
        planned = self.module.planned(kind)
        for name in planned if names is None else [name for name in names if name in planned]:
            view = planned[name]
            real = [item for item in found if getattr(item, key, None) == name]
            if view is None:
                found = [item for item in found if item not in real]
            elif not real:
                found = found + [Planned(**dict(extra, **view))]
        return found

    # -- workspaces

    def workspaces(self):
        """Every workspace, with those planned earlier (by handle)."""
        return self._all("workspaces", lambda: self._with_planned("workspace", self.api.workspaces(), key="handle"))

    def find_workspace(self, value):
        """The workspace with handle or id ``value``, or None (one request, none when listed); a
        workspace an earlier check-mode task plans is found by its handle (its id is None)."""
        if "workspaces" in self._lists:
            return next((ws for ws in self.workspaces() if value in (ws.id, ws.handle)), None)
        found = [self.api.workspace(value)] if is_uuid(value) else self.api.workspaces(handles=[value])
        found = [ws for ws in found if ws is not None and (is_uuid(value) or ws.handle == value)]
        handles = [ws.handle for ws in found] or [value]
        return next(iter(self._with_planned("workspace", found, handles, key="handle")), None)

    def workspace(self, value, option="workspace"):
        """The workspace with handle or id ``value``; an error listing the valid handles if none."""
        found = self.find_workspace(value)
        if found is None:
            handles = [ws.handle for ws in self.workspaces()]
            what = "id" if is_uuid(value) else "handle"
            raise PrefectError(f"{option}: no workspace with {what} {value!r} in this account, or the API key has no "
                               f"access to it{hint(value, handles)} (valid handles: {listing(handles)})")
        return found

    # -- roles

    def workspace_roles(self):
        """Every workspace role (built-in and custom, with those planned earlier) as a RoleIndex."""
        return self._all("workspace_roles",
                         lambda: RoleIndex(self._with_planned("workspace_role", self.api.workspace_roles())))

    def account_roles(self):
        return self._all("account_roles", lambda: RoleIndex(self.api.account_roles(), "account role"))

    # -- accessors: service accounts, users (account members) and teams

    def everyone(self, kind):
        """Every accessor of ``kind`` (``service_account``, ``user``, ``team``), with those planned
        earlier (one listing, read once)."""
        dummy, read, extra = ACCESSORS[kind]
        return self._all(kind, lambda: self._with_planned(kind, getattr(self.api, read)(), **extra))

    def bots(self):
        return self.everyone("service_account")

    def find_accessor(self, kind, value, option=None):
        """The accessor of ``kind`` that ``value`` names (see ``accessor``), or None: from the list
        when read, else one narrow request (with the plans); several are an error naming ``option``."""
        label, dummy, extra = ACCESSORS[kind]
        if kind in self._lists:
            found = [item for item in self._lists[kind]
                     if (user_matches(item, value) if kind == "user" else value in (item.id, item.name))]
        else:
            found = self._with_planned(kind, self._narrow(kind, value), [value], **extra)
        return one(found, label, value, option or kind)

    def _narrow(self, kind, value):
        """The real accessors of ``kind`` that ``value`` names, found by one filtered request."""
        api, uuid = self.api, is_uuid(value)
        if kind == "user":
            return [user for user in api.account_members(**user_filter(value)) if user_matches(user, value)]
        if kind == "service_account" and uuid:
            return [bot for bot in [api.bot(value)] if bot is not None]
        found = (api.bots if kind == "service_account" else api.teams)(**{"ids" if uuid else "names": [value]})
        return [item for item in found if value == (item.id if uuid else item.name)]

    def find_bot(self, value, option="service_account"):
        return self.find_accessor("service_account", value, option)

    def accessor(self, kind, value, option, expects=""):
        """The service account (name or id), user (e-mail in any case, handle or id) or team (name
        or id) ``value``, real or planned; else the error ``unknown``."""
        found = self.find_accessor(kind, value, option)
        if found is None:
            raise self.unknown(kind, value, option, expects)
        return found

    def unknown(self, kind, value, option, expects=""):
        """The error for an accessor that is neither real nor planned: naming ``option``, with the
        closest name (one listing) and then ``expects``."""
        names = [(item.email or item.handle) if kind == "user" else item.name for item in self.everyone(kind)]
        return PrefectError(f"{option}: no {ACCESSORS[kind][0]} {value!r} in this account{hint(value, names)}{expects}")

    def user(self, value, option="user"):
        return self.accessor("user", value, option)

    def actors(self, values, kind, option):
        """The accessors of ``kind`` that ``values`` name, each required: one narrow request for
        one, one read of the whole list for several."""
        if len(values) > 1:
            self.everyone(kind)
        return [self.accessor(kind, value, option) for value in values]

    # -- workspace grants, by accessor kind (``kind``: an ``_access.AccessKind``)

    def grants(self, workspace_id, kind):
        """Every grant of ``kind`` in the workspace (one listing, read once); PrefectNotFound for a
        workspace that does not exist; none for a workspace an earlier check-mode task plans (id None)."""
        if workspace_id is None:
            return []
        return self._all(("grants", workspace_id, kind.name), lambda: kind.read(self.api, workspace_id))

    def find_grant(self, workspace_id, kind, value, option="accessor"):
        """The grant of the accessor ``value`` (an id, or what ``kind`` can filter by) in the
        workspace, or None: one narrow request unless the kind's grants were listed (a kind
        without a filter, such as teams, is listed). None for a planned workspace (id None)."""
        if workspace_id is None:
            return None
        listed = ("grants", workspace_id, kind.name) in self._lists or kind.filters is None
        found = self.grants(workspace_id, kind) if listed else kind.read(self.api, workspace_id, value)
        return one([grant for grant in found if kind.matches(grant, value)], kind.label, value, option)

    # -- invitations

    def pending_invitations(self, email, workspace_id=None):
        """The pending invitations of the e-mail address ``email`` (any case) to the account, or to
        the workspace ``workspace_id``, in the API's order (one request)."""
        found = self.api.invitations(email_like=email, statuses=["PENDING"], workspace_id=workspace_id)
        return [item for item in found if item.email.lower() == email.lower() and item.status == "PENDING"]


def invitation_with(pending, role_id, field="account_role_id"):
    """Of the ``pending`` invitations of one address, the one whose ``field`` is ``role_id``, else
    the newest (the API keeps one per address), or None."""
    return next((item for item in pending if getattr(item, field) == role_id), pending[-1] if pending else None)
