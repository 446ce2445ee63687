#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: service_account
short_description: Manage Prefect Cloud service accounts and their API keys
description:
  - Create, update, rename and delete Prefect Cloud service accounts (the API calls them bots),
    set their account role, and rotate their API key.
  - The API key of a service account is returned only by the run that creates the account or
    rotates its key. It cannot be read back later.
  - Renaming an account or changing its account role never rotates the key. The key is rotated
    only when O(rotate=true) or when O(api_key_expiration) differs from the expiration of the
    active key.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  name:
    description:
      - Name of the service account. Names are unique within a Prefect Cloud account.
      - Without O(id), the account is looked up by this name.
      - With O(id), the account with that id is renamed to this name.
      - One of O(name) and O(id) is required. O(name) is required to create an account.
    type: str
  id:
    description:
      - UUID of the service account to manage.
      - When set, O(name) renames the account. An O(id) that does not exist is an error with
        O(state=present) and no change with O(state=absent).
    type: str
  state:
    description:
      - V(present) creates or updates the account, V(absent) deletes it (with its keys and
        workspace accesses).
    type: str
    choices: [present, absent]
    default: present
  account_role:
    description:
      - Name of the account role of the service account, such as V(Member), V(Admin), V(Owner) or
        the name of a custom account role. Role names are case sensitive.
      - If not set, a new account gets the V(Member) role and the role of an existing account is
        left unchanged.
      - A name that is not an account role is an error that lists the valid names.
    type: str
  api_key_expiration:
    description:
      - When the active API key expires, as an RFC 3339 timestamp with a time zone, such as
        V(2030-01-31T00:00:00Z) or V(2030-01-31T01:00:00+01:00), or V(never).
      - If not set, the expiration is not managed, and the key of a new account never expires.
      - When set and different from the expiration of the active key, the key is B(rotated) (as
        the Prefect Terraform provider does) and the new key is returned in RV(api_key).
      - A timestamp without a time zone or in the past is an error.
      - When the key is rotated and this option is not set, the new key never expires.
    type: str
  rotate:
    description:
      - Rotate the API key now, whatever its state. The new key is returned in RV(api_key).
      - This is not idempotent on purpose; every run with V(true) issues a new key.
    type: bool
    default: false
  old_key_expires_in_seconds:
    description:
      - When the key is rotated, keep the current key working for this many seconds (from V(0) to
        V(172800), 48 hours), so that its users can switch to the new key.
      - If not set, the API deletes the current key at once when the key is rotated.
      - Ignored when the key is not rotated.
    type: int
  workspace_access:
    description:
      - Workspaces the service account must have access to, each with its workspace role, managed
        in the same task as the account. A new account gets them right after it is created.
      - Each grant is created, or its role changed, as P(prefect.cloud.workspace_access#module)
        would do it for O(prefect.cloud.workspace_access#module:accessor_type=service_account).
      - Access to workspaces that are not listed is left as it is; remove access with
        P(prefect.cloud.workspace_access#module) and O(prefect.cloud.workspace_access#module:state=absent).
        V([]) manages no workspace.
      - Every workspace and role is checked before anything is written, so that a wrong handle or
        role name fails the task before the account is created. Each workspace may be listed once.
      - Only with O(state=present).
      - One task per service account with this option costs about half of a
        P(prefect.cloud.service_account#module) task plus a P(prefect.cloud.workspace_access#module)
        task (one module run instead of two; see C(docs/performance.md)).
    type: list
    elements: dict
    suboptions:
      workspace:
        description:
          - Handle or id of the workspace.
        type: str
        required: true
      workspace_role:
        description:
          - Name or id of the workspace role, such as V(Viewer), V(Runner), V(Developer), V(Owner)
            or a custom workspace role. Role names are case sensitive.
        type: str
        required: true
        aliases: [role]
notes:
  - The API key is shown once, in RV(api_key) of the run that created the account or rotated its
    key. Set C(no_log) to V(true) on every task that registers it, and store the key (for example
    in a vault) in the same play.
  - ansible-core 2.22 and later mask the returned key in all output automatically; older versions
    need C(no_log) set to V(true) on the task.
  - A key rotated outside Ansible (in the UI or with another tool) is detected through the id of
    the active key, RV(service_account.api_key.id), which changes with every rotation.
  - A create or a key rotation is never sent twice blindly. After an answer that may come after
    the server applied it (a lost response, a timeout, HTTP 500, 502 or 504) the module reads the
    account first, and sends the request again only if it was not applied. If it was, the key of
    the new account or the new key was not received, and the task fails saying so; run it again
    with O(rotate=true) to get a new key. After a timeout, a rotation is not sent again at all, so
    that the key is never rotated twice.
  - If another run creates the account at the same time (the create is answered HTTP 409), the
    task converges on that account like on one that already existed and warns that this run did
    not receive its key.
  - With O(workspace_access), the account is created or updated first and its grants second. If a
    grant fails after the account was created (for example the API answers HTTP 500), the task
    fails and still returns the new key in RV(api_key); run the task again to converge the grants.
seealso:
  - module: prefect.cloud.service_account_info
  - module: prefect.cloud.workspace_access
  - name: Prefect Cloud service accounts
    description: How service accounts work in Prefect Cloud.
    link: https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/service-accounts
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed) and diff as a real run, and the predicted account
        (with C(id=null) for an account that would be created), but never a key.
  diff_mode:
    support: full
    details:
      - The diff shows the name, the account role, the id of the active key and its expiration,
        never a key. A new key shows as C((new key)).
      - With O(workspace_access), the diff also lists the workspaces and roles of the listed
        grants (before the run, those that exist).
  idempotent:
    support: partial
    details:
      - O(rotate=true) rotates the key on every run.
      - Everything else is idempotent. A run without changes sends no write request.
"""

EXAMPLES = r"""
- name: Manage service accounts
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: Create a service account for the CI pipeline
      prefect.cloud.service_account:
        name: ci-deployer
        account_role: Member
        api_key_expiration: "2030-01-31T00:00:00Z"
      register: ci_deployer
      no_log: true  # the result holds the new API key

    - name: Store the new key (only returned when it was created or rotated)
      ansible.builtin.copy:
        content: "{{ ci_deployer.api_key }}"
        dest: /etc/prefect/ci-deployer.key
        mode: "0600"
      when: ci_deployer.api_key is defined
      no_log: true

    - name: A service account for the agents, with its workspace access, in one task
      prefect.cloud.service_account:
        name: agent-prod
        workspace_access:
          - workspace: production
            workspace_role: Runner
          - workspace: staging
            workspace_role: Developer
      register: agent
      no_log: true  # the result holds the new API key when the account is created

    - name: Make the service account an Admin (the key does not change)
      prefect.cloud.service_account:
        name: ci-deployer
        account_role: Admin

    - name: Rename a service account by id
      prefect.cloud.service_account:
        id: 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11
        name: ci-deployer-prod

    - name: Rotate the key, keeping the old one valid for one hour
      prefect.cloud.service_account:
        name: ci-deployer-prod
        rotate: true
        api_key_expiration: "2030-06-30T00:00:00Z"
        old_key_expires_in_seconds: 3600
      register: rotated
      no_log: true

    - name: Delete a service account
      prefect.cloud.service_account:
        name: old-bot
        state: absent
"""

RETURN = r"""
service_account:
  description:
    - The service account, as read from the API or as changed by this run.
    - In check mode, the predicted account; C(id), C(actor_id) and the C(api_key) metadata are
      V(null) for an account or key that would be created.
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: UUID of the service account (use it in P(prefect.cloud.workspace_access#module)).
      type: str
      sample: 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11
    actor_id:
      description: UUID of the actor of the service account.
      type: str
      sample: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
    name:
      description: Name of the service account.
      type: str
      sample: ci-deployer
    account_role:
      description: Name of the account role.
      type: str
      sample: Member
    created:
      description: When the service account was created (RFC 3339).
      type: str
      sample: "2026-01-15T10:00:00Z"
    updated:
      description: When the service account was last updated, as last read from the API (RFC 3339).
      type: str
      sample: "2026-01-15T10:00:00Z"
    api_key:
      description: Metadata of the active API key. Never the key itself.
      type: dict
      contains:
        id:
          description: UUID of the active key. It changes with every rotation.
          type: str
          sample: 3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9
        name:
          description: Name of the key.
          type: str
          sample: ci-deployer-key
        created:
          description: When the key was issued (RFC 3339).
          type: str
          sample: "2026-01-15T10:00:00Z"
        expiration:
          description: When the key expires (RFC 3339), or V(null) if it never expires.
          type: str
          sample: "2030-01-31T00:00:00Z"
        masked_key:
          description: The key's prefix and last four characters, to recognise it.
          type: str
          sample: pnb_...x7Qa
api_key:
  description:
    - The new plaintext API key (it starts with C(pnb_)).
    - Register the result on a task with C(no_log) set to V(true), and store the key; it cannot be read again.
  returned: only when the account was created or its key rotated in this run (never in check mode);
    it cannot be read again
  type: str
workspace_access:
  description:
    - The grants listed in O(workspace_access), in the same order, as read from the API or as
      changed by this run, shaped like RV(prefect.cloud.workspace_access#module:workspace_access).
    - In check mode, the predicted grants; C(id) is V(null) for a grant that would be created,
      and C(accessor_id) for an account that would be created.
  returned: when O(workspace_access) is set
  type: list
  elements: dict
  sample:
    - id: 8a7b6c5d-4e3f-2a1b-0c9d-8e7f6a5b4c3d
      workspace_id: 1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9
      workspace_handle: production
      accessor_type: service_account
      accessor_id: 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11
      accessor_name: agent-prod
      actor_id: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
      workspace_role_id: 2b3c4d5e-6f70-4a8b-9cad-bedf00112233
      workspace_role_name: Runner
old_key_expires_at:
  description:
    - When the previous key stops working (RFC 3339), computed from O(old_key_expires_in_seconds)
      and the time of the rotation.
  returned: when the key was rotated (or would be, in check mode) with O(old_key_expires_in_seconds) greater than 0
  type: str
  sample: "2026-01-15T11:00:00Z"
"""

import datetime
import re

from ansible_collections.prefect.cloud.plugins.module_utils._api import rfc3339
from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule, is_uuid, shown
from ansible_collections.prefect.cloud.plugins.module_utils._errors import (
    PrefectAPIError, PrefectResponseError, PrefectTransportError, format_detail,
)
from ansible_collections.prefect.cloud.plugins.module_utils._secrets import mark_secret

NEW_KEY = "(new key)"
MAX_GRACE_SECONDS = 172800
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})?\Z", re.ASCII)


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
    except ValueError:
        raise ValueError(f"api_key_expiration {shown(value)} is not a valid date and time; it must be {forms}") from None
    if parsed <= now:
        raise ValueError(f"api_key_expiration {shown(value)} is in the past; give a future time or never")
    return parsed


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


def what_happened(exc):
    """What went wrong with a request, without the advice of the exception's own message."""
    if isinstance(exc, PrefectTransportError):
        return exc.reason
    if isinstance(exc, PrefectResponseError):
        return exc.problem
    return f"HTTP {exc.status}: {format_detail(exc.detail)}"


GRANT_OPTIONS = {
    "workspace": "workspace_access.workspace",
    "accessor": "name",
    "workspace_role": "workspace_access.workspace_role",
}


def grant_diff(grant):
    return {"workspace": grant["workspace_handle"] or grant["workspace_id"], "workspace_role": grant["workspace_role_name"]}


def diff_view(name, role, key_id, expiration):
    return {"name": name, "account_role": role, "api_key_id": key_id, "api_key_expiration": rfc3339(expiration)}


class ServiceAccount:
    """The service_account module: validate the options, then converge one account."""

    def __init__(self, module):
        self.module = module
        self.api = module.api
        self.params = params = module.params
        self.now = datetime.datetime.now(datetime.timezone.utc)
        if params["id"] is not None and not is_uuid(params["id"]):
            module.fail(f"id must be the UUID of a service account, got {shown(params['id'])}")
        grace = params["old_key_expires_in_seconds"]
        if grace is not None and not 0 <= grace <= MAX_GRACE_SECONDS:
            module.fail(f"old_key_expires_in_seconds must be between 0 and {MAX_GRACE_SECONDS} (48 hours), got {grace}")
        self.manage_expiration = params["api_key_expiration"] is not None
        self.expiration = None
        if self.manage_expiration:
            try:
                self.expiration = parse_expiration(params["api_key_expiration"], self.now)
            except ValueError as exc:
                module.fail(str(exc))

        self.wanted_grants = params["workspace_access"]
        if self.wanted_grants is not None and params["state"] == "absent":
            module.fail("workspace_access applies only to state=present (deleting a service account removes its "
                        "workspace access)")
        listed = [entry["workspace"] for entry in self.wanted_grants or ()]
        twice = sorted({workspace for workspace in listed if listed.count(workspace) > 1})
        if twice:
            module.fail(f"workspace_access lists the workspace {shown(twice[0])} more than once; give each workspace once")

    def run(self):
        self.module.run(self.present if self.params["state"] == "present" else self.absent)

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

    def read_grants(self, bot):
        """Read the account's access to each workspace of ``workspace_access``: [(Grant, grant or None)].

        For an account that does not exist yet, check instead that each workspace and role exists,
        so that a wrong name fails the task before the account (and its key) is created.
        """
        if self.wanted_grants is None:
            return None
        # Imported here, so that a run without workspace_access does not load them (see docs/performance.md).
        # pylint: disable-next=import-outside-toplevel
        from ansible_collections.prefect.cloud.plugins.module_utils._grants import Grant, Roles
        # pylint: disable-next=import-outside-toplevel
        from ansible_collections.prefect.cloud.plugins.module_utils._rolecache import BuiltinRoleCache

        params = self.params
        roles = Roles(self.api, BuiltinRoleCache(params["api_url"], params["account_id"], writable=not self.module.check_mode))
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

    def converge_grants(self, grants):
        """Create or update each grant that differs (after the account exists); report them and their diff."""
        # pylint: disable-next=import-outside-toplevel
        from ansible_collections.prefect.cloud.plugins.module_utils._resolve import accessor_view

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

    def create(self):
        name, role = self.params["name"], self.params["account_role"]
        role_id = self.role_id(role) if role is not None else None
        self.module.set_changed()
        self.module.set_diff(None, diff_view(name, role or "Member", NEW_KEY, self.expiration))
        if self.module.check_mode:
            self.module.result["service_account"] = {
                "id": None, "actor_id": None, "name": name, "account_role": role or "Member", "created": None,
                "updated": None, "api_key": self.predicted_key(),
            }
            return
        bot, key, conflict = self.create_once(name, role_id)
        if key is None:
            # Another run created the account at the same moment: converge on it like on an
            # account that already existed (its key went to the run that created it).
            self.module.module.warn(
                f"service account {shown(name)} was created by another run at the same time ({conflict.method} "
                f"{conflict.path} answered HTTP {conflict.status}); this run did not receive its API key: "
                "rotate the key (rotate: true) if you need it")
            self.module.result["changed"] = False
            self.update(bot)
            return
        self.returned(account_result(bot), key)

    def create_once(self, name, role_id):
        """Create the account; return (Bot, key, None), or (Bot, None, conflict) if another run created it.

        A create is never sent again blindly. After a failure that may have come after the server
        applied it (a lost response, HTTP 500/502/504, a success status with an answer that is not
        the API's) the account is looked up, and the create is sent again only when the account
        does not exist. When it does, its key is lost: fail.
        """
        client, attempt, waited, lost = self.api.client, 0, 0.0, None
        while True:
            attempt += 1
            try:
                bot, key = self.api.create_bot(name, role_id, self.expiration)
                return bot, key, None
            except (PrefectAPIError, PrefectTransportError, PrefectResponseError) as exc:
                duplicate = isinstance(exc, PrefectAPIError) and exc.status in (409, 422)
                if not (duplicate or exc.maybe_applied):
                    raise
                existing = self.api.bot_by_name(name)
                if existing is None:
                    waited = None if duplicate else client.backoff(attempt, waited)
                    if waited is None:
                        raise
                    lost = exc
                    continue
                if duplicate and lost is None:
                    return existing, None, exc
                lost = lost or exc
                self.module.result["service_account"] = account_result(existing)
                self.module.fail(
                    f"{lost.method} {lost.path}: service account {shown(name)} was created, but the response with its "
                    f"API key was lost ({what_happened(lost)}); a key cannot be read back: run the task again with "
                    "rotate: true to issue a new key")

    def rotate_once(self, bot, name):
        """Rotate the key. After a failure that may have come after the server applied it, the
        rotation is sent again only when the key did not change and the request is not still in
        flight (it was answered, or its connection was closed)."""
        params, client, attempt, waited = self.params, self.api.client, 0, 0.0
        while True:
            attempt += 1
            try:
                return self.api.rotate_bot_key(bot.id, self.expiration, params["old_key_expires_in_seconds"])
            except (PrefectAPIError, PrefectTransportError, PrefectResponseError) as exc:
                if not exc.maybe_applied:
                    raise
                current = self.api.bot(bot.id)
                if current is None:
                    raise
                if current.api_key.id == bot.api_key.id:
                    if getattr(exc, "timed_out", False):
                        self.module.fail(
                            f"{exc.method} {exc.path}: no answer within the timeout ({what_happened(exc)}), and the "
                            f"server may still rotate the API key of service account {shown(name)}; the request is not "
                            "sent again, so that it is not rotated twice: wait, then run the task again with rotate: "
                            "true (raise the timeout option if this repeats)")
                    waited = client.backoff(attempt, waited)
                    if waited is None:
                        raise
                    continue
                self.module.result["service_account"] = account_result(current)
                old = ("the previous key was deleted" if not params["old_key_expires_in_seconds"]
                       else "the previous key keeps working for old_key_expires_in_seconds")
                self.module.fail(
                    f"{exc.method} {exc.path}: the API key of service account {shown(name)} was rotated, but the "
                    f"response with the new key was lost ({what_happened(exc)}); {old}. A key cannot be read "
                    "back: run the task again with rotate: true to issue a new key")

    def update(self, bot):
        params = self.params
        patch = {}
        if params["id"] is not None and params["name"] is not None and params["name"] != bot.name:
            patch["name"] = params["name"]
        role = params["account_role"]
        if role is not None and role != bot.account_role_name:
            patch["account_role_id"] = self.role_id(role)
        rotate = params["rotate"] or (self.manage_expiration and self.expiration != bot.api_key.expiration)
        new_name = patch.get("name", bot.name)
        new_role = role if "account_role_id" in patch else bot.account_role_name
        before = diff_view(bot.name, bot.account_role_name, bot.api_key.id, bot.api_key.expiration)
        after = diff_view(new_name, new_role, bot.api_key.id, bot.api_key.expiration)
        if rotate:
            after.update(api_key_id=NEW_KEY, api_key_expiration=rfc3339(self.expiration))
        self.module.set_changed(bool(patch) or rotate)
        self.module.set_diff(before, after)

        predicted = dict(account_result(bot), name=new_name, account_role=new_role)
        if rotate:
            predicted["api_key"] = self.predicted_key()
            grace = params["old_key_expires_in_seconds"]
            if grace:
                self.module.result["old_key_expires_at"] = rfc3339(self.now + datetime.timedelta(seconds=grace))
        if self.module.check_mode or not (patch or rotate):
            self.module.result["service_account"] = predicted
            return
        if patch:
            self.api.update_bot(bot.id, **patch)
        if not rotate:
            self.module.result["service_account"] = predicted
            return
        rotated, key = self.rotate_once(bot, new_name)
        self.returned(account_result(rotated), key)

    def predicted_key(self):
        return {"id": None, "name": None, "created": None, "expiration": rfc3339(self.expiration), "masked_key": None}

    def returned(self, account, key):
        self.module.result["service_account"] = account
        self.module.result["api_key"] = mark_secret(key)


def main():
    module = PrefectModule(
        argument_spec=dict(
            name=dict(type="str"),
            id=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            account_role=dict(type="str"),
            api_key_expiration=dict(type="str", no_log=False),
            rotate=dict(type="bool", default=False),
            old_key_expires_in_seconds=dict(type="int", no_log=False),
            workspace_access=dict(type="list", elements="dict", options=dict(
                workspace=dict(type="str", required=True),
                workspace_role=dict(type="str", required=True, aliases=["role"]),
            )),
        ),
        required_one_of=[("name", "id")],
    )
    ServiceAccount(module).run()


if __name__ == "__main__":
    main()
