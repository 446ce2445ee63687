# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The route table (the one list of emulated operations) and a FastAPI/Starlette-like router.

Routing follows Starlette: a route whose path and method match wins; a path match with another
method gives 405; otherwise, with ``redirect_slashes``, a path that matches some route once a
trailing slash is added or removed gives a 307 to that form; anything else is 404. Path
parameters match ``[^/]+`` and are validated as UUIDs afterwards (422 with loc ["path", name]).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import models

# How an absent (empty) body is treated.
BODY_REQUIRED = "required"     # 422 {"type": "missing", "loc": ["body"]}
BODY_EMPTY_OBJECT = "object"   # validate {} (filter endpoints: every field has a default)
BODY_NONE = "none"             # validate None (rotate_api_key: the body is optional and nullable)

_PARAM = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: str
    body: Any = None
    on_empty_body: str = BODY_REQUIRED
    regex: re.Pattern = field(init=False, repr=False, compare=False)
    params: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        pattern = "^" + _PARAM.sub(lambda m: f"(?P<{m.group(1)}>[^/]+)", re.escape(self.path).replace(r"\{", "{").replace(r"\}", "}")) + "$"
        object.__setattr__(self, "regex", re.compile(pattern))
        object.__setattr__(self, "params", tuple(_PARAM.findall(self.path)))

    @property
    def write(self) -> bool:
        return is_write(self.method, self.path)

    def match_path(self, path):
        found = self.regex.match(path)
        return None if found is None else found.groupdict()


def is_write(method: str, path: str) -> bool:
    """A request changes state unless it is a read method or a POST to a ``/filter`` route."""
    return method not in ("GET", "HEAD", "OPTIONS") and not (method == "POST" and path.rstrip("/").endswith("/filter"))


_A = "/api/accounts/{account_id}"
_W = _A + "/workspaces/{workspace_id}"


def _filter(path, handler, body_model):
    return Route("POST", path, handler, models.adapter(body_model), BODY_EMPTY_OBJECT)


