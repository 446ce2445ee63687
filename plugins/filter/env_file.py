# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The text of a systemd EnvironmentFile with Prefect settings, refusing values that could inject lines."""

from __future__ import annotations

DOCUMENTATION = r"""
name: env_file
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: The text of a systemd EnvironmentFile with Prefect settings
description:
  - Returns C(NAME=value) lines, one per setting, after a comment line.
  - Fails, naming the setting but never its value, when a value is not a string or contains a control
    character (a line break would add a line such as C(LD_PRELOAD=...) to the file), a quote, a backslash
    or leading or trailing whitespace (which systemd would interpret).
  - Used by the P(prefect.cloud.agent_credentials#role) role.
options:
  _input:
    description: Setting name to value, in the order to write them.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Write the env file
  ansible.builtin.copy:
    content: "{{ {'PREFECT_API_URL': url, 'PREFECT_API_KEY': key} | prefect.cloud.env_file }}"
    dest: /etc/prefect/worker.env
    mode: "0600"
  no_log: true
"""

RETURN = r"""
_value:
  description: The text of the env file.
  type: string
"""

import re

from ansible.errors import AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter.profiles_toml import check_value

HEADER = '# Managed by Ansible (prefect.cloud.agent_credentials). Local changes are overwritten.\n'
_NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')


def problems(settings, env=True):
    """One message per setting that cannot be written (names only, never a value)."""
    if not isinstance(settings, dict):
        return ['expected a dict of settings']
    found = []
    for name, value in settings.items():
        if not isinstance(name, str) or not _NAME.match(name):
            found.append('%r is not a valid environment variable name' % (name,))
            continue
        try:
            check_value(name, value)
        except AnsibleFilterError as exc:
            found.append(str(exc))
            continue
        if env and (any(char in value for char in '"\'\\') or value != value.strip() or not value):
            found.append('%s is empty or contains a quote, a backslash or surrounding whitespace; '
                         'refusing to write it to the env file' % name)
    return found


def env_file(settings):
    """NAME=value lines for systemd's EnvironmentFile=."""
    found = problems(settings)
    if found:
        raise AnsibleFilterError('env_file: ' + '; '.join(found))
    return HEADER + ''.join('%s=%s\n' % item for item in settings.items())


class FilterModule:
    """env_file filter."""

    def filters(self):
        return {'env_file': env_file}
