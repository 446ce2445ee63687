# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exceptions raised by the Prefect Cloud client (PRIVATE to this collection)."""

from __future__ import annotations


class PrefectError(Exception):
    """Base class: a failure worth one clear line to the user."""


class _RequestError(PrefectError):
    """A request that failed, named by ``method`` and ``path``.

    ``summary`` is what went wrong without the advice of the message (the transport error's reason,
    the unexpected response's problem, the status and detail of an API error), which the messages of
    ``PrefectOutcomeUnknown`` and ``PrefectResponseLost`` quote; ``maybe_applied`` is True when a write
    that is not safe to resend may have been applied before the failure.
    """

    def __init__(self, method, path, summary, message, maybe_applied=False):
        self.method, self.path, self.summary, self.maybe_applied = method, path, summary, maybe_applied
        super().__init__(f"{method} {path} {message}")


class PrefectAPIError(_RequestError):
    """The API answered with an error status.

    The message names the HTTP method, the path, the server's ``detail``, how many attempts were
    made and what to do; it never contains request headers, so it never contains the API key.
    """

    def __init__(self, method, path, status, detail, attempts=1, maybe_applied=False):
        self.status, self.detail, self.attempts = status, detail, attempts
        after = f" after {attempts} attempts" if attempts > 1 else ""
        super().__init__(method, path, f"HTTP {status}: {format_detail(detail)}",
                         f"failed with HTTP {status}{after}: {format_detail(detail)}{_hint(status, maybe_applied)}", maybe_applied)


class PrefectNotFound(PrefectAPIError):
    """HTTP 404."""


class PrefectConflict(PrefectAPIError):
    """HTTP 409, or a write rejected because the object already exists."""


class PrefectTransportError(_RequestError):
    """The request never got an HTTP answer (connection refused or reset, timeout, TLS failure)."""

    def __init__(self, method, path, reason, attempts, maybe_applied=False, timed_out=False, hint=None):
        self.attempts = attempts
        #: True when no answer came in time: the request may still be processed after this.
        self.timed_out = timed_out
        plural = "s" if attempts != 1 else ""
        if hint is None:
            hint = "no answer in time; raise the timeout or retries options, or re-run the task later" if timed_out \
                else "the connection broke; re-run the task later"
        super().__init__(method, path, reason, f"failed after {attempts} attempt{plural}: {reason} ({hint})", maybe_applied)


class PrefectResponseError(_RequestError):
    """A success status with a body that is not what the API documents (such as a proxy's page); a
    write answered so may have been applied (``maybe_applied``)."""

    def __init__(self, method, path, problem, maybe_applied=False):
        super().__init__(method, path, problem, f"returned an unexpected response: {problem} (check that api_url is the "
                         "Prefect Cloud API and that no proxy answers in its place; re-run the task, which reads the "
                         "current state first)", maybe_applied)


class PrefectOutcomeUnknown(PrefectError):
    """A create or a key rotation may have been applied, and reading back does not show it (yet).

    It is never sent again: a late-applied rotation sent twice would leave an active key nobody
    received.
    """

    def __init__(self, cause, what):
        self.method, self.path = cause.method, cause.path
        super().__init__(
            f"{cause.method} {cause.path}: {cause.summary}; {what} may still be applied by the server, and it "
            f"is not sent again; run the task again after {RECHECK_SECONDS} seconds: it reads the current state first")


class PrefectResponseLost(PrefectError):
    """A create or a key rotation was applied, but its answer (with the new key) was lost.

    ``found`` is what reading back returned (the service account, for the module's result).
    ``lost`` replaces the text after the method and path when the service account's (the new key
    is issued by ``rotate: true``) does not fit, as for a user's key.
    """

    def __init__(self, cause, what, found, lost=None):
        self.method, self.path, self.found = cause.method, cause.path, found
        lost = lost or (f"{what} was applied, but the response with the new API key was lost ({cause.summary}); a key "
                        "cannot be read back: run the task again with rotate: true to issue a new key")
        super().__init__(f"{cause.method} {cause.path}: {lost}")


class PrefectCheckModeWrite(PrefectError):
    """A write was attempted in check mode. This is a bug in the collection, never expected."""


# How long to wait before re-running after an outcome that is unknown (a gateway that gave up may
# still pass the request on; the 504 case in docs/reliability.md).
RECHECK_SECONDS = 60


def format_detail(detail):
    """Render FastAPI's ``detail`` (a string, or a list of validation errors) on one line."""
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict):
                loc = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
                parts.append(f"{loc}: {item.get('msg', '')}" if loc else str(item.get("msg", "")))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return " ".join(str(detail).split())


# Server errors that say the request is not supported rather than that the server failed now:
# 501 Not Implemented, 505 HTTP Version Not Supported, 506 Variant Also Negotiates, 510 Not Extended.
NOT_TRANSIENT = frozenset((501, 505, 506, 510))
# What to do, by status (the other statuses of 500 and above: _hint).
_HINTS = dict.fromkeys(NOT_TRANSIENT, "the server does not support this request, which is not a temporary failure: "
                       "re-running the task will not help; check that api_url is the Prefect Cloud API and that no "
                       "proxy answers in its place")
_HINTS.update({
    401: "check api_key / PREFECT_API_KEY: the key is missing, wrong, expired or deleted",
    403: "the account role or workspace role of the key in api_key / PREFECT_API_KEY does not allow this",
    409: "it conflicts with the current state, such as a name in use or a change by another run; re-run the task",
    429: "rate limited by Prefect Cloud; re-run the task later, or raise the retries option",
})


def _hint(status, maybe_applied=False):
    hint = _HINTS.get(status)
    if hint is None and status >= 500:
        hint = "the server may have applied this write; re-run the task, which reads the current state first" if maybe_applied \
            else "a Prefect Cloud or proxy error; re-run the task later, it reads the current state first"
    return f" ({hint})" if hint else ""
