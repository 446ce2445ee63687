#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: user_api_key
short_description: Manage the API keys of a Prefect Cloud user
description:
  - Create and delete the API keys (C(pnu_...)) of a Prefect Cloud user, as the Terraform resource
    C(prefect_user_api_key) does. Use it on plans without service accounts; with service accounts,
    prefer P(prefect.cloud.service_account#module).
  - A key is identified by its O(name) among the keys of the user. Prefect Cloud does not say that
    names are unique; when several keys of the user have the name, the task fails and changes
    nothing (delete the extra keys in the Prefect Cloud UI, or use another name).
  - The key is issued only by the run that creates it and cannot be read back later. Name a file
    with O(api_key_dest) to get it without showing it anywhere (the diff stays visible), or set
    O(return_api_key=true) to get it in RV(api_key).
  - A key cannot be changed. A key that exists with another O(api_key_expiration) is an error (the
    task changes nothing); delete it (O(state=absent)) and create it again, or use another name.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  name:
    description:
      - Name of the key among the keys of the user.
    type: str
    required: true
  user:
    description:
      - The user whose keys to manage, by e-mail address (any case), handle or user id.
      - If not set, the user of the connection key O(api_key) (as C(GET /api/me/) answers).
      - B(UNCONFIRMED) - whether an account Admin or Owner may manage the keys of another user. The
        local emulator allows a user to manage only their own keys (HTTP 403 otherwise); on Prefect
        Cloud such a task fails with the API's answer before anything is written.
      - A service account key has no user keys; set O(user) with a user's O(api_key).
    type: str
  state:
    description:
      - V(present) creates the key unless the user has a key with this O(name); V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  api_key_expiration:
    description:
      - When a new key expires, as an RFC 3339 timestamp with a time zone, such as
        V(2030-01-31T00:00:00Z), or V(never).
      - If not set, a new key never expires and the expiration of an existing key is not checked.
      - When set and different from the expiration of the existing key, the task fails (a key
        cannot be changed; the Terraform resource replaces it).
      - A timestamp without a time zone or in the past is an error.
    type: str
  api_key_dest:
    description:
      - A file to write the new key to when this run creates it, as in
        O(prefect.cloud.service_account#module:api_key_dest) (written atomically, mode V(0600); the
        result holds the path in RV(api_key_file), never the key).
      - Not with O(return_api_key). Ignored with O(state=absent).
    type: path
  return_api_key:
    description:
      - Return the new key in RV(api_key) (marked as a secret where ansible-core can). The task
        warns unless it sets C(no_log), which also hides its diff; prefer O(api_key_dest).
      - When neither this nor O(api_key_dest) is set and the run creates the key, the key is not
        kept anywhere and the task warns.
    type: bool
    default: false
notes:
  - A create is sent again only after an answer that proves it was not applied (HTTP 429 or 503,
    or a connection that failed before anything was sent). After any other failure the keys are
    read back once. If the key exists, the task fails saying that its answer (with the key) was
    lost; delete it and run the task again.
  - A deleted key may keep working for a few minutes (PrefectHQ/prefect#17383). To prove that a
    deleted key is refused, run P(prefect.cloud.api_key_info#module) with
    O(prefect.cloud.api_key_info#module:wait_until=refused).
seealso:
  - module: prefect.cloud.api_key_info
  - module: prefect.cloud.service_account
  - name: Prefect Cloud API keys
    description: How API keys work in Prefect Cloud.
    link: https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/api-keys
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only. Returns the same C(changed) and diff as a real run, and the predicted key (with
        C(id=null) for a key that would be created), but never a key; RV(api_key_file) is predicted
        and nothing is written.
  diff_mode:
    support: full
    details:
      - The diff shows the name, the user id, the id of the key and its expiration, never a key. A
        new key shows as C((new key)).
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: Manage user API keys
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/prefect.cloud.cloud:
      account_id: "{{ prefect_account_id }}"
      api_key: "{{ prefect_api_key }}"
  tasks:
    - name: A key of the calling user for a laptop; it goes to a file (mode 0600)
      prefect.cloud.user_api_key:
        name: laptop
        api_key_expiration: "2030-01-31T00:00:00Z"
        api_key_dest: ~/.prefect/laptop.key

    - name: Delete a leaked key of the calling user
      prefect.cloud.user_api_key:
        name: laptop
        state: absent
"""

RETURN = r"""
user_api_key:
  description:
    - The key (metadata, never the key itself), as read from the API or as created by this run.
    - In check mode, the predicted key; C(id), C(created) and C(masked_key) are V(null) for a key
      that would be created.
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: UUID of the key.
      type: str
      sample: 3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9
    name:
      description: Name of the key.
      type: str
      sample: laptop
    user_id:
      description: UUID of the user.
      type: str
      sample: 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11
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
      sample: pnu_...x7Qa
api_key:
  description:
    - The new plaintext key (it starts with C(pnu_)), only with O(return_api_key=true).
  returned: with O(return_api_key=true), when the key was created in this run (never in check mode)
  type: str
api_key_file:
  description: The file that holds the new key (O(api_key_dest)). In check mode, the file that would be written.
  returned: with O(api_key_dest), when the key was created in this run (or would be)
  type: str
  sample: /home/me/.prefect/laptop.key
"""

import datetime

from ansible_collections.prefect.cloud.plugins.module_utils._accounts import NEW_KEY, Keys, parse_expiration
from ansible_collections.prefect.cloud.plugins.module_utils._api import rfc3339
from ansible_collections.prefect.cloud.plugins.module_utils._base import StateModule
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError
from ansible_collections.prefect.cloud.plugins.module_utils._lookup import Directory
from ansible_collections.prefect.cloud.plugins.module_utils._values import is_uuid, shown


def key_view(key, user_id):
    """The returned form of a key (never the key itself)."""
    return {"id": key.id, "name": key.name, "user_id": user_id, "created": rfc3339(key.created),
            "expiration": rfc3339(key.expiration), "masked_key": key.masked_key}


class UserAPIKey(StateModule):
    argument_spec = dict(
        name=dict(type="str", required=True),
        user=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        api_key_expiration=dict(type="str", no_log=False),
        api_key_dest=dict(type="path", no_log=False),
        return_api_key=dict(type="bool", default=False, no_log=False),
    )
    module_kwargs = dict(mutually_exclusive=[("api_key_dest", "return_api_key")])
    present_only = ("api_key_expiration", "api_key_dest", "return_api_key")
    result_key = "user_api_key"
    user_id = expiration = current = keys = None  # per run: set by validate() and read()

    def validate(self):
        if self.params["api_key_expiration"] is not None:
            self.expiration = parse_expiration(self.params["api_key_expiration"], datetime.datetime.now(datetime.timezone.utc))
        self.keys = Keys(self, self.params["api_key_dest"], self.params["return_api_key"], single=True, rotatable=False)

    def read(self):
        user, name = self.params["user"], self.params["name"]
        if user is None:
            self.user_id = self.api.me().id
        else:
            self.user_id = user if is_uuid(user) else Directory(self).user(user).user_id
        keys = self.api.user_api_keys(self.user_id) if self.user_id else None
        if keys is None:
            whose = shown(user) if user is not None else "the user of api_key (is it a service account key? set user)"
            raise PrefectError(f"user: Prefect Cloud knows no user {whose} (GET /api/users/{self.user_id}/api_keys "
                               "answered HTTP 404)")
        found = [key for key in keys if key.name == name]
        if len(found) > 1:
            raise PrefectError(f"name: {len(found)} API keys of the user are named {shown(name)} (ids "
                               f"{', '.join(key.id for key in found)}), so the task cannot tell which one it manages; "
                               "delete the extra keys in the Prefect Cloud UI or use another name")
        self.current = found[0] if found else None
        return key_view(self.current, self.user_id) if self.current else None

    def plan(self, before):
        if before is not None:
            if self.params["api_key_expiration"] is not None and self.expiration != self.current.expiration:
                raise PrefectError(
                    f"api_key_expiration: the key {shown(before['name'])} exists and expires "
                    f"{before['expiration'] or 'never'}, and an API key cannot be changed; delete it (state: absent) "
                    "and create it again, or use another name")
            return before
        self.keys.expect([self.params["name"]])
        return {"id": None, "name": self.params["name"], "user_id": self.user_id, "created": None,
                "expiration": rfc3339(self.expiration), "masked_key": None}

    def apply(self, before, after):
        if after is None:
            self.api.delete_user_api_key(self.user_id, before["id"])
            return None
        created, key = self.api.create_user_api_key(self.user_id, after["name"], self.expiration)
        self.keys.store(after["name"], key)
        return key_view(created, self.user_id)

    def diff_view(self, view):
        if view is None:
            return None
        # A key created by this run shows as NEW_KEY in a real run too: the diff equals check mode's.
        return {"name": view["name"], "user_id": view["user_id"], "api_key_id": view["id"] if self.current else NEW_KEY,
                "api_key_expiration": view["expiration"]}


def main():
    UserAPIKey.main()


if __name__ == "__main__":
    main()
