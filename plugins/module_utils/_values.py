# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pure helpers on values: ids, text checks and how values are shown in messages (PRIVATE).

No request, no module state: everything here is a function of its arguments.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

# Prefect Cloud names, handles and e-mail addresses are at most 5000 characters (the OpenAPI
# document's maxLength); longer text can only be a mistake.
MAX_TEXT = 5000
# Characters no name, handle or e-mail address has: controls (Cc, such as a line break or U+0085),
# format characters (Cf, such as the bidi override U+202E) and line or paragraph separators.
_INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp"))
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
# What the API takes as an e-mail address (``format: email``), as the emulator checks it: local@domain.tld.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_SHOWN = 60
_LISTED = 20


def is_uuid(value):
    """True when ``value`` is a UUID in its canonical 36-character form (hex digits in any case)."""
    return isinstance(value, str) and _UUID.match(value) is not None


def is_email(value):
    """True when ``value`` has the form of an e-mail address (``local@domain.tld``)."""
    return _EMAIL.match(value) is not None


def changed(before, after, *names):
    """``{name: after[name]}`` for each of ``names`` whose value differs between the two dicts."""
    return {name: after[name] for name in names if after[name] != before[name]}


def invisible(value):
    """The first character of ``value`` that no name can have (see ``_INVISIBLE``), or None."""
    return next((char for char in value if unicodedata.category(char) in _INVISIBLE), None)


def shown(value):
    """``repr(value)`` for a one-line message, shortened when it is long."""
    text = repr(value)
    if len(text) <= _SHOWN:
        return text
    return f"{text[:_SHOWN - 5]}...{text[-1]} ({len(value)} characters)"


def hint(value, names):
    """`` (did you mean 'x'?)`` for the name closest to ``value``, or ''."""
    close = difflib.get_close_matches(value, sorted(set(names)), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def listing(names, limit=_LISTED):
    """``a, b, c`` sorted without duplicates (``none`` when empty), cut after ``limit`` names."""
    names = sorted(set(names))
    text = ", ".join(names[:limit] if limit else names)
    if limit and len(names) > limit:
        text += f", ... ({len(names) - limit} more)"
    return text or "none"


def text_problem(value, label, secret=False):
    """The one-line problem of a text value (empty, too long, invisible characters), or None. A
    ``secret`` is never shown, so it is not checked for invisible characters."""
    if not value.strip():
        return f"{label} must not be empty"
    if len(value) > MAX_TEXT:
        return f"{label} must be at most {MAX_TEXT} characters, got {len(value)}"
    char = None if secret else invisible(value)
    if char is not None:
        return (f"{label} must not contain control or invisible format characters such as a line break or "
                f"U+202E, got U+{ord(char):04X} in {shown(value)}")
    return None


def check_names(values, option):
    """The entries of a list option of names, e-mail addresses or ids, each checked as a text
    option (``text_problem``); ids in lower case. Raise ValueError with the one-line message."""
    checked = []
    for index, value in enumerate(values):
        problem = text_problem(value, f"{option}[{index}]")
        if problem is not None:
            raise ValueError(problem)
        checked.append(value.lower() if is_uuid(value) else value)
    return checked


# The OpenAPI document's ``WorkspaceScopeName`` enum, in its order.
WORKSPACE_SCOPES = (
    "see_flows", "manage_saved_search", "run_flows", "manage_flows", "run_tasks", "see_blocks", "see_secret_blocks",
    "manage_blocks", "see_deployments", "run_deployments", "write_deployments", "manage_deployments", "see_notifications",
    "write_notifications", "manage_notifications", "see_workspace_settings", "write_workspace_settings",
    "manage_workspace_settings", "see_workspace_users", "manage_workspace_users", "see_workspace_service_accounts",
    "manage_workspace_service_accounts", "manage_workspace_teams", "see_work_queues", "write_work_queues",
    "manage_work_queues", "see_concurrency_limits", "manage_concurrency_limits", "see_events", "manage_events",
    "see_event_publications", "manage_event_publications", "see_event_subscriptions", "manage_event_subscriptions",
    "see_automations", "manage_automations", "see_work_pools", "write_work_pools", "manage_work_pools", "see_workers",
    "write_workers", "manage_workers", "see_artifacts", "write_artifacts", "manage_artifacts", "see_variables",
    "write_variables", "manage_variables", "manage_acls", "see_incidents", "write_incidents", "manage_incidents",
    "manage_mex_storage", "manage_mex_deploy", "see_tags", "manage_tags", "see_assets", "write_assets", "manage_assets",
    "see_webhooks", "manage_webhooks",
)


def grouped_scopes():
    """Every scope, those of one object together: ``see/run/manage_flows, manage_saved_search, ...``
    (the full list, one name after another, would make an error message of over 1000 characters)."""
    groups = {}
    for scope in WORKSPACE_SCOPES:
        verb, dummy, obj = scope.partition("_")
        groups.setdefault(obj, []).append(verb)
    return ", ".join(f"{'/'.join(verbs)}_{obj}" for obj, verbs in groups.items())


def check_scopes(scopes, option="scopes"):
    """The scopes as a sorted list without duplicates; unknown names are a ValueError listing the valid ones."""
    unknown = sorted({scope for scope in scopes if scope not in WORKSPACE_SCOPES})
    if unknown:
        names = ", ".join(shown(scope) for scope in unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise ValueError(f"{option}: unknown workspace scope {names}{hint(unknown[0].lower(), WORKSPACE_SCOPES)}; valid "
                         f"scopes are: {grouped_scopes()} (see/run/manage_flows stands for see_flows, run_flows and manage_flows)")
    return sorted(set(scopes))
