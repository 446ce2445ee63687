# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which loaded vault secret prefect.cloud.loaded_vault_encrypt would use, or why none can be used."""

from __future__ import annotations

DOCUMENTATION = r"""
name: _loaded_vault_id
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: "[INTERNAL] The vault id that prefect.cloud.loaded_vault_encrypt would encrypt with"
description:
  - B(Internal.) Only for the P(prefect.cloud.agent_credentials#role) role, not part of the public interface
    of the collection; it can change or go away in any release, without a deprecation period. Do not use
    it in playbooks.
  - Checks, before anything is written, that P(prefect.cloud.loaded_vault_encrypt#filter) can encrypt
    with the requested vault id, with the same rules, and never fails.
  - Returns the vault ids loaded by C(ansible-playbook) (labels only, never a secret), the one chosen,
    and an error message when none can be used (no secret loaded, the requested vault id is not
    loaded, or ansible-core older than 2.19) that names the role's variables.
  - Used by the P(prefect.cloud.agent_credentials#role) role to fail before any write.
options:
  _input:
    description: The requested vault id (label); V(null) or empty for the default choice.
    type: string
    required: true
seealso:
  - plugin: prefect.cloud.loaded_vault_encrypt
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Fail before any write when the store cannot be encrypted
  ansible.builtin.fail:
    msg: "{{ _vault.error }}"
  when: _vault.error | length > 0
  vars:
    _vault: "{{ 'store' | prefect.cloud._loaded_vault_id }}"
"""

RETURN = r"""
_value:
  description: The choice.
  type: dict
  contains:
    vault_id:
      description: The vault id that would be used; empty with an error.
      type: string
    loaded:
      description: The vault ids loaded, in order (empty on ansible-core older than 2.19).
      type: list
      elements: string
    error:
      description: Why no secret can be used; empty when one can.
      type: string
"""

from ansible_collections.prefect.cloud.plugins.filter import loaded_vault_encrypt as impl


def loaded_vault_id(vault_id=None):
    """{'vault_id', 'loaded', 'error'} for the requested vault id."""
    secrets = impl.loaded_secrets()
    label, dummy, error = impl.choose(vault_id or None, secrets, impl.encrypt_identity_setting(), for_role=True)
    return {
        'vault_id': label or '',
        'loaded': [name for name, dummy in secrets or []],
        'error': error or '',
    }


class FilterModule:
    """_loaded_vault_id filter (internal to the agent_credentials role)."""

    def filters(self):
        return {'_loaded_vault_id': loaded_vault_id}
