# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build Ansible ``diff`` results that never contain a key (PRIVATE to this collection)."""

from __future__ import annotations

_SECRET_FIELDS = frozenset(("key", "api_key_value", "plaintext"))
_KEY_PREFIXES = ("pnb_", "pnu_")


def scrub(value):
    """Drop secret-named fields and any string that looks like a whole (unmasked) API key."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k not in _SECRET_FIELDS}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, str) and value.startswith(_KEY_PREFIXES) and "..." not in value:
        return "********"
    return value


def make_diff(before, after, header=None):
    """Return ``{"before": ..., "after": ...}``; None (the object is absent) becomes ``{}``."""
    result = {"before": scrub(before) if before else {}, "after": scrub(after) if after else {}}
    if header:
        result["before_header"] = result["after_header"] = header
    return result
