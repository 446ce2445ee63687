# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one engine every module stands on (PRIVATE to this collection).

``PrefectModule`` owns what every module shares: the connection options and their checks, the
one client of the task, the result (``changed``, ``diff``, warnings) and one-line failures.
``StateModule`` adds the one converge loop of the modules that change something: ``read`` the
object, ``plan`` the wanted one, ``apply`` the difference unless in check mode, and report
``changed``, the diff and the result, written once here.

Who drives a module is a *runner*: ``ModuleRunner`` (below) when it runs as a module process,
or the collection's action plugin when it runs in the controller (``plugins/action``). A runner
gives the validated options, check and diff mode, ``no_log``, the objects that earlier check-mode
tasks of the play planned (``planned``) and a way to warn; the engine never touches
``AnsibleModule`` otherwise.
"""

from __future__ import annotations

import math
import os
from urllib.parse import urlsplit

from ._api import PrefectCloud
from ._argspec import ENV_VARIABLES, auth_argument_spec
from ._deps import missing_libraries
from ._errors import PrefectAPIError, PrefectError, PrefectResponseError, PrefectResponseLost, PrefectTransportError
from ._http import PrefectClient
from ._retry import Deadline, RetryPolicy
from ._secrets import mark_secret
from ._values import is_uuid, shown, text_problem

MAX_RETRIES = 10
MAX_TIMEOUT = 3600.0
# The fact in which a check-mode task records the objects it would create or delete, so that a
# later task of the same check-mode play can refer to them (see ``PrefectModule.planned``).
PLANNED_FACT = "prefect_cloud_planned"
# The proxy variables httpx reads (each also in lower case), and the schemes it can use.
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")
_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
_KINDS = {list: "a list", tuple: "a list", dict: "a dictionary", bool: "a boolean"}
_SECRET_FIELDS = frozenset(("key", "api_key_value", "plaintext"))
_KEY_PREFIXES = ("pnb_", "pnu_")


def check_url(value, option):
    """Return a one-line error for a value that is not ``http[s]://host[:port][/path]``, else None."""
    example = f"{option} must be an http:// or https:// URL such as https://api.prefect.cloud/api"
    try:
        url = urlsplit(value)
        port = url.port  # raises ValueError for a port that is not a number from 0 to 65535
    except ValueError as exc:
        return f"{option} is not a valid URL ({exc}); {example}"
    for bad, problem in (
            (url.username is not None or url.password is not None, "must not contain a user name or password"),
            (url.query or url.fragment or value.rstrip().endswith(("?", "#")),
             "must not have a query or a fragment (?... or #...)"),
            (not url.hostname, "has no host name"),
            (port == 0, "has port 0")):
        if bad:
            return f"{option} {problem}; {example}"
    if url.scheme not in ("http", "https") or any(char.isspace() for char in value):
        return f"{example}, got {shown(value)}"
    return None


def _proxies(environ):
    """(variable, value, split URL or None when it cannot be split) of each proxy variable set, a
    bare host:port read as http://host:port as httpx reads it."""
    for name in PROXY_VARIABLES:
        for variable in (name, name.lower()):
            value = environ.get(variable)
            if value:
                value = value if "://" in value else "http://" + value
                try:
                    url = urlsplit(value)
                    url.port  # pylint: disable=pointless-statement  # raises ValueError for a bad port
                except ValueError:
                    url = None
                yield variable, value, url


def proxy_problem(environ):
    """Return a one-line error for a proxy variable httpx could not use, else None (never the value)."""
    for variable, value, url in _proxies(environ):
        scheme = value.split("://", 1)[0].lower()
        if url is None or scheme not in _PROXY_SCHEMES or not url.hostname or any(c.isspace() for c in value):
            return (f"the environment variable {variable} is not a proxy URL such as http://proxy.example.com:3128 "
                    f"(schemes: {', '.join(_PROXY_SCHEMES)}); fix or unset it")
    return None


def proxy_secrets(environ):
    """The user names and passwords (over 3 characters) in the proxy variables, never to be shown."""
    return [part for dummy, dummy2, url in _proxies(environ) if url is not None
            for part in (url.username, url.password) if part and len(part) > 3]


