# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Service accounts, their API keys and their workspace grants: the one planner of
``service_account`` and ``service_accounts`` (PRIVATE to this collection).

One account is a fleet of one: ``service_account`` builds one entry and ``service_accounts`` a
list, and both call ``Planner``, in three steps, so that a bad entry fails the task before
anything is written, in check mode exactly as in a real run:

1. ``read``: reads only, through ``Directory``. A fleet (``wide``) lists every service account,
   the workspaces and each listed workspace's grants once; a single account is looked up with
   narrow requests (by name or id, its grant in each listed workspace), so that it sends no more
   requests than it needs (``docs/performance.md``).
2. ``plan``: pure. Builds the operations (``Operation``, applied in ORDER), the returned forms,
   the diff and ``removed``.
3. ``write``: one request per batch (the grants of one workspace, up to 200, are one request).
   What to do when a create or a rotation may have been applied is decided in ``_api``
   (``PrefectResponseLost``, ``PrefectOutcomeUnknown``), never here.

A new key goes where ``Keys`` says: a file (``write_key_file``) or the result.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile

from ._api import rfc3339
from ._base import Operation
from ._errors import PrefectConflict, PrefectError, PrefectNotFound, PrefectResponseLost
from ._http import PAGE_SIZE
from ._lookup import Directory, Planned
from ._secrets import mark_secret
from ._values import is_uuid, shown

NEW_KEY = "(new key)"
MAX_GRACE_SECONDS = 172800
# The order in which operations are applied: changes to accounts that exist first, then new
# accounts, then grants, removals last (a failure in the middle leaves nothing half-removed).
ORDER = ("update", "rotate", "create", "grant", "revoke", "delete")
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})?\Z", re.ASCII)
# A service account name that is safe as a file name in api_keys_dest.
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,250}\Z", re.ASCII)


# Options (no request) --------------------------------------------------------------------------


def account_options(name):
    """The options of one service account (``name`` is the spec of its name): ``service_account``'s,
    and those of each entry of ``service_accounts``."""
    return dict(
        name=name,
        state=dict(type="str", choices=["present", "absent"], default="present"),
        account_role=dict(type="str"),
        api_key_expiration=dict(type="str", no_log=False),
        rotate=dict(type="bool", default=False),
        old_key_expires_in_seconds=dict(type="int", no_log=False),
        workspace_access=dict(type="list", elements="dict", options=dict(
            workspace=dict(type="str", required=True),
            workspace_role=dict(type="str", required=True, aliases=["role"]),
        )),
    )


def parse_expiration(value, now):
    """Parse ``api_key_expiration``: an aware datetime, or None for ``never``. Raise ValueError."""
    text = value.strip()
    if text.lower() == "never":
        return None
    match = _TIMESTAMP.match(text)
    forms = "an RFC 3339 timestamp with a time zone such as 2030-01-31T00:00:00Z, or never"
    if not match:
        raise ValueError(f"api_key_expiration must be {forms}; got {shown(value)}")
    day, time_of_day, fraction, zone = match.groups()
    if zone is None:
        raise ValueError(f"api_key_expiration {shown(value)} has no time zone; it must be {forms}")
    zone = "+00:00" if zone in ("Z", "z") else zone
    fraction = (fraction or "")[:6].ljust(6, "0")
    try:
        parsed = datetime.datetime.fromisoformat(f"{day}T{time_of_day}.{fraction}{zone}")
        parsed.astimezone(datetime.timezone.utc)  # raises OverflowError past year 9999 in UTC
    except ValueError:
        raise ValueError(f"api_key_expiration {shown(value)} is not a valid date and time; it must be {forms}") from None
    except OverflowError:
        raise ValueError(f"api_key_expiration {shown(value)} is out of range: it is after year 9999 in UTC") from None
    if parsed <= now:
        raise ValueError(f"api_key_expiration {shown(value)} is in the past; give a future time or never")
    return parsed


