# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which text values hold control or invisible format characters (never showing a value)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: _invisible_characters
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: "[INTERNAL] One message per value with a control or invisible format character"
description:
  - B(Internal.) Only for the P(prefect.cloud.agent_credentials#role) role, not part of the public interface
    of the collection; it can change or go away in any release, without a deprecation period. Do not use
    it in playbooks.
  - Takes a dictionary of names (for example role variables) and text values, and returns one message
    per value that holds a control character (Unicode category Cc, such as a line break, U+0085 or
    another C1 control), a format character (Cf, such as the bidi override U+202E, U+200B or U+FEFF),
    or a line or paragraph separator (Zl, Zp). The modules of this collection refuse the same
    characters in names and handles.
  - A message names the value's key and the first such character's code point, never the value
    (a value may be an API key).
  - Null values are skipped; a value that is not a string gets a message.
  - Used by the P(prefect.cloud.agent_credentials#role) role before it writes a profiles file or an
    env file.
options:
  _input:
    description: Names and values to check.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse a profile name with a bidi override
  ansible.builtin.fail:
    msg: "{{ problems | first }}"
  vars:
    problems: "{{ {'agent_credentials_profile_name': agent_credentials_profile_name} | prefect.cloud._invisible_characters }}"
  when: problems | length > 0
"""

RETURN = r"""
_value:
  description: The messages, one per offending value, in the order of the input (empty when none).
  type: list
  elements: string
"""

import unicodedata

from ansible.errors import AnsibleFilterError

_INVISIBLE = frozenset(('Cc', 'Cf', 'Zl', 'Zp'))


def invisible_characters(values):
    """One message per value of VALUES (a dict) with a Cc, Cf, Zl or Zp character."""
    if not isinstance(values, dict):
        raise AnsibleFilterError('_invisible_characters expects a dictionary of names and values')
    found = []
    for name, value in values.items():
        if value is None:
            continue
        if not isinstance(value, str):
            found.append('%s must be a string, not %s' % (name, type(value).__name__))
            continue
        char = next((c for c in value if unicodedata.category(c) in _INVISIBLE), None)
        if char is not None:
            found.append('%s must not contain control or invisible format characters such as a line break or '
                         'U+202E, got U+%04X' % (name, ord(char)))
    return found


class FilterModule:
    """invisible_characters filter."""

    def filters(self):
        return {'_invisible_characters': invisible_characters}
