# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pydantic v2 request models mirroring the OAS request schemas (same names as in the OAS).

FastAPI validates the request bodies with them (``routes.py``); they are the emulator's own, not
the collection's (the emulator must not share the client's idea of the API).
Schemas with ``additionalProperties: false`` use ``extra="forbid"``; the ``Body_*`` filter
wrappers do not set it in the OAS, so unknown top-level keys are ignored there (as FastAPI does).
"""
from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Annotated, List, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

Name = Annotated[str, Field(max_length=5000)]
RoleDescription = Annotated[str, Field(max_length=140)]
Limit = Annotated[int, Field(ge=0, le=200)]
Offset = Annotated[int, Field(ge=0)]
GraceSeconds = Annotated[int, Field(ge=0, le=172800)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")
    limit: Limit = 200
    offset: Offset = 0


# --- criteria ------------------------------------------------------------------------------------
class AnyUuid(_Strict):
    any_: Optional[List[uuid.UUID]] = None


class AnyStr(_Strict):
    any_: Optional[List[str]] = None


class AnyLikeStr(_Strict):
    any_: Optional[List[str]] = None
    like_: Optional[str] = None


class LikeStr(_Strict):
    like_: Optional[str] = None


class AnyNotAnyUuid(_Strict):
    any_: Optional[List[uuid.UUID]] = None
    not_any_: Optional[List[uuid.UUID]] = None


class BotFilter(_Strict):
    id: Optional[AnyUuid] = None
    name: Optional[AnyLikeStr] = None


class UserFilter(_Strict):
    id: Optional[AnyNotAnyUuid] = None
    email: Optional[AnyLikeStr] = None
    handle: Optional[AnyLikeStr] = None
    name: Optional[LikeStr] = None


class WorkspaceActorAccessFilter(_Strict):
    workspace_role_id: Optional[AnyUuid] = None
    actor_id: Optional[AnyUuid] = None


class AccountRoleFilter(_Strict):
    name: Optional[AnyStr] = None


class WorkspaceRoleFilter(_Strict):
    name: Optional[AnyStr] = None
    is_global: Optional[bool] = None


class WorkspaceFilter(_Strict):
    id: Optional[AnyUuid] = None
    handle: Optional[AnyStr] = None


class TeamFilter(_Strict):
    id: Optional[AnyUuid] = None
    name: Optional[AnyLikeStr] = None
    directory_id: Optional[AnyStr] = None
    workspace_id: Optional[AnyUuid] = None
    workspace_role_id: Optional[AnyUuid] = None
    member_id: Optional[AnyUuid] = None


class Operator(str, enum.Enum):
    AND = "and_"
    OR = "or_"


class AccountMembershipFilter(_Strict):
    operator: Operator = Operator.AND
    account_role_id: Optional[AnyUuid] = None
    user_id: Optional[AnyNotAnyUuid] = None
    email: Optional[AnyLikeStr] = None
    handle: Optional[AnyLikeStr] = None
    name: Optional[LikeStr] = None
    actor_id: Optional[AnyUuid] = None


# --- sorts ---------------------------------------------------------------------------------------
class WorkspaceBotAccessSort(str, enum.Enum):
    CREATED_ASC = "CREATED_ASC"
    CREATED_DESC = "CREATED_DESC"
    BOT_NAME_ASC = "BOT_NAME_ASC"
    BOT_NAME_DESC = "BOT_NAME_DESC"


class WorkspaceUserAccessSort(str, enum.Enum):
    CREATED_ASC = "CREATED_ASC"
    CREATED_DESC = "CREATED_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"
    EMAIL_ASC = "EMAIL_ASC"
    EMAIL_DESC = "EMAIL_DESC"
    HANDLE_ASC = "HANDLE_ASC"
    HANDLE_DESC = "HANDLE_DESC"


class TeamSort(str, enum.Enum):
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"
    CREATED_ASC = "CREATED_ASC"
    CREATED_DESC = "CREATED_DESC"


class AccountMembershipSort(str, enum.Enum):
    CREATED_ASC = "CREATED_ASC"
    CREATED_DESC = "CREATED_DESC"
    LAST_LOGIN_ASC = "LAST_LOGIN_ASC"
    LAST_LOGIN_DESC = "LAST_LOGIN_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"
    HANDLE_ASC = "HANDLE_ASC"
    HANDLE_DESC = "HANDLE_DESC"
    EMAIL_ASC = "EMAIL_ASC"
    EMAIL_DESC = "EMAIL_DESC"
    ACCOUNT_ROLE_NAME_ASC = "ACCOUNT_ROLE_NAME_ASC"
    ACCOUNT_ROLE_NAME_DESC = "ACCOUNT_ROLE_NAME_DESC"


# --- bodies --------------------------------------------------------------------------------------
class BotCreate(_Strict):
    name: Name
    api_key_expiration: Optional[datetime] = None
    account_role_id: Optional[uuid.UUID] = None


class BotUpdate(_Strict):
    name: Optional[Name] = None
    account_role_id: Optional[uuid.UUID] = None


class BotRotateAPIKey(_Strict):
    api_key_expiration: Optional[datetime] = None
    old_key_expires_in_seconds: Optional[GraceSeconds] = None


class BodyReadBots(_Body):
    service_accounts: Optional[BotFilter] = None


class BodyReadAccountRoles(_Body):
    account_roles: Optional[AccountRoleFilter] = None


class BodyReadWorkspaceRoles(_Body):
    workspace_roles: Optional[WorkspaceRoleFilter] = None


class WorkspaceRoleCreate(_Strict):
    name: Name
    description: RoleDescription = ""
    scopes: List[str] = Field(default_factory=list)
    inherited_role_id: Optional[uuid.UUID] = None


class WorkspaceRoleUpdate(_Strict):
    name: Optional[Name] = None
    description: Optional[RoleDescription] = None
    scopes: List[str] = None   # not nullable in the OAS: absent means "unchanged", null is a 422
    inherited_role_id: Optional[uuid.UUID] = None


class BodyReadWorkspaces(_Body):
    workspaces: Optional[WorkspaceFilter] = None


class WorkspaceCreate(_Strict):
    name: Name
    description: Optional[Name] = ""
    handle: Name


class WorkspaceUpdate(_Strict):
    name: Optional[Name] = None
    handle: Optional[Name] = None
    description: Optional[Name] = ""
    default_workspace_role_id: Optional[uuid.UUID] = None


class WorkspaceBotAccessCreate(_Strict):
    bot_id: uuid.UUID
    workspace_role_id: uuid.UUID


class WorkspaceUserAccessCreate(_Strict):
    user_id: uuid.UUID
    workspace_role_id: uuid.UUID


class WorkspaceTeamAccessCreate(_Strict):
    team_id: uuid.UUID
    workspace_role_id: uuid.UUID


class BodyReadBotAccess(_Body):
    workspace_accesses: Optional[WorkspaceActorAccessFilter] = None
    bots: Optional[BotFilter] = None
    sort: Optional[WorkspaceBotAccessSort] = None


class BodyReadUserAccess(_Body):
    workspace_accesses: Optional[WorkspaceActorAccessFilter] = None
    users: Optional[UserFilter] = None
    sort: Optional[WorkspaceUserAccessSort] = None


class BodyReadTeamAccess(_Body):
    pass


class BodyReadAccountMemberships(_Body):
    account_memberships: Optional[AccountMembershipFilter] = None
    sort: Optional[AccountMembershipSort] = None
    only_users: bool = False
    only_bots: bool = False
    active: Optional[bool] = None


class BodyReadTeams(_Body):
    # The OAS does not mark these nullable; accepting null as "no filter" is lenient on purpose.
    teams: Optional[TeamFilter] = None
    users: Optional[UserFilter] = None
    bots: Optional[BotFilter] = None
    sort: Optional[TeamSort] = None


class TeamCreate(_Strict):
    name: Name
    description: Optional[Name] = ""


# --- identity and access: teams, account memberships, invitations ----------------------
# The OAS writes InvitationCreate.email as `format: email`; FastAPI validates it with EmailStr. We
# accept what has the shape local@domain.tld (email-validator is not a dependency of the emulator).
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


class TeamUpdate(_Strict):
    name: Name
    description: Optional[Name] = ""
    workos_directory_group_id: Optional[Name] = None


class TeamMemberType(str, enum.Enum):
    USER = "user"
    SERVICE_ACCOUNT = "service_account"


class TeamMembershipCreate(_Strict):
    member_id: uuid.UUID
    member_type: TeamMemberType


class BodyUpsertTeamMembers(BaseModel):
    # A Body_* wrapper: no additionalProperties: false in the OAS, and no paging.
    members: List[TeamMembershipCreate]


class AccountMembershipUpdate(_Strict):
    account_role_id: uuid.UUID


class InvitationStatus(str, enum.Enum):
    ACCEPTED = "ACCEPTED"
    PENDING = "PENDING"
    REJECTED = "REJECTED"
    REVOKED = "REVOKED"


class InvitationCreate(_Strict):
    email: Email
    account_role_id: uuid.UUID


class InvitationFilterStatus(_Strict):
    any_: Optional[List[InvitationStatus]] = None


class InvitationFilterExpiration(_Strict):
    before_: Optional[datetime] = None
    after_: Optional[datetime] = None


class InvitationFilter(_Strict):
    status: Optional[InvitationFilterStatus] = None
    expiration: Optional[InvitationFilterExpiration] = None
    email: Optional[AnyLikeStr] = None


class BodyReadInvitations(_Body):
    invitations: Optional[InvitationFilter] = None


# --- account member activity and workspace invitations --------------------------------
class AccountMembershipSetActive(_Strict):
    active: bool


class WorkspaceInvitationCreate(_Strict):
    email: Email


class BodyReadWorkspaceInvitations(_Body):
    workspace_invitations: Optional[InvitationFilter] = None


# The request bodies that are not one model (the routes in ``routes.py`` annotate their body with these).
InvitationsCreate = List[InvitationCreate]
BotAccessUpsert = Union[WorkspaceBotAccessCreate, List[WorkspaceBotAccessCreate]]
UserAccessUpsert = Union[WorkspaceUserAccessCreate, List[WorkspaceUserAccessCreate]]
TeamAccessUpsert = List[WorkspaceTeamAccessCreate]


# --- object access: deployments, block documents, work pools --------------------------------------
# Only the criteria a client of the emulator uses are modelled (others, `operator` too, are a 422, not ignored).
Everyone = Literal["*"]
ActorId = Union[uuid.UUID, Everyone]


class ObjectFilter(_Strict):
    id: Optional[AnyUuid] = None
    name: Optional[AnyLikeStr] = None


class FlowFilter(_Strict):
    name: Optional[AnyLikeStr] = None


class BlockTypeFilter(_Strict):
    slug: Optional[AnyStr] = None


class BodyReadDeployments(_Body):
    flows: Optional[FlowFilter] = None
    deployments: Optional[ObjectFilter] = None
    sort: Literal["CREATED_DESC", "CREATED_ASC", "UPDATED_DESC", "UPDATED_ASC", "NAME_ASC", "NAME_DESC"] = "NAME_ASC"


class BodyReadBlockDocuments(_Body):
    block_documents: Optional[ObjectFilter] = None
    block_types: Optional[BlockTypeFilter] = None
    include_secrets: bool = False
    sort: Optional[Literal["NAME_DESC", "NAME_ASC", "BLOCK_TYPE_AND_NAME_ASC"]] = "NAME_ASC"


class BodyReadWorkPools(_Body):
    work_pools: Optional[ObjectFilter] = None
    sort: Literal["NAME_ASC", "NAME_DESC"] = "NAME_ASC"
    exclude_base_job_template: bool = False


class ReplaceBlockDocumentAccess(_Strict):
    manage_actor_ids: List[ActorId]
    view_actor_ids: List[ActorId]
    manage_team_ids: List[uuid.UUID] = Field(default_factory=list)
    view_team_ids: List[uuid.UUID] = Field(default_factory=list)


class ReplaceDeploymentAccess(ReplaceBlockDocumentAccess):
    run_actor_ids: List[ActorId]
    run_team_ids: List[uuid.UUID] = Field(default_factory=list)


ReplaceWorkPoolAccess = ReplaceDeploymentAccess


class BodySetDeploymentAccess(BaseModel):
    access_control: ReplaceDeploymentAccess


class BodySetBlockDocumentAccess(BaseModel):
    access_control: ReplaceBlockDocumentAccess


class BodySetWorkPoolAccess(BaseModel):
    access_control: ReplaceWorkPoolAccess


class BodyReadFlows(_Body):
    """The flows listing: by id or name (``service_account_scope`` names each deployment's flow)."""
    flows: Optional[ObjectFilter] = None
    sort: Literal["CREATED_DESC", "CREATED_ASC", "UPDATED_DESC", "UPDATED_ASC", "NAME_ASC", "NAME_DESC"] = "NAME_ASC"


# --- user API keys and the revocation delay -----------------------------------------


class APIKeyCreate(_Strict):
    name: Name
    expiration: Optional[datetime] = None


class APIKeyNameFilter(_Strict):
    any_: Optional[List[str]] = None
    like_: Optional[str] = None


class APIKeyFilter(_Strict):
    name: Optional[APIKeyNameFilter] = None


class BodyFilterMyApiKeys(_Body):
    api_keys: Optional[APIKeyFilter] = None
