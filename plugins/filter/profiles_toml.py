# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Edit a Prefect profiles.toml: replace one profile table and the ``active`` line, keep the rest."""

from __future__ import annotations

DOCUMENTATION = r"""
name: profiles_toml
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: Set one profile and the active profile in the text of a Prefect profiles.toml
description:
  - Returns the text of a Prefect C(profiles.toml) in which the table C([profiles.<name>]) holds exactly
    O(settings) and the top-level C(active) line names that profile.
  - Everything else in the text (other profiles, comments, other top-level keys) is kept byte for byte.
  - The value of every setting must be a string without control characters; otherwise the filter fails
    with a message that names the setting (never its value).
  - When Python's C(tomllib) is available (Python 3.11 or later) the result is parsed again and the filter
    fails if any other profile changed.
  - Used by the P(prefect.cloud.agent_credentials#role) role.
options:
  _input:
    description: The current text of the file (an empty string for a new file).
    type: string
    required: true
  name:
    description: Name of the profile to write.
    type: string
    required: true
  settings:
    description: The settings of the profile (setting name to string value).
    type: dict
    required: true
  activate:
    description: Also set the top-level C(active) key to O(name).
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Compute the new profiles file
  ansible.builtin.set_fact:
    new_profiles: >-
      {{ old_profiles | prefect.cloud.profiles_toml('prefect-cloud',
           {'PREFECT_API_URL': url, 'PREFECT_API_KEY': key}) }}
  no_log: true
"""

RETURN = r"""
_value:
  description: The new text of the profiles file.
  type: string
"""

import json
import re

from ansible.errors import AnsibleFilterError

try:
    import tomllib
except ImportError:  # Python < 3.11: the result is not parsed again
    tomllib = None

MANAGED_COMMENT = '# Managed by Ansible (prefect.cloud.agent_credentials): this profile and the "active" line.'
# Written at the top of the whole file by earlier versions of the role, which replaced the file.
OLD_MANAGED_COMMENT = '# Managed by Ansible (prefect.cloud.agent_credentials). Local changes are overwritten.'
_BARE_KEY = re.compile(r'^[A-Za-z0-9_-]+$')
_ACTIVE_LINE = re.compile(r'^\s*(active|"active"|\'active\')\s*=')


def control_characters(value):
    """True if value holds a C0/C1 control character, DEL or a Unicode line or paragraph separator."""
    return any(ord(char) < 0x20 or 0x7f <= ord(char) <= 0x9f or char in '\u2028\u2029' for char in value)


def check_value(what, value):
    """Fail (naming ``what``, never the value) unless value is a string without control characters."""
    if not isinstance(value, str):
        raise AnsibleFilterError('%s must be a string, not %s' % (what, type(value).__name__))
    if control_characters(value):
        raise AnsibleFilterError('%s contains a control character (for example a line break); refusing to write it' % what)


def toml_string(value):
    """A TOML basic string (JSON escaping is valid TOML for strings without control characters)."""
    return json.dumps(value, ensure_ascii=False)


def toml_key(value):
    return value if _BARE_KEY.match(value) else toml_string(value)


def _read_quoted(line, pos, quote):
    """Index after the string that starts at line[pos] (a quote character); None if unterminated."""
    pos += 1
    while pos < len(line):
        char = line[pos]
        if quote == '"' and char == '\\':
            pos += 2
            continue
        if char == quote:
            return pos + 1
        pos += 1
    return None


def parse_header(line):
    """The dotted key of a table header line (``[a."b c"]``) as a tuple, or None if not a [table] header."""
    text = line.strip()
    if not text.startswith('[') or text.startswith('[['):
        return None
    parts, pos, expect_key = [], 1, True
    while pos < len(text):
        char = text[pos]
        if char in ' \t':
            pos += 1
        elif expect_key and char in '"\'':
            end = _read_quoted(text, pos, char)
            if end is None:
                return None
            raw = text[pos:end]
            parts.append(json.loads(raw) if char == '"' else raw[1:-1])
            pos, expect_key = end, False
        elif expect_key:
            match = re.match(r'[A-Za-z0-9_-]+', text[pos:])
            if not match:
                return None
            parts.append(match.group(0))
            pos, expect_key = pos + match.end(), False
        elif char == '.':
            pos, expect_key = pos + 1, True
        elif char == ']':
            rest = text[pos + 1:].strip()
            return tuple(parts) if parts and (not rest or rest.startswith('#')) else None
        else:
            return None
    return None


