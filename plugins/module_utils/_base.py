# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The base every module builds on (PRIVATE to this collection).

``PrefectModule`` adds the connection options to the module's argspec, checks the libraries,
validates the connection options, builds the one client for the run, turns client exceptions into
one-line ``fail_json`` messages and keeps the result (``changed``, ``diff``).
"""

from __future__ import annotations

import math
import re
import uuid
from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ._api import PrefectCloud
from ._argspec import auth_argument_spec
from ._deps import missing_libraries
from ._diff import make_diff
from ._errors import PrefectAPIError, PrefectError, PrefectResponseError, PrefectTransportError
from ._http import PrefectClient
from ._retry import RetryPolicy

MAX_RETRIES = 10
MAX_TIMEOUT = 3600.0
# Prefect Cloud names, handles and e-mail addresses are at most 5000 characters (the OpenAPI
# document's maxLength); longer text can only be a mistake.
MAX_TEXT = 5000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SHOWN = 60
_KINDS = {list: "a list", tuple: "a list", dict: "a dictionary", bool: "a boolean"}


def is_uuid(value):
    """True when ``value`` is a UUID string (ASCII; dashes optional, as the API accepts)."""
    text = str(value)
    if not text.isascii():
        return False
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def shown(value):
    """``repr(value)`` for a one-line message, shortened when it is long."""
    text = repr(value)
    if len(text) <= _SHOWN:
        return text
    return f"{text[:_SHOWN - 5]}...{text[-1]} ({len(value)} characters)"


def _kind(value):
    for kind, name in _KINDS.items():
        if isinstance(value, kind):
            return name
    return None


class _AnsibleModule(AnsibleModule):
    """AnsibleModule that keeps the parameters as the task gave them, before type conversion."""

    raw_params = None

    def _load_params(self):
        super()._load_params()
        self.raw_params = dict(self.params)  # AnsibleModule converts the values in place


class PrefectModule:
    """An AnsibleModule wrapper with a Prefect Cloud client, for modules that support check mode."""

    def __init__(self, argument_spec, **kwargs):
        spec = auth_argument_spec()
        spec.update(argument_spec)
        self.module = _AnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.diff_mode = self.module._diff  # pylint: disable=protected-access
        self.result = {"changed": False}
        for name, error in missing_libraries():
            self.module.fail_json(msg=missing_required_lib(name), exception=error)
        self._validate_types(spec)
        self._validate_connection()
        params = self.params
        try:
            self.client = PrefectClient(
                api_url=params["api_url"],
                api_key=params["api_key"],
                account_id=params["account_id"],
                timeout=params["timeout"],
                validate_certs=params["validate_certs"],
                retry=RetryPolicy(retries=params["retries"], max_total=max(60.0, 4 * params["timeout"])),
                check_mode=self.check_mode,
            )
        except PrefectError as exc:  # a proxy variable that is not a proxy URL
            self.fail(str(exc))
        self.api = PrefectCloud(self.client)

    def _validate_types(self, spec, raw=None, values=None, prefix=""):
        """Refuse what Ansible would silently convert, and text no Prefect Cloud name can be.

        A list, a dictionary or a boolean (YAML ``yes``/``no``) given for a string or a number
        would otherwise become text like ``['a', 'b']`` or ``True``, or the number 1. Every text
        option must not be empty or longer than MAX_TEXT, and must not contain control
        characters (such as the line break a file lookup leaves at the end). Suboptions of a list
        of dictionaries are checked the same way (named like ``workspace_access[0].workspace``).
        """
        raw = (self.module.raw_params or {}) if raw is None else raw
        values = self.params if values is None else values
        for name, option in spec.items():
            kind = option.get("type", "str")
            if kind == "list" and option.get("options"):
                given = raw.get(name, next((raw[a] for a in option.get("aliases") or () if a in raw), None))
                for index, (entry, value) in enumerate(zip(given or (), values.get(name) or ())):
                    if isinstance(entry, dict):
                        self._validate_types(option["options"], entry, value, f"{prefix}{name}[{index}].")
                continue
            if kind not in ("str", "int", "float"):
                continue
            for given in [name] + list(option.get("aliases") or ()):
                found = _kind(raw.get(given))
                if found is not None:
                    wanted = {"str": "a string", "int": "an integer", "float": "a number"}[kind]
                    quote = "; quote it if it is meant as text" if found == "a boolean" and kind == "str" else ""
                    self.fail(f"{prefix}{given} must be {wanted}, got {found}{quote}")
            value, label = values.get(name), prefix + name
            if kind != "str" or value is None:
                continue
            if not value.strip():
                self.fail(f"{label} must not be empty" + (" (set it or PREFECT_API_KEY)" if name == "api_key" else ""))
            if len(value) > MAX_TEXT:
                self.fail(f"{label} must be at most {MAX_TEXT} characters, got {len(value)}")
            if option.get("no_log"):
                continue  # never shown; the connection key is checked below
            if _CONTROL.search(value):
                self.fail(f"{label} must not contain control characters such as a line break, got {shown(value)}")

    def _validate_connection(self):
        params = self.params
        api_url = params["api_url"] or ""
        url = urlsplit(api_url)
        if url.scheme not in ("http", "https") or not url.netloc or any(char.isspace() for char in api_url):
            self.fail(f"api_url must be an http:// or https:// URL such as https://api.prefect.cloud/api, got {shown(api_url)}")
        if not is_uuid(params["account_id"]):
            self.fail(f"account_id must be a UUID (the id in your Prefect Cloud URL after /account/), got {shown(params['account_id'])}")
        key = params["api_key"]
        if not key.isascii() or not key.isprintable() or " " in key:
            # Never shown: the value is (close to) a secret.
            self.fail("api_key must be a Prefect API key (printable ASCII without spaces, such as pnu_... or pnb_...); "
                      "the value given has other characters")
        timeout = params["timeout"]
        if not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
            self.fail(f"timeout must be a number of seconds greater than 0 and at most {MAX_TIMEOUT:g}, got {timeout}")
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
        except (PrefectTransportError, PrefectResponseError) as exc:
            self.fail(str(exc), method=exc.method, path=exc.path)
        except PrefectError as exc:
            self.fail(str(exc))
        finally:
            self.client.close()
        self.module.exit_json(**self.result)
