# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Remove one profile (and the active line naming it) from a Prefect profiles.toml with tomlkit."""

from __future__ import annotations

DOCUMENTATION = r"""
name: _profile_remove
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: "[INTERNAL] Remove one profile from the text of a Prefect profiles.toml"
description:
  - B(Internal.) Only for the P(prefect.cloud.agent_credentials#role) role, not part of the public interface
    of the collection; it can change or go away in any release, without a deprecation period. Do not use
    it in playbooks.
  - Returns the text of a Prefect C(profiles.toml) without the profile O(name), and without the top-level
    C(active) key when it names that profile (Prefect then uses its default profile). Used by the
    P(prefect.cloud.agent_credentials#role) role when it decommissions a host (C(agent_credentials_state=absent)).
  - The file is edited with the Python library L(tomlkit,https://pypi.org/project/tomlkit/) like
    P(prefect.cloud.profiles_toml#filter) does. Every other profile, comment, blank line and the layout of
    the file are kept byte for byte. The comments and blank lines after the last setting of a removed
    table are kept (they precede the next table); its header line, its settings and the comment line
    that the role wrote into it go. When the removed table ends the file, the blank lines before it go
    too (the role added one when it appended the table).
  - A file without the profile (and whose C(active) key does not name it) is returned unchanged.
  - The result is parsed again and the filter fails, before anything is written, if it is not valid TOML,
    if any other profile or top-level key changed, or if the profile is still there. A file that is not
    valid TOML is refused.
  - Returns an empty string when nothing but blank lines would be left (the role then removes the file).
requirements:
  - tomlkit >= 0.13.2 (on the controller)
options:
  _input:
    description: The current text of the file.
    type: string
    required: true
  name:
    description: Name of the profile to remove.
    type: string
    required: true
"""

EXAMPLES = r"""
- name: Remove the profile prefect-cloud from the profiles file
  ansible.builtin.copy:
    content: "{{ profiles_file.content | b64decode | prefect.cloud._profile_remove('prefect-cloud') }}"
    dest: /home/prefect/.prefect/profiles.toml
    mode: "0600"
  no_log: true
"""

RETURN = r"""
_value:
  description: The new text of the profiles file (empty when nothing else is left in it).
  type: string
"""

import uuid

from ansible.errors import AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter.profiles_toml import (
    TOMLKIT_MISSING, InlineTable, Table, TOMLKitError, _drop_old_managed_comment, _trailing_trivia, check_value, load,
    tomlkit,
)


def _without_table(doc, profiles, name):
    """The text with the table [profiles.<name>] removed, its trailing comments and blank lines kept."""
    # tomlkit keeps the comments and blank lines after the last setting of a table in that table:
    # keep only them, mark the header line with a comment that cannot occur in the file, render, and
    # drop that line.
    marker = '# agent-credentials-removed-%s' % uuid.uuid4().hex
    table = tomlkit.table()
    for item in _trailing_trivia(profiles[name]):
        table.add(item)
    table.comment(marker[2:])
    profiles[name] = table
    lines = doc.as_string().splitlines(True)
    found = [index for index, line in enumerate(lines) if line.rstrip('\r\n').endswith(marker)]
    if len(found) != 1:
        raise ValueError('the removed table was not found once')
    head, tail = ''.join(lines[:found[0]]), ''.join(lines[found[0] + 1:])
    if not tail.strip():
        # the table ended the file: also drop the blank lines before it (the role added one)
        return head.rstrip('\r\n') + '\n' if head.strip() else ''
    return head + tail


def _edit(text, name):
    doc = tomlkit.parse(text)
    if doc.get('active') == name:
        del doc['active']
    profiles = doc.get('profiles')
    current = profiles.get(name) if profiles is not None and hasattr(profiles, 'get') else None
    if current is None:
        return doc.as_string()
    if isinstance(current, Table) and not isinstance(profiles, InlineTable) and not current.is_super_table():
        return _without_table(doc, profiles, name)
    del profiles[name]  # an inline table, or dotted keys
    return doc.as_string()


def profile_remove(text, name):
    """The file text without the profile ``name`` (and without ``active`` when it names it)."""
    if not isinstance(text, str):
        raise AnsibleFilterError('_profile_remove expects the text of the profiles file')
    check_value('the profile name', name)
    if not name:
        raise AnsibleFilterError('_profile_remove needs a profile name')
    if tomlkit is None:
        raise AnsibleFilterError(TOMLKIT_MISSING)
    text = _drop_old_managed_comment(text)
    try:
        before = load(text)
    except ValueError:
        raise AnsibleFilterError('the existing profiles file is not valid TOML; fix or remove it') from None
    try:
        result = _edit(text, name)
    except (TOMLKitError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AnsibleFilterError('cannot remove the profile %s from the profiles file (%s); the file is left unchanged'
                                 % (name, type(exc).__name__)) from None
    if not result.strip():
        return ''
    _verify(before, result, name)
    return result


def _verify(before, new, name):
    """The result parses, lacks the profile, and every other profile and key is as it was."""
    try:
        after = load(new)
    except ValueError:
        raise AnsibleFilterError('removing the profile would give invalid TOML; the file is left unchanged') from None
    if name in after.get('profiles', {}) or after.get('active') == name:
        raise AnsibleFilterError('the profile %s could not be removed; the file is left unchanged' % name)
    others_before = {k: v for k, v in before.get('profiles', {}).items() if k != name}
    if others_before != after.get('profiles', {}) and (others_before or after.get('profiles')):
        raise AnsibleFilterError('removing the profile would change other profiles; the file is left unchanged')
    rest_before = {k: v for k, v in before.items() if k not in ('profiles', 'active')}
    rest_after = {k: v for k, v in after.items() if k not in ('profiles', 'active')}
    if before.get('active') != name:
        rest_before['active'], rest_after['active'] = before.get('active'), after.get('active')
    if rest_before != rest_after:
        raise AnsibleFilterError('removing the profile would change other keys of the file; the file is left unchanged')


class FilterModule:
    """_profile_remove filter (internal to the agent_credentials role)."""

    def filters(self):
        return {'_profile_remove': profile_remove}
