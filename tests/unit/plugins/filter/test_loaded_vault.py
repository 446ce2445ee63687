# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""loaded_vault_encrypt (public) / _loaded_vault_id (internal to the role): encrypt with a vault secret that ansible-playbook loaded."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from ansible.errors import AnsibleFilterError
from ansible.parsing.vault import VaultLib, VaultSecret
from ansible.release import __version__ as CORE

from ansible_collections.prefect.cloud.plugins.filter import loaded_vault_encrypt as mod
from ansible_collections.prefect.cloud.plugins.filter.loaded_vault_encrypt import loaded_vault_encrypt
from ansible_collections.prefect.cloud.plugins.filter._loaded_vault_id import loaded_vault_id

KEY = 'pnu_' + 'Qw7' * 12
HAS_CONTEXT = mod.VaultSecretsContext is not None
needs_context = pytest.mark.skipif(
    not HAS_CONTEXT, reason='ansible-core %s has no ansible.parsing.vault.VaultSecretsContext (2.19+)' % CORE)


def secrets(*labels):
    return [(label, VaultSecret(('password-of-' + label).encode())) for label in labels]


@pytest.fixture(name='loaded')
def loaded_fixture(monkeypatch):
    """Make VaultSecretsContext.current() answer the given secrets (None: not initialised)."""
    def load(pairs):
        context = None if pairs is None else mod.VaultSecretsContext(pairs)
        monkeypatch.setattr(mod.VaultSecretsContext, 'current', classmethod(lambda cls, optional=False: context))
    monkeypatch.setattr(mod, 'encrypt_identity_setting', lambda: None)
    return load


@needs_context
def test_encrypts_with_the_first_loaded_secret_by_default(loaded):
    pairs = secrets('store', 'other')
    loaded(pairs)
    text = loaded_vault_encrypt(KEY)
    assert text.startswith('$ANSIBLE_VAULT;1.2;AES256;store\n')
    assert KEY not in text
    assert VaultLib([pairs[0]]).decrypt(text) == KEY.encode()
    with pytest.raises(Exception):
        VaultLib([('store', pairs[1][1])]).decrypt(text)  # not the other secret


@needs_context
def test_the_requested_vault_id_is_used(loaded):
    pairs = secrets('first', 'store')
    loaded(pairs)
    text = loaded_vault_encrypt(KEY, vault_id='store')
    assert text.startswith('$ANSIBLE_VAULT;1.2;AES256;store\n')
    assert VaultLib([pairs[1]]).decrypt(text) == KEY.encode()
    with pytest.raises(Exception):
        VaultLib([('store', pairs[0][1])]).decrypt(text)
    assert loaded_vault_id('store') == {'vault_id': 'store', 'loaded': ['first', 'store'], 'error': ''}


@needs_context
def test_the_vault_encrypt_identity_setting_is_the_default(loaded, monkeypatch):
    pairs = secrets('first', 'store')
    loaded(pairs)
    monkeypatch.setattr(mod, 'encrypt_identity_setting', lambda: 'store')
    assert loaded_vault_id(None)['vault_id'] == 'store'
    assert VaultLib([pairs[1]]).decrypt(loaded_vault_encrypt(KEY)) == KEY.encode()
    assert loaded_vault_id('first')['vault_id'] == 'first'  # the variable wins


@needs_context
def test_a_vault_id_that_is_not_loaded_names_the_loaded_ones(loaded):
    loaded(secrets('alpha', 'beta'))
    with pytest.raises(AnsibleFilterError) as info:
        loaded_vault_encrypt(KEY, vault_id='store')
    message = str(info.value)
    assert 'the vault id store (vault_id) is not among the vault ids given to ansible-playbook: alpha, beta.' in message
    assert KEY not in message and 'password-of' not in message
    result = loaded_vault_id('store')
    assert result['vault_id'] == '' and result['loaded'] == ['alpha', 'beta']
    assert result['error'] == ('the vault id store (agent_credentials_key_store_vault_id) is not among the vault ids '
                               'given to ansible-playbook: alpha, beta.')


@needs_context
@pytest.mark.parametrize('pairs', [[], None], ids=['no-secret', 'no-context'])
def test_no_secret_and_no_password_is_a_clear_error(loaded, pairs):
    loaded(pairs)
    with pytest.raises(AnsibleFilterError) as info:
        loaded_vault_encrypt(KEY)
    message = str(info.value)
    assert 'no vault secret was given to ansible-playbook' in message and '--vault-id' in message
    assert 'agent_credentials' not in message  # the public filter names no variable of the role
    assert KEY not in message
    role_message = message.split(': ', 1)[1][:-1] + ', or set agent_credentials_key_store_vault_password.'
    assert loaded_vault_id(None) == {'vault_id': '', 'loaded': [], 'error': role_message}


def test_without_the_context_the_password_is_required(monkeypatch):
    monkeypatch.setattr(mod, 'VaultSecretsContext', None)
    with pytest.raises(AnsibleFilterError) as info:
        loaded_vault_encrypt(KEY, vault_id='store')
    message = str(info.value)
    assert 'needs ansible-core 2.19 or later, this is ansible-core %s' % CORE in message and '\n' not in message
    assert 'ansible.builtin.vault' in message and 'agent_credentials' not in message
    result = loaded_vault_id('store')
    assert result['vault_id'] == '' and result['loaded'] == []
    assert 'agent_credentials_key_store_vault_password is required on ansible-core %s' % CORE in result['error']
    assert 'needs ansible-core 2.19 or later' in result['error']


@pytest.mark.skipif(HAS_CONTEXT, reason='ansible-core %s has VaultSecretsContext' % CORE)
def test_old_core_has_no_public_way():
    with pytest.raises(AnsibleFilterError, match='this is ansible-core %s' % CORE.replace('.', r'\.')):
        loaded_vault_encrypt(KEY)
    assert 'is required on ansible-core %s' % CORE in loaded_vault_id(None)['error']


def test_only_strings():
    with pytest.raises(AnsibleFilterError, match='can only encrypt a string'):
        loaded_vault_encrypt({'key': KEY})


@needs_context
def test_the_real_context_as_ansible_playbook_initialises_it(tmp_path):
    """A fresh interpreter: VaultSecretsContext.initialize(), as ansible.cli.CLI.setup_vault_secrets does."""
    script = textwrap.dedent('''
        import sys
        from ansible.parsing.vault import VaultLib, VaultSecret, VaultSecretsContext
        from ansible_collections.prefect.cloud.plugins.filter.loaded_vault_encrypt import loaded_vault_encrypt
        pairs = [('default', VaultSecret(b'one')), ('store', VaultSecret(b'two'))]
        VaultSecretsContext.initialize(VaultSecretsContext(pairs))
        text = loaded_vault_encrypt(sys.argv[1], vault_id='store')
        assert sys.argv[1] not in text
        assert VaultLib([('x', VaultSecret(b'two'))]).decrypt(text) == sys.argv[1].encode()
        print(text.splitlines()[0])
    ''')
    result = subprocess.run([sys.executable, '-c', script, KEY], capture_output=True, text=True, check=False,
                            env=dict(os.environ, ANSIBLE_VAULT_ENCRYPT_IDENTITY='', PYTHONPATH=os.pathsep.join(sys.path)),
                            cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '$ANSIBLE_VAULT;1.2;AES256;store'
