# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulated ``/api`` operations.

FastAPI (``routes.py``) routes the request (404/405/307), decodes the JSON body (422
``json_invalid``), authenticates (401), validates the path parameters (422), looks the account up
(404), refuses writes with a bot key (403) and validates the body (422); then ``Api.run`` calls
the handler here under the store lock.

Simplified authorisation (documented deviation): the owner key (``--api-key``) may do
everything; a bot key may call the ``/me`` routes and the read-only routes (GET and ``/filter``
POSTs) of the whole account, and gets 403 on writes. There is no per-workspace RBAC.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta, timezone

from . import models
from .state import OBJECT_LEVELS, format_ts, generate_key, hash_key, mask_key, new_id, parse_ts, slugify

AUTH_FAILED = "Invalid authentication credentials"
# UNCONFIRMED: exact 403/404/409 detail texts are not documented; these are our choice.
FORBIDDEN = "Service account keys are read-only in the emulator."
DUPLICATE_BOT = "A service account with this name already exists."
DUPLICATE_WORKSPACE = "A workspace with this handle already exists."
DUPLICATE_WORKSPACE_ROLE = "A workspace role with this name already exists."
DUPLICATE_TEAM = "A team with this name already exists."
BUILTIN_ROLE = "Built-in workspace roles cannot be modified or deleted."
ACTIVE_KEY = "The active API key cannot be deleted; rotate it instead."
# Identity and access; UNCONFIRMED texts and statuses, as above.
LAST_OWNER = "The account must keep at least one Owner."
ALREADY_MEMBER = "A user with this e-mail address is already a member of the account."
NOT_PENDING = "Only a pending invitation can be revoked."
# Object access (deployments, block documents, work pools); UNCONFIRMED texts and statuses, as above.
OBJECT_NOT_FOUND = {"deployments": "Deployment not found.", "block_documents": "Block document not found.",
                    "work_pools": "Work pool not found."}

# User API keys; UNCONFIRMED whether an admin may manage another user's keys.
OWN_KEYS_ONLY = "Users can only manage their own API keys."