def ca_problem(environ):
    """Return a one-line error for SSL_CERT_FILE or SSL_CERT_DIR naming nothing usable, else None."""
    path = environ.get("SSL_CERT_FILE")
    if path and not os.path.isfile(path):
        return f"the environment variable SSL_CERT_FILE names {path!r}, which is not a file; point it at a CA bundle or unset it"
    path = environ.get("SSL_CERT_DIR")
    if path and not os.path.isdir(path):
        return f"the environment variable SSL_CERT_DIR names {path!r}, which is not a directory; fix or unset it"
    return None


def scrub(value):
    """Drop secret-named fields and any string that looks like a whole (unmasked) API key."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k not in _SECRET_FIELDS}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, str) and value.startswith(_KEY_PREFIXES) and "..." not in value:
        return "********"
    return value


def make_diff(before, after):
    """``{"before": ..., "after": ...}`` without keys; None (the object is absent) becomes ``{}``."""
    return {"before": scrub(before) if before else {}, "after": scrub(after) if after else {}}


class TaskFailed(Exception):
    """The task fails with the one-line ``msg``; ``result`` is what it reports beside it."""

    def __init__(self, msg, result):
        super().__init__(msg)
        self.msg = msg
        self.result = result


class ModuleRunner:
    """Drives a module as a module process on the target: the options come from ``AnsibleModule``."""

    planned = None  # a module process cannot read the play's facts (see PrefectModule.planned)

    def __init__(self, argument_spec, **kwargs):
        # Imported here: the action plugin (controller path) never loads basic.py.
        from ansible.module_utils.basic import AnsibleModule  # pylint: disable=import-outside-toplevel

        class _Module(AnsibleModule):
            """Keeps the parameters as the task gave them, before type conversion."""

            raw_params = None

            def _load_params(self):
                super()._load_params()
                self.raw_params = dict(self.params)  # AnsibleModule converts the values in place

        self.module = _Module(argument_spec=argument_spec, supports_check_mode=True, **kwargs)
        self.params = self.module.params
        self.raw_params = self.module.raw_params or {}
        self.check_mode = self.module.check_mode
        self.diff_mode = self.module._diff  # pylint: disable=protected-access
        self.no_log = self.module.no_log

    def warn(self, msg):
        self.module.warn(msg)

    def exit(self, module_class):
        """Run ``module_class`` and exit the process with its result."""
        try:
            result = module_class(self).execute()
        except TaskFailed as failed:
            self.module.fail_json(msg=failed.msg, **failed.result)
        self.module.exit_json(**result)


class PrefectModule:
    """The base of every module: options, checks, the client, the result and failures.

    A module sets ``argument_spec`` (its own options; the connection options are added),
    ``module_kwargs`` (``required_if`` and the like), ``uuid_options`` (options that must be a
    UUID, with what they name) and ``present_only`` (options that describe the present object
    and are ignored with ``state=absent``), and implements ``converge``.
    """

    argument_spec = {}
    module_kwargs = {}
    uuid_options = {}
    present_only = ()

    def __init__(self, runner):
        self.runner = runner
        self.params = runner.params
        self.check_mode = runner.check_mode
        self.diff_mode = runner.diff_mode
        self.result = {"changed": False}
        self.client = self.api = self.deadline = None

    @classmethod
    def spec(cls):
        """The whole argument spec: the connection options and the module's own."""
        return dict(auth_argument_spec(), **cls.argument_spec)

    @classmethod
    def main(cls):
        """Run as a module process."""
        ModuleRunner(cls.spec(), **cls.module_kwargs).exit(cls)

    # -- the run

    def execute(self):
        """Check the options, converge, and return the result; raise TaskFailed on failure."""
        for name in missing_libraries():
            self.fail(f"this module needs the Python library {name} where it runs (the controller, or the host "
                      f"of a delegated or async task): install it with 'python3 -m pip install -r requirements.txt' "
                      f"(see the collection's README)")
        self._validate_types(self.spec())
        self._validate_connection()
        for option, what in self.uuid_options.items():
            if self.params.get(option) is not None and not is_uuid(self.params[option]):
                self.fail(f"{option} must be the UUID of {what}, got {shown(self.params[option])}")
        if self.params.get("state") == "absent":
            for option in self.present_only:
                self.params[option] = self.argument_spec[option].get("default")
        try:
            self.validate()
            self.client = self.client_for(self.params["api_key"])
        except (ValueError, PrefectError) as exc:
            self.fail(str(exc))
        for warning in self.client.warnings:
            self.warn(warning)
        self.api = PrefectCloud(self.client)
        try:
            self.converge()
        except PrefectError as exc:
            self.fail_on(exc)
        finally:
            self.client.close()
        return self.result

    def validate(self):
        """Checks of the options that need no request; raise ValueError with a one-line message."""

    def converge(self):
        raise NotImplementedError

    def client_for(self, api_key):
        """A client of the task's API with ``api_key``, sharing the task's deadline; raises
        PrefectError for a URL or environment the HTTP client cannot use."""
        params = self.params
        if self.deadline is None:
            self.deadline = Deadline.for_timeout(params["timeout"])
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

    # -- the result

    def fail(self, msg, **details):
        """Fail the task with one clear line (and structured ``details``)."""
        raise TaskFailed(msg, dict(self.result, **details))

    def fail_on(self, exc):
        """Fail the task on a client error: the message names the request, never the key. A real
        run reports ``changed`` only when a write was applied before the failure (or a create or
        rotation was applied and its answer lost)."""
        if not self.check_mode:
            self.result["changed"] = self.client.applied > 0 or isinstance(exc, PrefectResponseLost)
        details = {}
        if isinstance(exc, (PrefectAPIError, PrefectTransportError, PrefectResponseError)):
            details = {name: getattr(exc, name) for name in ("method", "path", "status") if hasattr(exc, name)}
        self.fail(str(exc), **details)

    def warn(self, msg):
        self.runner.warn(msg)

    def set_changed(self, changed=True):
        self.result["changed"] = self.result["changed"] or changed

    def set_diff(self, before, after):
        """Record the diff (in diff mode only); it never holds a key."""
        if self.diff_mode:
            self.result["diff"] = make_diff(before, after)

    def return_key(self, key, name="api_key", warn=True):
        """Return a new API key as ``result[name]``, marked as a secret where ansible-core can,
        with a warning when the task does not set ``no_log``."""
        self.result[name] = mark_secret(key)
        if warn and not self.runner.no_log:
            self.warn(f"this task returns a new API key in {name} and does not set no_log: true; set no_log: true "
                      "on it so that the key is kept out of the output and the job logs, or write the key to a "
                      "file with api_key_dest instead")

    # -- objects planned by earlier check-mode tasks

    def planned(self, kind):
        """{name: view or None (deleted)} of the objects of ``kind`` that earlier tasks of this
        check-mode play planned to create or delete in this account; empty in a real run."""
        return self._recorded(kind) if self.check_mode else {}

    def _recorded(self, kind):
        recorded = (self.runner.planned or {}).get(self.params["account_id"]) or {}
        return dict(recorded.get(kind) or {})

    def record_plan(self, kind, name, view):
        """In check mode, record that this task would create (``view``) or delete (None) the
        object ``name`` of ``kind``, for the tasks after it (the fact ``prefect_cloud_planned``).
        Only in the controller: a module process cannot read what earlier tasks recorded, so it
        would overwrite their plans.

        A real run (a play that mixes check-mode and real tasks) makes the object what it is: the
        plan an earlier check-mode task recorded for it is dropped, so that it does not stand for
        the real object in the check-mode tasks after it."""
        if self.runner.planned is None or not self.check_mode and name not in self._recorded(kind):
            return
        facts = self.result.setdefault("ansible_facts", {})
        everything = facts.setdefault(PLANNED_FACT, {key: dict(value) for key, value in self.runner.planned.items()})
        account = everything.setdefault(self.params["account_id"], {})
        account[kind] = dict(account.get(kind) or {}, **{name: view})
        if not self.check_mode:
            del account[kind][name]

    # -- option checks

    def _validate_types(self, spec, raw=None, values=None, prefix=""):
        """Refuse what Ansible would silently convert, and text no Prefect Cloud name can be.

        A list, a dictionary or a boolean (YAML ``yes``/``no``) given for a string or a number
        would otherwise become text like ``['a', 'b']`` or ``True``, or the number 1. Every text
        option is checked by ``text_problem`` (not empty, at most MAX_TEXT characters, and, unless
        it is a no_log option, no control characters such as the line break a file lookup leaves
        at the end). Suboptions of a list of dictionaries are checked the same way (named like
        ``workspace_access[0].workspace``).
        """
        raw = self.runner.raw_params if raw is None else raw
        values = self.params if values is None else values
        for name, option in spec.items():
            kind = option.get("type", "str")
            if kind == "list" and option.get("options"):
                given = raw.get(name, next((raw[a] for a in option.get("aliases") or () if a in raw), None))
                for index, (entry, value) in enumerate(zip(given or (), values.get(name) or ())):
                    if isinstance(entry, dict):
                        self._validate_types(option["options"], entry, value, f"{prefix}{name}[{index}].")
                continue
            if kind not in ("str", "int", "float", "path"):
                continue
            for given in [name] + list(option.get("aliases") or ()):
                found = next((what for cls, what in _KINDS.items() if isinstance(raw.get(given), cls)), None)
                if found is not None:
                    wanted = {"int": "an integer", "float": "a number"}.get(kind, "a string")
                    quote = "; quote it if it is meant as text" if found == "a boolean" and kind == "str" else ""
                    self.fail(f"{prefix}{given} must be {wanted}, got {found}{quote}")
            value, label = values.get(name), prefix + name
            if kind not in ("str", "path") or value is None:
                continue
            problem = text_problem(value, label, secret=option.get("no_log"))
            if problem is not None:
                env = f" (set it or {ENV_VARIABLES[name]})" if label in ENV_VARIABLES and not value.strip() else ""
                self.fail(problem + env)
            if is_uuid(value) and not option.get("no_log"):
                values[name] = value.lower()  # the API writes ids in lower case

    def _validate_connection(self):
        params = self.params
        for option in ("api_key", "account_id"):
            if params[option] is None:
                self.fail(f"{option} is required: set the option (for example in module_defaults of "
                          f"group/prefect.cloud.cloud) or the environment variable {ENV_VARIABLES[option]}")
        problem = check_url(params["api_url"] or "", "api_url")
        if problem is not None:
            self.fail(f"{problem} (set api_url or {ENV_VARIABLES['api_url']})")
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


