# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets: redaction of error text, and masking of returned keys (PRIVATE to this collection).

ansible-core 2.22 adds a secret masking API (``ansible.module_utils.secrets.register_secret``):
a value registered by a module is redacted from all output. On older cores there is no such API,
so users must set ``no_log: true`` on tasks that register a new key (the modules warn otherwise).
"""

from __future__ import annotations

try:
    from ansible.module_utils.secrets import register_secret as _register_secret
except ImportError:
    _register_secret = None

HAS_SECRETS_API = _register_secret is not None
MASK = "********"
# A secret cut by a shortened text leaves a prefix at the end of it; this many characters of a
# secret, or more, are redacted there (fewer tell nothing: every key starts with "pn").
MIN_PARTIAL = 4


def mark_secret(value):
    """Return ``value`` registered as a secret when the core supports it, else unchanged."""
    if _register_secret is None or not value:
        return value
    return _register_secret(value)


def redact(text, secrets, limit=None):
    """``text`` with every secret replaced by ``MASK``, then shortened to ``limit`` characters.

    Secrets are replaced before the text is cut, and a prefix of a secret that the cut leaves at
    the end (such as ``Bearer pnu_abc`` cut inside the key) is replaced too.
    """
    secrets = sorted((secret for secret in secrets if secret), key=len, reverse=True)  # a secret may hold another
    for secret in secrets:
        text = text.replace(secret, MASK)
    if limit is None or len(text) <= limit:
        return text
    text = text[:limit]
    for secret in secrets:
        for size in range(min(len(secret), limit) - 1, MIN_PARTIAL - 1, -1):
            if text.endswith(secret[:size]):
                return text[:-size] + MASK
    return text