# THE list of emulated operations. Every entry must exist in the OAS (checked by the conformance
# test, which also drives each one). Other OAS operations on the same paths (for example
# PATCH/DELETE account_roles/{id}) are not emulated and answer 405.
ROUTES = (
    # bots (service accounts)
    Route("POST", _A + "/bots/", "create_bot", models.adapter(models.BotCreate)),
    _filter(_A + "/bots/filter", "filter_bots", models.BodyReadBots),
    Route("GET", _A + "/bots/{id}", "read_bot"),
    Route("PATCH", _A + "/bots/{id}", "update_bot", models.adapter(models.BotUpdate)),
    Route("DELETE", _A + "/bots/{id}", "delete_bot"),
    Route("POST", _A + "/bots/{id}/rotate_api_key", "rotate_bot_key", models.ROTATE_BODY, BODY_NONE),
    Route("GET", _A + "/bots/{id}/read_bot_api_keys", "read_bot_keys"),
    Route("DELETE", _A + "/bots/{id}/delete_bot_api_key/{api_key_id}", "delete_bot_key"),
    Route("GET", _A + "/account_memberships/by-bot/{bot_id}", "read_membership_by_bot"),
    _filter(_A + "/account_memberships/filter", "filter_memberships", models.BodyReadAccountMemberships),
    # account roles
    _filter(_A + "/account_roles/filter", "filter_account_roles", models.BodyReadAccountRoles),
    Route("GET", _A + "/account_roles/{id}", "read_account_role"),
    # workspace roles
    Route("POST", _A + "/workspace_roles/", "create_workspace_role", models.adapter(models.WorkspaceRoleCreate)),
    _filter(_A + "/workspace_roles/filter", "filter_workspace_roles", models.BodyReadWorkspaceRoles),
    Route("GET", _A + "/workspace_roles/{id}", "read_workspace_role"),
    Route("PATCH", _A + "/workspace_roles/{id}", "update_workspace_role", models.adapter(models.WorkspaceRoleUpdate)),
    Route("DELETE", _A + "/workspace_roles/{id}", "delete_workspace_role"),
    # workspaces
    Route("POST", _A + "/workspaces/", "create_workspace", models.adapter(models.WorkspaceCreate)),
    _filter(_A + "/workspaces/filter", "filter_workspaces", models.BodyReadWorkspaces),
    Route("GET", _W, "read_workspace"),
    Route("PATCH", _W, "update_workspace", models.adapter(models.WorkspaceUpdate)),
    Route("DELETE", _W, "delete_workspace"),
    # workspace access
    Route("POST", _W + "/bot_access/", "upsert_bot_access", models.BOT_ACCESS_UPSERT),
    _filter(_W + "/bot_access/filter", "filter_bot_access", models.BodyReadBotAccess),
    Route("GET", _W + "/bot_access/{id}", "read_bot_access"),
    Route("DELETE", _W + "/bot_access/{id}", "delete_bot_access"),
    Route("POST", _W + "/user_access/", "upsert_user_access", models.USER_ACCESS_UPSERT),
    _filter(_W + "/user_access/filter", "filter_user_access", models.BodyReadUserAccess),
    Route("GET", _W + "/user_access/{id}", "read_user_access"),
    Route("DELETE", _W + "/user_access/{id}", "delete_user_access"),
    Route("PUT", _W + "/team_access/", "upsert_team_access", models.TEAM_ACCESS_UPSERT),
    _filter(_W + "/team_access/filter", "filter_team_access", models.BodyReadTeamAccess),
    Route("DELETE", _W + "/team_access/{team_id}", "delete_team_access"),
    # teams
    Route("POST", _A + "/teams/", "create_team", models.adapter(models.TeamCreate)),
    _filter(_A + "/teams/filter", "filter_teams", models.BodyReadTeams),
    Route("GET", _A + "/teams/{id}", "read_team"),
    # identity and access (issue 20): teams and their members, account memberships, invitations
    Route("PUT", _A + "/teams/{id}", "update_team", models.adapter(models.TeamUpdate)),
    Route("DELETE", _A + "/teams/{id}", "delete_team"),
    Route("PUT", _A + "/teams/{id}/members", "upsert_team_members", models.adapter(models.BodyUpsertTeamMembers)),
    Route("DELETE", _A + "/teams/{team_id}/members/{actor_id}", "remove_team_member"),
    Route("GET", _A + "/account_memberships/by-user/{user_id}", "read_membership_by_user"),
    Route("GET", _A + "/account_memberships/{id}", "read_membership"),
    Route("PATCH", _A + "/account_memberships/{id}", "update_membership", models.adapter(models.AccountMembershipUpdate)),
    Route("DELETE", _A + "/account_memberships/{id}", "delete_membership"),
    Route("POST", _A + "/invitations/", "create_invitations", models.INVITATIONS_CREATE),
    _filter(_A + "/invitations/filter", "filter_invitations", models.BodyReadInvitations),
    Route("GET", _A + "/invitations/{id}", "read_invitation"),
    Route("POST", _A + "/invitations/{id}/revoke", "revoke_invitation"),
    # me
    Route("GET", "/api/me/", "read_me"),
    Route("GET", "/api/me/workspaces", "read_my_workspaces"),
)


@dataclass
class Match:
    kind: str                     # "route", "method_not_allowed", "redirect", "not_found"
    route: Route = None
    params: dict = None
    allow: tuple = ()
    redirect_path: str = None


def resolve(method: str, path: str, routes=ROUTES) -> Match:
    allowed = []
    for route in routes:
        params = route.match_path(path)
        if params is None:
            continue
        if route.method == method or (method == "HEAD" and route.method == "GET"):
            return Match("route", route, params)
        allowed.append(route.method)
    if allowed:
        return Match("method_not_allowed", allow=tuple(sorted(set(allowed))))
    if path != "/":
        other = path.rstrip("/") if path.endswith("/") else path + "/"
        if any(route.match_path(other) is not None for route in routes):
            return Match("redirect", redirect_path=other)
    return Match("not_found")
