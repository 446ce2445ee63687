# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pydantic models of the Prefect Cloud API (PRIVATE to this collection).

Responses (``_Response``) are frozen and ignore unknown fields: the real API may add fields
without breaking us. Every id they carry is checked to be a canonical UUID, and a new key to have
the shape of a Prefect service-account key, before anything uses it. Request bodies (``_Body``)
forbid unknown fields, as the OpenAPI document's schemas do, and are written with
``to_json()``: only the fields that were set, in JSON form (datetimes as RFC 3339 text).

Schemas are built on first use (``defer_build``), so a module pays only for the models it uses.
Annotations use ``typing.Optional``/``List`` so that they also evaluate on older Pythons.
"""

from __future__ import annotations

import datetime
from typing import List, Optional

from ._deps import pydantic

# A canonical UUID: 36 characters, hex digits in the 8-4-4-4-12 pattern (any case).
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
# A service-account (bot) key: pnb_ and letters and digits only. The exact length of real keys is
# UNCONFIRMED (36 characters after the prefix in every example seen), so 16 to 128 are accepted;
# what matters is that no whitespace, control character or other text can ride along with it.
BOT_KEY_PATTERN = r"^pnb_[A-Za-z0-9]{16,128}$"

if pydantic is not None:
    from typing import Annotated

    from pydantic import BaseModel, ConfigDict, StringConstraints

    Id = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
    BotKey = Annotated[str, StringConstraints(pattern=BOT_KEY_PATTERN)]
else:  # the task fails naming the missing library before any model is used
    BaseModel, ConfigDict, Id, BotKey = object, dict, str, str


def describe_invalid(exc):
    """One line naming what a ``ValidationError`` found wrong, by field; never the values."""
    errors = exc.errors() if hasattr(exc, "errors") else []
    parts = [": ".join(filter(None, (".".join(str(p) for p in e.get("loc", ())), _message(e)))) for e in errors[:3]]
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more if parts else type(exc).__name__


def _message(error):
    if error.get("type") == "string_pattern_mismatch":
        return "not in the expected form"  # pydantic's text quotes the whole pattern
    return str(error.get("msg", ""))


class _Response(BaseModel):
    """A frozen, validated record of an API object."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    def to_result(self):
        """JSON-safe dict for module results (datetimes as RFC 3339 text)."""
        return self.model_dump(mode="json")


class _Body(BaseModel):
    """A request body; unknown fields are an error, as in the OpenAPI document."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def to_json(self):
        """The body as JSON data: only the fields that were set."""
        return self.model_dump(mode="json", exclude_unset=True)


# Responses ------------------------------------------------------------------------------------


class _Named(_Response):
    """An object with an id and a name (its fields come first)."""

    id: Id
    name: str


class _Person(_Response):
    """The names a user is known by (``first_name`` and ``last_name`` for display)."""

    first_name: Optional[str] = None
    last_name: Optional[str] = None
    handle: Optional[str] = None
    email: Optional[str] = None


class APIKey(_Response):
    """Metadata of an API key (``APIKeyReadResponse``); never the key itself."""

    id: Optional[Id] = None
    created: Optional[datetime.datetime] = None
    name: str
    expiration: Optional[datetime.datetime] = None
    masked_key: Optional[str] = None


class CreatedAPIKey(APIKey):
    """``APIKeyCreateResponse``: the metadata and the plaintext key, once (the API sends no ``masked_key`` with it)."""

    key: BotKey


class Bot(_Response):
    """A service account (``BotReadResponse``)."""

    id: Id
    created: Optional[datetime.datetime] = None
    updated: Optional[datetime.datetime] = None
    actor_id: Id
    account_id: Id
    name: str
    account_role_name: str
    api_key: APIKey


class BotCreated(Bot):
    """``BotCreateResponse`` (create and rotate): the account with its new plaintext key."""

    api_key: CreatedAPIKey


class BotKeys(_Response):
    """``BotAPIKeyReadResponse``: the active key and the keys still in their grace period."""

    active_key: APIKey
    rotating_keys: List[APIKey] = []


class AccountRole(_Named):
    account_id: Optional[Id] = None
    is_system_role: bool = False
    permissions: List[str] = []


class WorkspaceRole(_Named):
    account_id: Optional[Id] = None  # null for the built-in roles
    description: Optional[str] = ""
    scopes: List[str] = []
    inherited_role_id: Optional[Id] = None


class Workspace(_Named):
    handle: str
    account_id: Id
    description: Optional[str] = ""
    default_workspace_role_id: Optional[Id] = None


class _Grant(_Response):
    """A grant of a workspace role in a workspace: the fields every kind of accessor's grant has."""

    id: Id
    workspace_id: Id
    workspace_role_id: Id


