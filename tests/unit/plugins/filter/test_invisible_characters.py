# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_invisible_characters: the role's check of text that ends up in a file (issue 28, item 6)."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter._invisible_characters import invisible_characters

NAME = 'agent_credentials_profile_name'


@pytest.mark.parametrize('char', [
    '\u202e', '\u202a', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c',  # bidi controls
    '\u0085', '\u0080', '\u009f',  # C1 controls
    '\n', '\r', '\t', '\x00', '\x1b', '\x7f',  # C0 controls, DEL
    '\u200b', '\ufeff', '\u00ad', '\u2060',  # zero-width and other format characters
    '\u2028', '\u2029',  # line and paragraph separators
])
def test_refused(char):
    value = 'prod' + char + 'uction'
    found = invisible_characters({NAME: value, 'other': 'fine'})
    assert found == ['%s must not contain control or invisible format characters such as a line break or '
                     'U+202E, got U+%04X' % (NAME, ord(char))]
    assert value not in found[0]
    assert '\n' not in found[0]


@pytest.mark.parametrize('value', ['prefect-cloud', 'my cloud', 'é-ü-日本', 'a.b_c', '', None])
def test_accepted(value):
    assert invisible_characters({NAME: value}) == []


def test_never_shows_the_value():
    key = 'pnb_' + 'A' * 32 + '\u202e'
    found = invisible_characters({'PREFECT_API_KEY': key})
    assert len(found) == 1 and 'pnb_' not in found[0] and 'PREFECT_API_KEY' in found[0]


def test_one_message_per_value_in_order():
    found = invisible_characters({'a': 'x\u202e', 'b': 'ok', 'c': 'y\u0085'})
    assert [message.split(' ')[0] for message in found] == ['a', 'c']


def test_not_a_string():
    assert invisible_characters({NAME: 5}) == ['%s must be a string, not int' % NAME]


def test_not_a_dict():
    with pytest.raises(AnsibleFilterError, match='expects a dictionary'):
        invisible_characters(['x'])
