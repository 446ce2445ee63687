# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prefect Cloud operations used by the modules (PRIVATE to this collection).

One method per API operation, named after it, taking and returning models from ``_models``.
Routes, bodies and filter keys follow the OpenAPI document; see shared notes in
``docs/dev/conventions.md``. Lookups that return nothing return ``None`` or ``[]``; deletes of
something already gone return ``False``.
"""

from __future__ import annotations

import datetime

from ._errors import PrefectError, PrefectNotFound
from ._models import (
    AccountRole, Bot, BotAccess, BotKeys, Membership, Me, Team, TeamAccess, UserAccess, Workspace, WorkspaceRole,
    describe_invalid,
)
from ._models import AccountMember, Invitation, TeamDetail  # identity and access (issue 20)


def rfc3339(value):
    """Format an aware datetime (or None) the way the API and the Terraform provider do."""
    if value is None:
        return None
    value = value.astimezone(datetime.timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"


def mask_key(key):
    """The API's masked form of a key: prefix and last four characters (``pnb_...a1b2``)."""
    return f"{key[:4]}...{key[-4:]}"


def _split_created(client, data):
    """Split a ``BotCreateResponse`` into (Bot, plaintext key) and register the key as a secret."""
    api_key = data.get("api_key") if isinstance(data, dict) else None
    if not isinstance(api_key, dict) or not isinstance(api_key.get("key"), str):
        raise client.unexpected("no api_key.key in it, so the new key is unknown")
    api_key = dict(api_key)
    key = api_key.pop("key")
    client.add_secret(key)
    api_key.setdefault("masked_key", mask_key(key))
    return validated(client, Bot, dict(data, api_key=api_key)), key


def validated(client, model, data):
    """``model`` from the answer to the client's last request; another shape is a PrefectResponseError."""
    try:
        return model.model_validate(data)
    except ValueError as exc:  # pydantic-core's ValidationError
        raise client.unexpected(describe_invalid(exc)) from None


def _criteria(**fields):
    """Build a filter criteria object from ``field=[values]`` pairs, skipping None."""
    return {name: {"any_": list(values)} for name, values in fields.items() if values is not None}


