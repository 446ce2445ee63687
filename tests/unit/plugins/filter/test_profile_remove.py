# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_profile_remove and _env_file_remove: undo what the agent_credentials role wrote, keep everything else byte for byte."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter._env_file_remove import env_file_remove
from ansible_collections.prefect.cloud.plugins.filter._profile_remove import profile_remove
from ansible_collections.prefect.cloud.plugins.filter.env_file import env_file
from ansible_collections.prefect.cloud.plugins.filter.profiles_toml import profiles_toml

tomllib = pytest.importorskip('tomllib')

KEY = 'pnb_' + 'q7R' * 12
SETTINGS = {'PREFECT_API_URL': 'https://api.example.test/api/accounts/a/workspaces/w', 'PREFECT_API_KEY': KEY,
            'PREFECT_CLOUD_API_URL': 'https://api.example.test/api'}
NAMES = ['PREFECT_API_URL', 'PREFECT_API_KEY', 'PREFECT_CLOUD_API_URL']

USER = '''# profiles of the user
active = "local"   # mine

[profiles.local]
PREFECT_API_URL = "http://127.0.0.1:4200/api"

[profiles."my cloud"]  # a second profile
PREFECT_API_KEY = "pnu_personal"
PREFECT_API_URL = """
[profiles.prefect-cloud]
not a header"""
'''


def test_deploy_then_remove_gives_the_file_back_byte_for_byte():
    # without an active line the round trip is exact; the role's active line goes with its profile
    without_active = USER.replace('active = "local"   # mine\n', '')
    assert profile_remove(profiles_toml(without_active, 'prefect-cloud', SETTINGS), 'prefect-cloud') == without_active
    assert profile_remove(profiles_toml(USER, 'prefect-cloud', SETTINGS), 'prefect-cloud') == without_active


def test_a_file_that_only_held_the_role_profile_becomes_empty():
    assert profile_remove(profiles_toml('', 'prefect-cloud', SETTINGS), 'prefect-cloud') == ''


def test_an_active_line_naming_another_profile_is_kept():
    deployed = profiles_toml(USER, 'prefect-cloud', SETTINGS).replace('active = "prefect-cloud"', 'active = "local"')
    assert profile_remove(deployed, 'prefect-cloud') == USER


def test_a_table_in_the_middle_keeps_the_comments_after_it_and_the_next_tables():
    ours = '[profiles.prefect-cloud]\nPREFECT_API_KEY = "%s"\n  # a comment inside our table\nX = "1"\n' % KEY
    after = '# about the next table\n\n[tool]\nx = 1\n\n[profiles.zeta]\nPREFECT_API_KEY = "pnu_zeta"  # no newline'
    text = USER + '\n  ' + ours + after
    assert profile_remove(text, 'prefect-cloud') == USER + '\n' + after


@pytest.mark.parametrize('text, expected', [
    ('[profiles]\nlocal = { A = "1" }\nprefect-cloud = { A = "2" }\n', '[profiles]\nlocal = { A = "1" }\n'),
    ('[profiles]\nprefect-cloud.A = "2"\nlocal.A = "1"\n', '[profiles]\nlocal.A = "1"\n'),
])
def test_inline_tables_and_dotted_keys(text, expected):
    assert profile_remove(text, 'prefect-cloud') == expected


def test_a_file_without_the_profile_is_unchanged_and_removal_is_idempotent():
    assert profile_remove(USER, 'prefect-cloud') == USER
    once = profile_remove(profiles_toml(USER, 'prefect-cloud', SETTINGS), 'prefect-cloud')
    assert profile_remove(once, 'prefect-cloud') == once


def test_invalid_toml_is_refused_without_showing_the_file():
    with pytest.raises(AnsibleFilterError) as info:
        profile_remove('[profiles.prefect-cloud]\nPREFECT_API_KEY = "%s\\q"\n' % KEY, 'prefect-cloud')
    assert 'not valid TOML' in str(info.value)
    assert KEY not in str(info.value)


def test_env_file_keeps_the_lines_of_the_user_only():
    deployed = env_file(SETTINGS)
    assert env_file_remove(deployed, NAMES) == ''
    edited = '# my notes\n' + deployed + 'export PREFECT_API_KEY = "%s"\nHTTPS_PROXY=http://proxy:3128\n' % KEY
    assert env_file_remove(edited, NAMES) == '# my notes\nHTTPS_PROXY=http://proxy:3128\n'
    assert env_file_remove('PREFECT_API_KEY_FILE=/x\n', NAMES) == 'PREFECT_API_KEY_FILE=/x\n'  # another setting


def test_env_file_bad_arguments():
    with pytest.raises(AnsibleFilterError):
        env_file_remove('X=1\n', 'PREFECT_API_KEY')