def _multiline_state(line, state):
    """The open multi-line string delimiter after this line (None when none is open)."""
    pos = 0
    while pos < len(line):
        if state:
            end = line.find(state, pos)
            while end > 0 and state == '"""' and _escaped(line, end):
                end = line.find(state, end + 1)
            if end < 0:
                return state
            pos, state = end + 3, None
            continue
        char = line[pos]
        if char == '#':
            return None
        if line.startswith('"""', pos) or line.startswith("'''", pos):
            state, pos = line[pos:pos + 3], pos + 3
        elif char in '"\'':
            end = _read_quoted(line, pos, char)
            pos = len(line) if end is None else end
        else:
            pos += 1
    return state


def _escaped(line, index):
    count = 0
    while index - count - 1 >= 0 and line[index - count - 1] == '\\':
        count += 1
    return count % 2 == 1


def split_sections(text):
    """[(header tuple or None, [lines])]: the top level first, then one entry per table or array header."""
    sections = [(None, [])]
    state = None
    for line in text.splitlines(keepends=True):
        if state is None and line.strip().startswith('['):
            header = parse_header(line)
            sections.append((header if header is not None else ('[[array]]', line), [line]))
            continue
        state = _multiline_state(line, state)
        sections[-1][1].append(line)
    return sections


def render_table(name, settings):
    lines = ['[profiles.%s]\n' % toml_key(name), MANAGED_COMMENT + '\n']
    for key, value in settings.items():
        check_value(key, value)
        lines.append('%s = %s\n' % (toml_key(key), toml_string(value)))
    return lines


def profiles_toml(text, name, settings, activate=True):
    """The new file text: [profiles.<name>] holds exactly ``settings``; ``active`` names it."""
    if not isinstance(text, str):
        raise AnsibleFilterError('profiles_toml expects the text of the profiles file')
    check_value('the profile name', name)
    if not name or not isinstance(settings, dict):
        raise AnsibleFilterError('profiles_toml needs a profile name and a dict of settings')
    sections = split_sections(text)
    top = [line for line in sections[0][1] if line.rstrip('\r\n') != OLD_MANAGED_COMMENT]
    if activate:
        active = 'active = %s\n' % toml_string(name)
        index = next((i for i, line in enumerate(top) if _ACTIVE_LINE.match(line)), None)
        if index is None:
            # after the leading comment lines, so that a file's header comment stays first
            index = next((i for i, line in enumerate(top) if not line.lstrip().startswith('#')), len(top))
            top.insert(index, active)
        else:
            top[index] = active
    table = render_table(name, settings)
    out = [top]
    placed = False
    for header, lines in sections[1:]:
        if header == ('profiles', name):
            if not placed:
                out.append(table + _trailing_blank(lines))
                placed = True
            continue  # a duplicate table of ours (invalid TOML) is dropped
        out.append(lines)
    if not placed:
        out.append((['\n'] if any(line.strip() for chunk in out for line in chunk) else []) + table)
    result = ''.join(''.join(chunk) for chunk in out)
    if result and not result.endswith('\n'):
        result += '\n'
    _verify(text, result, name, settings)
    return result


def _trailing_blank(lines):
    """Blank lines that end a replaced section (they separate it from the next one)."""
    count = 0
    for line in reversed(lines):
        if line.strip():
            break
        count += 1
    return ['\n'] * count


def _verify(old, new, name, settings):
    """With tomllib: the result parses, holds our profile and leaves every other profile as it was."""
    if tomllib is None:
        return
    try:
        before = tomllib.loads(old) if old.strip() else {}
    except tomllib.TOMLDecodeError:
        raise AnsibleFilterError('the existing profiles file is not valid TOML; fix or remove it') from None
    try:
        after = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        raise AnsibleFilterError('editing the profiles file would give invalid TOML; the file is left unchanged') from None
    others_before = {k: v for k, v in before.get('profiles', {}).items() if k != name}
    others_after = {k: v for k, v in after.get('profiles', {}).items() if k != name}
    if others_before != others_after or after.get('profiles', {}).get(name) != dict(settings):
        raise AnsibleFilterError('editing the profiles file would change other profiles; the file is left unchanged')


class FilterModule:
    """profiles_toml filter."""

    def filters(self):
        return {'profiles_toml': profiles_toml}