def check_entry(entry, now):
    """Check the options of one account that need no request and set ``entry["expiration"]``.
    Raise ValueError with the one-line message, prefixed with ``entry["label"]``.
    With ``state=absent`` the options of the present account are ignored."""
    entry["expiration"] = None
    if entry["state"] == "absent":
        entry["workspace_access"] = None
        return
    try:
        grace = entry.get("old_key_expires_in_seconds")
        if grace is not None and not 0 <= grace <= MAX_GRACE_SECONDS:
            raise ValueError(f"old_key_expires_in_seconds must be between 0 and {MAX_GRACE_SECONDS} (48 hours), got {grace}")
        if entry.get("api_key_expiration") is not None:
            entry["expiration"] = parse_expiration(entry["api_key_expiration"], now)
        listed = [grant["workspace"] for grant in entry.get("workspace_access") or ()]
        twice = sorted({workspace for workspace in listed if listed.count(workspace) > 1})
        if twice:
            raise ValueError(f"workspace_access lists the workspace {shown(twice[0])} more than once; give each "
                             "workspace once")
    except ValueError as exc:
        raise ValueError(f"{entry['label']}{exc}") from None


# Views (never a key) ---------------------------------------------------------------------------


def account_result(bot):
    """The returned form of a service account (never a key); a planned one has no key yet."""
    data = bot.to_result() if bot.id is not None else {"api_key": predicted_key(None)}
    return {"id": bot.id, "actor_id": bot.actor_id, "name": bot.name, "account_role": bot.account_role_name,
            "created": data.get("created"), "updated": data.get("updated"),
            "api_key": {name: data["api_key"].get(name) for name in ("id", "name", "created", "expiration", "masked_key")}}


def predicted_key(expiration):
    return {"id": None, "name": None, "created": None, "expiration": rfc3339(expiration), "masked_key": None}


def with_rotating_keys(diff, revoked, rotating, operations):
    """The diff (before, after) with ``rotating_api_key_ids`` (only when ``rotating`` was read): the
    rotating keys before, and after the revocations and a rotation that keeps the old key for a
    grace period."""
    before, after = diff
    if rotating is None or before is None:
        return diff
    before = dict(before, rotating_api_key_ids=sorted(rotating))
    kept = [key_id for key_id in rotating if key_id not in revoked]
    kept += [before["api_key_id"] for op in operations if op.kind == "rotate" and op.data["grace"]]
    return before, dict(after or {}, rotating_api_key_ids=sorted(kept))


# Key files ---------------------------------------------------------------------------------


