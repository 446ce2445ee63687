# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""env_file (and the internal _setting_problems): NAME=value lines; values that could inject a line are refused."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter.env_file import HEADER, env_file
from ansible_collections.prefect.cloud.plugins.filter._setting_problems import setting_problems

KEY = 'pnb_' + 'Zx9' * 12


def test_lines_in_order():
    text = env_file({'PREFECT_API_URL': 'https://api.example.test/api/accounts/a/workspaces/w', 'PREFECT_API_KEY': KEY})
    assert text == HEADER + 'PREFECT_API_URL=https://api.example.test/api/accounts/a/workspaces/w\nPREFECT_API_KEY=%s\n' % KEY


@pytest.mark.parametrize('bad', [KEY + '\nLD_PRELOAD=evil.so', KEY + '\rX=1', KEY + '\x1b', KEY + '\x7f', KEY + '\u2029'])
def test_injection_is_refused_without_showing_the_value(bad):
    with pytest.raises(AnsibleFilterError) as info:
        env_file({'PREFECT_API_URL': 'https://x/api', 'PREFECT_API_KEY': bad})
    message = str(info.value)
    assert message.startswith('env_file: PREFECT_API_KEY contains a control character')
    assert KEY not in message and 'LD_PRELOAD' not in message


def test_url_with_line_break_is_refused():
    with pytest.raises(AnsibleFilterError, match='^env_file: PREFECT_API_URL contains a control character'):
        env_file({'PREFECT_API_URL': 'https://x/api\nLD_PRELOAD=evil.so', 'PREFECT_API_KEY': KEY})


@pytest.mark.parametrize('bad', ['a"b', "a'b", 'a\\b', ' a', 'a ', ''])
def test_characters_systemd_interprets_are_refused(bad):
    with pytest.raises(AnsibleFilterError, match='^env_file: PREFECT_API_KEY is empty or contains a quote'):
        env_file({'PREFECT_API_KEY': bad})


@pytest.mark.parametrize('settings', [{'BAD NAME': 'x'}, {'1X': 'x'}, ['not', 'a', 'dict'], {'PREFECT_API_KEY': None}])
def test_bad_input(settings):
    with pytest.raises(AnsibleFilterError):
        env_file(settings)


def test_setting_problems_lists_every_problem_by_name():
    found = setting_problems({'PREFECT_API_URL': 'https://x/api\n', 'PREFECT_API_KEY': KEY + '\nLD_PRELOAD=evil.so',
                              'PREFECT_CLOUD_API_URL': 'https://x/api'})
    assert found == ['PREFECT_API_URL contains a control character (for example a line break); refusing to write it',
                     'PREFECT_API_KEY contains a control character (for example a line break); refusing to write it']
    assert setting_problems({'PREFECT_API_KEY': ' quoted"'}, env=False) == []
    assert setting_problems({'PREFECT_API_KEY': ' quoted"'}, env='true') != []
    assert setting_problems('nope') == ['expected a dict of settings']
