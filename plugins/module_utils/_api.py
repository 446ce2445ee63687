# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prefect Cloud operations used by the modules (PRIVATE to this collection).

One method per API operation, named after it, taking and returning models from ``_models``; a
plain GET or DELETE of one account route is a ``_reader`` / ``_remover`` line (its keys, ids or
names, each one quoted path segment).
Routes, bodies and filter keys follow the OpenAPI document; see shared notes in
``docs/dev/conventions.md``. Lookups that return nothing return ``None`` or ``[]``; deletes of
something already gone return ``False``.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote

from ._errors import (
    PrefectAPIError, PrefectConflict, PrefectError, PrefectNotFound, PrefectOutcomeUnknown, PrefectResponseError,
    PrefectResponseLost, PrefectTransportError,
)
from ._models import (
    AccountMember, AccountMembershipSetActive, AccountMembershipUpdate, AccountRole, APIKey, APIKeyCreate, BlockDocument, Bot,
    BotAccess, BotCreate, BotCreated, BotKeys, BotRotateAPIKey, BotUpdate, CreatedUserAPIKey, Criteria, Deployment, Filter, Flow,
    Invitation, InvitationCreate, Match, Me, ObjectAccess, ObjectAccessBody, Team, TeamAccess, TeamCreate, TeamMembersUpsert,
    TeamMembershipCreate, TeamUpdate, UserAccess, WorkPool, Workspace, WorkspaceBotAccessCreate, WorkspaceCreate,
    WorkspaceInvitation, WorkspaceInvitationCreate, WorkspaceRole, WorkspaceRoleCreate, WorkspaceRoleUpdate,
    WorkspaceTeamAccessCreate, WorkspaceUpdate, WorkspaceUserAccessCreate, describe_invalid,
)
from ._values import shown

_FAILED = (PrefectAPIError, PrefectTransportError, PrefectResponseError)


