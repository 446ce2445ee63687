# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Name-or-id resolution of workspaces, workspace roles and accessors (PRIVATE to this collection).

Shared by ``workspace_access`` and ``workspace_access_info``. A value that is a UUID is an id;
anything else is a name (a workspace handle, a role name, a service account or team name, a user
e-mail or handle). Lookups that find nothing return ``None``; ambiguous names raise
``PrefectError`` with a one-line message that names the option.

Grants are returned as plain dicts shaped like the ``workspace_access`` module's return value::

    {id, workspace_id, workspace_handle, accessor_type, accessor_id, accessor_name, actor_id,
     workspace_role_id, workspace_role_name}
"""

from __future__ import annotations

from ._base import is_uuid
from ._errors import PrefectError

ACCESSOR_TYPES = ("service_account", "user", "team")
ACCESSOR_LABELS = {"service_account": "service account", "user": "user", "team": "team"}
ACCESSOR_FORMS = {
    "service_account": "a service account name or id",
    "user": "a user e-mail, handle or id",
    "team": "a team name or id",
}
_MAX_LISTED = 20


def _listing(names):
    names = sorted(set(names))
    shown = ", ".join(names[:_MAX_LISTED])
    if len(names) > _MAX_LISTED:
        shown += f", ... ({len(names) - _MAX_LISTED} more)"
    return shown or "none"


# Workspaces -----------------------------------------------------------------------------------


def find_workspace(api, value):
    """The workspace with handle or id ``value``, or None."""
    if is_uuid(value):
        return api.workspace(value)
    found = [ws for ws in api.workspaces(handles=[value]) if ws.handle == value]
    return found[0] if found else None


def unknown_workspace(api, value, option="workspace"):
    """The error for a workspace that does not exist (lists the valid handles; one more request)."""
    what = "id" if is_uuid(value) else "handle"
    handles = [ws.handle for ws in api.workspaces()]
    return PrefectError(
        f"{option}: no workspace with {what} {value!r} in this account, or the API key has no access to it"
        f" (valid handles: {_listing(handles)})"
    )


def workspace_result(workspace, api_url):
    """The returned form of a workspace, with the API URL a Prefect client uses for it."""
    data = workspace.to_result()
    result = {name: data.get(name) for name in ("id", "name", "handle", "description", "account_id", "default_workspace_role_id")}
    result["api_url"] = f"{api_url.rstrip('/')}/accounts/{workspace.account_id}/workspaces/{workspace.id}"
    return result


# Workspace roles ------------------------------------------------------------------------------


class RoleIndex:
    """All workspace roles of the account (built-in and custom), from one request."""

    def __init__(self, roles):
        self.roles = list(roles)
        self.by_id = {role.id: role for role in self.roles}

    @classmethod
    def load(cls, api):
        return cls(api.workspace_roles())

    def name_of(self, role_id):
        role = self.by_id.get(role_id)
        return role.name if role is not None else None

    def resolve(self, value, option="workspace_role"):
        """The role named ``value`` (case sensitive) or with id ``value``; raise if none or several."""
        if is_uuid(value) and value in self.by_id:
            return self.by_id[value]
        found = [role for role in self.roles if role.name == value]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise PrefectError(f"{option}: {len(found)} workspace roles are named {value!r}; use the role id instead")
        raise PrefectError(
            f"{option}: no workspace role with name or id {value!r}; valid names are: {_listing(role.name for role in self.roles)}"
        )


# Accessors ------------------------------------------------------------------------------------


def accessor_view(accessor_type, accessor_id, name, actor_id=None):
    return {"accessor_type": accessor_type, "accessor_id": accessor_id, "accessor_name": name, "actor_id": actor_id}


def _user_name(item):
    return item.email or item.handle


def _user_lookup(value):
    """Keyword arguments of ``user_memberships`` / ``user_accesses`` for a user id, e-mail or handle.

    An e-mail is matched regardless of case by the API (``like_``); ``_user_matches`` then keeps
    the exact address, compared without case.
    """
    if is_uuid(value):
        return {"user_ids": [value]}
    if "@" in value:
        return {"email": value}
    return {"handles": [value]}


def _user_matches(item, value, user_id):
    if is_uuid(value):
        return user_id == value
    if "@" in value:
        return (item.email or "").lower() == value.lower()
    return item.handle == value


def _one(found, accessor_type, value, option):
    if len(found) > 1:
        raise PrefectError(
            f"{option}: {len(found)} {ACCESSOR_LABELS[accessor_type]}s match {value!r}; use the id instead"
        )
    return found[0] if found else None


def find_accessor(api, accessor_type, value, option="accessor"):
    """The accessor as ``accessor_view`` (id, name, actor id), or None when it does not exist."""
    if accessor_type == "service_account":
        if is_uuid(value):
            bots = [bot for bot in [api.bot(value)] if bot is not None]
        else:
            bots = [bot for bot in api.bots(names=[value]) if bot.name == value]
        bot = _one(bots, accessor_type, value, option)
        return accessor_view(accessor_type, bot.id, bot.name, bot.actor_id) if bot else None
    if accessor_type == "user":
        users = [m for m in api.user_memberships(**_user_lookup(value)) if m.user_id and _user_matches(m, value, m.user_id)]
        user = _one(users, accessor_type, value, option)
        return accessor_view(accessor_type, user.user_id, _user_name(user), user.actor_id) if user else None
    team = find_team(api, value, option)
    return accessor_view(accessor_type, team.id, team.name) if team else None


def find_team(api, value, option="accessor"):
    """The team with id or name ``value`` as a ``Team`` (with the workspaces it has access to), or None.

    One request. Two teams with one name are an error.
    """
    if is_uuid(value):
        teams = [team for team in api.teams(ids=[value]) if team.id == value]
    else:
        teams = [team for team in api.teams(names=[value]) if team.name == value]
    return _one(teams, "team", value, option)


def team_workspace(team, workspace):
    """The team's access to the workspace with handle or id ``workspace`` (``TeamWorkspaceAccess``), or None.

    ``TeamResponse.workspaces`` lists every workspace the team has access to, with the handle and
    the role id and name, so this answers "which role has the team there" without another request.
    """
    field = "workspace_id" if is_uuid(workspace) else "workspace_handle"
    found = [entry for entry in team.workspaces if getattr(entry, field) == workspace]
    return found[0] if len(found) == 1 else None


def unknown_accessor(accessor_type, value, option="accessor"):
    label = ACCESSOR_LABELS[accessor_type]
    return PrefectError(
        f"{option}: no {label} {value!r} in this account (accessor_type={accessor_type} expects {ACCESSOR_FORMS[accessor_type]})"
    )


# Grants ---------------------------------------------------------------------------------------


def grant_view(access, accessor_type, workspace_handle=None, roles=None):
    """A ``BotAccess`` / ``UserAccess`` / ``TeamAccess`` as a returned grant dict."""
    if accessor_type == "service_account":
        accessor = accessor_view(accessor_type, access.bot_id, access.bot_name, access.actor_id)
    elif accessor_type == "user":
        accessor = accessor_view(accessor_type, access.user_id, _user_name(access), access.actor_id)
    else:
        accessor = accessor_view(accessor_type, access.team_id, access.team_name)
    grant = {"id": access.id, "workspace_id": access.workspace_id, "workspace_handle": workspace_handle}
    grant.update(accessor)
    grant["workspace_role_id"] = access.workspace_role_id
    grant["workspace_role_name"] = roles.name_of(access.workspace_role_id) if roles is not None else None
    return grant


def find_grant(api, workspace_id, accessor_type, value, option="accessor"):
    """The access of the accessor ``value`` (an id, or a name for bots and users) in a workspace.

    One request: the accessor's name is folded into the access filter where the API allows it.
    Teams are matched by id only (resolve a team name with ``find_accessor`` first, so that two
    teams with one name are detected). Raises ``PrefectNotFound`` for an unknown workspace.
    """
    if accessor_type == "service_account":
        if is_uuid(value):
            found = [a for a in api.bot_accesses(workspace_id, bot_ids=[value]) if a.bot_id == value]
        else:
            found = [a for a in api.bot_accesses(workspace_id, bot_names=[value]) if a.bot_name == value]
    elif accessor_type == "user":
        found = [a for a in api.user_accesses(workspace_id, **_user_lookup(value)) if _user_matches(a, value, a.user_id)]
    else:
        found = [a for a in api.team_accesses(workspace_id) if a.team_id == value]
    return _one(found, accessor_type, value, option)


def workspace_grants(api, workspace_id, accessor_types=ACCESSOR_TYPES):
    """Every grant of a workspace as (accessor_type, access model) pairs, bots, then users, then teams."""
    pairs = []
    if "service_account" in accessor_types:
        pairs.extend(("service_account", a) for a in api.bot_accesses(workspace_id))
    if "user" in accessor_types:
        pairs.extend(("user", a) for a in api.user_accesses(workspace_id))
    if "team" in accessor_types:
        pairs.extend(("team", a) for a in api.team_accesses(workspace_id))
    return pairs
