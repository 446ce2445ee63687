# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Converging one service account and its API key (PRIVATE to this collection).

The logic of ``service_account``. ``Account`` reads first (``find``, ``read_grants``), decides,
and writes last, so that every check (a role name, a taken name, a workspace) fails the task
before anything is written, in check mode exactly as in a real run. What to do when a create or
a rotation may have been applied is decided in ``_api`` (``PrefectResponseLost``,
``PrefectOutcomeUnknown``), never here.
"""

from __future__ import annotations

import datetime
import re

from ._api import rfc3339
from ._base import is_uuid, shown
from ._errors import PrefectConflict, PrefectResponseLost

NEW_KEY = "(new key)"
MAX_GRACE_SECONDS = 172800
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})?\Z", re.ASCII)
GRANT_OPTIONS = {
    "workspace": "workspace_access.workspace",
    "accessor": "name",
    "workspace_role": "workspace_access.workspace_role",
}


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


def check_options(params, now):
    """Check the options of one service account that need no request (``service_account``'s, or
    one entry of ``service_accounts``); return the parsed ``api_key_expiration``. Raise ValueError
    with the one-line message, naming the option as the single-account module names it."""
    grace = params.get("old_key_expires_in_seconds")
    if grace is not None and not 0 <= grace <= MAX_GRACE_SECONDS:
        raise ValueError(f"old_key_expires_in_seconds must be between 0 and {MAX_GRACE_SECONDS} (48 hours), got {grace}")
    expiration = None
    if params.get("api_key_expiration") is not None:
        expiration = parse_expiration(params["api_key_expiration"], now)
    grants = params.get("workspace_access")
    if grants is not None and params.get("state", "present") == "absent":
        raise ValueError("workspace_access applies only to state=present (deleting a service account removes its "
                         "workspace access)")
    listed = [entry["workspace"] for entry in grants or ()]
    twice = sorted({workspace for workspace in listed if listed.count(workspace) > 1})
    if twice:
        raise ValueError(f"workspace_access lists the workspace {shown(twice[0])} more than once; give each workspace once")
    return expiration


def rotation_expiration(manage_expiration, expiration, bot, now):
    """The expiration of the new key of a rotation: ``expiration`` when the option is set, else the
    active key's when it is in the future (or never). Raise ValueError for an expired active key."""
    if manage_expiration:
        return expiration
    current = bot.api_key.expiration
    if current is not None and current <= now:
        raise ValueError(f"rotate: the active key of {shown(bot.name)} expired at {rfc3339(current)}, so its "
                         "expiration cannot be kept; set api_key_expiration to a future time or never")
    return current


def account_result(bot):
    """The returned form of a service account (never a key)."""
    data = bot.to_result()
    key = data["api_key"]
    return {
        "id": data["id"],
        "actor_id": data["actor_id"],
        "name": data["name"],
        "account_role": data["account_role_name"],
        "created": data["created"],
        "updated": data["updated"],
        "api_key": {name: key.get(name) for name in ("id", "name", "created", "expiration", "masked_key")},
    }


def diff_view(name, role, key_id, expiration):
    return {"name": name, "account_role": role, "api_key_id": key_id, "api_key_expiration": rfc3339(expiration)}


def grant_diff(grant):
    return {"workspace": grant["workspace_handle"] or grant["workspace_id"], "workspace_role": grant["workspace_role_name"]}


