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
  - The API key of a service account is issued only by the run that creates the account or
    rotates its key. It cannot be read back later. Name a file with O(api_key_dest) to get it
    without showing it anywhere (the diff stays visible), or set O(return_api_key=true) to get it
    in RV(api_key).
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
      - With O(id), the account with that id is renamed to this name. A name that another service
        account has is an error, found before anything is written (in check mode too).
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
        the Prefect Terraform provider does) and the new key goes where O(api_key_dest) or
        O(return_api_key) say.
      - A timestamp without a time zone or in the past is an error.
      - When the key is rotated (O(rotate=true)) and this option is not set, the new key keeps the
        expiration of the active key (or never expires, like it). If the active key has already
        expired, the rotation needs this option, and the task fails without it.
    type: str
  rotate:
    description:
      - Rotate the API key now, whatever its state. The new key goes where O(api_key_dest) or
        O(return_api_key) say.
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
      - Ignored with O(state=absent) (deleting a service account removes its workspace access).
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
  api_key_dest:
    description:
      - A file to write the new API key to when this run creates the account or rotates its key,
        on the host that runs the module (the controller, unless the task is delegated, async or
        run with C(prefect_cloud_run_on_controller=false)).
      - The file is written atomically (a temporary file in the same directory, then renamed) with
        mode V(0600); missing directories are created with mode V(0700). An existing file is replaced only when a new key is
        issued. The result holds the path in RV(api_key_file), never the key, so the task needs no
        C(no_log) and C(--diff) shows its diff.
      - Not with O(return_api_key). Ignored with O(state=absent).
    type: path
  return_api_key:
    description:
      - Return the new API key in RV(api_key) (marked as a secret where ansible-core can). The task
        warns unless it sets C(no_log), which also hides its diff; prefer O(api_key_dest).
      - When neither this nor O(api_key_dest) is set and the run creates the account or rotates its
        key, the key is not kept anywhere (the account is still created or its key rotated) and the
        task warns, naming both options; rotate again with one of them to get a key.
    type: bool
    default: false
  revoke_api_key_ids:
    description:
      - Ids of B(rotating) keys of the service account to delete now, such as an old key still in
        its grace period (O(old_key_expires_in_seconds)) after it leaked. The ids are in
        RV(prefect.cloud.api_key_info#module:api_key_id) or in the UI.
      - An id that is no key of the account any more is not an error (the key is gone, as wanted;
        running the task again changes nothing). The B(active) key cannot be revoked (a service
        account always has one); rotate it instead (O(rotate=true)). Its id is an error, found
        before anything is written.
      - Applied after the rest of the task (a rotation first). A deleted key may keep working for a
        few minutes (PrefectHQ/prefect#17383); prove that it is refused with
        P(prefect.cloud.api_key_info#module) and O(prefect.cloud.api_key_info#module:wait_until=refused).
      - An option of this module rather than a module of its own because a service account key is
        no object of its own. The API issues keys only by creating the account or rotating its
        key, so a key module could only delete, while this module already reads the account and
        its keys, and its check mode and diff show the keys.
      - Ignored with O(state=absent) (deleting a service account deletes its keys).
    type: list
    elements: str
notes:
  - The API key is issued once, by the run that created the account or rotated its key. With
    O(api_key_dest) it goes to a file and never into the result, so the task needs no C(no_log).
    With O(return_api_key=true) it is in RV(api_key); ansible-core 2.22 and later mask it in all
    output, older versions need C(no_log) set to V(true) on the task.
  - A key rotated outside Ansible (in the UI or with another tool) is detected through the id of
    the active key, RV(service_account.api_key.id), which changes with every rotation.
  - A create or a key rotation is sent again only after an answer that proves it was not applied
    (HTTP 429 or 503, or a connection that failed before anything was sent), at most
    O(retries) times. After any other failure (HTTP 500, 502 or 504, a connection broken after
    sending, a timeout) the module reads the account back once and never sends the request again.
    If the change is visible, the key of the new account or the new key was not received, and the
    task fails saying so; run it again with O(rotate=true) to get a new key. If it is not visible
    yet, the task fails saying that it may still be applied; run it again after a minute.
  - If another run creates the account at the same time (the create is answered HTTP 409), the
    task converges on that account like on one that already existed and warns that this run did
    not receive its key.
  - With O(workspace_access), the account is created or updated first and its grants second. If a
    grant fails after the account was created (for example the API answers HTTP 500), the task
    fails and the new key is still in O(api_key_dest) (or RV(api_key)); run the task again to
    converge the grants.
  - In check mode the task records the account it would create (or delete) for the later tasks of
    the play that run in the controller (see the README, "what a preview carries from task to
    task"), so that a P(prefect.cloud.workspace_access#module) or P(prefect.cloud.team#module) task
    that refers to it predicts the real run.
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
        (with C(id=null) for an account that would be created), but never a key; RV(api_key_file)
        is predicted and nothing is written.
  diff_mode:
    support: full
    details:
      - The diff shows the name, the account role, the id of the active key and its expiration,
        never a key. A new key shows as C((new key)).
      - With O(workspace_access), the diff also lists the workspaces and roles of the listed
        grants (before the run, those that exist).
      - With O(revoke_api_key_ids), the diff also lists the ids of the rotating keys (C(rotating_api_key_ids)).
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
    - name: Create a service account for the CI pipeline; its key goes to a file (mode 0600)
      prefect.cloud.service_account:
        name: ci-deployer
        account_role: Member
        api_key_expiration: "2030-01-31T00:00:00Z"
        api_key_dest: /etc/prefect/ci-deployer.key

    - name: A service account for the agents, with its workspace access, in one task
      prefect.cloud.service_account:
        name: agent-prod
        workspace_access:
          - workspace: production
            workspace_role: Runner
          - workspace: staging
            workspace_role: Developer
        api_key_dest: "{{ playbook_dir }}/keys/agent-prod.key"

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
        api_key_dest: /etc/prefect/ci-deployer.key

    - name: Revoke the previous key of the account now (it leaked during its grace period)
      prefect.cloud.service_account:
        name: ci-deployer-prod
        revoke_api_key_ids:
          - 3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9

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
    - The new plaintext API key (it starts with C(pnb_)), only with O(return_api_key=true).
    - Register the result on a task with C(no_log) set to V(true), and store the key; it cannot be read again.
  returned: with O(return_api_key=true), when the account was created or its key rotated in this run
    (never in check mode)
  type: str
api_key_file:
  description:
    - The file that holds the new key (O(api_key_dest)). In check mode, the file that would be written.
  returned: with O(api_key_dest), when the account was created or its key rotated in this run (or would be)
  type: str
  sample: /etc/prefect/ci-deployer.key
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
revoked_api_key_ids:
  description:
    - The ids of O(revoke_api_key_ids) that were rotating keys of the account, deleted by this run
      (in check mode, that would be deleted).
  returned: when O(revoke_api_key_ids) is set and O(state=present)
  type: list
  elements: str
  sample: [3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9]
old_key_expires_at:
  description:
    - When the previous key stops working (RFC 3339), computed from O(old_key_expires_in_seconds)
      and the time of the rotation.
  returned: when the key was rotated (or would be, in check mode) with O(old_key_expires_in_seconds) greater than 0
  type: str
  sample: "2026-01-15T11:00:00Z"
"""

import datetime

from ansible_collections.prefect.cloud.plugins.module_utils._accounts import (
    Keys, Planner, account_options, check_entry, with_rotating_keys,
)
from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule
from ansible_collections.prefect.cloud.plugins.module_utils._values import is_uuid, shown


class ServiceAccount(PrefectModule):
    entry = keys = None  # per run: set by validate() and converge()
    argument_spec = dict(
        account_options(dict(type="str")),
        id=dict(type="str"),
        api_key_dest=dict(type="path", no_log=False),
        return_api_key=dict(type="bool", default=False, no_log=False),
        revoke_api_key_ids=dict(type="list", elements="str", no_log=False),
    )
    module_kwargs = dict(required_one_of=[("name", "id")], mutually_exclusive=[("api_key_dest", "return_api_key")])
    uuid_options = {"id": "a service account"}
    present_only = ("account_role", "api_key_expiration", "rotate", "old_key_expires_in_seconds", "workspace_access",
                    "api_key_dest", "return_api_key", "revoke_api_key_ids")

    def validate(self):
        self.entry = dict(self.params, label="", grants_label="workspace_access")
        check_entry(self.entry, datetime.datetime.now(datetime.timezone.utc))
        self.keys = Keys(self, self.params["api_key_dest"], self.params["return_api_key"], single=True)
        for position, key_id in enumerate(self.params["revoke_api_key_ids"] or ()):
            if not is_uuid(key_id):
                raise ValueError(f"revoke_api_key_ids[{position}] must be the UUID of an API key (api_key_id in the "
                                 f"result of prefect.cloud.api_key_info), got {shown(key_id)}")

    def converge(self):
        """One entry through the planner of ``service_accounts``, with narrow reads."""
        planner = Planner(self, [self.entry], self.keys)
        planner.read()
        planner.plan()
        operations, name = planner.operations, self.entry["result"]["name"]
        revoked, rotating = planner.revocations(self.entry, self.params["revoke_api_key_ids"])
        if rotating is not None:
            self.result["revoked_api_key_ids"] = revoked
        self.set_changed(bool(operations) or bool(revoked))
        self.set_diff(*with_rotating_keys(planner.diff(name, self.params["workspace_access"] is not None), revoked,
                                          rotating, operations))
        self.keys.expect([op.name for op in operations if op.kind in ("create", "rotate")])
        try:
            for op in [] if self.check_mode else operations:
                planner.write([op])
            for key_id in [] if self.check_mode else revoked:
                self.api.delete_bot_key(self.entry["bot"].id, key_id)
        finally:
            self.report()
        if any("conflict" in op.data for op in operations):  # created by another run at the same moment (HTTP 409)
            self.result["changed"] = not all(op.data.get("unchanged") for op in operations)
            self.set_diff(*planner.diff(name, self.params["workspace_access"] is not None))

    def report(self):
        """The result from the entry's returned form (also after a failed write)."""
        result = dict(self.entry["result"])
        grants, expires = result.pop("workspace_access", None), result.pop("old_key_expires_at", None)
        if result.pop("state") == "present":
            self.result["service_account"] = result
        if self.params["workspace_access"] is not None and grants is not None:
            self.result["workspace_access"] = grants
        if expires:
            self.result["old_key_expires_at"] = expires


def main():
    ServiceAccount.main()


if __name__ == "__main__":
    main()
