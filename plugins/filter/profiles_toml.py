# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Edit a Prefect profiles.toml with tomlkit: set one profile and the ``active`` key, keep the rest."""

from __future__ import annotations

DOCUMENTATION = r"""
name: profiles_toml
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: Set one profile and the active profile in the text of a Prefect profiles.toml
description:
  - Returns the text of a Prefect C(profiles.toml) in which the profile O(name) holds exactly
    O(settings) and, with O(activate=true), the top-level C(active) key names that profile.
  - The file is edited with the Python library L(tomlkit,https://pypi.org/project/tomlkit/), which keeps
    everything it is not asked to change byte for byte (other profiles, comments, blank lines, the
    spacing and quoting of the user, and TOML that a line-based editor would misread, such as multi-line
    strings, dotted keys and inline tables).
  - "A profile written as a table (C([profiles.<name>])) is rewritten in place: its header line and the
    comments and blank lines after its last setting are kept, its settings are replaced, and a comment
    line says that Ansible manages the table. A profile written as an inline table stays an inline table.
    A profile written with dotted keys (C(<name>.KEY = ...) under C([profiles])) is removed and written as
    a table at the end of the file, as is a profile that does not exist yet."
  - A comment on the C(active) line is kept.
  - The value of every setting must be a string without control characters; otherwise the filter fails
    with a message that names the setting (never its value).
  - The result is parsed again (with Python's C(tomllib), or tomlkit on Python 3.10) and the filter fails,
    before anything is written, if it is not valid TOML, if any other profile or top-level key changed,
    or if the profile does not hold exactly O(settings). A file that is not valid TOML is refused.
  - Needs tomlkit 0.13.2 or later in the Python that runs C(ansible-playbook) (older releases mishandle
    some files, which the check of the result then refuses); without tomlkit the filter fails with a
    one-line message that says what to install.
  - The P(prefect.cloud.agent_credentials#role) role writes its profile with this filter.
requirements:
  - tomlkit >= 0.13.2 (on the controller)
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
    description: The settings of the profile (setting name to string value), in the order to write them.
    type: dict
    required: true
  activate:
    description: Also set the top-level C(active) key to O(name).
    type: bool
    default: true
seealso:
  - plugin: prefect.cloud.profile_settings
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Read the profiles file of the worker user
  ansible.builtin.slurp:
    src: /home/prefect/.prefect/profiles.toml
  register: profiles_file

- name: Point the profile prefect-cloud at a workspace and make it the active profile
  ansible.builtin.copy:
    content: >-
      {{ profiles_file.content | b64decode
         | prefect.cloud.profiles_toml('prefect-cloud', {'PREFECT_API_URL': url, 'PREFECT_API_KEY': key}) }}
    dest: /home/prefect/.prefect/profiles.toml
    mode: "0600"
  no_log: true
"""

RETURN = r"""
_value:
  description: The new text of the profiles file.
  type: string
"""

from ansible.errors import AnsibleFilterError

try:
    import tomllib
except ImportError:  # Python 3.10 (a controller of ansible-core 2.16): tomlkit reads the file too
    tomllib = None

try:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import InlineTable, Table
except ImportError:
    tomlkit = None
    TOMLKitError = ValueError
    InlineTable = Table = type(None)

MANAGED_COMMENT = '# Managed by Ansible (prefect.cloud.agent_credentials): this profile and the "active" line.'
# Written at the top of the whole file by earlier versions of the role, which replaced the file.
OLD_MANAGED_COMMENT = '# Managed by Ansible (prefect.cloud.agent_credentials). Local changes are overwritten.'
TOMLKIT_MISSING = ('the profiles_toml filter needs the Python library tomlkit on the controller: install it into the '
                   'Python that runs ansible-playbook (python3 -m pip install "tomlkit>=0.13.2", or pip install -r '
                   'requirements.txt of the prefect.cloud collection)')


def control_characters(value):
    """True if value holds a C0/C1 control character, DEL or a Unicode line or paragraph separator."""
    return any(ord(char) < 0x20 or 0x7f <= ord(char) <= 0x9f or char in '\u2028\u2029' for char in value)


def check_value(what, value):
    """Fail (naming ``what``, never the value) unless value is a string without control characters."""
    if not isinstance(value, str):
        raise AnsibleFilterError('%s must be a string, not %s' % (what, type(value).__name__))
    if control_characters(value):
        raise AnsibleFilterError('%s contains a control character (for example a line break); refusing to write it' % what)


def load(text):
    """The TOML document as plain Python data (tomllib, or tomlkit where tomllib is missing); ValueError if invalid."""
    if tomllib is not None:
        return tomllib.loads(text)  # tomllib.TOMLDecodeError is a ValueError
    if tomlkit is None:
        raise AnsibleFilterError(TOMLKIT_MISSING)
    try:
        return tomlkit.parse(text).unwrap()
    except TOMLKitError as exc:
        raise ValueError(str(exc)) from None


