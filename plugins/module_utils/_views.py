# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The returned and diff forms of the API objects, shared by the state modules and their
``_info`` twins (PRIVATE to this collection). Views never hold a key."""

from __future__ import annotations


# Teams ---------------------------------------------------------------------------------------


def team_member_view(actor_id, kind, name, email):
    return {"actor_id": actor_id, "type": kind, "name": name, "email": email}


def member_view(actor):
    """The team-member form of a service account (``Bot``) or an account member (with ``user_id``)."""
    if getattr(actor, "user_id", None) is None:
        return team_member_view(actor.actor_id, "service_account", actor.name, None)
    full = " ".join(part for part in (actor.first_name, actor.last_name) if part)
    return team_member_view(actor.actor_id, "user", full, actor.email)


def team_view(team_id, name, description, members, workspaces):
    """The returned form of a team; ``members`` are ``team_member_view`` dicts (sorted by type and
    e-mail address or name)."""
    members = sorted(members, key=lambda m: (m["type"], (m["email"] or m["name"] or "").lower(), m["actor_id"] or ""))
    return {"id": team_id, "name": name, "description": description, "members": members, "workspaces": workspaces}


def team_detail_view(team):
    """The returned form of a ``Team`` as read from the API."""
    members = [team_member_view(m.id, m.type, m.name, m.email) for m in team.memberships]
    workspaces = [w.to_result() for w in team.workspaces]
    return team_view(team.id, team.name, team.description or "", members, workspaces)


def team_diff(view):
    """The diff form of a team: its members as ``user:alice@example.com``, ``service_account:ci``."""
    if view is None:
        return None
    members = [f"{m['type']}:{(m['email'] if m['type'] == 'user' else None) or m['name']}" for m in view["members"]]
    return {"name": view["name"], "description": view["description"], "members": sorted(members)}


# Workspaces and workspace grants -------------------------------------------------------------


def workspace_view(workspace, api_url):
    """The returned form of a workspace (a ``Workspace``, or a ``Planned`` one whose id and API URL
    are None), with the workspace API URL a Prefect client uses."""
    names = ("id", "name", "handle", "description", "account_id", "default_workspace_role_id")
    view = {name: getattr(workspace, name, None) for name in names}
    view["api_url"] = None if workspace.id is None else \
        f"{api_url.rstrip('/')}/accounts/{workspace.account_id}/workspaces/{workspace.id}"
    return view


def workspace_diff(view):
    """The diff form of a workspace (None when there is none)."""
    if view is None:
        return None
    return {name: view[name] for name in ("handle", "name", "description", "default_workspace_role_id")}


def grant_view(grant_id, workspace_id, workspace_handle, accessor, role_id, role_name):
    """The returned form of a grant (``workspace_access``, ``workspace_members``, the info twin);
    ``accessor`` is (accessor type, accessor id, accessor name, actor id)."""
    kind, accessor_id, name, actor_id = accessor
    return {"id": grant_id, "workspace_id": workspace_id, "workspace_handle": workspace_handle,
            "accessor_type": kind, "accessor_id": accessor_id, "accessor_name": name, "actor_id": actor_id,
            "workspace_role_id": role_id, "workspace_role_name": role_name}


def grant_diff(view):
    """The diff form of a grant: names only (None when there is no grant)."""
    if view is None:
        return None
    return {"workspace": view["workspace_handle"] or view["workspace_id"], "accessor_type": view["accessor_type"],
            "accessor": view["accessor_name"], "workspace_role": view["workspace_role_name"]}

# Workspace and account roles -----------------------------------------------------------------


def workspace_role_view(role, roles):
    """The returned form of a workspace role (a ``WorkspaceRole`` or a ``Planned`` one, id None);
    ``roles`` (a ``RoleIndex``) names the inherited role."""
    inherited = role.inherited_role_id
    return {"id": role.id, "name": role.name, "account_id": role.account_id, "description": role.description or "",
            "scopes": sorted(set(role.scopes or ())), "inherited_role_id": inherited,
            "inherited_role_name": roles.name_of(inherited) if inherited else None}


def workspace_role_diff(view):
    if view is None:
        return None
    return {"name": view["name"], "description": view["description"], "scopes": view["scopes"],
            "inherited_role": view["inherited_role_name"]}


def account_role_view(role):
    return {"id": role.id, "name": role.name, "account_id": role.account_id, "is_system_role": role.is_system_role,
            "permissions": list(role.permissions)}


# Account members and invitations -------------------------------------------------------------

_MEMBER_FIELDS = ("id", "user_id", "actor_id", "email", "handle", "first_name", "last_name", "account_role_id",
                  "account_role_name", "active", "last_login")


def account_member_view(member):
    """The returned form of an account member (``AccountMember``)."""
    data = member.to_result()
    return {key: data.get(key) for key in _MEMBER_FIELDS}


def sort_account_members(views):
    return sorted(views, key=lambda m: ((m["email"] or "").lower(), m["id"]))


def invitation_view(invitation, roles, scope="account", **where):
    """The returned form of an ``Invitation`` or a ``WorkspaceInvitation`` (or a ``Planned`` one: id
    None, pending); ``roles`` (a ``RoleIndex`` of the ``scope``'s roles, account or workspace) names
    its role; ``where``: the fields that place it (``workspace_id``, ``workspace_handle``)."""
    data = invitation.to_result() if hasattr(invitation, "to_result") else dict(vars(invitation), status="PENDING")
    role_id = data[f"{scope}_role_id"]
    return {"id": data["id"], "email": data["email"], **where, f"{scope}_role_id": role_id,
            f"{scope}_role_name": roles.name_of(role_id), "status": data["status"], "expiration": data.get("expiration")}


def account_member_diff(view):
    """The diff form of ``{"account_member": ..., "invitation": ...}`` (one of them set), or None."""
    if view is None:
        return None
    member, invitation = view["account_member"], view["invitation"]
    if member is not None:
        return {"user": member["email"] or member["handle"], "account_role": member["account_role_name"],
                "status": "member", "active": member["active"]}
    return {"user": invitation["email"], "account_role": invitation["account_role_name"], "status": "invited"}