class StateModule(PrefectModule):
    """A module that converges one object: ``read``, ``plan``, then ``apply`` unless in check mode.

    ``read`` returns the object as it is (its returned form) or None; ``plan`` (``plan_absent``
    with ``state=absent``) the object as the options want it, or None for an absent one (it reads
    only, and returns ``before`` itself when nothing changes); ``apply`` sends the writes and may
    return the final form (with the ids a create answered). ``diff_view`` is the form shown in the diff (never a key). The result holds
    the object under ``result_key`` unless it is absent.

    With ``plan_kind``, a create (a planned object without an id) or a delete is recorded for the
    later check-mode tasks of the play (``record_plan``): the ``plan_fields`` of the object, under
    its ``plan_key`` (the field later tasks name it by: its name, or a workspace's handle).
    """

    result_key = None
    plan_kind = None
    plan_key = "name"
    plan_fields = ("name",)

    def read(self):
        raise NotImplementedError

    def plan(self, before):
        raise NotImplementedError

    def plan_absent(self, before):  # pylint: disable=unused-argument
        """The plan of ``state=absent``: no object (a module whose ``absent`` means something else,
        such as an ACL reset to everyone, plans it here)."""
        return None

    def apply(self, before, after):
        raise NotImplementedError

    def diff_view(self, view):
        return view

    def converge(self):
        before = self.read()
        after = self.plan_absent(before) if self.params.get("state") == "absent" else self.plan(before)
        if after != before:
            self.set_changed()
            if self.plan_kind and (after is None or after["id"] is None):
                self.record_plan(self.plan_kind, (after or before)[self.plan_key],
                                 None if after is None else {field: after[field] for field in self.plan_fields})
            if not self.check_mode:
                after = self.apply(before, after) or after
        self.set_diff(self.diff_view(before), self.diff_view(after))
        if after is not None:
            self.publish(after)

    def publish(self, after):
        """Put the object after this run in the result: under ``result_key``, or (``result_key``
        None: an object of several returned keys, a dict) each of its keys."""
        self.result.update({self.result_key: after} if self.result_key else after)


