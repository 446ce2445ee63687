# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The base every module builds on (PRIVATE to this collection).

``PrefectModule`` adds the connection options to the module's argspec, checks the libraries,
validates the connection options, builds the one client for the run, turns client exceptions into
one-line ``fail_json`` messages and keeps the result (``changed``, ``diff``).
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ._api import PrefectCloud
from ._argspec import auth_argument_spec
from ._deps import missing_libraries
from ._diff import make_diff
from ._errors import PrefectAPIError, PrefectError, PrefectTransportError
from ._http import PrefectClient
from ._retry import RetryPolicy

MAX_RETRIES = 10


def is_uuid(value):
    """True when ``value`` is a UUID string."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class PrefectModule:
    """An AnsibleModule wrapper with a Prefect Cloud client, for modules that support check mode."""

    def __init__(self, argument_spec, **kwargs):
        spec = auth_argument_spec()
        spec.update(argument_spec)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.diff_mode = self.module._diff  # pylint: disable=protected-access
        self.result = {"changed": False}
        for name, error in missing_libraries():
            self.module.fail_json(msg=missing_required_lib(name), exception=error)
        self._validate_connection()
        params = self.params
        self.client = PrefectClient(
            api_url=params["api_url"],
            api_key=params["api_key"],
            account_id=params["account_id"],
            timeout=params["timeout"],
            validate_certs=params["validate_certs"],
            retry=RetryPolicy(retries=params["retries"], max_total=max(60.0, 4 * params["timeout"])),
            check_mode=self.check_mode,
        )
        self.api = PrefectCloud(self.client)

    def _validate_connection(self):
        params = self.params
        url = urlsplit(params["api_url"] or "")
        if url.scheme not in ("http", "https") or not url.netloc:
            self.fail(f"api_url must be an http:// or https:// URL such as https://api.prefect.cloud/api, got {params['api_url']!r}")
        if not is_uuid(params["account_id"]):
            self.fail(f"account_id must be a UUID (the id in your Prefect Cloud URL after /account/), got {params['account_id']!r}")
        if not params["api_key"].strip():
            self.fail("api_key must not be empty (set it or PREFECT_API_KEY)")
        if params["timeout"] <= 0:
            self.fail(f"timeout must be a positive number of seconds, got {params['timeout']}")
        if not 0 <= params["retries"] <= MAX_RETRIES:
            self.fail(f"retries must be between 0 and {MAX_RETRIES}, got {params['retries']}")

    def fail(self, msg, **kwargs):
        """Fail the task with one clear line (plus structured details in kwargs)."""
        self.module.fail_json(msg=msg, **dict(self.result, **kwargs))

    def set_changed(self, changed=True):
        self.result["changed"] = self.result["changed"] or changed

    def set_diff(self, before, after, header=None):
        """Record a diff; only reported in diff mode, and never containing a key."""
        if self.diff_mode:
            self.result["diff"] = make_diff(before, after, header)

    def run(self, action):
        """Run ``action()``, map client errors to failures and exit with the result."""
        try:
            action()
        except PrefectAPIError as exc:
            self.fail(str(exc), status=exc.status, method=exc.method, path=exc.path)
        except PrefectTransportError as exc:
            self.fail(str(exc), method=exc.method, path=exc.path)
        except PrefectError as exc:
            self.fail(str(exc))
        finally:
            self.client.close()
        self.module.exit_json(**self.result)
