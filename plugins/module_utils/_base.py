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
import os
import re
import unicodedata
from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ._api import PrefectCloud
from ._argspec import ENV_VARIABLES, auth_argument_spec
from ._deps import missing_libraries
from ._diff import make_diff
from ._errors import PrefectAPIError, PrefectError, PrefectResponseError, PrefectResponseLost, PrefectTransportError
from ._http import PrefectClient
from ._secrets import mark_secret
from ._retry import Deadline, RetryPolicy

MAX_RETRIES = 10
MAX_TIMEOUT = 3600.0
# Prefect Cloud names, handles and e-mail addresses are at most 5000 characters (the OpenAPI
# document's maxLength); longer text can only be a mistake.
MAX_TEXT = 5000
# Characters no name, handle or e-mail address has: controls (Cc, such as a line break or U+0085),
# format characters (Cf, such as the bidi override U+202E) and line or paragraph separators.
_INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp"))
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
# The proxy variables httpx reads (each also in lower case), and the schemes it can use.
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")
_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
_SHOWN = 60
_KINDS = {list: "a list", tuple: "a list", dict: "a dictionary", bool: "a boolean"}


def is_uuid(value):
    """True when ``value`` is a UUID in its canonical 36-character form (hex digits in any case)."""
    return isinstance(value, str) and _UUID.match(value) is not None


def invisible(value):
    """The first character of ``value`` that no name can have (see ``_INVISIBLE``), or None."""
    return next((char for char in value if unicodedata.category(char) in _INVISIBLE), None)


def check_url(value, option):
    """Return an error message for a URL that is not ``scheme://host[:port][/path]``, else None."""
    try:
        url = urlsplit(value)
        port = url.port  # raises ValueError for a port that is not a number from 0 to 65535
    except ValueError as exc:
        return f"{option} is not a valid URL ({exc})"
    if url.username is not None or url.password is not None:
        return f"{option} must not contain a user name or password"
    if url.query or url.fragment or value.rstrip().endswith(("?", "#")):
        return f"{option} must not have a query or a fragment (?... or #...)"
    if not url.hostname:
        return f"{option} has no host name"
    if port == 0:
        return f"{option} has port 0"
    return None


def proxy_problem(environ):
    """Return a one-line error for a proxy variable httpx could not use, else None (never the value)."""
    for name in PROXY_VARIABLES:
        for variable in (name, name.lower()):
            value = environ.get(variable)
            if not value:
                continue
            if "://" not in value:
                value = "http://" + value  # as httpx reads a bare host:port
            scheme = value.split("://", 1)[0].lower()
            try:
                url = urlsplit(value)
                url.port  # pylint: disable=pointless-statement  # raises ValueError for a bad port
                valid = scheme in _PROXY_SCHEMES and url.hostname and not any(c.isspace() for c in value)
            except ValueError:
                valid = False
            if not valid:
                return (f"the environment variable {variable} is not a proxy URL such as http://proxy.example.com:3128 "
                        f"(schemes: {', '.join(_PROXY_SCHEMES)}); fix or unset it")
    return None


def proxy_secrets(environ):
    """The user names and passwords in the proxy variables, never to be shown."""
    found = []
    for name in PROXY_VARIABLES:
        for value in (environ.get(name), environ.get(name.lower())):
            if value:
                try:
                    url = urlsplit(value if "://" in value else "http://" + value)
                except ValueError:
                    continue
                found.extend(part for part in (url.username, url.password) if part and len(part) > 3)
    return found


