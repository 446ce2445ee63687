# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Identity and access helpers of workspace_role, team and account_member (PRIVATE to this collection).

The valid workspace scope names, the returned forms of teams and account members, and the one
place that turns user and service-account names, e-mail addresses and ids into actors from lists
read once per run (``Actors``).
"""

from __future__ import annotations

import difflib

from ._base import MAX_TEXT, invisible, is_uuid, shown
from ._errors import PrefectError

# The OpenAPI document's ``WorkspaceScopeName`` enum, in its order.
WORKSPACE_SCOPES = (
    "see_flows", "manage_saved_search", "run_flows", "manage_flows", "run_tasks", "see_blocks", "see_secret_blocks",
    "manage_blocks", "see_deployments", "run_deployments", "write_deployments", "manage_deployments", "see_notifications",
    "write_notifications", "manage_notifications", "see_workspace_settings", "write_workspace_settings",
    "manage_workspace_settings", "see_workspace_users", "manage_workspace_users", "see_workspace_service_accounts",
    "manage_workspace_service_accounts", "manage_workspace_teams", "see_work_queues", "write_work_queues",
    "manage_work_queues", "see_concurrency_limits", "manage_concurrency_limits", "see_events", "manage_events",
    "see_event_publications", "manage_event_publications", "see_event_subscriptions", "manage_event_subscriptions",
    "see_automations", "manage_automations", "see_work_pools", "write_work_pools", "manage_work_pools", "see_workers",
    "write_workers", "manage_workers", "see_artifacts", "write_artifacts", "manage_artifacts", "see_variables",
    "write_variables", "manage_variables", "manage_acls", "see_incidents", "write_incidents", "manage_incidents",
    "manage_mex_storage", "manage_mex_deploy", "see_tags", "manage_tags", "see_assets", "write_assets", "manage_assets",
    "see_webhooks", "manage_webhooks",
)
ROLE_DESCRIPTION_MAX = 140  # WorkspaceRoleCreate.description maxLength
MEMBER_TYPES = ("user", "service_account")


def listing(names, limit=None):
    """``a, b, c`` sorted (``none`` when empty), cut after ``limit`` names."""
    names = sorted(set(names))
    text = ", ".join(names[:limit] if limit else names)
    if limit and len(names) > limit:
        text += f", ... ({len(names) - limit} more)"
    return text or "none"


def _grouped_scopes():
    """Every scope, those of one object together: ``see/run/manage_flows, manage_saved_search, ...``
    (the full list, one name after another, would make an error message of over 1000 characters)."""
    groups = {}
    for scope in WORKSPACE_SCOPES:
        verb, dummy, obj = scope.partition("_")
        groups.setdefault(obj, []).append(verb)
    return ", ".join(f"{'/'.join(verbs)}_{obj}" for obj, verbs in groups.items())


def check_scopes(scopes, option="scopes"):
    """The scopes as a sorted list without duplicates; unknown names are an error listing the valid ones."""
    unknown = sorted({scope for scope in scopes if scope not in WORKSPACE_SCOPES})
    if unknown:
        names = ", ".join(shown(scope) for scope in unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        close = difflib.get_close_matches(unknown[0].lower(), WORKSPACE_SCOPES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise PrefectError(f"{option}: unknown workspace scope {names}{hint}; valid scopes are: {_grouped_scopes()} "
                           "(see/run/manage_flows stands for see_flows, run_flows and manage_flows)")
    return sorted(set(scopes))


def check_names(values, option):
    """The entries of a list option of names, e-mail addresses or ids, checked as the base checks a
    text option (not empty, not too long, no invisible characters); ids in lower case."""
    checked = []
    for index, value in enumerate(values):
        label = f"{option}[{index}]"
        if not value.strip():
            raise PrefectError(f"{label} must not be empty")
        if len(value) > MAX_TEXT:
            raise PrefectError(f"{label} must be at most {MAX_TEXT} characters, got {len(value)}")
        char = invisible(value)
        if char is not None:
            raise PrefectError(f"{label} must not contain control or invisible format characters such as a line break "
                               f"or U+202E, got U+{ord(char):04X} in {shown(value)}")
        checked.append(value.lower() if is_uuid(value) else value)
    return checked


def user_label(user):
    """How a user is named in diffs: the e-mail address, else the handle."""
    return user.email or user.handle


def user_matches(user, value):
    """True when the user has id, e-mail (without case) or handle ``value``."""
    if is_uuid(value):
        return user.user_id == value
    if "@" in value:
        return (user.email or "").lower() == value.lower()
    return user.handle == value


# Account members -----------------------------------------------------------------------------


def member_result(member):
    """The returned form of an account member (``AccountMember``)."""
    data = member.to_result()
    keys = ("id", "user_id", "actor_id", "email", "handle", "first_name", "last_name", "account_role_id",
            "account_role_name", "active", "last_login")
    return {key: data.get(key) for key in keys}


def find_member(api, value, option="user"):
    """The account member with user id, e-mail (without case) or handle ``value``, or None (one request)."""
    if is_uuid(value):
        found = api.account_members(user_ids=[value])
    elif "@" in value:
        found = api.account_members(email_like=value)
    else:
        found = api.account_members(handles=[value])
    found = [member for member in found if user_matches(member, value)]
    if len(found) > 1:
        raise PrefectError(f"{option}: {len(found)} account members match {value!r}; use the user id instead")
    return found[0] if found else None


# Teams ---------------------------------------------------------------------------------------


def team_member_view(actor_id, kind, name, email):
    return {"actor_id": actor_id, "type": kind, "name": name, "email": email}


def sort_members(members):
    return sorted(members, key=lambda m: (m["type"], (m["email"] or m["name"] or "").lower(), m["actor_id"]))


def team_result(team_id, name, description, members, workspaces):
    """The returned form of a team; ``members`` are ``team_member_view`` dicts."""
    return {"id": team_id, "name": name, "description": description, "members": sort_members(members),
            "workspaces": workspaces}


def team_detail_result(team):
    """The returned form of a ``TeamDetail`` as read from the API."""
    members = [team_member_view(m.id, m.type, m.name, m.email) for m in team.memberships]
    workspaces = [w.to_result() for w in team.workspaces]
    return team_result(team.id, team.name, team.description or "", members, workspaces)


def member_label(member):
    """How a team member is named in diffs: ``user:alice@example.com``, ``service_account:ci``."""
    return f"{member['type']}:{member['email'] or member['name']}" if member["type"] == "user" else \
        f"{member['type']}:{member['name']}"


class Actors:
    """The account's service accounts and users, each list read at most once per run."""

    def __init__(self, api):
        self.api = api
        self._bots = None
        self._users = None

    def bots(self):
        if self._bots is None:
            self._bots = self.api.bots()
        return self._bots

    def users(self):
        if self._users is None:
            self._users = self.api.account_members()
        return self._users

    def service_account(self, value, option="service_accounts"):
        """(bot id, ``team_member_view``) for a service account name or id; an error when there is none."""
        found = [bot for bot in self.bots() if (bot.id == value if is_uuid(value) else bot.name == value)]
        if len(found) != 1:
            what = "id" if is_uuid(value) else "name"
            problem = f"{len(found)} service accounts are named {value!r}; use the id instead" if found else \
                f"no service account with {what} {value!r} in this account"
            raise PrefectError(f"{option}: {problem}")
        bot = found[0]
        return bot.id, team_member_view(bot.actor_id, "service_account", bot.name, None)

    def user(self, value, option="users"):
        """(user id, ``team_member_view``) for a user e-mail, handle or id; an error when there is none."""
        found = [user for user in self.users() if user_matches(user, value)]
        if len(found) != 1:
            problem = f"{len(found)} users match {value!r}; use the user id instead" if found else \
                f"no user with e-mail, handle or id {value!r} in this account"
            raise PrefectError(f"{option}: {problem}")
        user = found[0]
        name = " ".join(part for part in (user.first_name, user.last_name) if part)
        return user.user_id, team_member_view(user.actor_id, "user", name, user.email)

    def member_id(self, actor_id, kind):
        """The user id or bot id (what ``PUT teams/{id}/members`` takes) of an actor, or None."""
        items = self.users() if kind == "user" else self.bots()
        for item in items:
            if item.actor_id == actor_id:
                return item.user_id if kind == "user" else item.id
        return None
