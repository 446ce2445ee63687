# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Emulator state: seed data, clock, key material and persistence.

All access goes through ``Store.lock`` (one re-entrant lock around the whole state).
Plaintext keys are never stored for authentication: only their SHA-256. The list of
issued plaintext keys (``issued_keys``) exists only for the test-only secret-leak scans.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import string
import tempfile
import threading
import uuid
from datetime import datetime, timedelta, timezone

DEFAULT_ACCOUNT_ID = "6a1f7a3e-5b0c-4d2e-9f18-2c4b6d8e0a13"
STATE_VERSION = 1
KEY_ALPHABET = string.ascii_letters + string.digits
BOT_KEY_PREFIX = "pnb_"

# AccountPermission enum of the OAS.
ALL_ACCOUNT_PERMISSIONS = (
    "read:account", "update:account", "delete:account", "read:account_membership", "update:account_membership",
    "delete:account_membership", "create:account_role", "read:account_role", "update:account_role", "delete:account_role",
    "add:account_member", "read:sso", "administrate:sso", "bypass:sso", "read:billing", "update:billing", "create:bot",
    "read:bot", "update:bot", "delete:bot", "create:team", "read:team", "update:team", "delete:team", "create:invitation",
    "read:invitation", "update:invitation", "create:workspace_invitation", "read:workspace_invitation",
    "update:workspace_invitation", "administrate:workspace", "create:workspace", "read:workspace", "delete:workspace",
    "create:workspace_role", "read:workspace_role", "update:workspace_role", "delete:workspace_role", "create:audit_event",
    "read:audit_event", "update:ip_allowlist", "read:ip_allowlist", "read:mex-storage", "update:mex-storage",
    "delete:mex-storage", "read:integrations", "update:integrations",
)

# UNCONFIRMED: which built-in account role holds which permissions is not documented anywhere
# we could read. These lists are a plausible guess (Owner: all; Admin: all but account deletion,
# SSO bypass and billing changes; Member: reads; Collaborator: nothing at account level).
BUILTIN_ACCOUNT_ROLES = {
    "Owner": list(ALL_ACCOUNT_PERMISSIONS),
    "Admin": [p for p in ALL_ACCOUNT_PERMISSIONS if p not in ("delete:account", "bypass:sso", "update:billing")],
    "Member": [p for p in ALL_ACCOUNT_PERMISSIONS if p.startswith("read:") and p not in ("read:billing", "read:audit_event")],
    "Collaborator": [],
}

_VIEWER_SCOPES = [
    "see_flows", "see_blocks", "see_deployments", "see_notifications", "see_workspace_settings", "see_workspace_users",
    "see_workspace_service_accounts", "see_work_queues", "see_concurrency_limits", "see_events", "see_automations",
    "see_work_pools", "see_workers", "see_artifacts", "see_variables", "see_incidents", "see_tags", "see_assets",
]
_RUNNER_SCOPES = _VIEWER_SCOPES + ["run_flows", "run_tasks", "run_deployments", "manage_saved_search"]
_DEVELOPER_SCOPES = _RUNNER_SCOPES + [
    "see_secret_blocks", "manage_blocks", "write_deployments", "manage_deployments", "write_notifications",
    "manage_notifications", "manage_flows", "write_work_queues", "manage_work_queues", "manage_concurrency_limits",
    "manage_events", "manage_automations", "write_work_pools", "manage_work_pools", "write_workers", "manage_workers",
    "write_artifacts", "manage_artifacts", "write_variables", "manage_variables", "write_incidents", "manage_incidents",
    "manage_tags", "write_assets", "manage_assets",
]
_OWNER_SCOPES = _DEVELOPER_SCOPES + [
    "write_workspace_settings", "manage_workspace_settings", "manage_workspace_users", "manage_workspace_service_accounts",
    "manage_workspace_teams", "manage_acls", "see_webhooks", "manage_webhooks",
]
# UNCONFIRMED: the scope lists of the built-in workspace roles are not documented; these follow
# the documented inclusion order Viewer < Runner < Developer < Owner, and a minimal Worker set.
BUILTIN_WORKSPACE_ROLES = {
    "Owner": _OWNER_SCOPES,
    "Developer": _DEVELOPER_SCOPES,
    "Runner": _RUNNER_SCOPES,
    "Viewer": _VIEWER_SCOPES,
    "Worker": ["see_flows", "see_deployments", "see_work_queues", "see_work_pools", "write_work_pools", "see_workers",
               "write_workers", "see_blocks", "see_secret_blocks", "see_variables", "see_concurrency_limits"],
}
BUILTIN_WORKSPACE_ROLE_DESCRIPTIONS = {
    "Owner": "Full control of the workspace.",
    "Developer": "Create and manage workspace objects.",
    "Runner": "Read workspace objects and run flows and deployments.",
    "Viewer": "Read-only access to the workspace.",
    "Worker": "The minimum scopes a worker needs.",
}