class ApiError(Exception):
    """An HTTP error with a FastAPI-style body."""

    def __init__(self, status, detail, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


@dataclass
class Reply:
    status: int
    payload: object = None          # None -> empty body
    headers: dict = field(default_factory=dict)


@dataclass
class Call:
    """What a handler sees."""
    params: dict
    body: object
    actor: dict


def _page(items, body):
    return items[body.offset:body.offset + body.limit]


def _any(criterion, value, transform=str):
    """True when ``criterion.any_`` is unset or contains ``value``."""
    if criterion is None or criterion.any_ is None:
        return True
    return value in [transform(v) for v in criterion.any_]


def _like(criterion, *values):
    if criterion is None or criterion.like_ is None:
        return True
    needle = criterion.like_.lower()
    return any(needle in (v or "").lower() for v in values)


def _sorted(items, sort, keys, default="CREATED_ASC"):
    """Sort ``items`` by a ``<FIELD>_ASC|_DESC`` enum value; ``keys`` maps FIELD to a key function."""
    name = sort.value if sort is not None else default
    field_name, _sep, direction = name.rpartition("_")
    return sorted(items, key=keys[field_name], reverse=direction == "DESC")


class Api:
    def __init__(self, store, team_access_put="merge"):
        self.store = store
        self.team_access_put = team_access_put

    # --- entry point (called by the path operations of routes.py) ----------------------------
    def run(self, handler, actor, body=None, params=None, write=False):
        """Run one operation under the store lock; save the state after a write that succeeded.

        FastAPI has routed the request and validated its path parameters and body already; an
        ``ApiError`` becomes the reply ``{"detail": ...}`` with its status."""
        with self.store.lock:
            try:
                reply = getattr(self, handler)(Call({k: str(v) for k, v in (params or {}).items()}, body, actor))
            except ApiError as exc:
                return Reply(exc.status, {"detail": exc.detail}, exc.headers)
            if write:
                self.store.save()
            return reply

    def authenticate(self, token):
        """The actor of a bearer token (``{"type": "user"|"bot", "id"}``), or None."""
        if not token:
            return None
        with self.store.lock:
            return self.store.authenticate(token)

    # --- helpers -----------------------------------------------------------------------------
    @property
    def data(self):
        return self.store.data

    def _get(self, collection, item_id, what):
        item = self.data[collection].get(item_id)
        if item is None:
            raise ApiError(404, f"{what} not found.")
        return item

    def _account_role(self, role_id):
        return self._get("account_roles", str(role_id), "Account role")

    def _workspace(self, call):
        return self._get("workspaces", call.params["workspace_id"], "Workspace")

    def _touch(self, row):
        row["updated"] = self.store.now_ts()

    def _bot_keys(self, bot_id, keys_by_bot=None):
        """The active key and the rotating keys of a bot; ``keys_by_bot`` (from ``_keys_by_bot``)
        lets a listing look its page's keys up without scanning every key per bot."""
        if keys_by_bot is None:
            self.store.prune_expired_keys()
            keys = [k for k in self.data["api_keys"].values() if k["bot_id"] == bot_id]
        else:
            keys = keys_by_bot.get(bot_id, [])
        active = [k for k in keys if k["state"] == "active"]
        rotating = sorted((k for k in keys if k["state"] == "rotating"), key=lambda k: k["created"])
        return (active[0] if active else None), rotating

    @staticmethod
    def _key_read(key):
        return {"id": key["id"], "created": key["created"], "name": key["name"], "expiration": key["expiration"], "masked_key": key["masked_key"]}

    def _keys_by_bot(self):
        """Every key by bot id, after pruning once (one pass for a whole listing)."""
        self.store.prune_expired_keys()
        found = {}
        for key in self.data["api_keys"].values():
            found.setdefault(key["bot_id"], []).append(key)
        return found

    def _bot_read(self, bot, keys_by_bot=None):
        active, _rotating = self._bot_keys(bot["id"], keys_by_bot)
        return {
            "id": bot["id"], "created": bot["created"], "updated": bot["updated"], "actor_id": bot["actor_id"],
            "account_id": self.store.account_id, "name": bot["name"],
            "account_role_name": self._account_role(bot["account_role_id"])["name"], "api_key": self._key_read(active),
        }

    def _issue_key(self, bot, expiration):
        """Create the bot's new active key and return ``APIKeyCreateResponse``."""
        plaintext = generate_key()
        self.store.record_issued_key(plaintext)
        key_id = new_id()
        # UNCONFIRMED: the name the real API gives bot keys on create/rotate is unknown.
        row = {
            "id": key_id, "bot_id": bot["id"], "name": f"{bot['name']}-key", "created": self.store.now_ts(),
            "expiration": format_ts(expiration.replace(tzinfo=expiration.tzinfo or timezone.utc)) if expiration else None,
            "key_hash": hash_key(plaintext), "masked_key": mask_key(plaintext), "state": "active",
        }
        self.data["api_keys"][key_id] = row
        return {"id": key_id, "created": row["created"], "name": row["name"], "expiration": row["expiration"], "key": plaintext}

    def _bot_create_response(self, bot, api_key):
        return {
            "id": bot["id"], "created": bot["created"], "updated": bot["updated"], "actor_id": bot["actor_id"],
            "account_id": self.store.account_id, "name": bot["name"],
            "account_role_name": self._account_role(bot["account_role_id"])["name"], "api_key": api_key,
        }

    def _check_bot_name(self, name, bot_id=None):
        # UNCONFIRMED: the status of a duplicate service-account name (409 or 422) is not documented.
        other = self.store.bot_named(name)
        if other is not None and other["id"] != bot_id:
            raise ApiError(409, DUPLICATE_BOT)

    # --- bots --------------------------------------------------------------------------------
    def create_bot(self, call):
        body = call.body
        self._check_bot_name(body.name)
        if body.account_role_id is not None:
            role = self._account_role(body.account_role_id)
        else:
            role = self.store.account_role_by_name("Member")
        now = self.store.now_ts()
        bot = {
            "id": new_id(), "actor_id": new_id(), "membership_id": new_id(), "name": body.name,
            "account_role_id": role["id"], "created": now, "updated": now,
        }
        self.data["bots"][bot["id"]] = bot
        self.store.index_bot(bot)
        # UNCONFIRMED: an api_key_expiration in the past is accepted (the key simply never works).
        api_key = self._issue_key(bot, body.api_key_expiration)
        return Reply(201, self._bot_create_response(bot, api_key))

    def filter_bots(self, call):
        crit = call.body.service_accounts
        bots = list(self.data["bots"].values())
        if crit is not None:
            bots = [b for b in bots if _any(crit.id, b["id"]) and _any(crit.name, b["name"]) and _like(crit.name, b["name"])]
        bots.sort(key=lambda b: b["created"])
        page = _page(bots, call.body)
        keys = self._keys_by_bot() if page else {}
        return Reply(200, [self._bot_read(b, keys) for b in page])

    def read_bot(self, call):
        return Reply(200, self._bot_read(self._get("bots", call.params["id"], "Bot")))

    def update_bot(self, call):
        bot = self._get("bots", call.params["id"], "Bot")
        body = call.body
        # An explicit null leaves a field unchanged (both fields are non-nullable on the object).
        if body.name is not None:
            self._check_bot_name(body.name, bot["id"])
        if body.account_role_id is not None:
            bot["account_role_id"] = self._account_role(body.account_role_id)["id"]
        if body.name is not None:
            bot["name"] = body.name
            self.store.index_bot(bot, renamed=True)
        self._touch(bot)
        return Reply(204)

    def delete_bot(self, call):
        bot = self._get("bots", call.params["id"], "Bot")
        del self.data["bots"][bot["id"]]
        for key_id in [k for k, row in self.data["api_keys"].items() if row["bot_id"] == bot["id"]]:
            del self.data["api_keys"][key_id]
        # UNCONFIRMED: whether a bot's workspace accesses cascade on delete; we assume they do.
        for access_id in [a for a, row in self.data["bot_access"].items() if row["bot_id"] == bot["id"]]:
            del self.data["bot_access"][access_id]
        for team in self.data["teams"].values():
            if bot["actor_id"] in team["member_actor_ids"]:
                team["member_actor_ids"].remove(bot["actor_id"])
        return Reply(204)

    def rotate_bot_key(self, call):
        bot = self._get("bots", call.params["id"], "Bot")
        body = call.body or models.BotRotateAPIKey()
        old, _rotating = self._bot_keys(bot["id"])
        if old is not None:
            if body.old_key_expires_in_seconds is None:
                del self.data["api_keys"][old["id"]]
                self.store.revoke_key(old, {"type": "bot", "id": bot["id"]})
            else:
                # UNCONFIRMED: 0 means "expires now" (the key stops working at once).
                grace_end = self.store.now() + timedelta(seconds=body.old_key_expires_in_seconds)
                if old["expiration"] is not None and parse_ts(old["expiration"]) < grace_end:
                    grace_end = parse_ts(old["expiration"])
                old["state"] = "rotating"
                old["expiration"] = format_ts(grace_end)
        api_key = self._issue_key(bot, body.api_key_expiration)
        self._touch(bot)
        return Reply(201, self._bot_create_response(bot, api_key))

    def read_bot_keys(self, call):
        bot = self._get("bots", call.params["id"], "Bot")
        active, rotating = self._bot_keys(bot["id"])
        return Reply(200, {"active_key": self._key_read(active), "rotating_keys": [self._key_read(k) for k in rotating]})

    def delete_bot_key(self, call):
        bot = self._get("bots", call.params["id"], "Bot")
        self.store.prune_expired_keys()
        key = self.data["api_keys"].get(call.params["api_key_id"])
        if key is None or key["bot_id"] != bot["id"]:
            raise ApiError(404, "API key not found.")
        if key["state"] == "active":
            # UNCONFIRMED: the OAS only says rotating keys "can be deleted at any time".
            raise ApiError(409, ACTIVE_KEY)
        del self.data["api_keys"][key["id"]]
        self.store.revoke_key(key, {"type": "bot", "id": bot["id"]})
        # The OAS response schema is {} (any JSON); we answer an empty object.
        return Reply(200, {})

    # --- memberships -------------------------------------------------------------------------
    def _memberships(self):
        """AccountMembershipsResponse-like rows for users and bots (with sort helpers)."""
        rows = []
        for membership in self.data["memberships"].values():
            user = self.data["users"][membership["user_id"]]
            rows.append({
                "id": membership["id"], "actor_id": user["actor_id"], "user_id": user["id"], "first_name": user["first_name"],
                "last_name": user["last_name"], "handle": user["handle"], "email": user["email"],
                "account_role_name": self._account_role(membership["account_role_id"])["name"],
                "account_role_id": membership["account_role_id"], "last_login": membership.get("last_login"),
                "active": membership["active"], "_created": membership["created"],
            })
        for bot in self.data["bots"].values():
            rows.append({
                "id": bot["membership_id"], "actor_id": bot["actor_id"], "user_id": None, "first_name": None, "last_name": None,
                "handle": None, "email": None, "account_role_name": self._account_role(bot["account_role_id"])["name"],
                "account_role_id": bot["account_role_id"], "last_login": None, "active": True, "_created": bot["created"],
                "_bot_name": bot["name"],
            })
        return rows

    def filter_memberships(self, call):
        body = call.body
        crit = body.account_memberships
        rows = self._memberships()
        if body.only_users:
            rows = [r for r in rows if r["user_id"] is not None]
        if body.only_bots:
            rows = [r for r in rows if r["user_id"] is None]
        if body.active is not None:
            rows = [r for r in rows if r["active"] == body.active]
        if crit is not None:
            def matches(row):
                checks = []
                if crit.account_role_id is not None:
                    checks.append(_any(crit.account_role_id, row["account_role_id"]))
                if crit.user_id is not None:
                    ok = _any(crit.user_id, row["user_id"])
                    if crit.user_id.not_any_ is not None:
                        ok = ok and row["user_id"] not in [str(v) for v in crit.user_id.not_any_]
                    checks.append(ok)
                if crit.email is not None:
                    # UNCONFIRMED: e-mail any_ is compared case-insensitively.
                    # UNCONFIRMED: any_ is taken as an exact, case-sensitive match (the strict reading); like_ ignores case.
                    checks.append(_any(crit.email, row["email"]) and _like(crit.email, row["email"]))
                if crit.handle is not None:
                    checks.append(_any(crit.handle, row["handle"]) and _like(crit.handle, row["handle"]))
                if crit.name is not None:
                    checks.append(_like(crit.name, row["first_name"], row["last_name"]))
                if crit.actor_id is not None:
                    checks.append(_any(crit.actor_id, row["actor_id"]))
                if not checks:
                    return True
                return any(checks) if crit.operator == models.Operator.OR else all(checks)
            rows = [r for r in rows if matches(r)]
        rows = _sorted(rows, body.sort, {
            "CREATED": lambda r: r["_created"], "LAST_LOGIN": lambda r: r["last_login"] or "",
            "NAME": lambda r: (r["first_name"] or r.get("_bot_name") or "", r["last_name"] or ""),
            "HANDLE": lambda r: r["handle"] or "", "EMAIL": lambda r: r["email"] or "",
            "ACCOUNT_ROLE_NAME": lambda r: r["account_role_name"],
        })
        return Reply(200, [{k: v for k, v in r.items() if not k.startswith("_")} for r in _page(rows, body)])

    def read_membership_by_bot(self, call):
        bot = self.data["bots"].get(call.params["bot_id"])
        if bot is None:
            raise ApiError(404, "Account membership not found.")
        return Reply(200, {
            "id": bot["membership_id"], "created": bot["created"], "updated": bot["updated"], "actor_id": bot["actor_id"],
            "account_id": self.store.account_id, "user_id": None, "handle": slugify(bot["name"]), "first_name": None,
            "last_name": None, "email": None, "account_role_id": bot["account_role_id"],
            "account_role_name": self._account_role(bot["account_role_id"])["name"], "directory_id": None, "timezone": None,
            "teams": [{"id": t["id"], "name": t["name"]} for t in self.data["teams"].values() if bot["actor_id"] in t["member_actor_ids"]],
            "active": True,
        })

    # --- account roles -----------------------------------------------------------------------
    def filter_account_roles(self, call):
        crit = call.body.account_roles
        roles = list(self.data["account_roles"].values())
        if crit is not None:
            roles = [r for r in roles if _any(crit.name, r["name"])]
        roles.sort(key=lambda r: r["created"])
        return Reply(200, _page(roles, call.body))

    def read_account_role(self, call):
        return Reply(200, self._account_role(call.params["id"]))

    # --- workspace roles ---------------------------------------------------------------------
    def _workspace_role(self, role_id):
        return self._get("workspace_roles", str(role_id), "Workspace role")

    def _check_role_name(self, name, role_id=None):
        # UNCONFIRMED: uniqueness of custom role names and the 409 status.
        for role in self.data["workspace_roles"].values():
            if role["name"] == name and role["id"] != role_id:
                raise ApiError(409, DUPLICATE_WORKSPACE_ROLE)

    def _check_inherited(self, role_id):
        if role_id is None:
            return None
        role = self._workspace_role(role_id)
        return role["id"]

    def create_workspace_role(self, call):
        body = call.body
        self._check_role_name(body.name)
        now = self.store.now_ts()
        role = {
            "id": new_id(), "created": now, "updated": now, "account_id": self.store.account_id, "name": body.name,
            "description": body.description, "permissions": list(body.scopes), "scopes": list(body.scopes),
            "inherited_role_id": self._check_inherited(body.inherited_role_id),
        }
        self.data["workspace_roles"][role["id"]] = role
        return Reply(201, role)

    def filter_workspace_roles(self, call):
        crit = call.body.workspace_roles
        roles = list(self.data["workspace_roles"].values())
        if crit is not None:
            roles = [r for r in roles if _any(crit.name, r["name"])]
            if crit.is_global is not None:
                roles = [r for r in roles if (r["account_id"] is None) == crit.is_global]
        roles.sort(key=lambda r: (r["account_id"] is not None, r["created"]))
        return Reply(200, _page(roles, call.body))

    def read_workspace_role(self, call):
        return Reply(200, self._workspace_role(call.params["id"]))

    def _custom_role(self, role_id):
        role = self._workspace_role(role_id)
        if role["account_id"] is None:
            # UNCONFIRMED: whether (and with which status) the API refuses changes to built-in roles.
            raise ApiError(403, BUILTIN_ROLE)
        return role

    def update_workspace_role(self, call):
        role = self._custom_role(call.params["id"])
        body = call.body
        fields = body.model_fields_set
        if body.name is not None:
            self._check_role_name(body.name, role["id"])
            role["name"] = body.name
        if body.description is not None:
            role["description"] = body.description
        if body.scopes is not None:
            role["scopes"] = list(body.scopes)
            role["permissions"] = list(body.scopes)
        if "inherited_role_id" in fields:
            role["inherited_role_id"] = self._check_inherited(body.inherited_role_id)
        self._touch(role)
        return Reply(204)

    def delete_workspace_role(self, call):
        role = self._custom_role(call.params["id"])
        del self.data["workspace_roles"][role["id"]]
        # UNCONFIRMED: accesses that used a deleted custom role are removed with it.
        for kind in ("bot_access", "user_access", "team_access"):
            for access_id in [a for a, row in self.data[kind].items() if row["workspace_role_id"] == role["id"]]:
                del self.data[kind][access_id]
        for workspace in self.data["workspaces"].values():
            if workspace["default_workspace_role_id"] == role["id"]:
                workspace["default_workspace_role_id"] = None
        return Reply(204)

    # --- workspaces --------------------------------------------------------------------------
    def _check_handle(self, handle, workspace_id=None):
        # UNCONFIRMED: the status for a duplicate workspace handle (409 chosen).
        for workspace in self.data["workspaces"].values():
            if workspace["handle"] == handle and workspace["id"] != workspace_id:
                raise ApiError(409, DUPLICATE_WORKSPACE)

    def create_workspace(self, call):
        body = call.body
        self._check_handle(body.handle)
        # The creator (always the owner user here: bots cannot write) gets Owner access.
        return Reply(201, self.store.add_workspace(body.name, body.handle, body.description))

    def filter_workspaces(self, call):
        crit = call.body.workspaces
        items = list(self.data["workspaces"].values())
        if crit is not None:
            items = [w for w in items if _any(crit.id, w["id"]) and _any(crit.handle, w["handle"])]
        items.sort(key=lambda w: w["created"])
        return Reply(200, _page(items, call.body))

    def read_workspace(self, call):
        return Reply(200, self._workspace(call))

    def update_workspace(self, call):
        workspace = self._workspace(call)
        body = call.body
        fields = body.model_fields_set
        if body.handle is not None:
            self._check_handle(body.handle, workspace["id"])
        if "default_workspace_role_id" in fields and body.default_workspace_role_id is not None:
            self._workspace_role(body.default_workspace_role_id)
        # An explicit null name/handle is ignored (they are required on the object).
        if body.name is not None:
            workspace["name"] = body.name
        if body.handle is not None:
            workspace["handle"] = body.handle
        if "description" in fields:
            workspace["description"] = body.description
        if "default_workspace_role_id" in fields:
            # UNCONFIRMED: an explicit null clears the default role.
            value = body.default_workspace_role_id
            workspace["default_workspace_role_id"] = str(value) if value is not None else None
        self._touch(workspace)
        return Reply(204)

    def delete_workspace(self, call):
        workspace = self._workspace(call)
        del self.data["workspaces"][workspace["id"]]
        for kind in ("bot_access", "user_access", "team_access", "workspace_invitations"):
            for access_id in [a for a, row in self.data[kind].items() if row["workspace_id"] == workspace["id"]]:
                del self.data[kind][access_id]
        return Reply(204)

    # --- workspace access --------------------------------------------------------------------
    def _upsert(self, kind, workspace, key_field, key_value, role_id, existing=None):
        """One row per (workspace, accessor); an existing row keeps its id and gets the new role.
        ``existing``: the workspace's rows by accessor (one scan for a whole array of upserts)."""
        now = self.store.now_ts()
        if existing is None:
            existing = {r[key_field]: r for r in self.data[kind].values() if r["workspace_id"] == workspace["id"]}
        row = existing.get(key_value)
        if row is not None:
            row["workspace_role_id"] = role_id
            # UNCONFIRMED: whether `updated` changes on a same-role upsert; we bump it on every upsert.
            row["updated"] = now
            return row
        row = {"id": new_id(), "created": now, "updated": now, "workspace_id": workspace["id"], "workspace_role_id": role_id, key_field: key_value}
        self.data[kind][row["id"]] = row
        existing[key_value] = row
        return row

    def _access_row(self, kind, call, what):
        workspace = self._workspace(call)
        row = self.data[kind].get(call.params["id"])
        if row is None or row["workspace_id"] != workspace["id"]:
            raise ApiError(404, f"{what} not found.")
        return row

    def _bot_access_out(self, row):
        bot = self.data["bots"][row["bot_id"]]
        return {
            "id": row["id"], "created": row["created"], "updated": row["updated"], "workspace_id": row["workspace_id"],
            "workspace_role_id": row["workspace_role_id"], "actor_id": bot["actor_id"], "bot_id": bot["id"], "bot_name": bot["name"],
        }

    def _user_access_out(self, row):
        user = self.data["users"][row["user_id"]]
        return {
            "id": row["id"], "created": row["created"], "updated": row["updated"], "workspace_id": row["workspace_id"],
            "workspace_role_id": row["workspace_role_id"], "actor_id": user["actor_id"], "user_id": user["id"],
            "first_name": user["first_name"], "last_name": user["last_name"], "email": user["email"], "handle": user["handle"],
        }

    def _team_access_out(self, row, with_name):
        out = {
            "id": row["id"], "created": row["created"], "updated": row["updated"], "team_id": row["team_id"],
            "workspace_id": row["workspace_id"], "workspace_role_id": row["workspace_role_id"],
        }
        if with_name:
            out["team_name"] = self.data["teams"][row["team_id"]]["name"]
        return out

    def _upsert_many(self, call, kind, key_field, collection, what):
        workspace = self._workspace(call)
        items = call.body if isinstance(call.body, list) else [call.body]
        resolved = []
        for item in items:   # validate everything first: the upsert is all-or-nothing
            key_value = self._get(collection, str(getattr(item, key_field)), what)["id"]
            role_id = self._workspace_role(item.workspace_role_id)["id"]
            resolved.append((key_value, role_id))
        existing = {r[key_field]: r for r in self.data[kind].values() if r["workspace_id"] == workspace["id"]}
        return workspace, [self._upsert(kind, workspace, key_field, key_value, role_id, existing)
                           for key_value, role_id in resolved]

    def upsert_bot_access(self, call):
        _workspace, rows = self._upsert_many(call, "bot_access", "bot_id", "bots", "Bot")
        out = [self._bot_access_out(r) for r in rows]
        return Reply(200, out if isinstance(call.body, list) else out[0])

    def filter_bot_access(self, call):
        workspace = self._workspace(call)
        body = call.body
        rows = [self._bot_access_out(r) for r in self.data["bot_access"].values() if r["workspace_id"] == workspace["id"]]
        if body.workspace_accesses is not None:
            crit = body.workspace_accesses
            rows = [r for r in rows if _any(crit.workspace_role_id, r["workspace_role_id"]) and _any(crit.actor_id, r["actor_id"])]
        if body.bots is not None:
            crit = body.bots
            rows = [r for r in rows if _any(crit.id, r["bot_id"]) and _any(crit.name, r["bot_name"]) and _like(crit.name, r["bot_name"])]
        rows = _sorted(rows, body.sort, {"CREATED": lambda r: r["created"], "BOT_NAME": lambda r: r["bot_name"]})
        return Reply(200, _page(rows, body))

    def read_bot_access(self, call):
        return Reply(200, self._bot_access_out(self._access_row("bot_access", call, "Workspace bot access")))

    def delete_bot_access(self, call):
        row = self._access_row("bot_access", call, "Workspace bot access")
        del self.data["bot_access"][row["id"]]
        return Reply(204)

    def upsert_user_access(self, call):
        _workspace, rows = self._upsert_many(call, "user_access", "user_id", "users", "User")
        out = [self._user_access_out(r) for r in rows]
        return Reply(200, out if isinstance(call.body, list) else out[0])

    def filter_user_access(self, call):
        workspace = self._workspace(call)
        body = call.body
        rows = [self._user_access_out(r) for r in self.data["user_access"].values() if r["workspace_id"] == workspace["id"]]
        if body.workspace_accesses is not None:
            crit = body.workspace_accesses
            rows = [r for r in rows if _any(crit.workspace_role_id, r["workspace_role_id"]) and _any(crit.actor_id, r["actor_id"])]
        if body.users is not None:
            crit = body.users
            rows = [
                r for r in rows
                if _any(crit.id, r["user_id"]) and (crit.id is None or crit.id.not_any_ is None or r["user_id"] not in [str(v) for v in crit.id.not_any_])
                and _any(crit.email, r["email"]) and _like(crit.email, r["email"])
                and _any(crit.handle, r["handle"]) and _like(crit.handle, r["handle"])
                and _like(crit.name, r["first_name"], r["last_name"])
            ]
        rows = _sorted(rows, body.sort, {
            "CREATED": lambda r: r["created"], "NAME": lambda r: (r["first_name"], r["last_name"]),
            "EMAIL": lambda r: r["email"], "HANDLE": lambda r: r["handle"],
        })
        return Reply(200, _page(rows, body))

    def read_user_access(self, call):
        return Reply(200, self._user_access_out(self._access_row("user_access", call, "Workspace user access")))

    def delete_user_access(self, call):
        # Not emulated: removal of a Collaborator's account membership with their last access.
        row = self._access_row("user_access", call, "Workspace user access")
        del self.data["user_access"][row["id"]]
        return Reply(204)

    def upsert_team_access(self, call):
        # UNCONFIRMED: merge (default; grants of teams not named in the request are kept, as TF
        # assumes) or replace (--team-access-put replace: they are deleted). The response lists the
        # rows named in the request only.
        workspace, rows = self._upsert_many(call, "team_access", "team_id", "teams", "Team")
        if self.team_access_put == "replace":
            kept = {row["id"] for row in rows}
            for access_id, row in list(self.data["team_access"].items()):
                if row["workspace_id"] == workspace["id"] and access_id not in kept:
                    del self.data["team_access"][access_id]
        return Reply(200, [self._team_access_out(r, False) for r in rows])

    def filter_team_access(self, call):
        workspace = self._workspace(call)
        rows = sorted((r for r in self.data["team_access"].values() if r["workspace_id"] == workspace["id"]), key=lambda r: r["created"])
        return Reply(200, [self._team_access_out(r, True) for r in _page(rows, call.body)])

    def delete_team_access(self, call):
        workspace = self._workspace(call)
        for access_id, row in list(self.data["team_access"].items()):
            if row["workspace_id"] == workspace["id"] and row["team_id"] == call.params["team_id"]:
                del self.data["team_access"][access_id]
                return Reply(204)
        raise ApiError(404, "Workspace team access not found.")

    # --- teams -------------------------------------------------------------------------------
    def _actor_member(self, actor_id):
        for user in self.data["users"].values():
            if user["actor_id"] == actor_id:
                return {"id": actor_id, "handle": user["handle"], "name": f"{user['first_name']} {user['last_name']}".strip(),
                        "email": user["email"], "type": "user"}
        for bot in self.data["bots"].values():
            if bot["actor_id"] == actor_id:
                return {"id": actor_id, "handle": slugify(bot["name"]), "name": bot["name"], "email": None, "type": "service_account"}
        return None

    def _team_out(self, team):
        members = [m for m in (self._actor_member(a) for a in team["member_actor_ids"]) if m is not None]
        workspaces = []
        for row in self.data["team_access"].values():
            if row["team_id"] == team["id"]:
                workspaces.append({
                    "workspace_id": row["workspace_id"], "workspace_handle": self.data["workspaces"][row["workspace_id"]]["handle"],
                    "workspace_role_id": row["workspace_role_id"], "workspace_role_name": self.data["workspace_roles"][row["workspace_role_id"]]["name"],
                })
        return {
            "id": team["id"], "created": team["created"], "updated": team["updated"], "account_id": self.store.account_id,
            "name": team["name"], "description": team.get("description", ""),
            "workos_directory_group_id": team.get("workos_directory_group_id"), "memberships": members, "workspaces": workspaces,
        }

    def _check_team_name(self, name, team_id=None):
        # UNCONFIRMED: uniqueness of team names and the 409 status.
        if any(t["name"] == name and t["id"] != team_id for t in self.data["teams"].values()):
            raise ApiError(409, DUPLICATE_TEAM)

    def create_team(self, call):
        self._check_team_name(call.body.name)
        now = self.store.now_ts()
        team = {"id": new_id(), "name": call.body.name, "description": call.body.description, "workos_directory_group_id": None,
                "created": now, "updated": now, "member_actor_ids": []}
        self.data["teams"][team["id"]] = team
        return Reply(201, self._team_out(team))

    def filter_teams(self, call):
        body = call.body
        crit = body.teams
        teams = [self._team_out(t) for t in self.data["teams"].values()]
        if crit is not None:
            teams = [
                t for t in teams
                if _any(crit.id, t["id"]) and _any(crit.name, t["name"]) and _like(crit.name, t["name"])
                and (crit.directory_id is None or crit.directory_id.any_ is None)
                and (crit.workspace_id is None or crit.workspace_id.any_ is None or any(_any(crit.workspace_id, w["workspace_id"]) for w in t["workspaces"]))
                and (crit.workspace_role_id is None or crit.workspace_role_id.any_ is None
                     or any(_any(crit.workspace_role_id, w["workspace_role_id"]) for w in t["workspaces"]))
                and (crit.member_id is None or crit.member_id.any_ is None or any(_any(crit.member_id, m["id"]) for m in t["memberships"]))
            ]
        # Not emulated: the `users` and `bots` criteria of this endpoint are accepted and ignored.
        teams = _sorted(teams, body.sort, {"CREATED": lambda t: t["created"], "NAME": lambda t: t["name"]})
        return Reply(200, _page(teams, body))

    def read_team(self, call):
        return Reply(200, self._team_out(self._get("teams", call.params["id"], "Team")))

    # --- identity and access: teams, their members, account memberships, invitations ---
    def _team(self, team_id):
        return self._get("teams", team_id, "Team")

    def update_team(self, call):
        # UNCONFIRMED: PUT replaces the team's metadata: a description or directory group id the
        # body leaves out becomes "" / null (the TeamUpdate defaults), as a PUT in FastAPI would do.
        team = self._team(call.params["id"])
        body = call.body
        self._check_team_name(body.name, team["id"])
        team["name"] = body.name
        team["description"] = body.description
        team["workos_directory_group_id"] = body.workos_directory_group_id
        self._touch(team)
        # The OAS declares the 200 body as {} (any JSON); we answer the team.
        return Reply(200, self._team_out(team))

    def delete_team(self, call):
        team = self._team(call.params["id"])
        del self.data["teams"][team["id"]]
        for access_id in [a for a, row in self.data["team_access"].items() if row["team_id"] == team["id"]]:
            del self.data["team_access"][access_id]
        return Reply(204)

    def _member_actor(self, member):
        """The actor id of a TeamMembershipCreate (member_id is the user id or the bot id); 404 if unknown."""
        member_id = str(member.member_id)
        if member.member_type == models.TeamMemberType.USER:
            user = self.data["users"].get(member_id)
            if user is None or self._membership_of_user(member_id) is None:
                raise ApiError(404, "User not found.")
            return user["actor_id"]
        return self._get("bots", member_id, "Bot")["actor_id"]

    def upsert_team_members(self, call):
        # UNCONFIRMED: "upsert" is read as merge: members not named in the request stay members
        # (the client sends the whole member set it wants, so that both readings give its result).
        team = self._team(call.params["id"])
        actors = [self._member_actor(member) for member in call.body.members]   # all-or-nothing
        for actor_id in actors:
            if actor_id not in team["member_actor_ids"]:
                team["member_actor_ids"].append(actor_id)
        self._touch(team)
        # The OAS declares the 200 body as {} (any JSON); we answer the team.
        return Reply(200, self._team_out(team))

    def remove_team_member(self, call):
        team = self._team(call.params["team_id"])
        if call.params["actor_id"] not in team["member_actor_ids"]:
            raise ApiError(404, "Team member not found.")
        team["member_actor_ids"].remove(call.params["actor_id"])
        self._touch(team)
        return Reply(204)

    def _membership_of_user(self, user_id):
        for membership in self.data["memberships"].values():
            if membership["user_id"] == user_id:
                return membership
        return None

    def _membership_summary(self, membership):
        user = self.data["users"][membership["user_id"]]
        role = self._account_role(membership["account_role_id"])
        return {
            "id": membership["id"], "created": membership["created"], "updated": membership["updated"], "actor_id": user["actor_id"],
            "account_id": self.store.account_id, "user_id": user["id"], "handle": user["handle"], "first_name": user["first_name"],
            "last_name": user["last_name"], "email": user["email"], "account_role_id": role["id"], "account_role_name": role["name"],
            "directory_id": None, "timezone": None, "active": membership["active"],
            "teams": [{"id": t["id"], "name": t["name"]} for t in self.data["teams"].values() if user["actor_id"] in t["member_actor_ids"]],
        }

    def _user_membership(self, membership_id):
        # Bot memberships are not in `memberships` (they live on the bot), so they answer 404, as the OAS says.
        return self._get("memberships", membership_id, "Account membership")

    def read_membership(self, call):
        return Reply(200, self._membership_summary(self._user_membership(call.params["id"])))

    def read_membership_by_user(self, call):
        membership = self._membership_of_user(call.params["user_id"])
        if membership is None:
            raise ApiError(404, "Account membership not found.")
        return Reply(200, self._membership_summary(membership))

    def _owner_count(self):
        owner = self.store.account_role_by_name("Owner")["id"]
        return sum(1 for m in self.data["memberships"].values() if m["account_role_id"] == owner)

    def update_membership(self, call):
        membership = self._user_membership(call.params["id"])
        role = self._account_role(call.body.account_role_id)
        owner = self.store.account_role_by_name("Owner")["id"]
        if membership["account_role_id"] == owner and role["id"] != owner and self._owner_count() == 1:
            # UNCONFIRMED: that the API keeps an account from losing its last Owner, and the status.
            raise ApiError(409, LAST_OWNER)
        membership["account_role_id"] = role["id"]
        self._touch(membership)
        return Reply(204)

    def delete_membership(self, call):
        membership = self._user_membership(call.params["id"])
        owner = self.store.account_role_by_name("Owner")["id"]
        if membership["account_role_id"] == owner and self._owner_count() == 1:
            raise ApiError(409, LAST_OWNER)  # UNCONFIRMED, as in update_membership
        del self.data["memberships"][membership["id"]]
        user = self.data["users"][membership["user_id"]]
        # The OAS: deleting a membership "will also delete any workspace accesses that the
        # membership's actor has under the account". Team memberships go with it (UNCONFIRMED).
        for access_id in [a for a, row in self.data["user_access"].items() if row["user_id"] == user["id"]]:
            del self.data["user_access"][access_id]
        for team in self.data["teams"].values():
            if user["actor_id"] in team["member_actor_ids"]:
                team["member_actor_ids"].remove(user["actor_id"])
        return Reply(204)

    def _invitation_out(self, row):
        status = row["status"]
        if status == "PENDING" and parse_ts(row["expiration"]) <= self.store.now():
            status = "REVOKED"   # UNCONFIRMED: what an expired, never answered invitation reads as
        return {k: row[k] for k in ("id", "created", "updated", "email", "account_id", "account_role_id", "expiration")} | {"status": status}

    def create_invitations(self, call):
        now = self.store.now()
        items = []
        for item in call.body:   # validate everything first
            role = self._account_role(item.account_role_id)
            email = item.email
            for membership in self.data["memberships"].values():
                if self.data["users"][membership["user_id"]]["email"].lower() == email.lower():
                    # UNCONFIRMED: inviting an address that already belongs to a member.
                    raise ApiError(409, ALREADY_MEMBER)
            items.append((email, role["id"]))
        out = []
        for email, role_id in items:
            # The OAS: "Any PENDING invitations for the same user to the account will be revoked."
            for row in self.data["invitations"].values():
                if row["email"].lower() == email.lower() and row["status"] == "PENDING":
                    row["status"], row["updated"] = "REVOKED", format_ts(now)
            # UNCONFIRMED: the lifetime of an invitation (7 days chosen).
            row = {"id": new_id(), "created": format_ts(now), "updated": format_ts(now), "email": email,
                   "account_id": self.store.account_id, "account_role_id": role_id, "status": "PENDING",
                   "expiration": format_ts(now + timedelta(days=7))}
            self.data["invitations"][row["id"]] = row
            out.append(self._invitation_out(row))
        return Reply(201, out)

    def filter_invitations(self, call):
        crit = call.body.invitations
        rows = [self._invitation_out(r) for r in sorted(self.data["invitations"].values(), key=lambda r: r["created"])]
        if crit is not None:
            if crit.status is not None and crit.status.any_ is not None:
                rows = [r for r in rows if r["status"] in [s.value for s in crit.status.any_]]
            if crit.email is not None:
                # UNCONFIRMED: whether e-mail any_ ignores case; exact here, as for memberships (the
                # strict reading: a client must send like_ to match regardless of case).
                rows = [r for r in rows if _any(crit.email, r["email"]) and _like(crit.email, r["email"])]
            if crit.expiration is not None:
                if crit.expiration.before_ is not None:
                    rows = [r for r in rows if parse_ts(r["expiration"]) <= crit.expiration.before_]
                if crit.expiration.after_ is not None:
                    rows = [r for r in rows if parse_ts(r["expiration"]) >= crit.expiration.after_]
        return Reply(200, _page(rows, call.body))

    def read_invitation(self, call):
        return Reply(200, self._invitation_out(self._get("invitations", call.params["id"], "Invitation")))

    def revoke_invitation(self, call):
        row = self._get("invitations", call.params["id"], "Invitation")
        if self._invitation_out(row)["status"] != "PENDING":
            # UNCONFIRMED: revoking an invitation that is no longer pending (409 chosen).
            raise ApiError(409, NOT_PENDING)
        row["status"], row["updated"] = "REVOKED", self.store.now_ts()
        return Reply(204)

    # --- object access: deployments, block documents, work pools --------------------------------
    # An object's ACL is stored as the ReplaceXAccess body last PUT ("access"). UNCONFIRMED: the
    # levels are independent (manage does not imply run or view in what GET answers); an actor or
    # team id that is not (or no longer) in the account is a 404 on PUT and left out of a GET; the
    # order of a PUT's ids is kept, duplicates are dropped; "*" reads as {"id": "*", "name": "*",
    # "email": null, "type": "*"}.
    def _objects(self, kind, call):
        workspace = self._workspace(call)
        return [row for row in self.data[kind].values() if row["workspace_id"] == workspace["id"]]

    def _object(self, kind, call, **match):
        for row in self._objects(kind, call):
            if all(row[key] == value for key, value in match.items()):
                return row
        raise ApiError(404, OBJECT_NOT_FOUND[kind])

    def _flow_name(self, deployment):
        return self.data["flows"][deployment["flow_id"]]["name"]

    def _block_type(self, document):
        return self.data["block_types"][document["block_type_id"]]

    def _deployment_out(self, row):
        return {"id": row["id"], "created": row["created"], "updated": row["updated"], "name": row["name"],
                "flow_id": row["flow_id"], "tags": [], "parameters": {}, "job_variables": {}}

    def _block_document_out(self, row):
        block_type = self._block_type(row)
        return {"id": row["id"], "created": row["created"], "updated": row["updated"], "name": row["name"], "data": {},
                "block_schema_id": block_type["schema_id"], "block_type_id": block_type["id"], "block_type_name": block_type["name"],
                "block_type": {k: block_type[k] for k in ("id", "name", "slug")}, "block_document_references": {}, "is_anonymous": False}

    @staticmethod
    def _work_pool_out(row):
        return {"id": row["id"], "created": row["created"], "updated": row["updated"], "name": row["name"], "description": None,
                "type": row["type"], "base_job_template": {}, "is_paused": False, "default_queue_id": row["default_queue_id"]}

    def _actor_access(self, actor_id):
        if actor_id == "*":
            return {"id": "*", "name": "*", "email": None, "type": "*"}
        for bot in self.data["bots"].values():
            if bot["actor_id"] == actor_id:
                return {"id": actor_id, "name": bot["name"], "email": None, "type": "service_account"}
        for user in self.data["users"].values():
            if user["actor_id"] == actor_id and self._membership_of_user(user["id"]) is not None:
                return {"id": actor_id, "name": f"{user['first_name']} {user['last_name']}", "email": user["email"], "type": "user"}
        return None

    def _acl_out(self, kind, row):
        out = {}
        for level in OBJECT_LEVELS[kind]:
            actors = [self._actor_access(a) for a in row["access"][level + "_actor_ids"]]
            teams = [self.data["teams"].get(t) for t in row["access"][level + "_team_ids"]]
            out[level + "_actors"] = [a for a in actors if a is not None] + [
                {"id": t["id"], "name": t["name"], "email": None, "type": "team"} for t in teams if t is not None]
        return Reply(200, out)

    def _set_acl(self, kind, row, body):
        acl = {}
        for level in OBJECT_LEVELS[kind]:
            actors = list(dict.fromkeys(str(a) for a in getattr(body.access_control, level + "_actor_ids")))
            teams = list(dict.fromkeys(str(t) for t in getattr(body.access_control, level + "_team_ids")))
            if any(self._actor_access(a) is None for a in actors):
                raise ApiError(404, "Actor not found.")
            if any(t not in self.data["teams"] for t in teams):
                raise ApiError(404, "Team not found.")
            acl[level + "_actor_ids"], acl[level + "_team_ids"] = actors, teams
        row["access"] = acl
        self._touch(row)
        return Reply(204)

    def read_deployment_by_name(self, call):
        flows = {f["id"] for f in self.data["flows"].values() if f["name"] == call.params["flow_name"]}
        for row in self._objects("deployments", call):
            if row["flow_id"] in flows and row["name"] == call.params["deployment_name"]:
                return Reply(200, self._deployment_out(row))
        raise ApiError(404, OBJECT_NOT_FOUND["deployments"])

    def filter_deployments(self, call):
        body = call.body
        rows = [r for r in self._objects("deployments", call)
                if (body.deployments is None or _any(body.deployments.id, r["id"]) and _any(body.deployments.name, r["name"])
                    and _like(body.deployments.name, r["name"]))
                and (body.flows is None or _any(body.flows.name, self._flow_name(r)) and _like(body.flows.name, self._flow_name(r)))]
        rows.sort(key=lambda r: r["name"] if body.sort.startswith("NAME") else r[body.sort.split("_")[0].lower()],
                  reverse=body.sort.endswith("DESC"))
        return Reply(200, [self._deployment_out(r) for r in _page(rows, body)])

    def read_deployment_access(self, call):
        return self._acl_out("deployments", self._object("deployments", call, id=call.params["id"]))

    def set_deployment_access(self, call):
        return self._set_acl("deployments", self._object("deployments", call, id=call.params["id"]), call.body)

    def read_block_document_by_name(self, call):
        for row in self._objects("block_documents", call):
            if row["name"] == call.params["block_document_name"] and self._block_type(row)["slug"] == call.params["slug"]:
                return Reply(200, self._block_document_out(row))
        raise ApiError(404, OBJECT_NOT_FOUND["block_documents"])

    def filter_block_documents(self, call):
        body = call.body
        crit, types = body.block_documents, body.block_types
        rows = [r for r in self._objects("block_documents", call)
                if (crit is None or _any(crit.id, r["id"]) and _any(crit.name, r["name"]) and _like(crit.name, r["name"]))
                and (types is None or _any(types.slug, self._block_type(r)["slug"]))]
        sort = body.sort or "NAME_ASC"
        rows.sort(key=lambda r: (self._block_type(r)["name"], r["name"]) if sort.startswith("BLOCK_TYPE") else r["name"],
                  reverse=sort == "NAME_DESC")
        return Reply(200, [self._block_document_out(r) for r in _page(rows, body)])

    def read_block_document_access(self, call):
        return self._acl_out("block_documents", self._object("block_documents", call, id=call.params["id"]))

    def set_block_document_access(self, call):
        return self._set_acl("block_documents", self._object("block_documents", call, id=call.params["id"]), call.body)

    def read_work_pool(self, call):
        return Reply(200, self._work_pool_out(self._object("work_pools", call, name=call.params["name"])))

    def filter_work_pools(self, call):
        body = call.body
        crit = body.work_pools
        rows = [r for r in self._objects("work_pools", call)
                if crit is None or _any(crit.id, r["id"]) and _any(crit.name, r["name"]) and _like(crit.name, r["name"])]
        rows.sort(key=lambda r: r["name"], reverse=body.sort == "NAME_DESC")
        return Reply(200, [self._work_pool_out(r) for r in _page(rows, body)])

    def read_work_pool_access(self, call):
        return self._acl_out("work_pools", self._object("work_pools", call, name=call.params["name"]))

    def set_work_pool_access(self, call):
        return self._set_acl("work_pools", self._object("work_pools", call, name=call.params["name"]), call.body)

    def filter_flows(self, call):
        body, crit = call.body, call.body.flows
        rows = [f for f in self.data["flows"].values() if f["workspace_id"] == self._workspace(call)["id"]
                and (crit is None or _any(crit.id, f["id"]) and _any(crit.name, f["name"]) and _like(crit.name, f["name"]))]
        rows.sort(key=lambda f: f["name"], reverse=body.sort == "NAME_DESC")
        return Reply(200, [{"id": f["id"], "name": f["name"], "tags": [], "labels": {}} for f in _page(rows, body)])

    # --- account member activity and workspace invitations ----------------------------
    def set_membership_active(self, call):
        # UNCONFIRMED: what deactivation does beyond the flag (the emulator keeps the role, team
        # memberships and workspace access, and the user's key keeps working); the last Owner may be
        # deactivated no more than demoted (409).
        membership = self._user_membership(call.params["id"])
        owner = self.store.account_role_by_name("Owner")["id"]
        if not call.body.active and membership["account_role_id"] == owner and self._owner_count() == 1:
            raise ApiError(409, LAST_OWNER)
        membership["active"] = call.body.active
        self._touch(membership)
        return Reply(204)

    def _workspace_invitation_out(self, row):
        out = self._invitation_out(row)
        return out | {"workspace_id": row["workspace_id"], "workspace_role_id": row["workspace_role_id"]}

    def create_workspace_invitation(self, call):
        workspace, email, now = self._workspace(call), call.body.email, self.store.now()
        for membership in self.data["memberships"].values():
            if self.data["users"][membership["user_id"]]["email"].lower() == email.lower():
                # UNCONFIRMED: as for account invitations, an address of an account member is refused.
                raise ApiError(409, ALREADY_MEMBER)
        # The OAS: "Any PENDING invitations for the same user to the workspace will be revoked."
        for row in self.data["workspace_invitations"].values():
            if row["workspace_id"] == workspace["id"] and row["email"].lower() == email.lower() and row["status"] == "PENDING":
                row["status"], row["updated"] = "REVOKED", format_ts(now)
        # UNCONFIRMED: the body has no role; the invitee gets the workspace's default role (else the
        # built-in Viewer) and the account role Member; an invitation lives 7 days.
        role_id = workspace["default_workspace_role_id"] or self.store.workspace_role_by_name("Viewer")["id"]
        row = {"id": new_id(), "created": format_ts(now), "updated": format_ts(now), "email": email,
               "account_id": self.store.account_id, "account_role_id": self.store.account_role_by_name("Member")["id"],
               "workspace_id": workspace["id"], "workspace_role_id": role_id, "status": "PENDING",
               "expiration": format_ts(now + timedelta(days=7))}
        self.data["workspace_invitations"][row["id"]] = row
        return Reply(201, self._workspace_invitation_out(row))

    def filter_workspace_invitations(self, call):
        workspace = self._workspace(call)
        rows = [self._workspace_invitation_out(r) for r in sorted(self.data["workspace_invitations"].values(), key=lambda r: r["created"])
                if r["workspace_id"] == workspace["id"]]
        crit = call.body.workspace_invitations
        if crit is not None:
            if crit.status is not None and crit.status.any_ is not None:
                rows = [r for r in rows if r["status"] in [s.value for s in crit.status.any_]]
            if crit.email is not None:   # as for account invitations: any_ exact, like_ regardless of case
                rows = [r for r in rows if _any(crit.email, r["email"]) and _like(crit.email, r["email"])]
            if crit.expiration is not None:
                if crit.expiration.before_ is not None:
                    rows = [r for r in rows if parse_ts(r["expiration"]) <= crit.expiration.before_]
                if crit.expiration.after_ is not None:
                    rows = [r for r in rows if parse_ts(r["expiration"]) >= crit.expiration.after_]
        return Reply(200, _page(rows, call.body))

    def _workspace_invitation(self, call):
        workspace = self._workspace(call)
        row = self.data["workspace_invitations"].get(call.params["id"])
        if row is None or row["workspace_id"] != workspace["id"]:
            raise ApiError(404, "Invitation not found.")
        return row

    def read_workspace_invitation(self, call):
        return Reply(200, self._workspace_invitation_out(self._workspace_invitation(call)))

    def revoke_workspace_invitation(self, call):
        row = self._workspace_invitation(call)
        if self._invitation_out(row)["status"] != "PENDING":
            raise ApiError(409, NOT_PENDING)   # UNCONFIRMED, as for account invitations
        row["status"], row["updated"] = "REVOKED", self.store.now_ts()
        return Reply(204)

    # --- me ----------------------------------------------------------------------------------
    def read_me(self, call):
        actor = call.actor
        if actor["type"] == "bot":
            # UNCONFIRMED: the shape of /me for a service-account key is not documented.
            bot = self.data["bots"][actor["id"]]
            return Reply(200, {
                "id": bot["actor_id"], "handle": slugify(bot["name"]), "first_name": bot["name"], "last_name": "",
                "email": f"{bot['actor_id']}@service-accounts.invalid", "location": None, "personal_account_id": None,
                "settings": {"tutorial_completed": False, "feature_previews": []},
            })
        user = self.data["users"][actor["id"]]
        return Reply(200, {
            "id": user["id"], "handle": user["handle"], "first_name": user["first_name"], "last_name": user["last_name"],
            "email": user["email"], "location": None, "personal_account_id": None,
            "settings": {"tutorial_completed": False, "feature_previews": []},
        })

    def read_my_workspaces(self, call):
        actor = call.actor
        if actor["type"] == "bot":
            actor_id = self.data["bots"][actor["id"]]["actor_id"]
            ids = {r["workspace_id"] for r in self.data["bot_access"].values() if r["bot_id"] == actor["id"]}
        else:
            actor_id = self.data["users"][actor["id"]]["actor_id"]
            ids = {r["workspace_id"] for r in self.data["user_access"].values() if r["user_id"] == actor["id"]}
        teams = {t["id"] for t in self.data["teams"].values() if actor_id in t["member_actor_ids"]}
        ids |= {r["workspace_id"] for r in self.data["team_access"].values() if r["team_id"] in teams}
        account = self.data["account"]
        out = []
        for workspace in sorted((self.data["workspaces"][i] for i in ids), key=lambda w: w["created"]):
            out.append({
                "account_id": account["id"], "account_name": account["name"], "account_handle": account["handle"],
                "workspace_id": workspace["id"], "workspace_name": workspace["name"],
                "workspace_description": workspace["description"] or "", "workspace_handle": workspace["handle"],
            })
        return Reply(200, out)

    # --- user API keys ---------------------------------------------------------
    # UNCONFIRMED: who may manage users/{id}/api_keys. The emulator lets a user manage their own
    # keys only (403 for another user's, and for a service-account key); 404 for no such user.
    # Names need not be unique (the OAS says nothing); keys are listed oldest first.
    USER_KEY_PREFIX = "pnu_"

    def _key_user(self, call):
        user = self._get("users", call.params["id"], "User")
        if call.actor["type"] != "user" or call.actor["id"] != user["id"]:
            raise ApiError(403, OWN_KEYS_ONLY)
        return user

    def _user_keys(self, user_id):
        keys = [k for k in self.data["user_api_keys"].values() if k["user_id"] == user_id]
        return sorted(keys, key=lambda k: k["created"])

    def create_user_api_key(self, call):
        user = self._key_user(call)
        body = call.body
        plaintext = generate_key(self.USER_KEY_PREFIX)
        self.store.record_issued_key(plaintext)
        expiration = body.expiration
        row = {
            "id": new_id(), "user_id": user["id"], "name": body.name, "created": self.store.now_ts(),
            "expiration": format_ts(expiration.replace(tzinfo=expiration.tzinfo or timezone.utc)) if expiration else None,
            "key_hash": hash_key(plaintext), "masked_key": mask_key(plaintext),
        }
        self.data["user_api_keys"][row["id"]] = row
        return Reply(201, {"id": row["id"], "created": row["created"], "name": row["name"],
                           "expiration": row["expiration"], "key": plaintext})

    def read_user_api_keys(self, call):
        user = self._key_user(call)
        name = call.params.get("name")
        keys = [k for k in self._user_keys(user["id"]) if name is None or k["name"] == name]
        return Reply(200, [self._key_read(k) for k in keys])

    def _user_key(self, call):
        user = self._key_user(call)
        key = self.data["user_api_keys"].get(call.params["api_key_id"])
        if key is None or key["user_id"] != user["id"]:
            raise ApiError(404, "API key not found.")
        return user, key

    def read_user_api_key(self, call):
        return Reply(200, self._key_read(self._user_key(call)[1]))

    def delete_user_api_key(self, call):
        user, key = self._user_key(call)
        del self.data["user_api_keys"][key["id"]]
        self.store.revoke_key(key, {"type": "user", "id": user["id"]})
        return Reply(204)

    def _my_keys(self, actor):
        if actor["type"] == "bot":
            # UNCONFIRMED: what /me/api_keys lists for a service-account key; its active and rotating keys here.
            active, rotating = self._bot_keys(actor["id"])
            return [k for k in [active] + rotating if k is not None]
        return self._user_keys(actor["id"])

    def read_my_api_keys(self, call):
        name = call.params.get("name")
        return Reply(200, [self._key_read(k) for k in self._my_keys(call.actor) if name is None or k["name"] == name])

    def filter_my_api_keys(self, call):
        crit = call.body.api_keys
        keys = self._my_keys(call.actor)
        if crit is not None:
            keys = [k for k in keys if _any(crit.name, k["name"]) and _like(crit.name, k["name"])]
        return Reply(200, [self._key_read(k) for k in _page(keys, call.body)])
