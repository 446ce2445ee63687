#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: service_accounts
short_description: Manage many Prefect Cloud service accounts and their workspace access in one task
description:
  - Converge a whole list of service accounts (the API calls them bots) in one task, each with its
    account role, key expiration policy and workspace grants, for "access as code" kept in a vars file.
  - Each entry of O(service_accounts) takes the options of P(prefect.cloud.service_account#module)
    and means exactly what it means there, including when a key is rotated and that a new key is
    issued only by the run that creates the account or rotates its key. O(api_keys_dest) writes
    the new keys to one file per account (the diff stays visible); O(return_api_key=true) returns
    them in RV(api_keys).
  - Optionally authoritative. O(purge_service_accounts) deletes the service accounts whose name
    starts with O(purge_prefix) and that the list does not name. O(purge_workspace_access) removes
    the service-account grants, in the workspaces the list names, that the list does not give.
  - Reads in bulk and compares locally. A run reads every service account once (200 per request),
    and each listed workspace's grants once, instead of one lookup per account.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  service_accounts:
    description:
      - The service accounts to manage. The returned RV(service_accounts) keeps this order.
      - Each name may be listed once.
      - Every entry is checked before anything is written (its options, its account role, its
        workspaces and workspace roles), so that one bad entry fails the task before any write.
        Messages name the entry, such as C(service_accounts[3].account_role).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - Name of the service account. Names are unique within a Prefect Cloud account.
        type: str
        required: true
      state:
        description:
          - V(present) creates or updates the account, V(absent) deletes it (with its keys and
            workspace accesses).
        type: str
        choices: [present, absent]
        default: present
      account_role:
        description:
          - As O(prefect.cloud.service_account#module:account_role). Name of the account role, such as
            V(Member) or V(Admin). If not set, a new account gets V(Member) and the role of an
            existing account is left unchanged.
        type: str
      api_key_expiration:
        description:
          - As O(prefect.cloud.service_account#module:api_key_expiration). An RFC 3339 timestamp
            with a time zone, or V(never). When set and different from the expiration of the
            active key, the key is rotated (see O(api_keys_dest)).
        type: str
      rotate:
        description:
          - Rotate the API key of this account now. Not idempotent on purpose.
        type: bool
        default: false
      old_key_expires_in_seconds:
        description:
          - As O(prefect.cloud.service_account#module:old_key_expires_in_seconds). When the key is
            rotated, keep the current key working for this many seconds (V(0) to V(172800)).
        type: int
      workspace_access:
        description:
          - Workspaces the account must have access to, each with its workspace role, as
            O(prefect.cloud.service_account#module:workspace_access). Ignored with
            O(service_accounts[].state=absent), like the entry's other options but O(service_accounts[].name).
          - Access to other workspaces is left as it is, unless O(purge_workspace_access=true)
            and another entry names the workspace.
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
              - Name or id of the workspace role, such as V(Viewer), V(Runner), V(Developer) or
                V(Owner). Role names are case sensitive.
            type: str
            required: true
            aliases: [role]
  purge_service_accounts:
    description:
      - Delete every service account whose name starts with O(purge_prefix) and that
        O(service_accounts) does not name. Accounts without the prefix are never deleted.
      - The service account of the calling API key is never deleted.
    type: bool
    default: false
  purge_prefix:
    description:
      - The name prefix of the service accounts that this task owns, such as V(pipeline-).
      - Required with O(purge_service_accounts=true). With O(purge_workspace_access=true), it also
        limits the grants that are removed to the accounts whose name starts with it.
    type: str
  purge_workspace_access:
    description:
      - In every workspace that some entry's O(service_accounts[].workspace_access) names, remove the
        grants of service accounts that the list does not grant there (only accounts whose name
        starts with O(purge_prefix), when it is set).
      - An account listed without O(service_accounts[].workspace_access) loses its grants in those
        workspaces. Workspaces that no entry names are not touched. User and team grants are not
        touched (see P(prefect.cloud.workspace_members#module)).
      - The grants of the calling API key's own service account are never removed.
    type: bool
    default: false
  allow_empty_purge:
    description:
      - With a purge option and an empty O(service_accounts), the task fails before any request,
        unless this is V(true). Set it only to remove everything the purge options cover.
    type: bool
    default: false
  api_keys_dest:
    description:
      - A directory to write the new API keys to, one file per account that gets a new key in this
        run, named after the account (C(NAME.key)), on the host that runs the module (the
        controller, unless the task is delegated, async or run with
        C(prefect_cloud_run_on_controller=false)). One step for the whole list.
      - Each file is written atomically (a temporary file in the same directory, then renamed) with
        mode V(0600); the directory is created (mode V(0700)) if it does not exist. The result holds
        the paths in RV(api_key_files), never a key, so the task needs no C(no_log) and C(--diff)
        shows its diff.
      - An account that would get a key and whose name is not a safe file name (letters, digits,
        C(.), C(_) and C(-), not starting with C(.) or C(-)) fails the task before any write.
      - Not with O(return_api_key).
    type: path
  return_api_key:
    description:
      - Return the new API keys in RV(api_keys) (marked as secrets where ansible-core can). The task
        warns unless it sets C(no_log), which also hides its diff; prefer O(api_keys_dest).
      - When neither this nor O(api_keys_dest) is set and the run creates or rotates keys, the keys
        are not kept anywhere (the accounts are still created or rotated) and the task warns once,
        naming both options.
    type: bool
    default: false
notes:
  - Requests of a run without changes, for N accounts with grants in W workspaces -
    C(ceil((N+1)/200)) to list the accounts, one for the workspaces and one for the workspace roles
    (when some entry has O(service_accounts[].workspace_access)), C(ceil((G+1)/200)) for the service
    account grants of each listed workspace (G grants in it), and C(GET /me/) when a purge option is
    set. The account roles are read (one request) only when an account is created with a role or
    its role changes. A no-op of 1,000 accounts with one grant each in one workspace takes 14 requests.
  - Writes - one request per created account (each returns its key), per role change, per
    rotation and per removal; the grants of one workspace are created or changed with one request
    per 200 grants.
  - The order of the writes is - role changes, rotations, creates, grants, removals (grants, then
    accounts). If a write fails, the task fails with one line; the keys of the accounts created or
    rotated before the failure are already in O(api_keys_dest) (or RV(api_keys)), and the result has
    RV(applied) and RV(not_applied), and RV(removed) lists only the removals that were applied.
  - The task deadline, C(max(60, 4 x timeout)) seconds for the reads, grows by 5 seconds per planned
    write request once the plan is known, so that a first run of thousands of accounts converges in
    one run. A run that the deadline ends says so, and which option to raise.
    Run the task again to converge; a create or a rotation is never sent twice after an ambiguous
    answer (see P(prefect.cloud.service_account#module)).
  - Before an account is deleted (O(service_accounts[].state=absent) or O(purge_service_accounts)),
    its grants in the workspaces the list names are removed, one request each, and listed in
    RV(removed). Whether the API removes them with the account is UNCONFIRMED, so the module does
    not rely on it (see the collection's guide to unconfirmed API behaviour).
  - The calling key's identity comes from C(GET /me/), read once when a purge option is set. It is
    compared with both the id and the actor id of each service account (what C(/me/) answers for a
    service-account key is UNCONFIRMED); if C(/me/) fails, the task fails before any write.
  - In check mode the task records the accounts it would create or delete for the later tasks of
    the play that run in the controller, so that they can refer to them.
seealso:
  - module: prefect.cloud.service_account
  - module: prefect.cloud.workspace_members
  - name: Access as code
    description: The vars-file layout and playbook for managing all access from a repository.
    link: https://github.com/prefect-ansible/prefect.cloud/blob/main/docs/docsite/rst/guide_access_as_code.rst
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed), diff and RV(removed) as a real run, and the
        predicted accounts, but never a key; RV(api_key_files) is predicted and nothing is written.
  diff_mode:
    support: full
    details:
      - The diff lists only the accounts that change, keyed by name, as
        P(prefect.cloud.service_account#module) shows one (never a key; a new key shows as
        C((new key))), with their grants in the workspaces the list names. An account that
        would be deleted is only in C(before).
  idempotent:
    support: partial
    details:
      - O(service_accounts[].rotate=true) rotates the key on every run.
      - Everything else is idempotent. A run without changes sends no write request.
"""

EXAMPLES = r"""
- name: Access as code for service accounts
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  vars:
    pipelines:
      - name: pipeline-billing
        workspace_access:
          - workspace: production
            workspace_role: Runner
      - name: pipeline-reports
        api_key_expiration: "2030-01-31T00:00:00Z"
        workspace_access:
          - workspace: production
            workspace_role: Developer
  tasks:
    - name: Every pipeline has its account and grant; other pipeline-* accounts and grants go
      prefect.cloud.service_accounts:
        service_accounts: "{{ pipelines }}"
        purge_service_accounts: true
        purge_workspace_access: true
        purge_prefix: pipeline-
        api_keys_dest: /etc/prefect/keys  # one file per new key, NAME.key, mode 0600
      register: fleet

    - name: List the keys issued in this run (paths only, never a key)
      ansible.builtin.debug:
        msg: "{{ fleet.api_key_files }}"
"""

RETURN = r"""
service_accounts:
  description:
    - One item per entry of O(service_accounts), in the same order, as read from the API or as
      changed by this run (in check mode, as predicted).
    - For O(service_accounts[].state=present), shaped like
      RV(prefect.cloud.service_account#module:service_account), with C(state), C(workspace_access)
      (the entry's grants, shaped like RV(prefect.cloud.service_account#module:workspace_access))
      and, after a rotation with a grace period, C(old_key_expires_at).
    - For O(service_accounts[].state=absent), only C(name) and C(state).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11
      actor_id: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
      name: pipeline-billing
      state: present
      account_role: Member
      created: "2026-01-15T10:00:00Z"
      updated: "2026-01-15T10:00:00Z"
      api_key:
        id: 3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9
        name: pipeline-billing-key
        created: "2026-01-15T10:00:00Z"
        expiration: null
        masked_key: pnb_...x7Qa
      workspace_access:
        - id: 8a7b6c5d-4e3f-2a1b-0c9d-8e7f6a5b4c3d
          workspace_id: 1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9
          workspace_handle: production
          accessor_type: service_account
          accessor_id: 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11
          accessor_name: pipeline-billing
          actor_id: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
          workspace_role_id: 2b3c4d5e-6f70-4a8b-9cad-bedf00112233
          workspace_role_name: Runner
api_keys:
  description:
    - With O(return_api_key=true), the new plaintext API keys, keyed by account name, of the accounts
      created or rotated in this run (never in check mode, never in the diff). Empty otherwise.
    - Register the result on a task with C(no_log) set to V(true), and store the keys; they cannot
      be read again.
  returned: always
  type: dict
  sample: {}
api_key_files:
  description:
    - With O(api_keys_dest), the file of each account that got a new key in this run, keyed by
      account name (in check mode, the files that would be written). Empty otherwise.
  returned: always
  type: dict
  sample: {pipeline-billing: /etc/prefect/keys/pipeline-billing.key}
removed:
  description:
    - What the purge options remove (or would remove, in check mode) - C(service_accounts), the
      names of the accounts that O(purge_service_accounts) deletes, and C(workspace_access), the
      removed grants as C(workspace), C(service_account) and C(workspace_role) (those of
      O(purge_workspace_access), and those of every deleted account in the listed workspaces).
    - When a write failed, only the removals applied before the failure.
  returned: always
  type: dict
  sample:
    service_accounts: [pipeline-retired]
    workspace_access:
      - workspace: production
        service_account: pipeline-old
        workspace_role: Runner
applied:
  description:
    - When a write failed, the operations applied before it, each with C(operation) (V(update),
      V(rotate), V(create), V(grant), V(revoke) or V(delete)), C(service_account) and, for grants,
      C(workspace).
  returned: when a write failed
  type: list
  elements: dict
  sample:
    - operation: create
      service_account: pipeline-billing
not_applied:
  description:
    - When a write failed, the operations not applied, the failed one first (with the others sent
      in the same request), shaped like RV(applied).
  returned: when a write failed
  type: list
  elements: dict
  sample:
    - operation: grant
      service_account: pipeline-billing
      workspace: production
"""

import datetime

from ansible_collections.prefect.cloud.plugins.module_utils._accounts import (
    Keys, Planner, account_options, check_entry,
)
from ansible_collections.prefect.cloud.plugins.module_utils._base import BatchModule
from ansible_collections.prefect.cloud.plugins.module_utils._values import shown


class ServiceAccounts(BatchModule):
    entries = planner = keys = None  # per run: set by validate() and converge()
    argument_spec = dict(
        service_accounts=dict(type="list", elements="dict", default=[],
                              options=account_options(dict(type="str", required=True))),
        purge_service_accounts=dict(type="bool", default=False),
        purge_prefix=dict(type="str"),
        purge_workspace_access=dict(type="bool", default=False),
        allow_empty_purge=dict(type="bool", default=False),
        api_keys_dest=dict(type="path", no_log=False),
        return_api_key=dict(type="bool", default=False, no_log=False),
    )
    module_kwargs = dict(required_if=[("purge_service_accounts", True, ("purge_prefix",))],
                         mutually_exclusive=[("api_keys_dest", "return_api_key")])
    module_name = "service_accounts"

    def validate(self):
        params, now, seen = self.params, datetime.datetime.now(datetime.timezone.utc), {}
        self.entries = []
        for index, given in enumerate(params["service_accounts"]):
            label = f"service_accounts[{index}]"
            entry = dict(given, label=label + ".", grants_label=label + ".workspace_access")
            check_entry(entry, now)
            if entry["name"] in seen:
                raise ValueError(f"{label}.name {shown(entry['name'])} is listed more than once (also "
                                 f"service_accounts[{seen[entry['name']]}]); give each service account once")
            seen[entry["name"]] = index
            self.entries.append(entry)
        if (params["purge_service_accounts"] or params["purge_workspace_access"]) and not self.entries and \
                not params["allow_empty_purge"]:
            raise ValueError("service_accounts is empty and a purge option is set, which would remove every service "
                             "account (with purge_prefix) or grant it manages; set allow_empty_purge: true if that is "
                             "what you want")
        self.keys = Keys(self, params["api_keys_dest"], params["return_api_key"], single=False)

    def converge(self):
        params = self.params
        self.planner = planner = Planner(self, self.entries, self.keys, purge={
            "prefix": params["purge_prefix"], "accounts": params["purge_service_accounts"],
            "access": params["purge_workspace_access"]})
        planner.read()
        planner.plan()
        operations = planner.operations
        self.set_changed(bool(operations))
        names = list(dict.fromkeys(op.name for op in operations))
        diffs = {name: planner.diff(name) for name in names}
        before = {name: diff[0] for name, diff in diffs.items() if diff[0] is not None}
        after = {name: diff[1] for name, diff in diffs.items() if diff[1] is not None}
        self.set_diff({"service_accounts": before} if before else None, {"service_accounts": after} if after else None)
        self.keys.expect([op.name for op in operations if op.kind in ("create", "rotate")])
        self.result.update(service_accounts=[entry["result"] for entry in self.entries], removed=planner.removed)
        if not self.check_mode and operations:
            applied = self.write_all(operations, planner.next_batch, planner.write)
            if all(op.data.get("unchanged") for op in applied):
                self.result["changed"] = False

    def on_partway(self, applied):
        """``removed`` lists only the removals that were applied before the failure."""
        self.result["removed"] = {
            "service_accounts": [op.name for op in applied if op.kind == "delete" and op.data.get("purged")],
            "workspace_access": [op.data["removed"] for op in applied if op.kind == "revoke"],
        }


def main():
    ServiceAccounts.main()


if __name__ == "__main__":
    main()
