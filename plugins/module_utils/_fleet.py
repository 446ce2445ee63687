# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Converging many service accounts and their workspace grants in one task (PRIVATE to this collection).

The logic of ``service_accounts``. ``Fleet`` works in three steps, so that a bad entry fails the
task before anything is written, in check mode exactly as in a real run:

1. ``read``: bulk reads only. Every service account once (``bots/filter`` without criteria,
   paged), the workspaces once, the workspace roles once, each listed workspace's bot grants once,
   the account roles only when an entry needs a role id, ``GET /me/`` only when purging.
2. ``plan``: pure. Compares locally and builds the list of operations, the diff and the result.
3. ``apply``: the writes, in a fixed order (updates, rotations, creates, grants, removals); on a
   failure the result says which operations were applied and which were not (``write_all``, which
   ``workspace_members`` shares).

The per-account rules (option checks, when a key is rotated, the diff's form) are those of
``service_account`` (``_accounts``).
"""

from __future__ import annotations

import datetime

from ._accounts import (
    NEW_KEY, account_result, check_options, diff_view, rotation_expiration,
)
from ._api import rfc3339
from ._base import is_uuid, shown
from ._errors import PrefectConflict, PrefectError, PrefectResponseLost
from ._http import PAGE_SIZE
from ._lookup import RoleIndex
from ._secrets import mark_secret

_MAX_LISTED = 20
# The order in which operations are applied: changes to accounts that exist first, then new
# accounts, then grants, removals last (a failure in the middle leaves nothing half-removed).
ORDER = ("update", "rotate", "create", "grant", "revoke", "delete")


def listing(names):
    """Names for a one-line message: sorted, at most 20, 'none' when there are none."""
    names = sorted(set(names))
    text = ", ".join(names[:_MAX_LISTED])
    if len(names) > _MAX_LISTED:
        text += f", ... ({len(names) - _MAX_LISTED} more)"
    return text or "none"


def is_caller(me, bot):
    """True when ``bot`` is the identity of the calling key (``GET /me/`` answers a bot key with
    the bot's actor id; the bot id is accepted too)."""
    return me is not None and me.id is not None and me.id in (bot.id, bot.actor_id)


def check_entries(entries, now):
    """Check every entry without a request; return the parsed expirations. Raise ValueError with
    the single-account module's message, prefixed with the entry (``service_accounts[3].``)."""
    expirations, seen = [], {}
    for index, entry in enumerate(entries):
        label = f"service_accounts[{index}]"
        try:
            expirations.append(check_options(entry, now))
        except ValueError as exc:
            raise ValueError(f"{label}.{exc}") from None
        name = entry["name"]
        if name in seen:
            raise ValueError(f"{label}.name {shown(name)} is listed more than once (also service_accounts[{seen[name]}]); "
                             "give each service account once")
        seen[name] = index
    return expirations


def check_purge(params):
    """The purge options' own rules (no request): the empty-list guard."""
    purging = params["purge_service_accounts"] or params["purge_workspace_access"]
    if purging and not params["service_accounts"] and not params["allow_empty_purge"]:
        raise ValueError("service_accounts is empty and a purge option is set, which would remove every service account "
                         "(with purge_prefix) or grant it manages; set allow_empty_purge: true if that is what you want")


class Operation:
    """One write: ``kind`` (see ORDER), the account's name, the workspace (grants), and the data."""

    def __init__(self, kind, name, workspace=None, **data):
        self.kind = kind
        self.name = name
        self.workspace = workspace
        self.data = data

    def view(self):
        """The operation as listed in ``applied`` / ``not_applied``."""
        view = {"operation": self.kind, "service_account": self.name}
        if self.workspace is not None:
            view["workspace"] = self.workspace
        return view

    def title(self):
        """The operation in a message, such as ``grant of 'ci' in workspace 'prod'``."""
        where = f" in workspace {self.workspace!r}" if self.workspace else ""
        return f"{self.kind} of {self.name!r}{where}"


def write_all(module, label, operations, next_batch, apply):
    """Apply ``operations`` in order, ``apply(batch)`` for each ``next_batch(pending)``; on a
    PrefectError, fail the task ``label`` (the module's name) with ``fail_partway``."""
    pending, applied, batch = list(operations), [], []
    try:
        while pending:
            batch = next_batch(pending)
            apply(batch)
            for op in batch:
                pending.remove(op)
                applied.append(op.view())
    except PrefectError as exc:
        fail_partway(module, label, exc, applied, pending, len(batch))


def fail_partway(module, label, exc, applied, pending, sent=1):
    """Fail a fleet task whose write of ``pending[:sent]`` (one request) raised ``exc``, with one
    line: the operation, how many of the task's operations were applied, and the client's message
    (method, path, server detail). The result keeps what it has, with ``applied`` and
    ``not_applied`` (the failed operation first) and ``changed`` when something was applied. A lost
    response (``PrefectResponseLost``) means the failed operation was applied."""
    not_applied = [op.view() for op in pending]
    if isinstance(exc, PrefectResponseLost):
        applied, not_applied, sent = applied + not_applied[:1], not_applied[1:], 0
    result = module.result
    result.update(applied=applied, not_applied=not_applied, changed=bool(applied))
    details = {name: getattr(exc, name) for name in ("method", "path", "status") if hasattr(exc, name)}
    more = f" (and {sent - 1} more in the same request)" if sent > 1 else ""
    module.module.fail_json(
        msg=f"{label}: {pending[0].title()}{more} failed after {len(applied)} of "
            f"{len(applied) + len(not_applied)} operations were applied (see applied and not_applied; run the task "
            f"again to converge): {exc}",
        **dict(result, **details))


class Fleet:
    """The ``service_accounts`` task: many accounts, their grants, and the purge options."""

    def __init__(self, module):
        self.module = module
        self.api = module.api
        self.params = params = module.params
        self.entries = params["service_accounts"] or []
        self.now = datetime.datetime.now(datetime.timezone.utc)
        try:
            self.expirations = check_entries(self.entries, self.now)
            check_purge(params)
        except ValueError as exc:
            module.fail(str(exc))
        self.prefix = params["purge_prefix"]
        self.bots = {}  # name -> Bot
        self.workspaces = {}  # handle or id as given -> Workspace
        self.grants = {}  # workspace id -> {bot id: BotAccess}
        self.roles = None
        self.account_roles = None
        self.me = None
        self.operations = []
        self.results = []
        self.removed = {"service_accounts": [], "workspace_access": []}
        self.keys = {}
        self.by_name = {}  # name -> the entry's result

    # -- reading

    def read(self):
        """Every read the plan needs; the checks that need them fail here, before any write."""
        api = self.api
        bots = api.bots()
        for bot in bots:
            if bot.name in self.bots:
                raise PrefectError(f"two service accounts are named {bot.name!r}; this module needs unique names")
            self.bots[bot.name] = bot
        if self.params["purge_service_accounts"] or self.params["purge_workspace_access"]:
            self.me = api.me()
        self.read_account_roles()
        listed = [(f"service_accounts[{index}].workspace_access[{position}]", grant)
                  for index, entry in enumerate(self.entries) for position, grant in enumerate(entry["workspace_access"] or ())]
        if not listed:
            return
        workspaces = api.workspaces()
        by_key = {ws.handle: ws for ws in workspaces}
        by_key.update((ws.id, ws) for ws in workspaces)
        self.roles = RoleIndex(api.workspace_roles())
        for label, grant in listed:
            workspace = by_key.get(grant["workspace"])
            if workspace is None:
                what = "id" if is_uuid(grant["workspace"]) else "handle"
                raise PrefectError(f"{label}.workspace: no workspace with {what} {grant['workspace']!r} in this account, or "
                                   f"the API key has no access to it (valid handles: "
                                   f"{listing(ws.handle for ws in workspaces)})")
            self.workspaces[grant["workspace"]] = workspace
            self.roles.resolve(grant["workspace_role"], f"{label}.workspace_role")
        self.check_same_workspace()
        for workspace_id in dict.fromkeys(ws.id for ws in self.workspaces.values()):
            self.grants[workspace_id] = {access.bot_id: access for access in api.bot_accesses(workspace_id)}

    def check_same_workspace(self):
        """One entry may not name one workspace twice (once by handle, once by id)."""
        for index, entry in enumerate(self.entries):
            seen = {}
            for grant in entry["workspace_access"] or ():
                workspace_id = self.workspaces[grant["workspace"]].id
                if workspace_id in seen:
                    raise PrefectError(f"service_accounts[{index}].workspace_access lists one workspace twice, as "
                                       f"{shown(seen[workspace_id])} and {shown(grant['workspace'])}; give each workspace once")
                seen[workspace_id] = grant["workspace"]

    def read_account_roles(self):
        """The account roles, once, only when an entry needs a role id (a create with a role, or a role change)."""
        needed = [(index, entry["account_role"]) for index, entry in enumerate(self.entries)
                  if entry["state"] == "present" and entry["account_role"] is not None and
                  (entry["name"] not in self.bots or self.bots[entry["name"]].account_role_name != entry["account_role"])]
        if not needed:
            return
        roles = self.api.account_roles()
        self.account_roles = {role.name: role for role in roles}
        for index, name in needed:
            if name not in self.account_roles:
                raise PrefectError(f"service_accounts[{index}].account_role {shown(name)} does not exist; valid account "
                                   f"roles: {', '.join(sorted(self.account_roles))}")

    # -- planning (no request)

    def plan(self):
        """Build the operations, the predicted results and the diff from what ``read`` found."""
        named = {entry["name"] for entry in self.entries}
        for index, entry in enumerate(self.entries):
            self.plan_entry(index, entry)
        if self.params["purge_service_accounts"]:
            for name, bot in self.bots.items():
                if name.startswith(self.prefix) and name not in named and not is_caller(self.me, bot):
                    self.operations.append(Operation("delete", name, bot=bot))
                    self.removed["service_accounts"].append(name)
        self.plan_revokes()
        self.operations.sort(key=lambda op: ORDER.index(op.kind))
        self.module.set_changed(bool(self.operations))
        before, after = self.diff()
        self.module.set_diff({"service_accounts": before} if before else None,
                             {"service_accounts": after} if after else None)

    def plan_entry(self, index, entry):
        name = entry["name"]
        bot = self.bots.get(name)
        if entry["state"] == "absent":
            self.results.append({"name": name, "state": "absent"})
            if bot is not None:
                self.operations.append(Operation("delete", name, bot=bot))
            return
        expiration, manage = self.expirations[index], entry["api_key_expiration"] is not None
        role = entry["account_role"]
        result = {"state": "present"}
        if bot is None:
            role_id = self.account_roles[role].id if role is not None else None
            self.operations.append(Operation("create", name, role=role or "Member", role_id=role_id, expiration=expiration))
            result.update(id=None, actor_id=None, name=name, account_role=role or "Member", created=None, updated=None,
                          api_key=self.predicted_key(expiration))
        else:
            result.update(account_result(bot))
            if role is not None and role != bot.account_role_name:
                self.operations.append(Operation("update", name, bot=bot, role=role, role_id=self.account_roles[role].id))
                result["account_role"] = role
            if entry["rotate"] or (manage and expiration != bot.api_key.expiration):
                try:
                    new_expiration = rotation_expiration(manage, expiration, bot, self.now)
                except ValueError as exc:
                    raise PrefectError(f"service_accounts[{index}].{exc}") from None
                grace = entry["old_key_expires_in_seconds"]
                self.operations.append(Operation("rotate", name, bot=bot, expiration=new_expiration, grace=grace))
                result["api_key"] = self.predicted_key(new_expiration)
                if grace:
                    result["old_key_expires_at"] = rfc3339(self.now + datetime.timedelta(seconds=grace))
        result["workspace_access"] = self.plan_grants(entry, bot)
        self.results.append(result)
        self.by_name[name] = result

    def plan_grants(self, entry, bot):
        """The entry's grants as returned (predicted), and a ``grant`` operation for each that differs."""
        grants = []
        for grant in entry["workspace_access"] or ():
            workspace = self.workspaces[grant["workspace"]]
            role = self.roles.resolve(grant["workspace_role"], "workspace_role")
            current = self.grants[workspace.id].get(bot.id) if bot is not None else None
            grants.append({"id": current.id if current is not None else None, "workspace_id": workspace.id,
                           "workspace_handle": workspace.handle, "workspace_role_id": role.id,
                           "workspace_role_name": role.name})
            if current is None or current.workspace_role_id != role.id:
                self.operations.append(Operation("grant", entry["name"], workspace.handle, workspace_id=workspace.id,
                                                 role=role.name, role_id=role.id, result=grants[-1]))
        return grants

    def purgeable(self, bot):
        """True when ``purge_workspace_access`` may remove this account's grants."""
        if is_caller(self.me, bot):
            return False
        return self.prefix is None or bot.name.startswith(self.prefix)

    def plan_revokes(self):
        """The grants to remove in the workspaces the list names: with ``purge_workspace_access``,
        those of accounts that the list does not grant there; and, whatever the options, those of
        every account this run deletes, before it is deleted (whether the API removes a deleted
        account's grants with it is UNCONFIRMED, so the safe reading is not to rely on it)."""
        granted = {(self.workspaces[g["workspace"]].id, entry["name"]) for entry in self.entries
                   if entry["state"] == "present" for g in entry["workspace_access"] or ()}
        deleted = {op.name for op in self.operations if op.kind == "delete"}
        purge = self.params["purge_workspace_access"]
        by_id = {bot.id: bot for bot in self.bots.values()}
        handles = {ws.id: ws.handle for ws in self.workspaces.values()}
        for workspace_id, accesses in self.grants.items():
            for access in accesses.values():
                bot = by_id.get(access.bot_id)
                if bot is None:
                    continue
                if bot.name not in deleted and not (purge and (workspace_id, bot.name) not in granted and self.purgeable(bot)):
                    continue
                self.operations.append(Operation("revoke", bot.name, handles[workspace_id], workspace_id=workspace_id,
                                                 access_id=access.id))
                self.removed["workspace_access"].append({
                    "workspace": handles[workspace_id], "service_account": bot.name,
                    "workspace_role": self.roles.name_of(access.workspace_role_id)})

    def view(self, bot):
        """The diff form of an existing account, with its grants in the managed workspaces."""
        view = diff_view(bot.name, bot.account_role_name, bot.api_key.id, bot.api_key.expiration)
        handles = {ws.id: ws.handle for ws in self.workspaces.values()}
        view["workspace_access"] = [
            {"workspace": handles[workspace_id], "workspace_role": self.roles.name_of(accesses[bot.id].workspace_role_id)}
            for workspace_id, accesses in self.grants.items() if bot.id in accesses]
        return view

    def diff(self):
        """(before, after) of every account an operation touches, keyed by name: the account as
        ``service_account`` shows it, with its grants in the managed workspaces."""
        before, after = {}, {}
        for op in self.operations:
            name, data = op.name, op.data
            if name not in before and name not in after and name in self.bots:
                before[name] = self.view(self.bots[name])
                after[name] = dict(before[name], workspace_access=list(before[name]["workspace_access"]))
            if op.kind == "create":
                after[name] = dict(diff_view(name, data["role"], NEW_KEY, data["expiration"]), workspace_access=[])
            elif op.kind == "update":
                after[name]["account_role"] = data["role"]
            elif op.kind == "rotate":
                after[name].update(api_key_id=NEW_KEY, api_key_expiration=rfc3339(data["expiration"]))
            elif op.kind in ("grant", "revoke"):
                kept = [g for g in after[name]["workspace_access"] if g["workspace"] != op.workspace]
                if op.kind == "grant":
                    kept.append({"workspace": op.workspace, "workspace_role": data["role"]})
                after[name]["workspace_access"] = sorted(kept, key=lambda g: g["workspace"])
            else:
                after.pop(name, None)
        return before, after

    @staticmethod
    def predicted_key(expiration):
        return {"id": None, "name": None, "created": None, "expiration": rfc3339(expiration), "masked_key": None}

    # -- writing

    def converge(self):
        """Read, plan, and (not in check mode) apply; report what was applied when a write fails."""
        self.read()
        self.plan()
        result = self.module.result
        result["service_accounts"] = self.results
        result["removed"] = self.removed
        result["api_keys"] = self.keys
        if self.module.check_mode or not self.operations:
            return
        write_all(self.module, "service_accounts", self.operations, self.next_batch, self.write)

    @staticmethod
    def next_batch(pending):
        """The grants of one workspace (up to 200, one request), or the next operation."""
        first = pending[0]
        if first.kind != "grant":
            return [first]
        return [op for op in pending if op.kind == "grant" and op.data["workspace_id"] == first.data["workspace_id"]][:PAGE_SIZE]

    def write(self, batch):
        if batch[0].kind == "grant":
            self.grant(batch)
        else:
            self.apply(batch[0])

    def apply(self, op):
        api, data = self.api, op.data
        if op.kind == "update":
            api.update_bot(data["bot"].id, account_role_id=data["role_id"])
        elif op.kind == "rotate":
            try:
                rotated, key = api.rotate_bot_key(data["bot"], data["expiration"], data["grace"])
            except PrefectResponseLost as exc:
                self.result_of(op.name).update(account_result(exc.found))
                raise
            self.result_of(op.name).update(account_result(rotated))
            self.return_key(op.name, key)
        elif op.kind == "create":
            self.create(op)
        elif op.kind == "revoke":
            api.delete_bot_access(data["workspace_id"], data["access_id"])
        else:
            api.delete_bot(data["bot"].id)

    def create(self, op):
        data = op.data
        try:
            bot, key = self.api.create_bot(op.name, data["role_id"], data["expiration"])
        except PrefectResponseLost as exc:
            self.created(op.name, exc.found)
            raise
        except PrefectConflict as conflict:
            bot = self.api.bot_by_name(op.name)
            if bot is None:
                raise
            self.module.module.warn(
                f"service account {shown(op.name)} was created by another run at the same time ({conflict.method} "
                f"{conflict.path} answered HTTP {conflict.status}); this run did not receive its API key: rotate the "
                "key (rotate: true) if you need it")
            self.created(op.name, bot)
            return
        self.created(op.name, bot)
        self.return_key(op.name, key)

    def created(self, name, bot):
        """Record a new account: its result, and the account of its pending grants."""
        self.bots[name] = bot
        result = self.result_of(name)
        result.update(account_result(bot))

    def grant(self, batch):
        """Upsert up to 200 grants of one workspace in one request."""
        pairs = [(self.bots[op.name].id, op.data["role_id"]) for op in batch]
        answered = {access.bot_id: access for access in self.api.upsert_bot_accesses(batch[0].data["workspace_id"], pairs)}
        for op in batch:
            access = answered.get(self.bots[op.name].id)
            if access is not None:
                op.data["result"]["id"] = access.id

    def result_of(self, name):
        return self.by_name[name]

    def return_key(self, name, key):
        """Return a new key in ``api_keys[name]`` (marked as a secret where ansible-core can), with
        the no_log warning once."""
        if not self.keys and not self.module.module.no_log:
            self.module.module.warn("this task returns new API keys in api_keys and does not set no_log: true; set "
                                    "no_log: true on it so that the keys are kept out of the output and the job logs")
        self.keys[name] = mark_secret(key)