SEED_USERS = (
    # key, handle, email, first, last, account role
    ("owner", "emulator-owner", "owner@example.com", "Emulator", "Owner", "Owner"),
    ("alice", "alice", "alice@example.com", "Alice", "Anders", "Member"),
    ("bob", "bob", "bob@example.com", "Bob", "Brown", "Member"),
)
SEED_TEAMS = (("platform", "alice"), ("data-eng", "bob"))

# Objects with access control lists, seeded in every workspace given on the command line. An ACL
# names, per level, "*" (everyone), seed users (by key) and seed teams ("team:<name>"); a level
# left out is everyone. Deployments by (flow, deployment), block documents by (block type slug,
# name), work pools by name. The integration target object_access relies on these names.
OBJECT_LEVELS = {"deployments": ("manage", "run", "view"), "block_documents": ("manage", "view"),
                 "work_pools": ("manage", "run", "view")}
SEED_DEPLOYMENTS = (
    ("etl", "nightly", {}),
    ("etl", "hourly", {"manage": ["owner"], "run": ["alice", "team:platform"], "view": ["*"]}),
    ("reports", "weekly", {"manage": ["owner"], "run": ["owner"], "view": ["team:data-eng"]}),
)
SEED_BLOCK_DOCUMENTS = (
    ("secret", "db-password", {"manage": ["owner"], "view": ["team:data-eng"]}),
    ("secret", "api-token", {}),
    ("aws-credentials", "prod", {"manage": ["owner", "bob"], "view": ["*"]}),
)
SEED_WORK_POOLS = (
    ("k8s-prod", "kubernetes", {"manage": ["owner"], "run": ["team:platform"], "view": ["*"]}),
    ("process-dev", "process", {}),
)


def seed_object_names():
    """The seed objects by the names the modules take (``tools/emulator.py`` writes them to the
    integration config as ``prefect_seed_objects``)."""
    return {"deployment": [f"{flow}/{name}" for flow, name, _acl in SEED_DEPLOYMENTS],
            "block": [f"{slug}/{name}" for slug, name, _acl in SEED_BLOCK_DOCUMENTS],
            "work_pool": [name for name, _type, _acl in SEED_WORK_POOLS]}


def new_id() -> str:
    return str(uuid.uuid4())


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_key(prefix: str = BOT_KEY_PREFIX) -> str:
    return prefix + "".join(secrets.choice(KEY_ALPHABET) for _unused in range(36))


def mask_key(key: str) -> str:
    return f"{key[:4]}...{key[-4:]}"


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "service-account"