def write_key_file(path, key):
    """Write ``key`` to ``path`` atomically with mode 0600: a temporary file in the same
    directory, fsync, then ``os.replace``. Raise PrefectError (never with the key)."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".prefect-key-")  # mode 0600
        try:
            with os.fdopen(handle, "w") as stream:
                stream.write(key)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        raise PrefectError(f"cannot write the new API key to {path}: {exc.strerror or exc}") from None


def check_key_destination(path, directory=False):
    """Raise ValueError for an ``api_key_dest`` (a file) or ``api_keys_dest`` (a directory) that
    cannot be written. Missing directories are created (mode 0700) when a key is written."""
    option = "api_keys_dest" if directory else "api_key_dest"
    if directory and os.path.exists(path) and not os.path.isdir(path):
        raise ValueError(f"{option} {shown(path)} exists and is not a directory")
    if not directory and os.path.isdir(path):
        raise ValueError(f"{option} {shown(path)} is a directory; name the file to write the key to")
    parent = os.path.dirname(os.path.abspath(path))
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise ValueError(f"{option} {shown(path)} is below {shown(parent)}, which is not a directory")


# The planner ---------------------------------------------------------------------------------


class Planner:
    """Service accounts as the entries want them (see the module docstring).

    An entry is a dict of the options of ``service_account`` (``id`` only there), checked by
    ``check_entry``; ``entry["label"]`` prefixes its messages (``service_accounts[3].``) and
    ``entry["grants_label"]`` names its ``workspace_access`` (``workspace_access`` or
    ``service_accounts[3].workspace_access``). ``keys`` (``Keys``) keeps the new keys.
    ``purge``: the ``service_accounts`` purge options (prefix, accounts, access); given, the
    planner reads wide (lists everything once, a fleet).
    """

    def __init__(self, module, entries, keys, purge=None):
        self.module = module
        self.api = module.api
        self.directory = Directory(module)
        self.entries = entries
        self.keys = keys
        self.purge = purge
        self.wide = purge is not None
        self.now = datetime.datetime.now(datetime.timezone.utc)
        self.me = None
        self.bots = {}  # wanted name -> Bot (or Planned) as read, then as created
        self.grants = {}  # workspace id -> {bot id: BotAccess} as read
        self.handles = {}  # workspace id -> handle (None when a single grant gave an id)
        self.planned_workspaces = set()  # the handles standing for the ids of planned workspaces
        self.operations = []
        self.removed = {"service_accounts": [], "workspace_access": []}

    # -- reading

    def read(self):
        """Every read the plan needs; the checks that need them fail here, before any write."""
        if self.wide:
            self.directory.bots()
            if self.purge["accounts"] or self.purge["access"]:
                self.me = self.api.me()
        for entry in self.entries:
            entry["bot"] = bot = self.find(entry)
            if bot is not None:
                self.bots[entry["name"] or bot.name] = bot
        for entry in self.entries:
            self.read_grants(entry)
        for entry in self.entries:
            entry["role"] = self.account_role(entry)

    def find(self, entry):
        """The entry's account (or None); with ``id``, one that does not exist fails with state=present."""
        if entry.get("id") is not None:
            bot = self.directory.find_bot(entry["id"], "id")
            if bot is None and entry["state"] == "present":
                raise PrefectError(f"no service account has the id {entry['id']} (HTTP 404)")
            if bot is not None and entry["name"] is not None and entry["name"] != bot.name:
                other = self.directory.find_bot(entry["name"], "name")
                if other is not None and other.id != bot.id:
                    raise PrefectError(f"name: another service account is already called {shown(entry['name'])} (id "
                                       f"{other.id}); a service account name is unique in the account")
            return bot
        return self.directory.find_bot(entry["name"], entry["label"] + "name")

    def read_grants(self, entry):
        """Resolve the entry's workspaces and roles, and read the account's grants in each: a fleet
        reads every grant of each workspace once, a single account its own (when it exists). A
        workspace id of an existing account is trusted as it is when a single account is read: the
        grant read proves it. A workspace an earlier check-mode task plans (no id yet) is keyed by
        its handle and has no grant yet."""
        bot, label = entry["bot"], entry["grants_label"]
        exists = bot is not None and bot.id is not None
        entry["grants"], seen = [], {}
        if self.wide and entry["workspace_access"]:
            self.directory.workspaces()
        for position, grant in enumerate(entry["workspace_access"] or ()):
            option = f"{label}[{position}]" if self.wide else label
            value = grant["workspace"]
            if is_uuid(value) and exists and not self.wide:
                workspace_id, handle = value, None
            else:
                found = self.directory.workspace(value, f"{option}.workspace")
                workspace_id, handle = found.id or found.handle, found.handle
                if found.id is None:  # planned by an earlier check-mode task: no grant yet
                    self.planned_workspaces.add(workspace_id)
                    self.grants[workspace_id] = {}
            if workspace_id in seen:
                raise PrefectError(f"{entry['label']}workspace_access lists one workspace twice, as {shown(seen[workspace_id])} "
                                   f"and {shown(value)}; give each workspace once")
            seen[workspace_id] = value
            self.handles.setdefault(workspace_id, handle)
            if workspace_id not in self.grants and (self.wide or exists):
                try:
                    found = self.api.bot_accesses(workspace_id, bot_ids=None if self.wide else [bot.id])
                except PrefectNotFound:
                    self.directory.workspace(value, f"{option}.workspace")  # fails listing the valid handles
                    raise
                self.grants[workspace_id] = {access.bot_id: access for access in found}
            role = self.directory.workspace_roles().resolve(grant["workspace_role"], f"{option}.workspace_role")
            entry["grants"].append((workspace_id, role))

    def account_role(self, entry):
        """The account role of the entry when it needs its id (a create with a role, or a change),
        else None. A single account looks it up by name; a fleet reads the list once."""
        name, bot = entry.get("account_role"), entry["bot"]
        if entry["state"] == "absent" or name is None or (bot is not None and bot.account_role_name == name):
            return None
        roles = self.directory.account_roles().roles if self.wide else self.api.account_roles(names=[name])
        found = [role for role in roles if role.name == name]
        if len(found) == 1:
            return found[0]
        if found:
            raise PrefectError(f"{entry['label']}account_role: {len(found)} account roles are named {name!r}")
        valid = ", ".join(sorted(role.name for role in self.directory.account_roles().roles))
        raise PrefectError(f"{entry['label']}account_role {shown(name)} does not exist; valid account roles: {valid}")

    # -- planning (no request)

    def plan(self):
        """Build the operations, each entry's returned form (``entry["result"]``) and ``removed``."""
        for entry in self.entries:
            self.plan_entry(entry)
        if self.wide:
            self.plan_purge()
        self.operations.sort(key=lambda op: ORDER.index(op.kind))

    def plan_entry(self, entry):
        name, bot = entry["name"], entry["bot"]
        if entry["state"] == "absent":
            entry["result"] = {"name": name or (bot.name if bot else None), "state": "absent"}
            if bot is not None:
                self.operations.append(Operation("delete", bot.name, bot=bot))
                self.module.record_plan("service_account", bot.name, None)
            return
        role = entry["role"]
        result = entry["result"] = {"state": "present"}
        if bot is None:
            planned = {"name": name, "actor_id": None, "account_role_name": role.name if role is not None else "Member"}
            self.operations.append(Operation("create", name, entry=entry, role=planned["account_role_name"],
                                             role_id=role and role.id, expiration=entry["expiration"], new_key=True))
            result.update(account_result(Planned(**planned)), api_key=predicted_key(entry["expiration"]))
            self.module.record_plan("service_account", name, planned)
        else:
            result.update(account_result(bot))
            patch = {}
            if name is not None and name != bot.name:
                patch["name"] = result["name"] = name
            if role is not None:
                patch["account_role_id"], result["account_role"] = role.id, role.name
            if patch:
                self.operations.append(Operation("update", result["name"], bot=bot, patch=patch, role=result["account_role"]))
            self.plan_rotation(entry, bot, result)
        result["workspace_access"] = self.plan_grants(entry, bot, result["name"])

    def plan_rotation(self, entry, bot, result):
        """A rotation when ``rotate`` asks for it or ``api_key_expiration`` differs from the active
        key's (not known yet for an account an earlier check-mode task plans). The new key expires
        when the option says, else when the active key does (an error when that is past)."""
        given = entry.get("api_key_expiration") is not None
        key = None if bot.id is None else bot.api_key
        if not (entry["rotate"] or (key is not None and given and entry["expiration"] != key.expiration)):
            return
        expiration = entry["expiration"] if given or key is None else key.expiration
        if not given and expiration is not None and expiration <= self.now:
            raise PrefectError(f"{entry['label']}rotate: the active key of {shown(bot.name)} expired at "
                               f"{rfc3339(expiration)}, so its expiration cannot be kept; set api_key_expiration to a "
                               "future time or never")
        grace = entry["old_key_expires_in_seconds"]
        self.operations.append(Operation("rotate", result["name"], entry=entry, bot=bot, expiration=expiration, grace=grace))
        result["api_key"] = predicted_key(expiration)
        if grace:
            result["old_key_expires_at"] = rfc3339(self.now + datetime.timedelta(seconds=grace))

    def plan_grants(self, entry, bot, name):
        """The entry's grants as returned (predicted), and a ``grant`` operation for each that differs."""
        grants = []
        bot_id, actor_id = (bot.id, bot.actor_id) if bot is not None else (None, None)
        for workspace_id, role in entry["grants"]:
            current = self.grants.get(workspace_id, {}).get(bot_id)
            grant = {"id": current.id if current is not None else None,
                     "workspace_id": None if workspace_id in self.planned_workspaces else workspace_id,
                     "workspace_handle": self.handles[workspace_id], "accessor_type": "service_account",
                     "accessor_id": bot_id, "accessor_name": name, "actor_id": actor_id,
                     "workspace_role_id": role.id, "workspace_role_name": role.name}
            grants.append(grant)
            if current is None or current.workspace_role_id != role.id:
                self.operations.append(Operation("grant", name, self.handles[workspace_id] or workspace_id,
                                                 workspace_id=workspace_id, role=role.name, result=grant))
        return grants

    def purgeable(self, bot):
        """True when a purge option may remove this account or its grants: it has the
        ``purge_prefix`` (when given) and is not the identity of the calling key (``GET /me/``
        answers a bot key with the bot's actor id; the bot id is accepted too)."""
        if self.me is not None and self.me.id is not None and self.me.id in (bot.id, bot.actor_id):
            return False
        return self.purge["prefix"] is None or bot.name.startswith(self.purge["prefix"])

    def plan_purge(self):
        """A fleet's removals: with ``purge_service_accounts``, the accounts of ``purge_prefix`` that
        the list does not name; then in the workspaces it names, the grants of every account this
        run deletes, before it is deleted (whether the API removes a deleted account's grants with
        it is UNCONFIRMED, so the safe reading is not to rely on it), and with
        ``purge_workspace_access`` those of accounts that the list does not grant there."""
        named = {entry["name"] for entry in self.entries}
        for bot in self.directory.bots() if self.purge["accounts"] else ():
            if bot.name not in named and self.purgeable(bot):
                self.bots[bot.name] = bot
                self.operations.append(Operation("delete", bot.name, bot=bot, purged=True))
                self.removed["service_accounts"].append(bot.name)
                self.module.record_plan("service_account", bot.name, None)
        granted = {(workspace_id, entry["name"]) for entry in self.entries for workspace_id, dummy in entry["grants"]}
        deleted = {op.name for op in self.operations if op.kind == "delete"}
        by_id = {bot.id: bot for bot in self.directory.bots()}
        for workspace_id, accesses in self.grants.items():
            for access in accesses.values():
                bot = by_id.get(access.bot_id)
                if bot is None or not (bot.name in deleted or self.purge["access"] and (workspace_id, bot.name) not in granted
                                       and self.purgeable(bot)):
                    continue
                removed = {"workspace": self.handles[workspace_id], "service_account": bot.name,
                           "workspace_role": self.directory.workspace_roles().name_of(access.workspace_role_id)}
                self.bots.setdefault(bot.name, bot)
                self.operations.append(Operation("revoke", bot.name, self.handles[workspace_id], workspace_id=workspace_id,
                                                 access_id=access.id, removed=removed))
                self.removed["workspace_access"].append(removed)

    # -- the diff

    def view(self, bot, grants=True):
        """The diff form of an account (a planned one has no key yet), with its grants in the
        workspaces read."""
        key = getattr(bot, "api_key", None)
        view = {"name": bot.name, "account_role": bot.account_role_name, "api_key_id": key and key.id,
                "api_key_expiration": rfc3339(key and key.expiration)}
        if grants:
            view["workspace_access"] = sorted(
                ({"workspace": self.handles[workspace_id] or workspace_id,
                  "workspace_role": self.directory.workspace_roles().name_of(accesses[bot.id].workspace_role_id)}
                 for workspace_id, accesses in self.grants.items() if bot.id in accesses),
                key=lambda grant: grant["workspace"])
        return view

    def diff(self, name, grants=True):
        """(before, after) of the account ``name`` (None when absent), after the operations on it.
        A create that met an account another run created (``conflict``, after the write) converges
        on it: that account is ``before``."""
        bot = self.bots.get(name)
        before = self.view(bot, grants) if bot is not None else None
        after = dict(before or {})
        for op in (op for op in self.operations if op.name == name):
            if op.kind == "delete":
                return before, None
            if op.kind in ("create", "update"):
                after.update(name=name, account_role=op.data["role"])
            if op.kind == "rotate" or op.data.get("new_key"):
                after.update(api_key_id=NEW_KEY, api_key_expiration=rfc3339(op.data["expiration"]))
            if op.kind == "create" and grants:
                after.setdefault("workspace_access", [])
            if op.kind in ("grant", "revoke"):
                kept = [g for g in after["workspace_access"] if g["workspace"] != op.workspace]
                if op.kind == "grant":
                    kept.append({"workspace": op.workspace, "workspace_role": op.data["role"]})
                after["workspace_access"] = sorted(kept, key=lambda g: g["workspace"])
        return before, after or None

    # -- writing

    @staticmethod
    def next_batch(pending):
        """The grants of one workspace (up to 200, one request), or the next operation."""
        first = pending[0]
        if first.kind != "grant":
            return [first]
        return [op for op in pending if op.kind == "grant" and op.data["workspace_id"] == first.data["workspace_id"]][:PAGE_SIZE]

    def write(self, batch):
        """Send the one request of ``batch``."""
        api, op = self.api, batch[0]
        data = op.data
        if op.kind == "grant":  # each grant's returned form has its account (as read, or as created)
            grants = [item.data["result"] for item in batch]
            pairs = [(grant["accessor_id"], grant["workspace_role_id"]) for grant in grants]
            answered = {access.bot_id: access.id for access in api.upsert_bot_accesses(data["workspace_id"], pairs)}
            for grant in grants:
                grant["id"] = answered.get(grant["accessor_id"], grant["id"])
        elif op.kind in ("rotate", "create"):
            getattr(self, op.kind)(op)
        elif op.kind == "update":
            api.update_bot(data["bot"].id, **data["patch"])
        elif op.kind == "revoke":
            api.delete_bot_access(data["workspace_id"], data["access_id"])
        else:
            api.delete_bot(data["bot"].id)

    def rotate(self, op):
        data = op.data
        try:
            rotated, key = self.api.rotate_bot_key(data["bot"], data["expiration"], data["grace"])
        except PrefectResponseLost as exc:
            data["entry"]["result"].update(account_result(exc.found))
            raise
        data["entry"]["result"].update(account_result(rotated))
        self.keys.store(op.name, key)

    def create(self, op):
        data, entry = op.data, op.data["entry"]
        try:
            bot, key = self.api.create_bot(op.name, data["role_id"], data["expiration"])
        except PrefectResponseLost as exc:
            self.created(op, exc.found)
            raise
        except PrefectConflict as conflict:
            bot = self.api.bot_by_name(op.name)
            if bot is None:
                raise
            # Another run created the account at the same moment: converge on it like on an
            # account that already existed (its key went to the run that created it).
            self.module.warn(
                f"service account {shown(op.name)} was created by another run at the same time ({conflict.method} "
                f"{conflict.path} answered HTTP {conflict.status}); this run did not receive its API key: rotate the "
                "key (rotate: true) if you need it")
            update = data["role_id"] is not None and bot.account_role_name != data["role"]
            rotate = entry.get("api_key_expiration") is not None and data["expiration"] != bot.api_key.expiration
            data.update(conflict=bot, unchanged=not (update or rotate), new_key=rotate,
                        role=data["role"] if data["role_id"] is not None else bot.account_role_name)
            if update:
                self.api.update_bot(bot.id, account_role_id=data["role_id"])
            self.created(op, bot)
            entry["result"]["account_role"] = data["role"]
            if rotate:
                self.rotate(Operation("rotate", op.name, entry=entry, bot=bot, expiration=data["expiration"], grace=None))
            return
        self.created(op, bot)
        self.keys.store(op.name, key)

    def created(self, op, bot):
        """Record a new account: its returned form, and the account of its pending grants."""
        self.bots[op.name] = bot
        op.data["entry"]["result"].update(account_result(bot))
        for grant in op.data["entry"]["result"]["workspace_access"]:
            grant.update(accessor_id=bot.id, actor_id=bot.actor_id)

    def revocations(self, entry, key_ids):
        """(the ids of ``key_ids`` (``revoke_api_key_ids``) to delete, the ids of the account's
        rotating keys), or ([], None) without any. An id that is no key of the account is gone
        already: nothing to do. The active key and an account that does not exist yet are errors."""
        wanted = list(dict.fromkeys(key_ids or ()))
        if not wanted:
            return [], None
        bot = entry["bot"]
        keys = self.api.bot_keys(bot.id) if bot is not None and bot.id is not None else None
        if keys is None:
            raise PrefectError(f"revoke_api_key_ids: the service account {shown(entry['result']['name'])} does not "
                               "exist yet, so it has no key to revoke")
        if keys.active_key.id in wanted:
            raise PrefectError(f"revoke_api_key_ids: {keys.active_key.id} is the active key of {shown(bot.name)}, which a "
                               "service account always keeps; rotate it (rotate: true) to replace it")
        rotating = [key.id for key in keys.rotating_keys]
        return [key_id for key_id in wanted if key_id in rotating], rotating