# Batch writes ---------------------------------------------------------------------------------
# The write loop of the modules that converge many objects in one task (``service_accounts``,
# ``workspace_members``): a list of ``Operation`` applied in order, one request per batch; on a
# failure the task fails with one line and reports which operations were applied and which not.

# Seconds added to the task deadline for each planned write request, once the plan is known: the
# deadline (max(60, 4 x timeout)) bounds the reads; a long list of writes gets time in proportion.
WRITE_BUDGET = 5.0


class Operation:
    """One write: ``kind``, the object's ``name``, the ``workspace`` (grants), and the ``data``."""

    subject = "service_account"  # the key naming the object in ``applied`` / ``not_applied``

    def __init__(self, kind, name, workspace=None, **data):
        self.kind = kind
        self.name = name
        self.workspace = workspace
        self.data = data

    def view(self):
        """The operation as listed in ``applied`` / ``not_applied``."""
        view = {"operation": self.kind, self.subject: self.name}
        if self.workspace is not None:
            view["workspace"] = self.workspace
        return view

    def title(self):
        """The operation in a message, such as ``grant of 'ci' in workspace 'prod'``."""
        where = f" in workspace {self.workspace!r}" if self.workspace else ""
        return f"{self.kind} of {self.name!r}{where}"


def batches(operations, next_batch):
    """The requests ``operations`` take: ``next_batch(pending)`` -> the operations of one request."""
    pending, found = list(operations), []
    while pending:
        batch = next_batch(pending)
        found.append(batch)
        if batch == pending[:len(batch)]:
            pending = pending[len(batch):]
        else:
            sent = {id(op) for op in batch}
            pending = [op for op in pending if id(op) not in sent]
    return found