def format_ts(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def parse_ts(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


class StateError(Exception):
    """The state file cannot be used."""


class Store:
    """The whole emulated account. Callers hold ``lock`` while they read or change ``data``."""

    def __init__(self, account_id, api_key, workspaces, state_file=None):
        self.lock = threading.RLock()
        self.account_id = str(uuid.UUID(account_id))
        self.workspace_handles = list(workspaces or [])
        self.state_file = state_file
        self._owner_key = api_key
        self._owner_key_hash = hash_key(api_key)
        self.data = {}
        self._bot_names = None  # (the bots dict it indexes, name -> bot id); see bot_named
        with self.lock:
            if state_file and os.path.exists(state_file):
                self._load()
            else:
                self.seed()
                self.save()

    # --- clock -------------------------------------------------------------------------------
    def now(self) -> datetime:
        return datetime.now(timezone.utc) + timedelta(seconds=self.data.get("clock_offset", 0.0))

    def now_ts(self) -> str:
        return format_ts(self.now())

    def advance_clock(self, seconds: float) -> None:
        self.data["clock_offset"] = float(self.data.get("clock_offset", 0.0)) + float(seconds)

    # --- seeding -----------------------------------------------------------------------------
    def seed(self) -> None:
        """(Re-)create the seed data. Issued keys survive a re-seed: leak scans must still find them."""
        issued = list(self.data.get("issued_keys", []))
        now = format_ts(datetime.now(timezone.utc))
        data = {
            "version": STATE_VERSION,
            "clock_offset": 0.0,
            "account": {"id": self.account_id, "name": "Emulated Account", "handle": "emulated-account", "created": now, "updated": now},
            "account_roles": {}, "workspace_roles": {}, "users": {}, "memberships": {}, "bots": {}, "api_keys": {},
            "workspaces": {}, "bot_access": {}, "user_access": {}, "team_access": {}, "teams": {}, "invitations": {},
            "flows": {}, "deployments": {}, "block_types": {}, "block_documents": {}, "work_pools": {},
            "workspace_invitations": {},
            "owner_user_id": None, "issued_keys": issued, "user_api_keys": {}, "revoked_keys": [],
            "settings": {"revoked_keys_authenticate_seconds": 0.0},
        }
        for name, permissions in BUILTIN_ACCOUNT_ROLES.items():
            role_id = new_id()
            data["account_roles"][role_id] = {
                "id": role_id, "created": now, "updated": now, "account_id": None, "name": name,
                "permissions": list(permissions), "is_system_role": True,
            }
        for name, scopes in BUILTIN_WORKSPACE_ROLES.items():
            role_id = new_id()
            data["workspace_roles"][role_id] = {
                "id": role_id, "created": now, "updated": now, "account_id": None, "name": name,
                "description": BUILTIN_WORKSPACE_ROLE_DESCRIPTIONS[name], "permissions": list(scopes),
                "scopes": list(scopes), "inherited_role_id": None,
            }
        self.data = data
        actors = {}
        for key, handle, email, first, last, role in SEED_USERS:
            user_id = new_id()
            actor_id = new_id()
            actors[key] = actor_id
            data["users"][user_id] = {
                "id": user_id, "actor_id": actor_id, "handle": handle, "email": email, "first_name": first,
                "last_name": last, "created": now, "updated": now,
            }
            membership_id = new_id()
            data["memberships"][membership_id] = {
                "id": membership_id, "actor_id": actor_id, "user_id": user_id, "created": now, "updated": now,
                "account_role_id": self.account_role_by_name(role)["id"], "active": True, "last_login": None,
            }
            if key == "owner":
                data["owner_user_id"] = user_id
        teams = {}
        for team_name, member in SEED_TEAMS:
            team_id = teams[team_name] = new_id()
            data["teams"][team_id] = {"id": team_id, "name": team_name, "description": "", "workos_directory_group_id": None,
                                      "created": now, "updated": now, "member_actor_ids": [actors[member]]}
        for handle in self.workspace_handles:
            self.seed_objects(self.add_workspace(handle, handle, "")["id"], actors, teams)

    def seed_objects(self, workspace_id, actors, teams):
        """The seed deployments (and their flows), block documents (and their types) and work pools."""
        now = self.now_ts()

        def add(kind, row, spec):
            acl = {}
            for level in OBJECT_LEVELS[kind]:
                names = spec.get(level, ["*"])
                acl[level + "_actor_ids"] = [n if n == "*" else actors[n] for n in names if not n.startswith("team:")]
                acl[level + "_team_ids"] = [teams[n[5:]] for n in names if n.startswith("team:")]
            row.update(id=new_id(), workspace_id=workspace_id, created=now, updated=now, access=acl)
            self.data[kind][row["id"]] = row
            return row

        flows, types = {}, {}
        for flow, name, spec in SEED_DEPLOYMENTS:
            if flow not in flows:
                flows[flow] = new_id()
                self.data["flows"][flows[flow]] = {"id": flows[flow], "name": flow, "workspace_id": workspace_id}
            add("deployments", {"name": name, "flow_id": flows[flow]}, spec)
        for slug, name, spec in SEED_BLOCK_DOCUMENTS:
            if slug not in types:
                types[slug] = {"id": new_id(), "name": slug.replace("-", " ").title(), "slug": slug, "schema_id": new_id()}
                self.data["block_types"][types[slug]["id"]] = dict(types[slug], workspace_id=workspace_id)
            add("block_documents", {"name": name, "block_type_id": types[slug]["id"]}, spec)
        for name, pool_type, spec in SEED_WORK_POOLS:
            add("work_pools", {"name": name, "type": pool_type, "default_queue_id": new_id()}, spec)

    def add_workspace(self, name, handle, description):
        """Create a workspace and give the owner user Owner access to it."""
        now = self.now_ts()
        workspace_id = new_id()
        workspace = {
            "id": workspace_id, "created": now, "updated": now, "account_id": self.account_id, "name": name,
            "description": description, "handle": handle, "default_workspace_role_id": None, "is_public": False,
        }
        self.data["workspaces"][workspace_id] = workspace
        owner = self.data["users"][self.data["owner_user_id"]]
        access_id = new_id()
        self.data["user_access"][access_id] = {
            "id": access_id, "created": now, "updated": now, "workspace_id": workspace_id,
            "workspace_role_id": self.workspace_role_by_name("Owner")["id"], "user_id": owner["id"],
        }
        return workspace

    # --- lookups -----------------------------------------------------------------------------
    def account_role_by_name(self, name):
        for role in self.data["account_roles"].values():
            if role["name"] == name:
                return role
        raise KeyError(name)

    def workspace_role_by_name(self, name):
        for role in self.data["workspace_roles"].values():
            if role["name"] == name and role["account_id"] is None:
                return role
        raise KeyError(name)

    def bot_named(self, name):
        """The bot called ``name``, or None, through an index by name (no scan of every bot per
        create). The index is rebuilt when it does not cover the current bots (after a reset, a
        load or a delete); creates add to it and renames drop it (``index_bot``)."""
        bots = self.data["bots"]
        index = self._bot_names
        if index is None or index[0] is not bots or len(index[1]) != len(bots):
            index = self._bot_names = (bots, {bot["name"]: bot["id"] for bot in bots.values()})
        bot = bots.get(index[1].get(name))
        return bot if bot is not None and bot["name"] == name else None

    def index_bot(self, bot, renamed=False):
        """Keep the name index right after a create (``bot`` added) or a rename."""
        index = self._bot_names
        if renamed or index is None or index[0] is not self.data["bots"]:
            self._bot_names = None
        else:
            index[1][bot["name"]] = bot["id"]

    def owner_user(self):
        return self.data["users"][self.data["owner_user_id"]]

    # --- keys --------------------------------------------------------------------------------
    def record_issued_key(self, key: str) -> None:
        self.data["issued_keys"].append(key)

    def issued_keys(self):
        return [self._owner_key] + list(self.data["issued_keys"])

    def key_is_live(self, key_row) -> bool:
        expiration = key_row.get("expiration")
        return expiration is None or self.now() < parse_ts(expiration)

    def authenticate(self, key: str):
        """Return the actor for a bearer key: ``{"type": "user"|"bot", "id": ...}`` or None."""
        digest = hash_key(key)
        if secrets.compare_digest(digest, self._owner_key_hash):
            return {"type": "user", "id": self.data["owner_user_id"]}
        for row in self.data["api_keys"].values():
            if secrets.compare_digest(row["key_hash"], digest):
                if row["bot_id"] in self.data["bots"] and self.key_is_live(row):
                    return {"type": "bot", "id": row["bot_id"]}
                return None
        return self.authenticate_user_key(digest)

    # --- user API keys and the revocation delay --------------------------------
    # Prefect Cloud kept accepting deleted keys for up to about five minutes (PrefectHQ/prefect
    # #17383). The admin setting ``revoked_keys_authenticate_seconds`` (PUT /_emulator/settings)
    # models it: a key deleted (user key, a bot's rotating key, or the old key of a rotation
    # without grace) keeps authenticating that long on the emulator clock. 0 (the default): at once.
    def authenticate_user_key(self, digest):
        for row in self.data["user_api_keys"].values():
            if secrets.compare_digest(row["key_hash"], digest):
                if row["user_id"] in self.data["users"] and self.key_is_live(row):
                    return {"type": "user", "id": row["user_id"]}
                return None
        now = self.now()
        for row in self.data["revoked_keys"]:
            if secrets.compare_digest(row["key_hash"], digest) and now < parse_ts(row["until"]):
                actor = row["actor"]
                if actor["id"] in self.data["bots" if actor["type"] == "bot" else "users"]:
                    return dict(actor)
        return None

    def revoke_key(self, row, actor):
        """Forget a deleted key, except for the revocation delay of the settings."""
        delay = float(self.data["settings"].get("revoked_keys_authenticate_seconds") or 0)
        now = self.now()
        self.data["revoked_keys"] = [r for r in self.data["revoked_keys"] if parse_ts(r["until"]) > now]
        if delay > 0:
            self.data["revoked_keys"].append({"key_hash": row["key_hash"], "actor": actor,
                                              "until": format_ts(now + timedelta(seconds=delay))})

    def prune_expired_keys(self) -> None:
        """Rotating keys that expired are gone (the OAS says they expire within 48 hours)."""
        for key_id, row in list(self.data["api_keys"].items()):
            if row["state"] == "rotating" and not self.key_is_live(row):
                del self.data["api_keys"][key_id]

    # --- persistence -------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            with open(self.state_file, "r", encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise StateError(f"cannot read state file {self.state_file}: {exc}") from exc
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise StateError(f"state file {self.state_file} has an unknown format")
        if data["account"]["id"] != self.account_id:
            raise StateError(f"state file {self.state_file} belongs to account {data['account']['id']}, not {self.account_id}")
        self.data = data
        data.setdefault("invitations", {})  # state files written before invitations were emulated
        for kind in ("flows", "deployments", "block_types", "block_documents", "work_pools"):
            data.setdefault(kind, {})   # written before object access was emulated
        data.setdefault("workspace_invitations", {})  # ... and before workspace invitations were
        data.setdefault("user_api_keys", {})  # ... and before user API keys and the revocation delay
        data.setdefault("revoked_keys", [])
        data.setdefault("settings", {"revoked_keys_authenticate_seconds": 0.0})
        known = {w["handle"] for w in data["workspaces"].values()}
        for handle in self.workspace_handles:
            if handle not in known:
                self.add_workspace(handle, handle, "")

    def save(self) -> None:
        """Write the state file atomically with mode 0600 (no-op without a state file)."""
        if not self.state_file:
            return
        directory = os.path.dirname(os.path.abspath(self.state_file))
        fd, tmp_path = tempfile.mkstemp(prefix=".prefect-emulator-", suffix=".tmp", dir=directory)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.data, handle, indent=1, sort_keys=True)
            os.replace(tmp_path, self.state_file)
        except BaseException:
            if os.path.exists(tmp_path):
                os.unlink(tmp_path)
            raise
