# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Why Prefect settings cannot be written to a profile or an env file (names only, never values)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: _setting_problems
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: "[INTERNAL] Why Prefect settings cannot be written to a profile or an env file"
description:
  - B(Internal.) Only for the P(prefect.cloud.agent_credentials#role) role, not part of the public interface
    of the collection; it can change or go away in any release, without a deprecation period. Do not use
    it in playbooks.
  - Returns one message per setting whose value is not a string, contains a control character
    (C0, DEL, C1, Unicode line or paragraph separator), or, with O(env=true), a quote, a backslash or
    surrounding whitespace. An empty list means every setting can be written.
  - The messages name the settings, never their values, so that they can be shown without C(no_log).
  - Used by the P(prefect.cloud.agent_credentials#role) role before it writes any file.
options:
  _input:
    description: Setting name to value.
    type: dict
    required: true
  env:
    description: Also apply the rules of a systemd C(EnvironmentFile).
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Refuse values that could inject lines into the env file
  ansible.builtin.fail:
    msg: "{{ problems | join('; ') }}"
  vars:
    problems: "{{ {'PREFECT_API_URL': url, 'PREFECT_API_KEY': key} | prefect.cloud._setting_problems }}"
  when: problems | length > 0
"""

RETURN = r"""
_value:
  description: The problems, one message each (empty when there is none).
  type: list
  elements: string
"""

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.prefect.cloud.plugins.filter.env_file import problems


def setting_problems(settings, env=True):
    """Messages about the settings that cannot be written."""
    return problems(settings, env=boolean(env, strict=False))


class FilterModule:
    """_setting_problems filter (internal to the agent_credentials role)."""

    def filters(self):
        return {'_setting_problems': setting_problems}