def rfc3339(value):
    """Format an aware datetime (or None) the way the API and the Terraform provider do."""
    if value is None:
        return None
    value = value.astimezone(datetime.timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"


def utc(value):
    """An aware datetime (or None) in UTC, as the API is sent it."""
    return None if value is None else value.astimezone(datetime.timezone.utc)


def validated(client, model, data):
    """``model`` from the answer to the client's last request; another shape is a PrefectResponseError."""
    try:
        return model.model_validate(data)
    except ValueError as exc:  # pydantic's ValidationError
        raise client.unexpected(describe_invalid(exc)) from None


def match(values):
    """An exact-match criterion for ``values``, or None (no criterion) when ``values`` is None."""
    return None if values is None else Match(any_=list(values))


def like(text):
    """A case-insensitive substring criterion for ``text``, or None (no criterion) when ``text`` is None."""
    return None if text is None else Match(like_=text)


def _given(**fields):
    """The fields that are not None (for bodies whose absent fields mean "not set")."""
    return {name: value for name, value in fields.items() if value is not None}


def _route(client, route, keys):
    """The account's ``route`` with its ``{}`` filled with ``keys`` (ids, names), each one path segment."""
    return client.account_path(route.format(*(quote(key, safe="") for key in keys)))


def _reader(model, route):
    """The method ``(self, *keys)`` that GETs the account's ``route`` (its ``{}`` filled with
    ``keys``) as ``model``: None when the API answers 404 (no such object)."""
    return lambda self, *keys: self._get(model, _route(self.client, route, keys))


def _remover(route):
    """The method ``(self, *keys)`` that DELETEs the account's ``route`` (its ``{}`` filled with
    ``keys``): False when the API answers 404 (already gone)."""
    return lambda self, *keys: self._delete(_route(self.client, route, keys))


class PrefectCloud:
    """Typed operations over a ``PrefectClient``."""

    def __init__(self, client):
        self.client = client

    def _get(self, model, path):
        try:
            return validated(self.client, model, self.client.request("GET", path))
        except PrefectNotFound:
            return None

    def _delete(self, path, method="DELETE"):
        """Send a request that removes something (a DELETE, or a POST such as a revoke); False when
        the API answers 404 (already gone)."""
        try:
            self.client.request(method, path)
        except PrefectNotFound:
            return False
        return True

    def _filter(self, model, path, **sections):
        """Every ``model`` the ``.../filter`` route at ``path`` returns (all pages) for the ``Filter``
        ``sections`` given (none: every object)."""
        return self._list(model, self.client.filter_all(path, Filter(**sections)))

    def _list(self, model, data, what="items"):
        """``model`` for each item of the answer ``data``, a JSON list of ``what``."""
        if not isinstance(data, list):
            raise self.client.unexpected(f"a JSON {type(data).__name__} where a list of {what} was expected")
        return [validated(self.client, model, item) for item in data]

    def _sent_once(self, path, body, parse, what, applied, lost=None):
        """POST a create or a key rotation and ``parse`` its answer; it is never sent again.

        After a failure that may come after the server applied it, read back once (``applied()``
        returns what shows it applied, or None): ``PrefectResponseLost`` (with the message ``lost``
        when given) if it was applied, else ``PrefectOutcomeUnknown`` (also when the read-back fails).
        """
        try:
            return parse(self.client.request("POST", path, body))
        except _FAILED as exc:
            if not exc.maybe_applied:
                raise
            try:
                found = applied()
            except PrefectError:  # the read-back failed too: the outcome stays unknown
                found = None
            if found is None:
                raise PrefectOutcomeUnknown(exc, what) from None
            raise PrefectResponseLost(exc, what, found, lost) from None

    def _with_key(self, data, model=BotCreated):
        """Split an answer with a new plaintext key (``BotCreateResponse``, or with ``model``
        ``CreatedUserAPIKey`` a user's ``APIKeyCreateResponse``) into (Bot or APIKey, key); the key is
        registered as a secret before anything else, and the metadata get its masked form (the
        API's: prefix and last four characters, ``pnb_...a1b2``)."""
        nested = model is BotCreated
        new = data.get("api_key") if nested and isinstance(data, dict) else data
        self.client.add_secret(new.get("key") if isinstance(new, dict) and isinstance(new.get("key"), str) else None)
        created = validated(self.client, model, data)
        new = created.api_key if nested else created
        meta = APIKey.model_validate(dict(new.model_dump(exclude={"key"}), masked_key=f"{new.key[:4]}...{new.key[-4:]}"))
        return (Bot.model_validate(dict(created.model_dump(), api_key=meta)) if nested else meta), new.key

    # Service accounts (bots) -----------------------------------------------------------------

    def bots(self, names=None, ids=None):
        """All bots, or those with one of ``names`` / ``ids`` (exact match)."""
        return self._filter(Bot, self.client.account_path("bots/filter"), service_accounts=Criteria(name=match(names), id=match(ids)))

    def bot_by_name(self, name):
        """The bot called ``name``, or None. Names are unique per account."""
        found = [bot for bot in self.bots(names=[name]) if bot.name == name]
        if len(found) > 1:
            raise PrefectError(f"{len(found)} service accounts are named {name!r}; use its id instead")
        return found[0] if found else None

    bot = _reader(Bot, "bots/{}")

    def create_bot(self, name, account_role_id=None, api_key_expiration=None):
        """Create a bot; return (Bot, plaintext key). The key is never readable again.

        Raises ``PrefectConflict`` when an account with this name exists (HTTP 409; or 422 with the
        account found: the status of a duplicate name is UNCONFIRMED). After an answer that may
        come after the server applied the create, the account is looked up by name instead of
        sending it again: ``PrefectResponseLost`` if it exists, else ``PrefectOutcomeUnknown``.
        """
        body = BotCreate(name=name, **_given(account_role_id=account_role_id, api_key_expiration=utc(api_key_expiration)))
        try:
            return self._sent_once(self.client.account_path("bots/"), body, self._with_key,
                                   f"the creation of service account {name!r}", lambda: self.bot_by_name(name))
        except PrefectAPIError as exc:
            if exc.status != 422 or self.bot_by_name(name) is None:
                raise
            raise PrefectConflict(exc.method, exc.path, 409, exc.detail, exc.attempts) from None

    def update_bot(self, bot_id, name=None, account_role_id=None):
        """PATCH the ``BotUpdate`` fields that are given."""
        body = BotUpdate(**_given(name=name, account_role_id=account_role_id))
        self.client.request("PATCH", self.client.account_path(f"bots/{bot_id}"), body)

    delete_bot = _remover("bots/{}")

    def rotate_bot_key(self, bot, api_key_expiration=None, old_key_expires_in_seconds=None):
        """Issue a new active key for ``bot``; return (Bot, plaintext key).

        With ``old_key_expires_in_seconds`` None the API deletes the old key at once; otherwise the
        old key keeps working for that many seconds (at most 172800). After an answer that may
        come after the server applied the rotation, the account is read back instead of sending it
        again (a rotation applied twice leaves an active key nobody received): a new active key id
        raises ``PrefectResponseLost``, the old one ``PrefectOutcomeUnknown``.
        """
        body = BotRotateAPIKey(api_key_expiration=utc(api_key_expiration), old_key_expires_in_seconds=old_key_expires_in_seconds)

        def rotated():
            current = self.bot(bot.id)
            return current if current is not None and current.api_key.id != bot.api_key.id else None
        return self._sent_once(self.client.account_path(f"bots/{bot.id}/rotate_api_key"), body, self._with_key,
                               f"the rotation of the API key of service account {bot.name!r}", rotated)

    # The active key and the rotating (grace period) keys of a bot, or None if it is gone.
    bot_keys = _reader(BotKeys, "bots/{}/read_bot_api_keys")

    # Roles and workspaces --------------------------------------------------------------------

    def account_roles(self, names=None):
        return self._filter(AccountRole, self.client.account_path("account_roles/filter"), account_roles=Criteria(name=match(names)))

    account_role = _reader(AccountRole, "account_roles/{}")

    def workspace_roles(self, names=None):
        return self._filter(WorkspaceRole, self.client.account_path("workspace_roles/filter"), workspace_roles=Criteria(name=match(names)))

    workspace_role = _reader(WorkspaceRole, "workspace_roles/{}")

    def workspaces(self, handles=None, ids=None):
        criteria = Criteria(handle=match(handles), id=match(ids))
        return self._filter(Workspace, self.client.account_path("workspaces/filter"), workspaces=criteria)

    workspace = _reader(Workspace, "workspaces/{}")

    # Workspace access ------------------------------------------------------------------------

    def _ws(self, workspace_id, suffix):
        return self.client.account_path(f"workspaces/{workspace_id}/{suffix}")

    def bot_accesses(self, workspace_id, bot_ids=None, bot_names=None):
        """Grants of a workspace to bots: all, or those of ``bot_ids`` or ``bot_names`` (exact)."""
        return self._filter(BotAccess, self._ws(workspace_id, "bot_access/filter"), bots=Criteria(id=match(bot_ids), name=match(bot_names)))

    def upsert_bot_accesses(self, workspace_id, pairs):
        """Grant many bots a role each in one request: ``pairs`` of (bot id, role id), at most one
        page (200). The route takes an array of ``WorkspaceBotAccessCreate`` and answers an array."""
        body = [WorkspaceBotAccessCreate(bot_id=bot_id, workspace_role_id=role_id) for bot_id, role_id in pairs]
        data = self.client.request("POST", self._ws(workspace_id, "bot_access/"), body, idempotent=True)  # an upsert
        return self._list(BotAccess, data, "grants")

    delete_bot_access = _remover("workspaces/{}/bot_access/{}")  # (workspace id, access id)

    def user_accesses(self, workspace_id, user_ids=None, handles=None, email=None):
        """Grants of a workspace to users: all, or those of ``user_ids`` / ``handles`` (exact) or
        ``email`` (regardless of case)."""
        criteria = Criteria(id=match(user_ids), handle=match(handles), email=like(email))
        return self._filter(UserAccess, self._ws(workspace_id, "user_access/filter"), users=criteria)

    def upsert_user_accesses(self, workspace_id, pairs):
        """Grant many users a role each in one request: ``pairs`` of (user id, role id), at most 200."""
        body = [WorkspaceUserAccessCreate(user_id=user_id, workspace_role_id=role_id) for user_id, role_id in pairs]
        data = self.client.request("POST", self._ws(workspace_id, "user_access/"), body, idempotent=True)  # an upsert
        return self._list(UserAccess, data, "grants")

    delete_user_access = _remover("workspaces/{}/user_access/{}")  # (workspace id, access id)

    def team_accesses(self, workspace_id):
        """Every team grant of a workspace (the team filter has no criteria, only paging)."""
        return self._filter(TeamAccess, self._ws(workspace_id, "team_access/filter"))

    def put_team_accesses(self, workspace_id, pairs):
        """PUT the workspace's whole team-grant set: ``pairs`` of (team id, role id), every team grant
        that is to remain. Whether the PUT merges into or replaces the set is UNCONFIRMED (the
        Terraform provider sends only the one grant, which would drop every other team's grant if it
        replaces); a set that holds every grant to keep gives the same result either way, and grants
        to remove are deleted one by one afterwards."""
        body = [WorkspaceTeamAccessCreate(team_id=team_id, workspace_role_id=role_id) for team_id, role_id in pairs]
        return self._list(TeamAccess, self.client.request("PUT", self._ws(workspace_id, "team_access/"), body), "grants")

    # A team grant is deleted by (workspace id, TEAM id): the path takes the team id, not the access id.
    delete_team_access = _remover("workspaces/{}/team_access/{}")

    # Identity ---------------------------------------------------------------------------------

    def me(self):
        """Who the API key belongs to."""
        return validated(self.client, Me, self.client.request("GET", "me/"))

    # Identity and access: workspace roles, teams and members, account members -------

    def create_workspace_role(self, name, description, scopes, inherited_role_id=None):
        """Create a custom workspace role (201 with the role)."""
        body = WorkspaceRoleCreate(name=name, description=description, scopes=list(scopes), inherited_role_id=inherited_role_id)
        data = self.client.request("POST", self.client.account_path("workspace_roles/"), body)
        return validated(self.client, WorkspaceRole, data)

    def update_workspace_role(self, role_id, **fields):
        """PATCH the given ``WorkspaceRoleUpdate`` fields (name, description, scopes, inherited_role_id)."""
        self.client.request("PATCH", self.client.account_path(f"workspace_roles/{role_id}"), WorkspaceRoleUpdate(**fields))

    delete_workspace_role = _remover("workspace_roles/{}")

    def teams(self, names=None, ids=None):
        """Teams with their members and workspaces: all, or those with one of ``names`` / ``ids``."""
        return self._filter(Team, self.client.account_path("teams/filter"), teams=Criteria(name=match(names), id=match(ids)))

    team_detail = _reader(Team, "teams/{}")

    def create_team(self, name, description=""):
        data = self.client.request("POST", self.client.account_path("teams/"), TeamCreate(name=name, description=description))
        return validated(self.client, Team, data)

    def update_team(self, team_id, name, description, workos_directory_group_id=None):
        """PUT the team's metadata. Whether PUT keeps fields it is not sent is UNCONFIRMED, so every
        field is sent, unchanged ones with their current value."""
        body = TeamUpdate(name=name, description=description, workos_directory_group_id=workos_directory_group_id)
        self.client.request("PUT", self.client.account_path(f"teams/{team_id}"), body)

    delete_team = _remover("teams/{}")

    def upsert_team_members(self, team_id, members):
        """PUT ``members`` ((member id, member type) pairs: the user id or the bot id, not the actor id)."""
        body = TeamMembersUpsert(members=[TeamMembershipCreate(member_id=member_id, member_type=kind) for member_id, kind in members])
        self.client.request("PUT", self.client.account_path(f"teams/{team_id}/members"), body)

    # Remove a member by (team id, ACTOR id); False when it was not a member.
    remove_team_member = _remover("teams/{}/members/{}")

    def account_members(self, user_ids=None, handles=None, email=None):
        """The account's users (``only_users``): all, or by user ids / handles (exact) or by an e-mail
        that matches regardless of case (``like_``, a substring: the caller compares exactly)."""
        criteria = Criteria(user_id=match(user_ids), handle=match(handles), email=like(email))
        return self._filter(AccountMember, self.client.account_path("account_memberships/filter"), account_memberships=criteria, only_users=True)

    def update_account_membership(self, membership_id, account_role_id=None, active=None):
        """Change a user's account role and/or deactivate (``active=False``) or reactivate the
        membership: one PATCH for each field given (the API has a route for each)."""
        path = self.client.account_path(f"account_memberships/{membership_id}")
        if account_role_id is not None:
            self.client.request("PATCH", path, AccountMembershipUpdate(account_role_id=account_role_id))
        if active is not None:
            self.client.request("PATCH", path + "/active", AccountMembershipSetActive(active=active))

    delete_account_membership = _remover("account_memberships/{}")

    def invitations(self, email_like=None, statuses=None, workspace_id=None):
        """Invitations to the account, or to the workspace ``workspace_id`` (``WorkspaceInvitation``):
        all, or by an e-mail (any case, substring) and statuses."""
        criteria = Criteria(email=like(email_like), status=match(statuses))
        if workspace_id is None:
            return self._filter(Invitation, self.client.account_path("invitations/filter"), invitations=criteria)
        return self._filter(WorkspaceInvitation, self._ws(workspace_id, "invitations/filter"), workspace_invitations=criteria)

    def create_invitation(self, email, account_role_id):
        """Invite one e-mail address (the API revokes that address's pending invitations).

        Not sent again after an ambiguous answer (a POST that creates); the module's next run reads
        the pending invitations first, so a re-run converges."""
        body = [InvitationCreate(email=email, account_role_id=account_role_id)]
        data = self.client.request("POST", self.client.account_path("invitations/"), body)
        if not isinstance(data, list) or len(data) != 1:
            raise self.client.unexpected("not a list of one invitation")
        return validated(self.client, Invitation, data[0])

    # Object access: deployments, block documents, work pools ----------------------------------

    deployment_by_name = _reader(Deployment, "workspaces/{}/deployments/name/{}/{}")  # (workspace id, flow, name)
    block_document_by_name = _reader(BlockDocument, "workspaces/{}/block_types/slug/{}/block_documents/name/{}")

    def object_access(self, workspace_id, path):
        """The ACL of the object at ``path`` (``deployments/{id}``, ``block_documents/{id}``,
        ``work_pools/{name}``), or None when there is no such object."""
        return self._get(ObjectAccess, self._ws(workspace_id, f"{path}/access"))

    def set_object_access(self, workspace_id, path, access_control):
        """PUT the whole ACL (a ``ReplaceObjectAccess``) of the object at ``path`` (204)."""
        self.client.request("PUT", self._ws(workspace_id, f"{path}/access"), ObjectAccessBody(access_control=access_control))

    def deployments(self, workspace_id, ids=None, names=None, flow_names=None):
        return self._filter(Deployment, self._ws(workspace_id, "deployments/filter"),
                            deployments=Criteria(id=match(ids), name=match(names)), flows=Criteria(name=match(flow_names)))

    def block_documents(self, workspace_id, ids=None, names=None, slugs=None):
        return self._filter(BlockDocument, self._ws(workspace_id, "block_documents/filter"),
                            block_documents=Criteria(id=match(ids), name=match(names)), block_types=Criteria(slug=match(slugs)))

    def work_pools(self, workspace_id, ids=None, names=None):
        return self._filter(WorkPool, self._ws(workspace_id, "work_pools/filter"), work_pools=Criteria(id=match(ids), name=match(names)))

    def flows(self, workspace_id, ids=None):
        """The flows of the workspace (all, or those of ``ids``): the names of deployments' flows."""
        return self._filter(Flow, self._ws(workspace_id, "flows/filter"), flows=Criteria(id=match(ids)))

    # Workspaces (the workspace module) ----------------------------------------------------------

    def create_workspace(self, name, handle, description=""):
        """Create a workspace (201 with it). After an answer that may come after the server applied
        the create, the workspace is looked up by its handle (unique in the account) instead of
        sending it again: ``PrefectResponseLost`` if it exists, else ``PrefectOutcomeUnknown``."""
        return self._sent_once(self.client.account_path("workspaces/"), WorkspaceCreate(name=name, handle=handle, description=description),
                               lambda data: validated(self.client, Workspace, data), f"the creation of workspace {handle!r}",
                               lambda: next((ws for ws in self.workspaces(handles=[handle]) if ws.handle == handle), None),
                               lost=f"the workspace {shown(handle)} was created, but the response was lost; run the task "
                                    "again: it finds the workspace and converges on it")

    def update_workspace(self, workspace_id, name, handle, description, default_workspace_role_id):
        """PATCH every field, unchanged ones with their current value: whether the API keeps a field
        it is not sent is UNCONFIRMED (``WorkspaceUpdate.description`` defaults to "")."""
        body = WorkspaceUpdate(name=name, handle=handle, description=description,
                               default_workspace_role_id=default_workspace_role_id)
        self.client.request("PATCH", self.client.account_path(f"workspaces/{workspace_id}"), body)

    delete_workspace = _remover("workspaces/{}")

    def revoke_invitation(self, invitation_id, workspace_id=None):
        """Revoke a pending invitation (to the account, or to the workspace ``workspace_id``); False
        when there is no such invitation."""
        path = f"invitations/{invitation_id}/revoke"
        return self._delete(self.client.account_path(path) if workspace_id is None else self._ws(workspace_id, path), "POST")

    # Account member activity and workspace invitations ------------------------------

    def create_workspace_invitation(self, workspace_id, email):
        """Invite one e-mail address to a workspace (the API revokes that address's pending
        invitations to the workspace, and chooses the roles). Not sent again after an ambiguous
        answer, as ``create_invitation``."""
        data = self.client.request("POST", self._ws(workspace_id, "invitations/"), WorkspaceInvitationCreate(email=email))
        return validated(self.client, WorkspaceInvitation, data)

    # API keys: a user's keys, one key of a service account ---------------------

    def user_api_keys(self, user_id):
        """The keys (``APIKey``, metadata only) of a user; None when the API knows no such user (404)."""
        try:
            return self._list(APIKey, self.client.request("GET", f"users/{user_id}/api_keys"), "API keys")
        except PrefectNotFound:
            return None

    def create_user_api_key(self, user_id, name, expiration=None):
        """Create a user key (when the user has no key with this name); return (APIKey, plaintext
        key). After an answer that may come after the server applied the create (or a 201 whose
        key is not in the expected form), the keys are read back (never sent again): a key with
        this name raises ``PrefectResponseLost`` (with the user-key remedy: delete it and run
        again), none ``PrefectOutcomeUnknown``."""
        return self._sent_once(
            f"users/{user_id}/api_keys", APIKeyCreate(name=name, **_given(expiration=utc(expiration))),
            lambda data: self._with_key(data, CreatedUserAPIKey), f"the creation of the API key {name!r}",
            lambda: next((key for key in self.user_api_keys(user_id) or () if key.name == name), None),
            lost=f"the API key {shown(name)} was created, but the response with the key was lost; a key cannot be read back: "
                 "delete it (state: absent) and run the task again to get a new one")

    def delete_user_api_key(self, user_id, key_id):
        return self._delete(f"users/{user_id}/api_keys/{key_id}")

    # Delete one key (bot id, key id) of a service account: a rotating one (the API keeps the active key).
    delete_bot_key = _remover("bots/{}/delete_bot_api_key/{}")
