# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A minimal HashiCorp Vault KV version 2 emulator (tests only; standard library only).

Only what community.hashi_vault's vault_kv2_get / vault_kv2_write modules (through hvac) use:
token auth (``X-Vault-Token``), ``GET``/``POST``/``PUT /v1/<mount>/data/<path>`` with the KV v2
JSON shapes, check-and-set (``options.cas``), and ``GET /v1/auth/token/lookup-self`` (token_validate).
See ../README.md.
"""
