# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exceptions raised by the Prefect Cloud client (PRIVATE to this collection)."""

from __future__ import annotations


class PrefectError(Exception):
    """Base class: a failure worth one clear line to the user."""


class PrefectAPIError(PrefectError):
    """The API answered with an error status.

    The message names the HTTP method, the path and the server's ``detail``; it never contains
    request headers, so it never contains the API key.
    """

    def __init__(self, method, path, status, detail):
        self.method = method
        self.path = path
        self.status = status
        self.detail = detail
        super().__init__(f"{method} {path} failed with HTTP {status}: {format_detail(detail)}{_hint(status)}")


class PrefectNotFound(PrefectAPIError):
    """HTTP 404."""


class PrefectConflict(PrefectAPIError):
    """HTTP 409, or a write rejected because the object already exists."""


class PrefectTransportError(PrefectError):
    """The request never got an HTTP answer (connection refused or reset, timeout)."""

    def __init__(self, method, path, reason, attempts, maybe_applied):
        self.method = method
        self.path = path
        self.reason = reason
        self.attempts = attempts
        #: True when the server may have applied the write before the connection broke.
        self.maybe_applied = maybe_applied
        plural = "s" if attempts != 1 else ""
        super().__init__(f"{method} {path} failed after {attempts} attempt{plural}: {reason}")


class PrefectCheckModeWrite(PrefectError):
    """A write was attempted in check mode. This is a bug in the collection, never expected."""


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


def _hint(status):
    if status == 401:
        return " (check api_key / PREFECT_API_KEY: the key is missing, wrong, expired or deleted)"
    if status == 403:
        return " (the API key's account role or workspace role does not allow this)"
    return ""
