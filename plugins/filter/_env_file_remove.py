# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Remove the settings the agent_credentials role wrote from the text of a systemd EnvironmentFile."""

from __future__ import annotations

DOCUMENTATION = r"""
name: _env_file_remove
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: "[INTERNAL] Remove settings from the text of a systemd EnvironmentFile"
description:
  - B(Internal.) Only for the P(prefect.cloud.agent_credentials#role) role, not part of the public interface
    of the collection; it can change or go away in any release, without a deprecation period. Do not use
    it in playbooks.
  - Returns the text without the lines that set one of O(names) (C(NAME=value), also with spaces around
    C(=) or C(export) before the name) and without the header comment that P(prefect.cloud.env_file#filter)
    writes. Every other line is kept as it is.
  - Returns an empty string when only blank lines and comments would be left (the role then removes the file).
  - Used by the P(prefect.cloud.agent_credentials#role) role when it decommissions a host
    (C(agent_credentials_state=absent)).
options:
  _input:
    description: The current text of the env file.
    type: string
    required: true
  names:
    description: The names of the settings to remove.
    type: list
    elements: string
    required: true
"""

EXAMPLES = r"""
- name: Remove the Prefect settings from the env file
  ansible.builtin.copy:
    content: "{{ env.content | b64decode | prefect.cloud._env_file_remove(['PREFECT_API_URL', 'PREFECT_API_KEY']) }}"
    dest: /etc/prefect/worker.env
    mode: "0600"
  no_log: true
"""

RETURN = r"""
_value:
  description: The new text of the env file (empty when only blank lines and comments are left).
  type: string
"""

import re

from ansible.errors import AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter.env_file import HEADER


def env_file_remove(text, names):
    """The text without the lines that set one of ``names`` and without the role's header line."""
    if not isinstance(text, str):
        raise AnsibleFilterError('_env_file_remove expects the text of the env file')
    if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) and name for name in names):
        raise AnsibleFilterError('_env_file_remove needs a list of setting names')
    setting = re.compile(r'^\s*(?:export\s+)?(?:%s)\s*=' % '|'.join(re.escape(name) for name in names))
    kept = [line for line in text.splitlines(True)
            if line.rstrip('\r\n') != HEADER.rstrip('\n') and not (names and setting.match(line))]
    if all(not line.strip() or line.lstrip().startswith('#') for line in kept):
        return ''
    return ''.join(kept)


class FilterModule:
    """_env_file_remove filter (internal to the agent_credentials role)."""

    def filters(self):
        return {'_env_file_remove': env_file_remove}
