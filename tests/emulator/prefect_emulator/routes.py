# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulated operations as FastAPI path operations: THE list of emulated operations.

Prefect Cloud is a FastAPI application, and so is the emulator: routing (404, 405, the 307
trailing-slash redirects), JSON decoding and the 422 validation errors of path parameters and
bodies are FastAPI's and Starlette's own. Paths, methods, success statuses and the function
names (FastAPI makes the operationId from them) are those of the OpenAPI document; the
conformance test checks the generated OpenAPI against it. The work is done by ``api.Api``.

Order of the checks (FastAPI's): route (404/405/307), JSON body (422), bearer key (401), the
account id (422 when not a UUID, 404 when not the emulated account), a bot key on a write (403),
the other path parameters and the body (422), then the operation (404/409/...).
"""
import json
import uuid
from typing import Annotated, NamedTuple, Optional

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Path, Query, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from . import models
from .api import AUTH_FAILED, FORBIDDEN


def is_write(method: str, path: str) -> bool:
    """A request changes state unless it is a read method or a POST to a ``/filter`` route."""
    return method not in ("GET", "HEAD", "OPTIONS") and not (method == "POST" and path.rstrip("/").endswith("/filter"))


class Context:
    """The authenticated caller of one request; ``run`` does the operation and answers it."""

    def __init__(self, request: Request, actor: dict):
        self.request = request
        self.actor = actor
        self.emulator = request.app.state.emulator

    def run(self, handler: str, body=None, **params) -> Response:
        scope = self.request.scope
        reply = self.emulator.api.run(handler, self.actor, body, params, is_write(scope["method"], scope["path"]))
        if reply.payload is None:
            return Response(status_code=reply.status, headers=reply.headers)
        return Response(json.dumps(reply.payload).encode("utf-8"), reply.status, reply.headers, media_type="application/json")


_bearer = HTTPBearer(auto_error=False)


async def _caller(request: Request, credentials: Annotated[Optional[HTTPAuthorizationCredentials], Depends(_bearer)]) -> Context:
    actor = request.app.state.emulator.api.authenticate(credentials.credentials if credentials else None)
    if actor is None:
        raise HTTPException(401, AUTH_FAILED)
    return Context(request, actor)


async def _account_reader(ctx: Annotated[Context, Depends(_caller)], account_id: Annotated[uuid.UUID, Path()]) -> Context:
    if str(account_id) != ctx.emulator.store.account_id:
        raise HTTPException(404, "Account not found.")
    return ctx


async def _account_writer(ctx: Annotated[Context, Depends(_account_reader)]) -> Context:
    if ctx.actor["type"] == "bot":
        raise HTTPException(403, FORBIDDEN)
    return ctx


Me = Annotated[Context, Depends(_caller)]
Reader = Annotated[Context, Depends(_account_reader)]
Writer = Annotated[Context, Depends(_account_writer)]

# Path parameters other than account_id (the Python names avoid the builtin ``id``).
Id = Annotated[uuid.UUID, Path(alias="id")]
WorkspaceId = Annotated[uuid.UUID, Path()]
Uuid = Annotated[uuid.UUID, Path()]
Text = Annotated[str, Path()]
# The optional header the object routes of the document declare (accepted and ignored).
ApiVersion = Annotated[Optional[str], Header(alias="x-prefect-api-version")]


def _filter_body(model):
    """A ``Body_*`` filter body: every field has a default, so an absent body (or null) reads as ``{}``."""
    return Annotated[model, Body(default_factory=model)]


A = "/api/accounts/{account_id}"
W = A + "/workspaces/{workspace_id}"

router = APIRouter()


# --- bots (service accounts) ---------------------------------------------------------------------
@router.post(A + "/bots/", status_code=201)
async def create_bot(ctx: Writer, body: models.BotCreate):
    return ctx.run("create_bot", body)


@router.post(A + "/bots/filter", status_code=200)
async def read_bots(ctx: Reader, body: _filter_body(models.BodyReadBots)):
    return ctx.run("filter_bots", body)


@router.get(A + "/bots/{id}", status_code=200)
async def read_bot(ctx: Reader, id_: Id):
    return ctx.run("read_bot", id=id_)


@router.patch(A + "/bots/{id}", status_code=204)
async def update_bot(ctx: Writer, id_: Id, body: models.BotUpdate):
    return ctx.run("update_bot", body, id=id_)


@router.delete(A + "/bots/{id}", status_code=204)
async def delete_bot(ctx: Writer, id_: Id):
    return ctx.run("delete_bot", id=id_)


@router.post(A + "/bots/{id}/rotate_api_key", status_code=201)
async def rotate_api_key(ctx: Writer, id_: Id, body: Annotated[Optional[models.BotRotateAPIKey], Body()] = None):
    return ctx.run("rotate_bot_key", body, id=id_)


@router.get(A + "/bots/{id}/read_bot_api_keys", status_code=200)
async def read_bot_api_keys(ctx: Reader, id_: Id):
    return ctx.run("read_bot_keys", id=id_)


@router.delete(A + "/bots/{id}/delete_bot_api_key/{api_key_id}", status_code=200)
async def delete_bot_api_key(ctx: Writer, id_: Id, api_key_id: Uuid):
    return ctx.run("delete_bot_key", id=id_, api_key_id=api_key_id)


# --- account memberships -------------------------------------------------------------------------
@router.get(A + "/account_memberships/by-bot/{bot_id}", status_code=200)
async def read_account_membership_by_bot(ctx: Reader, bot_id: Uuid):
    return ctx.run("read_membership_by_bot", bot_id=bot_id)


@router.post(A + "/account_memberships/filter", status_code=200)
async def read_account_memberships(ctx: Reader, body: _filter_body(models.BodyReadAccountMemberships)):
    return ctx.run("filter_memberships", body)


@router.get(A + "/account_memberships/by-user/{user_id}", status_code=200)
async def read_account_membership_by_user(ctx: Reader, user_id: Uuid):
    return ctx.run("read_membership_by_user", user_id=user_id)


@router.get(A + "/account_memberships/{id}", status_code=200)
async def read_account_membership(ctx: Reader, id_: Id):
    return ctx.run("read_membership", id=id_)


@router.patch(A + "/account_memberships/{id}", status_code=204)
async def update_account_membership(ctx: Writer, id_: Id, body: models.AccountMembershipUpdate):
    return ctx.run("update_membership", body, id=id_)


@router.delete(A + "/account_memberships/{id}", status_code=204)
async def delete_account_membership(ctx: Writer, id_: Id):
    return ctx.run("delete_membership", id=id_)


# --- account roles -------------------------------------------------------------------------------
@router.post(A + "/account_roles/filter", status_code=200)
async def read_account_roles(ctx: Reader, body: _filter_body(models.BodyReadAccountRoles)):
    return ctx.run("filter_account_roles", body)


@router.get(A + "/account_roles/{id}", status_code=200)
async def read_account_role(ctx: Reader, id_: Id):
    return ctx.run("read_account_role", id=id_)


# --- workspace roles -----------------------------------------------------------------------------
@router.post(A + "/workspace_roles/", status_code=201)
async def create_workspace_role(ctx: Writer, body: models.WorkspaceRoleCreate):
    return ctx.run("create_workspace_role", body)


@router.post(A + "/workspace_roles/filter", status_code=200)
async def read_workspace_roles(ctx: Reader, body: _filter_body(models.BodyReadWorkspaceRoles)):
    return ctx.run("filter_workspace_roles", body)


@router.get(A + "/workspace_roles/{id}", status_code=200)
async def read_workspace_role(ctx: Reader, id_: Id):
    return ctx.run("read_workspace_role", id=id_)


@router.patch(A + "/workspace_roles/{id}", status_code=204)
async def update_workspace_role(ctx: Writer, id_: Id, body: models.WorkspaceRoleUpdate):
    return ctx.run("update_workspace_role", body, id=id_)


@router.delete(A + "/workspace_roles/{id}", status_code=204)
async def delete_workspace_role(ctx: Writer, id_: Id):
    return ctx.run("delete_workspace_role", id=id_)


# --- workspaces ----------------------------------------------------------------------------------
@router.post(A + "/workspaces/", status_code=201)
async def create_workspace(ctx: Writer, body: models.WorkspaceCreate):
    return ctx.run("create_workspace", body)


@router.post(A + "/workspaces/filter", status_code=200)
async def read_workspaces(ctx: Reader, body: _filter_body(models.BodyReadWorkspaces)):
    return ctx.run("filter_workspaces", body)


@router.get(W, status_code=200)
async def read_workspace(ctx: Reader, workspace_id: WorkspaceId):
    return ctx.run("read_workspace", workspace_id=workspace_id)


@router.patch(W, status_code=204)
async def update_workspace(ctx: Writer, workspace_id: WorkspaceId, body: models.WorkspaceUpdate):
    return ctx.run("update_workspace", body, workspace_id=workspace_id)


@router.delete(W, status_code=204)
async def delete_workspace(ctx: Writer, workspace_id: WorkspaceId):
    return ctx.run("delete_workspace", workspace_id=workspace_id)


# --- workspace access ----------------------------------------------------------------------------
@router.post(W + "/bot_access/", status_code=200)
async def upsert_workspace_bot_access(ctx: Writer, workspace_id: WorkspaceId, body: Annotated[models.BotAccessUpsert, Body()]):
    return ctx.run("upsert_bot_access", body, workspace_id=workspace_id)


@router.post(W + "/bot_access/filter", status_code=200)
async def read_workspace_bot_accesses(ctx: Reader, workspace_id: WorkspaceId, body: _filter_body(models.BodyReadBotAccess)):
    return ctx.run("filter_bot_access", body, workspace_id=workspace_id)


@router.get(W + "/bot_access/{id}", status_code=200)
async def read_workspace_bot_access(ctx: Reader, workspace_id: WorkspaceId, id_: Id):
    return ctx.run("read_bot_access", workspace_id=workspace_id, id=id_)


@router.delete(W + "/bot_access/{id}", status_code=204)
async def delete_workspace_bot_access(ctx: Writer, workspace_id: WorkspaceId, id_: Id):
    return ctx.run("delete_bot_access", workspace_id=workspace_id, id=id_)


@router.post(W + "/user_access/", status_code=200)
async def upsert_workspace_user_access(ctx: Writer, workspace_id: WorkspaceId, body: Annotated[models.UserAccessUpsert, Body()]):
    return ctx.run("upsert_user_access", body, workspace_id=workspace_id)


@router.post(W + "/user_access/filter", status_code=200)
async def read_workspace_user_accesses(ctx: Reader, workspace_id: WorkspaceId, body: _filter_body(models.BodyReadUserAccess)):
    return ctx.run("filter_user_access", body, workspace_id=workspace_id)


@router.get(W + "/user_access/{id}", status_code=200)
async def read_workspace_user_access(ctx: Reader, workspace_id: WorkspaceId, id_: Id):
    return ctx.run("read_user_access", workspace_id=workspace_id, id=id_)


@router.delete(W + "/user_access/{id}", status_code=204)
async def delete_workspace_user_access(ctx: Writer, workspace_id: WorkspaceId, id_: Id):
    return ctx.run("delete_user_access", workspace_id=workspace_id, id=id_)


@router.put(W + "/team_access/", status_code=200)
async def upsert_workspace_team_access(ctx: Writer, workspace_id: WorkspaceId, body: Annotated[models.TeamAccessUpsert, Body()]):
    return ctx.run("upsert_team_access", body, workspace_id=workspace_id)


@router.post(W + "/team_access/filter", status_code=200)
async def read_workspace_team_accesses(ctx: Reader, workspace_id: WorkspaceId, body: _filter_body(models.BodyReadTeamAccess)):
    return ctx.run("filter_team_access", body, workspace_id=workspace_id)


@router.delete(W + "/team_access/{team_id}", status_code=204)
async def remove_workspace_team_access(ctx: Writer, workspace_id: WorkspaceId, team_id: Uuid):
    return ctx.run("delete_team_access", workspace_id=workspace_id, team_id=team_id)


# --- teams ---------------------------------------------------------------------------------------
@router.post(A + "/teams/", status_code=201)
async def create_team(ctx: Writer, body: models.TeamCreate):
    return ctx.run("create_team", body)


@router.post(A + "/teams/filter", status_code=200)
async def read_teams(ctx: Reader, body: _filter_body(models.BodyReadTeams)):
    return ctx.run("filter_teams", body)


@router.get(A + "/teams/{id}", status_code=200)
async def read_team(ctx: Reader, id_: Id):
    return ctx.run("read_team", id=id_)


@router.put(A + "/teams/{id}", status_code=200)
async def update_team(ctx: Writer, id_: Id, body: models.TeamUpdate):
    return ctx.run("update_team", body, id=id_)


@router.delete(A + "/teams/{id}", status_code=204)
async def delete_team(ctx: Writer, id_: Id):
    return ctx.run("delete_team", id=id_)


@router.put(A + "/teams/{id}/members", status_code=200)
async def upsert_team_members(ctx: Writer, id_: Id, body: models.BodyUpsertTeamMembers):
    return ctx.run("upsert_team_members", body, id=id_)


@router.delete(A + "/teams/{team_id}/members/{actor_id}", status_code=204)
async def remove_team_member(ctx: Writer, team_id: Uuid, actor_id: Uuid):
    return ctx.run("remove_team_member", team_id=team_id, actor_id=actor_id)


# --- invitations ---------------------------------------------------------------------------------
@router.post(A + "/invitations/", status_code=201)
async def create_invitation(ctx: Writer, body: Annotated[models.InvitationsCreate, Body()]):
    return ctx.run("create_invitations", body)


@router.post(A + "/invitations/filter", status_code=200)
async def read_invitations(ctx: Reader, body: _filter_body(models.BodyReadInvitations)):
    return ctx.run("filter_invitations", body)


@router.get(A + "/invitations/{id}", status_code=200)
async def read_invitation(ctx: Reader, id_: Id):
    return ctx.run("read_invitation", id=id_)


@router.post(A + "/invitations/{id}/revoke", status_code=204)
async def revoke_invitation(ctx: Writer, id_: Id):
    return ctx.run("revoke_invitation", id=id_)


# --- object access: deployments, block documents, work pools ---------------------------------------
@router.get(W + "/deployments/name/{flow_name}/{deployment_name}", status_code=200)
async def read_deployment_by_name(ctx: Reader, workspace_id: WorkspaceId, flow_name: Text, deployment_name: Text, _v: ApiVersion = None):
    return ctx.run("read_deployment_by_name", workspace_id=workspace_id, flow_name=flow_name, deployment_name=deployment_name)


@router.post(W + "/deployments/filter", status_code=200)
async def read_deployments(ctx: Reader, workspace_id: WorkspaceId, body: _filter_body(models.BodyReadDeployments), _v: ApiVersion = None):
    return ctx.run("filter_deployments", body, workspace_id=workspace_id)


@router.get(W + "/deployments/{id}/access", status_code=200)
async def read_deployment_access(ctx: Reader, workspace_id: WorkspaceId, id_: Id, _v: ApiVersion = None):
    return ctx.run("read_deployment_access", workspace_id=workspace_id, id=id_)


@router.put(W + "/deployments/{id}/access", status_code=204)
async def set_deployment_access(ctx: Writer, workspace_id: WorkspaceId, id_: Id, body: models.BodySetDeploymentAccess, _v: ApiVersion = None):
    return ctx.run("set_deployment_access", body, workspace_id=workspace_id, id=id_)


@router.get(W + "/block_types/slug/{slug}/block_documents/name/{block_document_name}", status_code=200)
async def read_block_document_by_name_for_block_type(ctx: Reader, workspace_id: WorkspaceId, slug: Text, block_document_name: Text,
                                                     include_secrets: Annotated[bool, Query()] = False, _v: ApiVersion = None):
    return ctx.run("read_block_document_by_name", workspace_id=workspace_id, slug=slug, block_document_name=block_document_name)


@router.post(W + "/block_documents/filter", status_code=200)
async def read_block_documents(ctx: Reader, workspace_id: WorkspaceId, body: _filter_body(models.BodyReadBlockDocuments), _v: ApiVersion = None):
    return ctx.run("filter_block_documents", body, workspace_id=workspace_id)


@router.get(W + "/block_documents/{id}/access", status_code=200)
async def read_block_document_access(ctx: Reader, workspace_id: WorkspaceId, id_: Id, _v: ApiVersion = None):
    return ctx.run("read_block_document_access", workspace_id=workspace_id, id=id_)


@router.put(W + "/block_documents/{id}/access", status_code=204)
async def set_block_document_access(ctx: Writer, workspace_id: WorkspaceId, id_: Id, body: models.BodySetBlockDocumentAccess,
                                    _v: ApiVersion = None):
    return ctx.run("set_block_document_access", body, workspace_id=workspace_id, id=id_)


@router.post(W + "/work_pools/filter", status_code=200)
async def read_work_pools(ctx: Reader, workspace_id: WorkspaceId, body: _filter_body(models.BodyReadWorkPools), _v: ApiVersion = None):
    return ctx.run("filter_work_pools", body, workspace_id=workspace_id)


@router.get(W + "/work_pools/{name}", status_code=200)
async def read_work_pool(ctx: Reader, workspace_id: WorkspaceId, name: Text, _v: ApiVersion = None):
    return ctx.run("read_work_pool", workspace_id=workspace_id, name=name)


@router.get(W + "/work_pools/{name}/access", status_code=200)
async def read_work_pool_access(ctx: Reader, workspace_id: WorkspaceId, name: Text, _v: ApiVersion = None):
    return ctx.run("read_work_pool_access", workspace_id=workspace_id, name=name)


@router.put(W + "/work_pools/{name}/access", status_code=204)
async def set_work_pool_access(ctx: Writer, workspace_id: WorkspaceId, name: Text, body: models.BodySetWorkPoolAccess, _v: ApiVersion = None):
    return ctx.run("set_work_pool_access", body, workspace_id=workspace_id, name=name)


# --- flows (names of the deployments' flows, for service_account_scope) ----------------------------
@router.post(W + "/flows/filter", status_code=200)
async def read_flows(ctx: Reader, workspace_id: WorkspaceId, body: _filter_body(models.BodyReadFlows), _v: ApiVersion = None):
    return ctx.run("filter_flows", body, workspace_id=workspace_id)


# --- me ------------------------------------------------------------------------------------------
@router.get("/api/me/", status_code=200)
async def read_my_profile(ctx: Me):
    return ctx.run("read_me")


@router.get("/api/me/workspaces", status_code=200)
async def read_my_workspaces(ctx: Me):
    return ctx.run("read_my_workspaces")


# --- account member activity and workspace invitations --------------------------------
@router.patch(A + "/account_memberships/{id}/active", status_code=204)
async def toggle_account_membership_active(ctx: Writer, id_: Id, body: models.AccountMembershipSetActive):
    return ctx.run("set_membership_active", body, id=id_)


@router.post(W + "/invitations/", status_code=201)
async def create_workspace_invitation(ctx: Writer, workspace_id: WorkspaceId, body: models.WorkspaceInvitationCreate):
    return ctx.run("create_workspace_invitation", body, workspace_id=workspace_id)


@router.post(W + "/invitations/filter", status_code=200)
async def read_workspace_invitations(ctx: Reader, workspace_id: WorkspaceId, body: _filter_body(models.BodyReadWorkspaceInvitations)):
    return ctx.run("filter_workspace_invitations", body, workspace_id=workspace_id)


@router.get(W + "/invitations/{id}", status_code=200)
async def read_workspace_invitation(ctx: Reader, workspace_id: WorkspaceId, id_: Id):
    return ctx.run("read_workspace_invitation", workspace_id=workspace_id, id=id_)


@router.post(W + "/invitations/{id}/revoke", status_code=204)
async def revoke_workspace_invitation(ctx: Writer, workspace_id: WorkspaceId, id_: Id):
    return ctx.run("revoke_workspace_invitation", workspace_id=workspace_id, id=id_)


# --- user API keys -------------------------------------------------------------------


@router.get("/api/me/api_keys", status_code=200)
async def read_my_api_keys(ctx: Me, name: Optional[str] = None):
    return ctx.run("read_my_api_keys", **({} if name is None else {"name": name}))


@router.post("/api/me/api_keys/filter", status_code=200)
async def filter_my_api_keys(ctx: Me, body: _filter_body(models.BodyFilterMyApiKeys)):
    return ctx.run("filter_my_api_keys", body)


@router.post("/api/users/{id}/api_keys", status_code=201)
async def create_user_api_key(ctx: Me, id_: Id, body: models.APIKeyCreate):
    return ctx.run("create_user_api_key", body, id=id_)


@router.get("/api/users/{id}/api_keys", status_code=200)
async def read_user_api_keys(ctx: Me, id_: Id, name: Optional[str] = None):
    return ctx.run("read_user_api_keys", id=id_, **({} if name is None else {"name": name}))


@router.get("/api/users/{id}/api_keys/{api_key_id}", status_code=200)
async def read_user_api_key(ctx: Me, id_: Id, api_key_id: Uuid):
    return ctx.run("read_user_api_key", id=id_, api_key_id=api_key_id)


@router.delete("/api/users/{id}/api_keys/{api_key_id}", status_code=204)
async def delete_user_api_key(ctx: Me, id_: Id, api_key_id: Uuid):
    return ctx.run("delete_user_api_key", id=id_, api_key_id=api_key_id)


class Route(NamedTuple):
    method: str
    path: str


# The emulated operations (method, path) as registered above (the conformance test and
# tools/extract_openapi.py read this).
ROUTES = tuple(Route(method, route.path) for route in router.routes if isinstance(route, APIRoute) for method in sorted(route.methods))