class BotAccess(_Grant):
    actor_id: Id
    bot_id: Id
    bot_name: str


class UserAccess(_Grant, _Person):
    actor_id: Id
    user_id: Id


class TeamAccess(_Grant):
    """``WorkspaceTeamAccessResponse`` (filter); the PUT answer (``WorkspaceTeamAccess``) has no team_name."""

    team_id: Id
    team_name: Optional[str] = None


class TeamWorkspaceAccess(_Response):
    """A workspace a team has access to, as listed in ``TeamResponse.workspaces``."""

    workspace_id: Id
    workspace_handle: str
    workspace_role_id: Id
    workspace_role_name: str


class Me(_Person):
    """``GET /api/me/`` (``MeReadResponse``): its handle is always set."""

    id: Optional[Id] = None
    handle: str


# Request bodies -------------------------------------------------------------------------------


class BotCreate(_Body):
    name: str
    api_key_expiration: Optional[datetime.datetime] = None
    account_role_id: Optional[Id] = None


class BotUpdate(_Body):
    name: Optional[str] = None
    account_role_id: Optional[Id] = None


class BotRotateAPIKey(_Body):
    api_key_expiration: Optional[datetime.datetime] = None
    old_key_expires_in_seconds: Optional[int] = None


class WorkspaceBotAccessCreate(_Body):
    bot_id: Id
    workspace_role_id: Id


class WorkspaceUserAccessCreate(_Body):
    user_id: Id
    workspace_role_id: Id


class WorkspaceTeamAccessCreate(_Body):
    team_id: Id
    workspace_role_id: Id


# Filter bodies. Paging (limit, offset) is added by the client, which reads every page.


class Match(_Body):
    """A filter criterion: ``any_`` (exact, any of) or ``like_`` (case-insensitive substring)."""

    any_: Optional[List[str]] = None
    like_: Optional[str] = None


class Criteria(_Body):
    """The criteria of one section of a filter body (``BotFilter``, ``UserFilter``, ``InvitationFilter``...).

    One model serves every section: each call sets only the fields of its section's schema, and
    ``to_json`` sends only the fields set. The API's criteria schemas forbid unknown fields
    (``additionalProperties: false``), so a field a section lacks is still refused, by the API (422)
    rather than before sending. Fields are sent in the order they are declared here.
    """

    id: Optional[Match] = None
    name: Optional[Match] = None
    email: Optional[Match] = None
    handle: Optional[Match] = None
    user_id: Optional[Match] = None
    status: Optional[Match] = None
    slug: Optional[Match] = None


class Filter(_Body):
    """The body of a ``.../filter`` route: its sections, named as in the OpenAPI document's
    ``Body_read_*`` schemas.

    Every route's sections are here, and a route is sent only the sections set. Those schemas do
    not forbid unknown sections (no ``additionalProperties: false``), so a section sent to a route
    that lacks it would not be refused: the module unit tests pin each route's exact body.
    """

    service_accounts: Optional[Criteria] = None
    account_roles: Optional[Criteria] = None
    workspace_roles: Optional[Criteria] = None
    workspaces: Optional[Criteria] = None
    account_memberships: Optional[Criteria] = None
    only_users: Optional[bool] = None
    teams: Optional[Criteria] = None
    bots: Optional[Criteria] = None
    users: Optional[Criteria] = None
    invitations: Optional[Criteria] = None
    workspace_invitations: Optional[Criteria] = None
    deployments: Optional[Criteria] = None
    flows: Optional[Criteria] = None
    block_documents: Optional[Criteria] = None
    block_types: Optional[Criteria] = None
    work_pools: Optional[Criteria] = None


# Identity and access: workspace roles, teams with their members, account members, invitations
# ------------------------------------------------------------------------------------


class TeamMember(_Response):
    """A member of a team (``TeamMemberResponse``); ``id`` is the ACTOR id of the user or service account."""

    id: Id
    handle: Optional[str] = None
    name: Optional[str] = None
    email: Optional[str] = None
    type: str


class Team(_Named):
    """A team with its members and workspaces (``TeamResponse``)."""

    description: Optional[str] = ""
    workos_directory_group_id: Optional[str] = None
    memberships: List[TeamMember] = []
    workspaces: List[TeamWorkspaceAccess] = []


class AccountMember(_Person):
    """A user's account membership (``AccountMembershipsResponse`` with a user id)."""

    id: Id
    actor_id: Id
    user_id: Id
    account_role_name: str
    account_role_id: Id
    last_login: Optional[datetime.datetime] = None
    active: bool = True