class Keys:
    """Where the new keys of a task go: files (``dest``, a file for one key or a directory for
    many, named in ``api_key_file`` / ``api_key_files``), the result (``returned``: ``api_key`` /
    ``api_keys``), or nowhere with one warning naming both options. ``rotatable``: the warning
    says that a rotation gives a new key (a user key cannot be rotated)."""

    def __init__(self, module, dest, returned, single, rotatable=True):
        """Raise ValueError for a ``dest`` that cannot be written."""
        if dest is not None:
            check_key_destination(dest, directory=not single)
        self.module = module
        self.dest = dest
        self.returned = returned
        self.single = single
        self.rotatable = rotatable
        self.warned = False

    def path(self, name):
        """The file that gets ``name``'s new key (with ``dest``): ``dest``, or ``name.key`` in the
        directory ``dest``; an error for a name that is no safe file name."""
        if self.single:
            return self.dest
        if not _FILE_NAME.match(name):
            raise PrefectError(f"api_keys_dest: the service account name {shown(name)} is not a safe file name "
                               "(letters, digits, '.', '_' and '-', not starting with '.' or '-'); rename the account "
                               "or use return_api_key: true")
        return os.path.join(self.dest, name + ".key")

    def expect(self, names):
        """The accounts ``names`` get a new key: fail before any write for a name that is no safe
        file name, warn once when the keys are not kept, and name the files in check mode."""
        if names and self.dest is None and not self.returned:
            option, field = ("api_key_dest", "api_key") if self.single else ("api_keys_dest", "api_keys")
            verb, later = ("creates or rotates", ", and rotate (rotate: true) to get a key") if self.rotatable else ("creates", "")
            self.module.warn(f"this task {verb} an API key and neither {option} nor return_api_key is set, so the new "
                             f"key is not kept; set {option} to write it to a file (mode 0600) or return_api_key: true "
                             f"to get it in {field}{later}")
        files = {name: self.path(name) for name in names} if self.dest is not None else {}
        if not self.single:
            self.module.result.update(api_keys={}, api_key_files={})
        for name in files if self.module.check_mode else ():
            self.record(name)

    def record(self, name):
        """Name the file of ``name``'s new key in the result."""
        if self.single:
            self.module.result["api_key_file"] = self.path(name)
        else:
            self.module.result["api_key_files"][name] = self.path(name)

    def store(self, name, key):
        """Keep the new ``key`` of ``name`` where the options say."""
        if self.dest is not None:
            write_key_file(self.path(name), key)
            self.record(name)
        elif self.returned and self.single:
            self.module.return_key(key)
        elif self.returned:
            self.module.result["api_keys"][name] = mark_secret(key)
            if not self.warned and not self.module.runner.no_log:
                self.module.warn("this task returns new API keys in api_keys and does not set no_log: true; set "
                                 "no_log: true on it so that the keys are kept out of the output and the job logs, "
                                 "or write the keys to files with api_keys_dest instead")
            self.warned = True