class PrefectCloud:
    """Typed operations over a ``PrefectClient``."""

    def __init__(self, client):
        self.client = client
        self._team_grants = {}  # workspace id -> the team grants last listed in this module run

    def _get(self, model, path):
        try:
            return validated(self.client, model, self.client.request("GET", path))
        except PrefectNotFound:
            return None

    def _delete(self, path):
        try:
            self.client.request("DELETE", path)
        except PrefectNotFound:
            return False
        return True

    def _filter(self, model, suffix, body=None):
        return self.filter_models(model, self.client.account_path(suffix), body)

    def filter_models(self, model, path, body=None):
        """Every ``model`` a ``.../filter`` path returns (all pages)."""
        return [validated(self.client, model, item) for item in self.client.filter_all(path, body)]

    # Service accounts (bots) -----------------------------------------------------------------

    def bots(self, names=None, ids=None):
        """All bots, or those with one of ``names`` / ``ids`` (exact match)."""
        criteria = _criteria(name=names, id=ids)
        return self._filter(Bot, "bots/filter", {"service_accounts": criteria} if criteria else None)

    def bot_by_name(self, name):
        """The bot called ``name``, or None. Names are unique per account."""
        found = [bot for bot in self.bots(names=[name]) if bot.name == name]
        if len(found) > 1:
            raise PrefectError(f"{len(found)} service accounts are named {name!r}; use its id instead")
        return found[0] if found else None

    def bot(self, bot_id):
        return self._get(Bot, self.client.account_path(f"bots/{bot_id}"))

    def create_bot(self, name, account_role_id=None, api_key_expiration=None):
        """Create a bot; return (Bot, plaintext key). The key is never readable again."""
        body = {"name": name}
        if account_role_id is not None:
            body["account_role_id"] = account_role_id
        if api_key_expiration is not None:
            body["api_key_expiration"] = rfc3339(api_key_expiration)
        return _split_created(self.client, self.client.request("POST", self.client.account_path("bots/"), body))

    def update_bot(self, bot_id, **fields):
        """PATCH the given ``BotUpdate`` fields (name, account_role_id)."""
        self.client.request("PATCH", self.client.account_path(f"bots/{bot_id}"), fields)

    def delete_bot(self, bot_id):
        return self._delete(self.client.account_path(f"bots/{bot_id}"))

    def rotate_bot_key(self, bot_id, api_key_expiration=None, old_key_expires_in_seconds=None):
        """Issue a new active key; return (Bot, plaintext key).

        With ``old_key_expires_in_seconds`` None the API deletes the old key at once; otherwise the
        old key keeps working for that many seconds (at most 172800).
        """
        body = {
            "api_key_expiration": rfc3339(api_key_expiration),
            "old_key_expires_in_seconds": old_key_expires_in_seconds,
        }
        path = self.client.account_path(f"bots/{bot_id}/rotate_api_key")
        return _split_created(self.client, self.client.request("POST", path, body))

    def bot_keys(self, bot_id):
        """The active key and the rotating (grace period) keys of a bot, or None if it is gone."""
        return self._get(BotKeys, self.client.account_path(f"bots/{bot_id}/read_bot_api_keys"))

    # Roles and workspaces --------------------------------------------------------------------

    def account_roles(self, names=None):
        criteria = _criteria(name=names)
        return self._filter(AccountRole, "account_roles/filter", {"account_roles": criteria} if criteria else None)

    def account_role(self, role_id):
        return self._get(AccountRole, self.client.account_path(f"account_roles/{role_id}"))

    def workspace_roles(self, names=None):
        criteria = _criteria(name=names)
        return self._filter(WorkspaceRole, "workspace_roles/filter", {"workspace_roles": criteria} if criteria else None)

    def workspace_role(self, role_id):
        return self._get(WorkspaceRole, self.client.account_path(f"workspace_roles/{role_id}"))

    def workspaces(self, handles=None, ids=None):
        criteria = _criteria(handle=handles, id=ids)
        return self._filter(Workspace, "workspaces/filter", {"workspaces": criteria} if criteria else None)

    def workspace(self, workspace_id):
        return self._get(Workspace, self.client.account_path(f"workspaces/{workspace_id}"))

    # Users and teams (as accessors) ----------------------------------------------------------

    def user_memberships(self, emails=None, handles=None, user_ids=None):
        criteria = _criteria(email=emails, handle=handles, user_id=user_ids)
        body = {"only_users": True}
        if criteria:
            body["account_memberships"] = criteria
        return self._filter(Membership, "account_memberships/filter", body)

    def teams(self, names=None, ids=None):
        criteria = _criteria(name=names, id=ids)
        return self._filter(Team, "teams/filter", {"teams": criteria} if criteria else None)

    # Workspace access ------------------------------------------------------------------------

    def _ws(self, workspace_id, suffix):
        return self.client.account_path(f"workspaces/{workspace_id}/{suffix}")

    def bot_accesses(self, workspace_id, bot_ids=None):
        body = {"bots": _criteria(id=bot_ids)} if bot_ids is not None else None
        return self.filter_models(BotAccess, self._ws(workspace_id, "bot_access/filter"), body)

    def upsert_bot_access(self, workspace_id, bot_id, workspace_role_id):
        body = {"bot_id": bot_id, "workspace_role_id": workspace_role_id}
        data = self.client.request("POST", self._ws(workspace_id, "bot_access/"), body, idempotent=True)
        return validated(self.client, BotAccess, data)

    def delete_bot_access(self, workspace_id, access_id):
        return self._delete(self._ws(workspace_id, f"bot_access/{access_id}"))

    def user_accesses(self, workspace_id, user_ids=None):
        body = {"users": _criteria(id=user_ids)} if user_ids is not None else None
        return self.filter_models(UserAccess, self._ws(workspace_id, "user_access/filter"), body)

    def upsert_user_access(self, workspace_id, user_id, workspace_role_id):
        body = {"user_id": user_id, "workspace_role_id": workspace_role_id}
        data = self.client.request("POST", self._ws(workspace_id, "user_access/"), body, idempotent=True)
        return validated(self.client, UserAccess, data)

    def delete_user_access(self, workspace_id, access_id):
        return self._delete(self._ws(workspace_id, f"user_access/{access_id}"))

    def team_accesses(self, workspace_id):
        """Every team grant of a workspace (the team filter has no criteria, only paging)."""
        grants = self.filter_models(TeamAccess, self._ws(workspace_id, "team_access/filter"))
        self._team_grants[workspace_id] = grants
        return grants

    def upsert_team_access(self, workspace_id, team_id, workspace_role_id):
        """Grant a team a role by PUTting the workspace's whole team-grant set with this grant set.

        Whether PUT ``team_access/`` merges into or replaces the set is UNCONFIRMED. The Terraform
        provider sends only the one grant, which would drop every other team's grant if it replaces;
        sending all current grants (listed in this run, or now) gives the same result either way.
        """
        current = self._team_grants.get(workspace_id)
        if current is None:
            current = self.team_accesses(workspace_id)
        body = [{"team_id": g.team_id, "workspace_role_id": g.workspace_role_id} for g in current if g.team_id != team_id]
        body.append({"team_id": team_id, "workspace_role_id": workspace_role_id})
        self._team_grants.pop(workspace_id, None)
        data = self.client.request("PUT", self._ws(workspace_id, "team_access/"), body)
        for item in data if isinstance(data, list) else ():
            if isinstance(item, dict) and item.get("team_id") == team_id:
                return validated(self.client, TeamAccess, item)
        raise self.client.unexpected(f"no grant of team {team_id} in it")

    def delete_team_access(self, workspace_id, team_id):
        """Delete a team grant; note the path takes the TEAM id, not the access id."""
        return self._delete(self._ws(workspace_id, f"team_access/{team_id}"))

    # Identity ---------------------------------------------------------------------------------

    def me(self):
        """Who the API key belongs to."""
        return validated(self.client, Me, self.client.request("GET", "me/"))

    # Identity and access: workspace roles, teams and members, account members (issue 20) -------

    def create_workspace_role(self, name, description, scopes, inherited_role_id=None):
        """Create a custom workspace role (201 with the role)."""
        body = {"name": name, "description": description, "scopes": list(scopes), "inherited_role_id": inherited_role_id}
        data = self.client.request("POST", self.client.account_path("workspace_roles/"), body)
        return validated(self.client, WorkspaceRole, data)

    def update_workspace_role(self, role_id, **fields):
        """PATCH the given ``WorkspaceRoleUpdate`` fields (name, description, scopes, inherited_role_id)."""
        self.client.request("PATCH", self.client.account_path(f"workspace_roles/{role_id}"), fields)

    def delete_workspace_role(self, role_id):
        return self._delete(self.client.account_path(f"workspace_roles/{role_id}"))

    def team_details(self, names=None, ids=None):
        """Teams with their members and workspaces: all, or those with one of ``names`` / ``ids``."""
        criteria = _criteria(name=names, id=ids)
        return self._filter(TeamDetail, "teams/filter", {"teams": criteria} if criteria else None)

    def team_detail(self, team_id):
        return self._get(TeamDetail, self.client.account_path(f"teams/{team_id}"))

    def create_team(self, name, description=""):
        data = self.client.request("POST", self.client.account_path("teams/"), {"name": name, "description": description})
        return validated(self.client, TeamDetail, data)

    def update_team(self, team_id, name, description, workos_directory_group_id=None):
        """PUT the team's metadata. Whether PUT keeps fields it is not sent is UNCONFIRMED, so every
        field is sent, unchanged ones with their current value."""
        body = {"name": name, "description": description, "workos_directory_group_id": workos_directory_group_id}
        self.client.request("PUT", self.client.account_path(f"teams/{team_id}"), body)

    def delete_team(self, team_id):
        return self._delete(self.client.account_path(f"teams/{team_id}"))

    def upsert_team_members(self, team_id, members):
        """PUT ``members`` ((member id, member type) pairs: the user id or the bot id, not the actor id)."""
        body = {"members": [{"member_id": member_id, "member_type": kind} for member_id, kind in members]}
        self.client.request("PUT", self.client.account_path(f"teams/{team_id}/members"), body)

    def remove_team_member(self, team_id, actor_id):
        """Remove a member by ACTOR id; False when it was not a member."""
        return self._delete(self.client.account_path(f"teams/{team_id}/members/{actor_id}"))

    def account_members(self, user_ids=None, handles=None, email_like=None):
        """The account's users (``only_users``): all, or by user ids / handles (exact) or by an e-mail
        substring that matches regardless of case (``like_``; the caller compares exactly)."""
        criteria = _criteria(user_id=user_ids, handle=handles)
        if email_like is not None:
            criteria["email"] = {"like_": email_like}
        body = {"only_users": True}
        if criteria:
            body["account_memberships"] = criteria
        return self._filter(AccountMember, "account_memberships/filter", body)

    def update_account_membership(self, membership_id, account_role_id):
        body = {"account_role_id": account_role_id}
        self.client.request("PATCH", self.client.account_path(f"account_memberships/{membership_id}"), body)

    def delete_account_membership(self, membership_id):
        return self._delete(self.client.account_path(f"account_memberships/{membership_id}"))

    def invitations(self, email_like=None, statuses=None):
        """Invitations to the account: all, or by an e-mail substring (any case) and statuses."""
        criteria = _criteria(status=statuses)
        if email_like is not None:
            criteria["email"] = {"like_": email_like}
        return self._filter(Invitation, "invitations/filter", {"invitations": criteria} if criteria else None)

    def create_invitation(self, email, account_role_id):
        """Invite one e-mail address (the API revokes that address's pending invitations)."""
        data = self.client.request("POST", self.client.account_path("invitations/"),
                                   [{"email": email, "account_role_id": account_role_id}])
        if not isinstance(data, list) or len(data) != 1:
            raise self.client.unexpected("not a list of one invitation")
        return validated(self.client, Invitation, data[0])

    def revoke_invitation(self, invitation_id):
        return self._delete_like("POST", self.client.account_path(f"invitations/{invitation_id}/revoke"))

    def _delete_like(self, method, path):
        try:
            self.client.request(method, path)
        except PrefectNotFound:
            return False
        return True