class BatchModule(PrefectModule):  # pylint: disable=abstract-method  # converge() is the module's
    """A module that applies a list of operations (``write_all``); ``converge`` plans them.
    ``module_name`` starts the failure message."""

    module_name = None

    def write_all(self, operations, next_batch, write):
        """Apply ``operations`` in order, ``write(batch)`` for each ``next_batch(pending)`` (one
        request), after giving the task deadline WRITE_BUDGET seconds per request; return the
        operations applied. On a PrefectError, fail with ``fail_partway``."""
        planned = batches(operations, next_batch)
        self.deadline.extend(WRITE_BUDGET * len(planned))
        applied = []
        for batch in planned:
            try:
                write(batch)
            except PrefectError as exc:
                sent = {id(op) for op in applied}
                self.fail_partway(exc, applied, [op for op in operations if id(op) not in sent], len(batch))
            applied.extend(batch)
        return applied

    def fail_partway(self, exc, applied, pending, sent=1):
        """Fail a task whose write of ``pending[:sent]`` (one request) raised ``exc``, with one line:
        the operation, how many operations were applied, and the client's message (method, path,
        server detail). The result keeps what it has, with ``applied`` and ``not_applied`` (views;
        the failed operation first) and ``changed`` when something was applied. A lost response
        (``PrefectResponseLost``) means the failed operation was applied."""
        failed, done, not_done = pending[0], list(applied), list(pending)
        if isinstance(exc, PrefectResponseLost):
            done, not_done, sent = done + not_done[:1], not_done[1:], 0
        self.result.update(applied=[op.view() for op in done], not_applied=[op.view() for op in not_done],
                           changed=bool(done))
        self.on_partway(done)
        details = {name: getattr(exc, name) for name in ("method", "path", "status") if hasattr(exc, name)}
        more = f" (and {sent - 1} more in the same request)" if sent > 1 else ""
        ended = ""
        if self.deadline.left() <= 1:
            ended = (f"; the task deadline of {self.deadline.seconds:g} s (max(60, 4 x timeout) plus {WRITE_BUDGET:g} s "
                     f"per write request) ended it: raise the timeout option, or run the task again to continue")
        msg = (f"{self.module_name}: {failed.title()}{more} failed after {len(done)} of {len(done) + len(not_done)} "
               f"operations were applied (see applied and not_applied; run the task again to converge): {exc}{ended}")
        self.fail(msg, **details)

    def on_partway(self, applied):
        """Hook: correct the result to the operations ``applied`` before a failure."""
