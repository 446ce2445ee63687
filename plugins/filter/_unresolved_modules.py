# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The modules of a list that the controller cannot resolve (a collection that is not installed)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: _unresolved_modules
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: "[INTERNAL] The modules of a list that the controller cannot resolve"
description:
  - B(Internal.) Only for the P(prefect.cloud.agent_credentials#role) role, not part of the public interface
    of the collection; it can change or go away in any release, without a deprecation period. Do not use
    it in playbooks.
  - Returns the names of the modules (fully qualified collection names) that ansible-core on the
    controller cannot find, for example because their collection is not installed or is too old to
    have them. An empty list means that every module can be used.
  - Lets a role fail with a one-line message before it includes a task file that uses an optional
    collection; ansible-core itself refuses such a file with a parser error that ends the whole run.
  - Used by the P(prefect.cloud.agent_credentials#role) role before it uses the HashiCorp Vault key
    store (C(community.hashi_vault)).
options:
  _input:
    description: Fully qualified module names.
    type: list
    elements: string
    required: true
"""

EXAMPLES = r"""
- name: Fail when community.hashi_vault is not installed
  ansible.builtin.fail:
    msg: "This needs the collection community.hashi_vault >= 4.2.0."
  when: >-
    ['community.hashi_vault.vault_kv2_get', 'community.hashi_vault.vault_kv2_write']
    | prefect.cloud._unresolved_modules | length > 0
"""

RETURN = r"""
_value:
  description: The names of the modules that cannot be resolved (empty when every module can).
  type: list
  elements: string
"""

from ansible.errors import AnsibleError, AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.loader import module_loader


def _resolves(name):
    try:
        return module_loader.find_plugin_with_context(name).resolved
    except AnsibleError:  # a broken collection (bad metadata, routing) counts as missing
        return False


def unresolved_modules(names):
    """The names of NAMES that do not resolve to a module on the controller."""
    if isinstance(names, (str, bytes)) or not hasattr(names, '__iter__'):
        raise AnsibleFilterError('unresolved_modules expects a list of module names')
    return [to_text(name) for name in names if not _resolves(to_text(name))]


class FilterModule:
    """_unresolved_modules filter (internal to the agent_credentials role)."""

    def filters(self):
        return {'_unresolved_modules': unresolved_modules}