def ca_problem(environ):
    """Return a one-line error for SSL_CERT_FILE or SSL_CERT_DIR naming nothing usable, else None."""
    path = environ.get("SSL_CERT_FILE")
    if path and not os.path.isfile(path):
        return f"the environment variable SSL_CERT_FILE names {path!r}, which is not a file; point it at a CA bundle or unset it"
    path = environ.get("SSL_CERT_DIR")
    if path and not os.path.isdir(path):
        return f"the environment variable SSL_CERT_DIR names {path!r}, which is not a directory; fix or unset it"
    return None


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
        self.deadline = Deadline.for_timeout(self.params["timeout"])
        self.client = self.client_for(self.params["api_key"])
        for warning in self.client.warnings:
            self.module.warn(warning)
        self.api = PrefectCloud(self.client)

    def client_for(self, api_key):
        """A client of the task's API with ``api_key``, sharing the task's deadline."""
        params = self.params
        try:
            return PrefectClient(
                api_url=params["api_url"],
                api_key=api_key,
                account_id=params["account_id"],
                timeout=params["timeout"],
                validate_certs=params["validate_certs"],
                retry=RetryPolicy(retries=params["retries"]),
                deadline=self.deadline,
                check_mode=self.check_mode,
                secrets=[params["api_key"]] + proxy_secrets(os.environ),
            )
        except PrefectError as exc:
            self.fail(str(exc))

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
                self.fail(f"{label} must not be empty" + (f" (set it or {ENV_VARIABLES[name]})" if label in ENV_VARIABLES else ""))
            if len(value) > MAX_TEXT:
                self.fail(f"{label} must be at most {MAX_TEXT} characters, got {len(value)}")
            if option.get("no_log"):
                continue  # never shown; the connection key is checked below
            char = invisible(value)
            if char is not None:
                self.fail(f"{label} must not contain control or invisible format characters such as a line break or "
                          f"U+202E, got U+{ord(char):04X} in {shown(value)}")
            if is_uuid(value):
                values[name] = value.lower()  # the API writes ids in lower case

    def _validate_connection(self):
        params = self.params
        api_url = params["api_url"] or ""
        example = "an http:// or https:// URL such as https://api.prefect.cloud/api"
        problem = check_url(api_url, "api_url")
        if problem is not None:
            self.fail(f"{problem}; api_url must be {example} (set api_url or PREFECT_CLOUD_API_URL)")
        if urlsplit(api_url).scheme not in ("http", "https") or any(char.isspace() for char in api_url):
            self.fail(f"api_url must be {example}, got {shown(api_url)} (set api_url or PREFECT_CLOUD_API_URL)")
        problem = proxy_problem(os.environ) or ca_problem(os.environ)
        if problem is not None:
            self.fail(problem)
        if not is_uuid(params["account_id"]):
            self.fail(f"account_id must be a UUID (the id in your Prefect Cloud URL after /account/; set account_id or "
                      f"PREFECT_CLOUD_ACCOUNT_ID), got {shown(params['account_id'])}")
        key = params["api_key"]
        if not key.isascii() or not key.isprintable() or " " in key:
            # Never shown: the value is (close to) a secret.
            self.fail("api_key must be a Prefect API key (printable ASCII without spaces, such as pnu_... or pnb_...); "
                      "the value given in api_key or PREFECT_API_KEY has other characters")
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

    def return_key(self, key):
        """Return a new API key in ``api_key``: marked as a secret where ansible-core can, and with a
        warning when the task does not have ``no_log``."""
        self.result["api_key"] = mark_secret(key)
        if not self.module.no_log:
            self.module.warn("this task returns a new API key in api_key and does not set no_log: true; set "
                             "no_log: true on it so that the key is kept out of the output and the job logs")

    def set_diff(self, before, after, header=None):
        """Record a diff; only reported in diff mode, and never containing a key."""
        if self.diff_mode:
            self.result["diff"] = make_diff(before, after, header)

    def run(self, action):
        """Run ``action()``, map client errors to one-line failures and exit with the result.

        A failed real run reports ``changed`` only when a write was applied before the failure
        (or a create or rotation was applied and its answer lost).
        """
        try:
            action()
        except PrefectError as exc:
            if not self.check_mode:
                self.result["changed"] = self.client.applied > 0 or isinstance(exc, PrefectResponseLost)
            details = {}
            if isinstance(exc, (PrefectAPIError, PrefectTransportError, PrefectResponseError)):
                details = {"method": exc.method, "path": exc.path}
            if isinstance(exc, PrefectAPIError):
                details["status"] = exc.status
            self.fail(str(exc), **details)
        finally:
            self.client.close()
        self.module.exit_json(**self.result)
