# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mark returned API keys as secrets where ansible-core can (PRIVATE to this collection).

ansible-core 2.22 adds a secret masking API (``ansible.module_utils.secrets.register_secret``):
a value registered by a module is redacted from all output. On older cores there is no such API,
so users must set ``no_log: true`` on tasks that register a new key (the docs say so).
"""

from __future__ import annotations

try:
    from ansible.module_utils.secrets import register_secret as _register_secret
except ImportError:
    _register_secret = None

HAS_SECRETS_API = _register_secret is not None


def mark_secret(value):
    """Return ``value`` registered as a secret when the core supports it, else unchanged."""
    if _register_secret is None or not value:
        return value
    return _register_secret(value)
