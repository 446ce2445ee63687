#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: api_key_info
short_description: Check a Prefect Cloud API key without showing it
description:
  - Check whether an API key (for example one read from an agent host) still authenticates with
    Prefect Cloud, whose key it is, and whether it is the B(active) key of a service account or one
    of its B(rotating) keys (a previous key kept during its grace period after a rotation).
  - The key is sent only in the C(Authorization) header of one C(GET /api/me/) request (one per
    check with O(wait_until)). It is never returned, and never part of a message or a diff.
  - With O(service_account), the service account and the metadata of its keys are read with the
    connection key O(api_key), and the key is matched by its last four characters (the API's
    C(masked_key)) B(and) by the identity C(GET /api/me/) returns for it.
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  key:
    description:
      - The API key to check, such as C(pnb_...). It is never shown in the output.
      - This is not the key used to read the service account; that one is O(api_key).
      - A value with characters that no API key has (anything but printable ASCII without spaces)
        is not sent; it does not authenticate, and the module warns.
    type: str
    required: true
  service_account:
    description:
      - Name of a service account. When set, the module tells whether O(key) is the active key or a
        rotating key of this service account (RV(belongs_to_service_account), RV(key_state)) and
        returns the expiration of the matched key.
      - A service account that does not exist is not an error; the key then does not belong to it.
    type: str
  wait_until:
    description:
      - V(refused) checks the key again and again (with a growing pause, from 1 to 15 seconds) until
        Prefect Cloud refuses it (HTTP 401), at most O(wait_timeout) seconds, so that a play can
        prove that a deleted (for example leaked) key is dead. A deleted key kept working for up to
        about five minutes (PrefectHQ/prefect#17383).
      - The task fails with one line when the key still authenticates after O(wait_timeout)
        seconds. RV(refused_after_seconds) says how long it took.
      - If not set, the key is checked once.
    type: str
    choices: [refused]
  wait_timeout:
    description:
      - The most seconds O(wait_until) waits, from V(1) to V(3600). The task deadline
        (max(60, 4 x O(timeout)) seconds) is extended by this much.
    type: int
    default: 600
notes:
  - The response of C(GET /api/me/) for a B(service account) key is not documented by Prefect. The
    module accepts the key as the service account's when C(/me) answers with an C(id) equal to the
    service account's actor id or to its id. If Prefect Cloud answers differently for service
    account keys, RV(belongs_to_service_account) is V(false) and RV(key_state) is V(unknown).
  - Only HTTP 401 means that the key does not authenticate (RV(authenticates=false)); other errors
    fail the task.
  - RV(expires_in_seconds) is computed with the clock of the machine that runs the module.
  - The P(prefect.cloud.agent_credentials#role) role uses this module to reuse a key already deployed on
    agent hosts instead of rotating it.
seealso:
  - module: prefect.cloud.service_account
  - module: prefect.cloud.service_account_info
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
  - prefect.cloud.attributes.INFO_MODULE
"""

EXAMPLES = r"""
- name: Check the key deployed on an agent
  hosts: agents
  gather_facts: false
  tasks:
    - name: Read the deployed key file
      ansible.builtin.slurp:
        src: /etc/prefect/worker.env
      register: deployed
      no_log: true

    - name: Check the key on the controller
      prefect.cloud.api_key_info:
        key: "{{ deployed.content | b64decode | regex_search('PREFECT_API_KEY=(\\S+)', '\\1') | first }}"
        service_account: etl-worker
        account_id: "{{ prefect_account_id }}"
        api_key: "{{ vault_prefect_api_key }}"
      delegate_to: localhost
      register: key_check
      no_log: true  # the task arguments hold the key

    - name: Prove that a deleted key is refused (it may keep working for a few minutes)
      prefect.cloud.api_key_info:
        key: "{{ leaked_key }}"
        wait_until: refused
        wait_timeout: 600
        account_id: "{{ prefect_account_id }}"
        api_key: "{{ vault_prefect_api_key }}"
      delegate_to: localhost
      no_log: true  # the task arguments hold the key

    - name: Report the state of the key (no key in this output)
      ansible.builtin.debug:
        msg: >-
          authenticates={{ key_check.authenticates }}
          state={{ key_check.key_state }}
          expires_in={{ key_check.expires_in_seconds }}
"""

RETURN = r"""
authenticates:
  description: Whether Prefect Cloud accepts the key (V(false) when C(GET /api/me/) answers HTTP 401).
  returned: always
  type: bool
  sample: true
identity:
  description: Who the key belongs to, as returned by C(GET /api/me/).
  returned: when RV(authenticates) is V(true)
  type: dict
  contains:
    id:
      description: The id C(/me) returns. For a service account key, its actor id (see the notes).
      type: str
      sample: 6f0b8a9e-2b1c-4e0a-9d7e-1c2b3a4d5e6f
    handle:
      description: The handle C(/me) returns.
      type: str
      sample: etl-worker
belongs_to_service_account:
  description:
    - Whether the key authenticates as O(service_account).
    - Always V(false) without O(service_account).
  returned: always
  type: bool
  sample: true
key_state:
  description:
    - V(active) when the key is the service account's active key.
    - V(rotating) when it is a previous key of the service account that still works during the grace
      period of a rotation (see O(prefect.cloud.service_account#module:old_key_expires_in_seconds)).
    - V(unknown) otherwise (no O(service_account), another account's key, a key that does not
      authenticate, or a match that is not unambiguous).
  returned: always
  type: str
  sample: active
api_key_id:
  description: Id of the matched key of the service account (it changes with every rotation).
  returned: always; V(null) when RV(key_state) is V(unknown)
  type: str
  sample: 3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9
expiration:
  description: When the matched key expires (RFC 3339), or V(null) if it never expires or nothing matched.
  returned: always
  type: str
  sample: "2030-01-31T00:00:00Z"
expires_in_seconds:
  description:
    - Seconds until the matched key expires, from the clock of the machine running the module; negative
      when it has expired.
    - V(null) when the key never expires or nothing matched.
  returned: always
  type: int
  sample: 604800
refused_after_seconds:
  description:
    - With O(wait_until=refused), the seconds from the first check to the check that was refused
      (V(0) when the first check was).
  returned: with O(wait_until=refused), when the key was refused in time
  type: float
  sample: 42.5
service_account_exists:
  description: Whether O(service_account) exists.
  returned: when O(service_account) is set
  type: bool
  sample: true
"""

import datetime
import time

from ansible_collections.prefect.cloud.plugins.module_utils._api import PrefectCloud, rfc3339
from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectAPIError


def key_matches(key, masked_key):
    """True when ``masked_key`` (``pnb_...a1b2``) is the masked form of ``key``.

    The last four characters must be equal; the prefix too when ``masked_key`` shows one.
    """
    if not masked_key or len(key) < 8:
        return False
    if key[-4:] != masked_key[-4:]:
        return False
    prefix, sep, _tail = masked_key.partition("...")
    return not sep or not prefix or key.startswith(prefix)


class APIKeyInfo(PrefectModule):
    key = None  # per run: set by converge()
    """Check one candidate key, never echoing it."""

    argument_spec = dict(
        key=dict(type="str", required=True, no_log=True),
        service_account=dict(type="str"),
        wait_until=dict(type="str", choices=["refused"]),
        wait_timeout=dict(type="int", default=600),
    )
    # The clock and the pause of wait_until (replaced in the unit tests).
    clock = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)

    def validate(self):
        if not 1 <= self.params["wait_timeout"] <= 3600:
            raise ValueError(f"wait_timeout must be between 1 and 3600 seconds, got {self.params['wait_timeout']}")

    def wait_refused(self):
        """Check the key until it is refused (None), at most wait_timeout seconds, with a pause that
        grows from 1 to 15 seconds; return the seconds it took. Fail with one line when not in time."""
        limit = self.params["wait_timeout"]
        self.deadline.extend(limit)
        start = checked = self.clock()
        pause = 1.0
        while self.candidate_identity() is not None:
            waited = self.clock() - start
            if waited >= limit:
                self.fail(f"wait_until: the key still authenticates after {waited:.0f} s (wait_timeout {limit}); a "
                          "deleted key can keep working for some minutes (PrefectHQ/prefect#17383): raise wait_timeout "
                          "or run the task again later", authenticates=True)
            self.sleep(min(pause, limit - waited))
            pause = min(pause * 2, 15.0)
            checked = self.clock()
        return round(checked - start, 1)  # when the check that was refused began

    def candidate_identity(self):
        """``GET /api/me/`` with the candidate key: the Me model, or None on HTTP 401."""
        if not (self.key.isascii() and self.key.isprintable()) or " " in self.key:
            # It cannot be sent in an HTTP header (and no key looks like this): never echo it.
            self.warn("key has characters that no Prefect API key has (it must be printable ASCII without spaces, "
                      "such as pnb_...); it was not sent and does not authenticate")
            return None
        client = self.client_for(self.key)
        try:
            return PrefectCloud(client).me()
        except PrefectAPIError as exc:
            if exc.status == 401:
                return None
            raise
        finally:
            client.close()

    def converge(self):
        self.key = self.params["key"]
        self.client.add_secret(self.key)  # a secret for the connection client's messages too
        self.result.update(authenticates=False, belongs_to_service_account=False, key_state="unknown", api_key_id=None,
                           expiration=None, expires_in_seconds=None)
        if self.params["wait_until"] == "refused":
            self.result["refused_after_seconds"] = self.wait_refused()
        me = None if self.params["wait_until"] == "refused" else self.candidate_identity()
        if me is not None:
            self.result["authenticates"] = True
            self.result["identity"] = {"id": me.id, "handle": me.handle}
        name = self.params["service_account"]
        if name is None:
            return
        api = self.api
        bot = api.bot_by_name(name)
        self.result["service_account_exists"] = bot is not None
        if bot is None or me is None:
            return
        # UNCONFIRMED: Prefect does not document what /me returns for a service account key. The
        # emulator answers with id = the bot's actor id; accept the bot's id as well.
        if me.id is None or me.id not in (bot.actor_id, bot.id):
            return
        self.result["belongs_to_service_account"] = True
        keys = api.bot_keys(bot.id)
        if keys is None:
            return
        candidates = [("active", keys.active_key)] + [("rotating", k) for k in keys.rotating_keys]
        matched = [(state, meta) for state, meta in candidates if key_matches(self.key, meta.masked_key)]
        if len(matched) != 1:
            # No match, or two keys of this account end with the same four characters: the key
            # cannot be told apart, so do not claim it is active.
            return
        state, meta = matched[0]
        self.result["key_state"] = state
        self.result["api_key_id"] = meta.id
        self.result["expiration"] = rfc3339(meta.expiration)
        if meta.expiration is not None:
            now = datetime.datetime.now(datetime.timezone.utc)
            expiration = meta.expiration
            if expiration.tzinfo is None:
                expiration = expiration.replace(tzinfo=datetime.timezone.utc)
            self.result["expires_in_seconds"] = int((expiration - now).total_seconds())


def main():
    APIKeyInfo.main()


if __name__ == "__main__":
    main()
