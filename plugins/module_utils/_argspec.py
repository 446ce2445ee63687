# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection and authentication options shared by every module (PRIVATE to this collection)."""

from __future__ import annotations

import os

from ansible.module_utils.errors import AnsibleFallbackNotFound

DEFAULT_API_URL = "https://api.prefect.cloud/api"

# Environment variables read when an option is not set. They are the ones Prefect users already
# export for the Prefect CLI, and the ones the AWX credential type injects.
ENV_API_URL = "PREFECT_CLOUD_API_URL"
ENV_API_KEY = "PREFECT_API_KEY"
ENV_ACCOUNT_ID = "PREFECT_CLOUD_ACCOUNT_ID"
# The variable of each connection option, for messages about a missing or bad value.
ENV_VARIABLES = {"api_url": ENV_API_URL, "api_key": ENV_API_KEY, "account_id": ENV_ACCOUNT_ID}


def env_fallback(*names):
    """The first of the environment variables ``names`` that is set and not empty.

    Unlike ansible-core's ``env_fallback``, an empty variable counts as unset: AWX injects
    ``PREFECT_CLOUD_API_URL=''`` for a credential created through its API without ``api_url``.
    """
    for name in names:
        value = os.environ.get(name)
        if value is not None and value.strip():
            return value
    raise AnsibleFallbackNotFound


def auth_argument_spec():
    """Return a fresh copy of the connection argspec (a plain dict; no third-party imports)."""
    return dict(
        api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, [ENV_API_URL])),
        # Required, but checked by the module (PrefectModule), whose message names the variable too.
        api_key=dict(type="str", no_log=True, fallback=(env_fallback, [ENV_API_KEY])),
        account_id=dict(type="str", fallback=(env_fallback, [ENV_ACCOUNT_ID])),
        validate_certs=dict(type="bool", default=True),
        timeout=dict(type="float", default=30.0),
        retries=dict(type="int", default=5),
    )