class Invitation(_Response):
    """An invitation to join the account (``InvitationReadResponse``)."""

    id: Id
    email: str
    account_role_id: Id
    status: str
    expiration: Optional[datetime.datetime] = None


class WorkspaceRoleUpdate(_Body):
    name: Optional[str] = None
    description: Optional[str] = None
    scopes: Optional[List[str]] = None  # not nullable in the OAS: only ever set to a list
    inherited_role_id: Optional[Id] = None


class WorkspaceRoleCreate(WorkspaceRoleUpdate):
    """The fields of ``WorkspaceRoleUpdate``, the name required; ``create_workspace_role`` sends every field."""

    name: str


class TeamCreate(_Body):
    name: str
    description: Optional[str] = ""


class TeamUpdate(TeamCreate):
    workos_directory_group_id: Optional[str] = None


class TeamMembershipCreate(_Body):
    member_id: Id  # the user id or the bot id, not the actor id
    member_type: str  # "user" or "service_account"


class TeamMembersUpsert(_Body):
    members: List[TeamMembershipCreate]


class AccountMembershipUpdate(_Body):
    account_role_id: Id


class WorkspaceInvitationCreate(_Body):
    email: str


class InvitationCreate(WorkspaceInvitationCreate):
    """An invitation to the account: the e-mail address and the account role."""

    account_role_id: Id


# Object access: deployments, block documents, work pools --------------------------------------

# An actor id, or "*" (everyone).
EveryoneOrId = Annotated[str, StringConstraints(pattern=rf"^(?:{UUID_PATTERN[1:-1]}|\*)$")] if pydantic is not None else str


class ObjectActor(_Response):
    """``ObjectActorAccess``: an actor (or team, or ``*`` for everyone) at one level of an ACL."""

    id: EveryoneOrId
    name: Optional[str] = None
    email: Optional[str] = None
    type: str


class ObjectAccess(_Response):
    """``DeploymentAccessControl`` / ``WorkPoolAccessControl``, and ``BlockDocumentAccessControl``
    (no ``run_actors``)."""

    manage_actors: List[ObjectActor] = []
    run_actors: List[ObjectActor] = []
    view_actors: List[ObjectActor] = []


class WorkPool(_Named):
    """A work pool: its id and name."""


class Flow(_Named):
    """A flow (``Flow``): the name a deployment is known by, ``flow/deployment``."""


class Deployment(_Named):
    flow_id: Id


class BlockType(_Response):
    slug: str


class BlockDocument(_Response):
    id: Id
    name: Optional[str] = None
    block_type: Optional[BlockType] = None


class ReplaceObjectAccess(_Body):
    """``ReplaceDeploymentAccess`` / ``ReplaceWorkPoolAccess``, and ``ReplaceBlockDocumentAccess``
    (the ``run_*`` fields left unset: they are not sent)."""

    manage_actor_ids: List[str]
    view_actor_ids: List[str]
    manage_team_ids: List[str]
    view_team_ids: List[str]
    run_actor_ids: Optional[List[str]] = None
    run_team_ids: Optional[List[str]] = None


class ObjectAccessBody(_Body):
    access_control: ReplaceObjectAccess


# Workspaces (the workspace module) -------------------------------------------------------------


class WorkspaceCreate(_Body):
    name: str
    handle: str
    description: Optional[str] = ""


class WorkspaceUpdate(WorkspaceCreate):
    """Every field is sent (``update_workspace``), unchanged ones with their current value."""

    default_workspace_role_id: Optional[Id] = None


# Account member activity and workspace invitations ------------------------------------


class AccountMembershipSetActive(_Body):
    active: bool


class WorkspaceInvitation(Invitation):
    """An invitation to join a workspace (``WorkspaceInvitationReadResponse``)."""

    workspace_id: Id
    workspace_role_id: Id


# User API keys ------------------------------------------------------------------
# A user key: pnu_ and letters and digits (the length is UNCONFIRMED, as for bot keys).
USER_KEY_PATTERN = r"^pnu_[A-Za-z0-9]{16,128}$"
UserKey = Annotated[str, StringConstraints(pattern=USER_KEY_PATTERN)] if pydantic is not None else str


class CreatedUserAPIKey(CreatedAPIKey):
    """``APIKeyCreateResponse`` of ``POST users/{id}/api_keys``: the metadata (with an id) and the plaintext key, once."""

    id: Id
    key: UserKey


class APIKeyCreate(_Body):
    name: str
    expiration: Optional[datetime.datetime] = None
