# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Read the settings of one profile of a Prefect profiles.toml (Python's tomllib)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: profile_settings
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: The settings of one profile in the text of a Prefect profiles.toml
description:
  - Returns the settings of the profile O(name) (the table C(profiles.<name>)) as a dict, in any form TOML
    allows (a C([profiles.<name>]) table, dotted keys, an inline table; basic, literal and multi-line
    strings), as Prefect reads them.
  - The text is parsed with Python's C(tomllib) (Python 3.11 or later; on Python 3.10, with the library
    tomlkit, which P(prefect.cloud.profiles_toml#filter) needs anyway).
  - Text that is not valid TOML, a missing profile, or a profile that is not a table give an empty dict.
  - The P(prefect.cloud.agent_credentials#role) role finds the key it deployed with this filter.
options:
  _input:
    description: The text of the profiles file.
    type: string
    required: true
  name:
    description: Name of the profile.
    type: string
    required: true
seealso:
  - plugin: prefect.cloud.profiles_toml
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Read the profiles file of the worker user
  ansible.builtin.slurp:
    src: /home/prefect/.prefect/profiles.toml
  register: profiles_file

- name: Find the API URL of the profile prefect-cloud
  ansible.builtin.set_fact:
    api_url: "{{ (profiles_file.content | b64decode | prefect.cloud.profile_settings('prefect-cloud')).PREFECT_API_URL | default('') }}"
"""

RETURN = r"""
_value:
  description: Setting name to value (strings, and the other TOML values as C(tomllib) reads them).
  type: dict
"""

from ansible_collections.prefect.cloud.plugins.filter.profiles_toml import load


def profile_settings(text, name):
    """The table profiles.<name> of the TOML text as a dict; {} when it cannot be read."""
    if not isinstance(text, str):
        return {}
    try:
        data = load(text)
    except ValueError:
        return {}
    profiles = data.get('profiles')
    profile = profiles.get(name) if isinstance(profiles, dict) else None
    return dict(profile) if isinstance(profile, dict) else {}


class FilterModule:
    """profile_settings filter."""

    def filters(self):
        return {'profile_settings': profile_settings}
