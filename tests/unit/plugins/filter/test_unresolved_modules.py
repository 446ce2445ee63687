# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_unresolved_modules (internal to the agent_credentials role): which modules of a list the controller cannot find.

The plugin loader is replaced by a stub here (a bare pytest run has no configured loader); the
role_agent_credentials_hashi_vault integration target uses the real one, with and without
community.hashi_vault installed.
"""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleError, AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter import _unresolved_modules as plugin

KNOWN = {'ansible.builtin.copy', 'ansible.builtin.stat', 'community.hashi_vault.vault_kv2_get'}


class _Context:
    def __init__(self, resolved):
        self.resolved = resolved


class _Loader:
    def find_plugin_with_context(self, name):
        if name == 'broken.collection.module':
            raise AnsibleError('bad routing metadata')
        return _Context(name in KNOWN)


@pytest.fixture(autouse=True)
def _stub_loader(monkeypatch):
    monkeypatch.setattr(plugin, 'module_loader', _Loader())


def test_resolvable_modules_give_an_empty_list():
    assert not plugin.unresolved_modules(['ansible.builtin.copy', 'community.hashi_vault.vault_kv2_get'])


def test_missing_and_broken_modules_are_listed_in_order():
    names = ['ansible.builtin.copy', 'community.hashi_vault.vault_kv2_write', 'broken.collection.module',
             'ansible.builtin.stat']
    assert plugin.unresolved_modules(names) == ['community.hashi_vault.vault_kv2_write', 'broken.collection.module']


def test_refuses_a_string():
    with pytest.raises(AnsibleFilterError):
        plugin.unresolved_modules('ansible.builtin.copy')


def test_registered():
    assert plugin.FilterModule().filters()['_unresolved_modules'] is plugin.unresolved_modules