def _drop_old_managed_comment(text):
    first, newline, rest = text.partition('\n')
    return rest if first.rstrip('\r') == OLD_MANAGED_COMMENT and newline else text


def _managed_table(settings, trailing=()):
    """A tomlkit table: the managed comment, the settings in order, then ``trailing`` (comments, blank lines)."""
    table = tomlkit.table()
    table.add(tomlkit.comment(MANAGED_COMMENT[2:]))
    for key, value in settings.items():
        table.add(key, value)
    for item in trailing:
        table.add(item)
    return table


def _trailing_trivia(table):
    """The comments and blank lines after the last setting of a tomlkit table (they precede the next table)."""
    body = table.value.body
    last = max((index for index, (key, dummy) in enumerate(body) if key is not None), default=-1)
    return [item for key, item in body[last + 1:] if key is None]


def _append_table(text, name, settings):
    """The text with a [profiles.<name>] table added at its end, after a blank line."""
    doc = tomlkit.document()
    profiles = tomlkit.table(is_super_table=True)
    profiles.append(name, _managed_table(settings))
    doc.append('profiles', profiles)
    if text and not text.endswith('\n'):
        text += '\n'
    if text.strip() and not text.endswith('\n\n'):
        text += '\n'
    return text + doc.as_string()


def _edit(text, name, settings, activate):
    """The edited text (not verified yet)."""
    doc = tomlkit.parse(text)
    if activate:
        doc['active'] = tomlkit.string(name)  # a basic string; the comment of an existing active line is kept
    profiles = doc.get('profiles')
    current = profiles.get(name) if profiles is not None and hasattr(profiles, 'get') else None
    if isinstance(profiles, InlineTable) or isinstance(current, InlineTable):
        inline = tomlkit.inline_table()
        inline.update(settings)
        profiles[name] = inline
        return doc.as_string()
    if isinstance(current, Table) and not current.is_super_table():
        profiles[name] = _managed_table(settings, _trailing_trivia(current))
        return doc.as_string()
    if current is not None:
        # dotted keys (or a super table of dotted sub-tables): written again as one table at the end
        del profiles[name]
    return _append_table(doc.as_string(), name, settings)


def profiles_toml(text, name, settings, activate=True):
    """The new file text: the profile ``name`` holds exactly ``settings``; ``active`` names it."""
    if not isinstance(text, str):
        raise AnsibleFilterError('profiles_toml expects the text of the profiles file')
    check_value('the profile name', name)
    if not name or not isinstance(settings, dict):
        raise AnsibleFilterError('profiles_toml needs a profile name and a dict of settings')
    for key, value in settings.items():
        if not isinstance(key, str) or not key or control_characters(key):
            raise AnsibleFilterError('profiles_toml: every setting name must be a non-empty string without control characters')
        check_value(key, value)
    if tomlkit is None:
        raise AnsibleFilterError(TOMLKIT_MISSING)
    text = _drop_old_managed_comment(text)
    try:
        before = load(text)
    except ValueError:
        raise AnsibleFilterError('the existing profiles file is not valid TOML; fix or remove it') from None
    try:
        result = _edit(text, name, settings, activate)
    except (TOMLKitError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AnsibleFilterError('cannot edit the profile %s in the profiles file (%s); the file is left unchanged'
                                 % (name, type(exc).__name__)) from None
    if result and not result.endswith('\n'):
        result += '\n'
    _verify(before, result, name, settings, activate)
    return result


def _verify(before, new, name, settings, activate):
    """The result parses, holds our profile and active key, and leaves every other profile as it was."""
    try:
        after = load(new)
    except ValueError:
        raise AnsibleFilterError('editing the profiles file would give invalid TOML; the file is left unchanged') from None
    others_before = {k: v for k, v in before.get('profiles', {}).items() if k != name}
    others_after = {k: v for k, v in after.get('profiles', {}).items() if k != name}
    if others_before != others_after:
        raise AnsibleFilterError('editing the profiles file would change other profiles; the file is left unchanged')
    if after.get('profiles', {}).get(name) != dict(settings) or (activate and after.get('active') != name):
        raise AnsibleFilterError('editing the profiles file would not give the profile %s exactly the settings; '
                                 'the file is left unchanged' % name)
    rest_before = {k: v for k, v in before.items() if k not in ('profiles', 'active')}
    rest_after = {k: v for k, v in after.items() if k not in ('profiles', 'active')}
    if rest_before != rest_after:
        raise AnsibleFilterError('editing the profiles file would change its other keys; the file is left unchanged')


class FilterModule:
    """profiles_toml filter."""

    def filters(self):
        return {'profiles_toml': profiles_toml}