class Account:
    """One service account as the options of a ``service_account`` task ask for it."""

    def __init__(self, module):
        self.module = module
        self.api = module.api
        self.params = params = module.params
        self.now = datetime.datetime.now(datetime.timezone.utc)
        if params["id"] is not None and not is_uuid(params["id"]):
            module.fail(f"id must be the UUID of a service account, got {shown(params['id'])}")
        try:
            self.expiration = check_options(params, self.now)
        except ValueError as exc:
            module.fail(str(exc))
        self.manage_expiration = params["api_key_expiration"] is not None
        self.wanted_grants = params["workspace_access"]

    def converge(self):
        """Converge the account; a create or rotation whose answer was lost still reports the account."""
        try:
            self.present() if self.params["state"] == "present" else self.absent()
        except PrefectResponseLost as exc:
            self.module.result["service_account"] = account_result(exc.found)
            raise

    # -- reading

    def find(self):
        if self.params["id"] is not None:
            return self.api.bot(self.params["id"])
        return self.api.bot_by_name(self.params["name"])

    def role_id(self, name):
        """The id of the account role called ``name``; fail listing the valid names if none."""
        found = [role for role in self.api.account_roles(names=[name]) if role.name == name]
        if len(found) == 1:
            return found[0].id
        if found:
            self.module.fail(f"{len(found)} account roles are named {name!r}")
        valid = ", ".join(sorted(role.name for role in self.api.account_roles()))
        self.module.fail(f"account_role {shown(name)} does not exist; valid account roles: {valid}")

    def check_name_free(self, bot, name):
        """Fail (before any write, in check mode too) when another account is called ``name``."""
        other = self.api.bot_by_name(name)
        if other is not None and other.id != bot.id:
            self.module.fail(f"name: another service account is already called {shown(name)} (id {other.id}); "
                             "a service account name is unique in the account")

    def rotation_expiration(self, bot):
        """The expiration of the new key of a rotation (see ``rotation_expiration``)."""
        try:
            return rotation_expiration(self.manage_expiration, self.expiration, bot, self.now)
        except ValueError as exc:
            self.module.fail(str(exc))
        return None

    def read_grants(self, bot):
        """Read the account's access to each workspace of ``workspace_access``: [(Grant, grant or None)].

        For an account that does not exist yet, check instead that each workspace and role exists,
        so that a wrong name fails the task before the account (and its key) is created.
        """
        if self.wanted_grants is None:
            return None
        # Imported here, so that a run without workspace_access does not load them.
        from ._grants import Grant, Roles  # pylint: disable=import-outside-toplevel

        roles = Roles(self.api)
        grants, seen = [], {}
        for entry in self.wanted_grants:
            grant = Grant(self.api, roles, entry["workspace"], "service_account", bot.id if bot else None,
                          entry["workspace_role"], options=GRANT_OPTIONS)
            if bot is None:
                grant.resolve_workspace(verify_id=True)
                roles.all().resolve(grant.role, GRANT_OPTIONS["workspace_role"])
                before = None
            else:
                before, _accessor = grant.read()
            if grant.workspace_id in seen:
                self.module.fail(f"workspace_access lists one workspace twice, as {shown(seen[grant.workspace_id])} and "
                                 f"{shown(entry['workspace'])}; give each workspace once")
            seen[grant.workspace_id] = entry["workspace"]
            grants.append((grant, before))
        return grants

    # -- deciding and writing

    def absent(self):
        bot = self.find()
        if bot is None:
            self.module.set_diff(None, None)
            return
        self.module.set_changed()
        self.module.set_diff(diff_view(bot.name, bot.account_role_name, bot.api_key.id, bot.api_key.expiration), None)
        if not self.module.check_mode:
            self.api.delete_bot(bot.id)

    def present(self):
        bot = self.find()
        if bot is None and self.params["id"] is not None:
            self.module.fail(f"no service account has the id {self.params['id']} (HTTP 404)")
        grants = self.read_grants(bot)  # every read and check comes before the first write
        if bot is None:
            self.create()
        else:
            self.update(bot)
        if grants is not None:
            self.converge_grants(grants)

    def create(self):
        name, role = self.params["name"], self.params["account_role"]
        role_id = self.role_id(role) if role is not None else None
        self.module.set_changed()
        self.module.set_diff(None, diff_view(name, role or "Member", NEW_KEY, self.expiration))
        if self.module.check_mode:
            self.module.result["service_account"] = {
                "id": None, "actor_id": None, "name": name, "account_role": role or "Member", "created": None,
                "updated": None, "api_key": self.predicted_key(self.expiration),
            }
            return
        try:
            bot, key = self.api.create_bot(name, role_id, self.expiration)
        except PrefectConflict as conflict:
            existing = self.api.bot_by_name(name)
            if existing is None:
                raise
            # Another run created the account at the same moment: converge on it like on an
            # account that already existed (its key went to the run that created it).
            self.module.module.warn(
                f"service account {shown(name)} was created by another run at the same time ({conflict.method} "
                f"{conflict.path} answered HTTP {conflict.status}); this run did not receive its API key: "
                "rotate the key (rotate: true) if you need it")
            self.module.result["changed"] = False
            self.update(existing)
            return
        self.module.result["service_account"] = account_result(bot)
        self.module.return_key(key)

    def update(self, bot):
        params = self.params
        patch = {}
        if params["id"] is not None and params["name"] is not None and params["name"] != bot.name:
            self.check_name_free(bot, params["name"])
            patch["name"] = params["name"]
        role = params["account_role"]
        if role is not None and role != bot.account_role_name:
            patch["account_role_id"] = self.role_id(role)
        rotate = params["rotate"] or (self.manage_expiration and self.expiration != bot.api_key.expiration)
        expiration = self.rotation_expiration(bot) if rotate else None
        new_name = patch.get("name", bot.name)
        new_role = role if "account_role_id" in patch else bot.account_role_name
        before = diff_view(bot.name, bot.account_role_name, bot.api_key.id, bot.api_key.expiration)
        after = diff_view(new_name, new_role, bot.api_key.id, bot.api_key.expiration)
        predicted = dict(account_result(bot), name=new_name, account_role=new_role)
        if rotate:
            after.update(api_key_id=NEW_KEY, api_key_expiration=rfc3339(expiration))
            predicted["api_key"] = self.predicted_key(expiration)
            grace = params["old_key_expires_in_seconds"]
            if grace:
                self.module.result["old_key_expires_at"] = rfc3339(self.now + datetime.timedelta(seconds=grace))
        self.module.set_changed(bool(patch) or rotate)
        self.module.set_diff(before, after)
        self.module.result["service_account"] = predicted
        if self.module.check_mode:
            return
        if patch:
            self.api.update_bot(bot.id, **patch)
        if rotate:
            rotated, key = self.api.rotate_bot_key(bot, expiration, params["old_key_expires_in_seconds"])
            self.module.result["service_account"] = account_result(rotated)
            self.module.return_key(key)

    def converge_grants(self, grants):
        """Create or update each grant that differs (after the account exists); report them and their diff."""
        from ._resolve import accessor_view  # pylint: disable=import-outside-toplevel

        account = self.module.result["service_account"]
        accessor = accessor_view("service_account", account["id"], account["name"], account["actor_id"])
        befores, afters, results = [], [], []
        for grant, before in grants:
            after = grant.plan(before, accessor)
            if after is not before:
                self.module.set_changed()
                if not self.module.check_mode:
                    grant.apply(before, after)
            if before is not None:
                befores.append(grant_diff(before))
            afters.append(grant_diff(after))
            results.append(dict(after, accessor_name=account["name"]))
        self.module.result["workspace_access"] = results
        diff = self.module.result.get("diff")
        if diff is not None:
            if diff["before"]:
                diff["before"]["workspace_access"] = befores
            diff["after"]["workspace_access"] = afters

    @staticmethod
    def predicted_key(expiration):
        return {"id": None, "name": None, "created": None, "expiration": rfc3339(expiration), "masked_key": None}
