# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Read the string settings of one profile table of a Prefect profiles.toml."""

from __future__ import annotations

DOCUMENTATION = r"""
name: profile_settings
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: The settings of one profile in the text of a Prefect profiles.toml
description:
  - Returns the C(KEY = "string") settings of the table C([profiles.<name>]) as a dict; other profiles
    are not read. A file or a table that cannot be read gives an empty dict.
  - Used by the P(prefect.cloud.agent_credentials#role) role to find the key it deployed.
options:
  _input:
    description: The text of the profiles file.
    type: string
    required: true
  name:
    description: Name of the profile.
    type: string
    required: true
"""

EXAMPLES = r"""
- name: Find the deployed key
  ansible.builtin.set_fact:
    deployed_key: "{{ (profiles_text | prefect.cloud.profile_settings('prefect-cloud')).PREFECT_API_KEY | default('') }}"
  no_log: true
"""

RETURN = r"""
_value:
  description: Setting name to value, for the settings whose value is a single-line string.
  type: dict
"""

import json
import re

from ansible_collections.prefect.cloud.plugins.filter.profiles_toml import split_sections

_SETTING = re.compile(r'''^\s*([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*(?:#.*)?$''')


def profile_settings(text, name):
    """Settings of [profiles.<name>] whose values are single-line strings."""
    if not isinstance(text, str):
        return {}
    settings = {}
    for header, lines in split_sections(text):
        if header != ('profiles', name):
            continue
        for line in lines[1:]:
            match = _SETTING.match(line.rstrip('\r\n'))
            if match:
                raw = match.group(2)
                try:
                    settings[match.group(1)] = json.loads(raw) if raw.startswith('"') else raw[1:-1]
                except ValueError:
                    continue
    return settings


class FilterModule:
    """profile_settings filter."""

    def filters(self):
        return {'profile_settings': profile_settings}
