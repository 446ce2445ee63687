# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Encrypt a text with one of the vault secrets ansible-playbook loaded (--vault-id, --vault-password-file)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: loaded_vault_encrypt
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: Encrypt a text with a vault secret given to ansible-playbook
description:
  - Returns the Ansible Vault text of the input, encrypted with one of the vault secrets that
    C(ansible-playbook) loaded (C(--vault-id), C(--vault-password-file), C(--ask-vault-pass), the
    C(vault_identity_list) and C(vault_password_file) settings, or an AWX Vault credential, which
    AWX passes as C(--vault-id)). No vault password has to be given to the play.
  - "Which secret: O(vault_id) when given; otherwise the vault id of the setting
    C(vault_encrypt_identity) (C([defaults]) in C(ansible.cfg), or C(ANSIBLE_VAULT_ENCRYPT_IDENTITY))
    when set, as C(ansible-vault encrypt) does for C(--encrypt-vault-id); otherwise the first
    secret loaded (C(vault_identity_list) first, then the command line options in their order), as C(ansible.parsing.vault.match_encrypt_secret)."
  - "Unlike C(ansible-vault encrypt), several loaded vault ids are not an error: the first is used.
    Give O(vault_id) when several are loaded."
  - Needs ansible-core 2.19 or later (C(ansible.parsing.vault.VaultSecretsContext)); fails on older
    versions, naming the version needed.
  - Fails, naming the loaded vault ids (never a secret), when no secret is loaded or O(vault_id) is
    not one of them. Never includes the input in an error.
  - Runs on the controller. The P(prefect.cloud.agent_credentials#role) role encrypts its key store with it.
options:
  _input:
    description: The text to encrypt.
    type: string
    required: true
  vault_id:
    description:
      - Vault id (label) of the loaded secret to encrypt with, for example V(store) for
        C(--vault-id store@/path/to/file). Also written in the vault header.
      - V(null) or empty chooses as described above.
    type: string
seealso:
  - plugin: ansible.builtin.vault
    plugin_type: filter
    description: Encrypt with a password given to the play instead.
"""

EXAMPLES = r"""
# ansible-playbook --vault-id store@~/.vault-pass-store site.yml
- name: Write a secret encrypted with the vault id "store"
  ansible.builtin.copy:
    content: "{{ my_secret | prefect.cloud.loaded_vault_encrypt(vault_id='store') }}"
    dest: /srv/secrets/my_secret.vault
    mode: "0600"
    decrypt: false  # otherwise ansible.builtin.copy writes the decrypted text
  no_log: true
"""

RETURN = r"""
_value:
  description: The Ansible Vault text (C($ANSIBLE_VAULT;1.2;AES256;<vault id>) and the encrypted data).
  type: string
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.parsing.vault import VaultLib
from ansible.release import __version__ as ANSIBLE_CORE_VERSION

try:  # ansible-core 2.19+: the vault secrets the CLI loaded, for any controller-side plugin
    from ansible.parsing.vault import VaultSecretsContext
except ImportError:  # ansible-core 2.16 to 2.18: no public access to them
    VaultSecretsContext = None

MINIMUM_CORE = '2.19'
# The words of the messages: the filter's own option, or (for_role) the variables of the agent_credentials role.
PASSWORD_OPTION = 'agent_credentials_key_store_vault_password'
ROLE_VAULT_ID_OPTION = 'agent_credentials_key_store_vault_id'


def loaded_secrets():
    """(vault id, VaultSecret) pairs loaded by ansible-playbook, in its order; None when unsupported."""
    if VaultSecretsContext is None:
        return None
    current = VaultSecretsContext.current(optional=True)
    return list(current.secrets) if current is not None else []


def encrypt_identity_setting():
    """The vault_encrypt_identity setting (ansible-vault's default for --encrypt-vault-id), or None."""
    try:
        from ansible import constants as C  # pylint: disable=import-outside-toplevel
        return C.config.get_config_value('DEFAULT_VAULT_ENCRYPT_IDENTITY') or None
    except Exception:  # pylint: disable=broad-exception-caught  # a setting that cannot be read
        return None


def choose(vault_id=None, secrets=None, encrypt_identity=None, for_role=False):
    """(vault id, secret, error): the secret to encrypt with, or an error that names no secret.

    The error names the filter's option vault_id, or with for_role the variables of the agent_credentials role.
    """
    if secrets is None:
        secrets = loaded_secrets()
    if secrets is None:
        if for_role:
            return None, None, (
                '%s is required on ansible-core %s: encrypting with the vault secrets given to ansible-playbook '
                '(--vault-id, --vault-password-file, an AWX Vault credential) needs ansible-core %s or later.'
                % (PASSWORD_OPTION, ANSIBLE_CORE_VERSION, MINIMUM_CORE))
        return None, None, (
            'encrypting with the vault secrets given to ansible-playbook needs ansible-core %s or later, this is '
            'ansible-core %s: encrypt with ansible.builtin.vault and a password instead.' % (MINIMUM_CORE, ANSIBLE_CORE_VERSION))
    labels = [label for label, dummy in secrets]
    if not secrets:
        return None, None, (
            'no vault secret was given to ansible-playbook: give one with --vault-id LABEL@FILE (or '
            '--vault-password-file, or an AWX Vault credential)%s.' % (', or set %s' % PASSWORD_OPTION if for_role else ''))
    wanted = vault_id or encrypt_identity
    if not wanted:
        label, secret = secrets[0]
        return label, secret, None
    for label, secret in secrets:
        if label == wanted:
            return label, secret, None
    origin = ((ROLE_VAULT_ID_OPTION if for_role else 'vault_id') if vault_id
              else 'the setting vault_encrypt_identity (ANSIBLE_VAULT_ENCRYPT_IDENTITY)')
    return None, None, (
        'the vault id %s (%s) is not among the vault ids given to ansible-playbook: %s.'
        % (wanted, origin, ', '.join(labels)))


def loaded_vault_encrypt(data, vault_id=None):
    """The vault text of data, encrypted with a loaded vault secret."""
    if not isinstance(data, (str, bytes)):
        raise AnsibleFilterError('loaded_vault_encrypt: can only encrypt a string, got %s' % type(data).__name__)
    label, secret, error = choose(vault_id, encrypt_identity=encrypt_identity_setting())
    if error:
        raise AnsibleFilterError('loaded_vault_encrypt: ' + error)
    try:
        vaulttext = VaultLib().encrypt(to_bytes(data, errors='surrogate_or_strict'), secret, vault_id=label)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        # never the exception's text: it could quote the data
        raise AnsibleFilterError('loaded_vault_encrypt: unable to encrypt with the vault id %s (%s)'
                                 % (label, type(exc).__name__)) from None
    return to_text(vaulttext)


class FilterModule:
    """loaded_vault_encrypt filter."""

    def filters(self):
        return {'loaded_vault_encrypt': loaded_vault_encrypt}
