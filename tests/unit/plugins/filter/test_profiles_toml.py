# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""profiles_toml and profile_settings: edit one profile table, keep everything else."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter.profile_settings import profile_settings
from ansible_collections.prefect.cloud.plugins.filter.profiles_toml import parse_header, profiles_toml

tomllib = pytest.importorskip('tomllib')

KEY = 'pnb_' + 'a1B2' * 9
SETTINGS = {'PREFECT_API_URL': 'https://api.example.test/api/accounts/a/workspaces/w', 'PREFECT_API_KEY': KEY}

EXISTING = '''# my profiles
active = "local"

[profiles.local]
PREFECT_API_URL = "http://127.0.0.1:4200/api"

[profiles."my cloud"]
PREFECT_API_KEY = "pnu_personal"   # mine
PREFECT_API_URL = """
[profiles.prefect-cloud]
not a header"""

[profiles.prefect-cloud]
PREFECT_API_KEY = "pnb_old"
PREFECT_LOGGING_LEVEL = "DEBUG"

[profiles.ephemeral]
PREFECT_SERVER_ALLOW_EPHEMERAL_MODE = "true"
'''


def test_other_profiles_and_comments_are_kept_byte_for_byte():
    new = profiles_toml(EXISTING, 'prefect-cloud', SETTINGS)
    parsed = tomllib.loads(new)
    old = tomllib.loads(EXISTING)
    assert parsed['active'] == 'prefect-cloud'
    assert parsed['profiles']['prefect-cloud'] == SETTINGS
    for name in ('local', 'my cloud', 'ephemeral'):
        assert parsed['profiles'][name] == old['profiles'][name]
    assert new.startswith('# my profiles\nactive = "prefect-cloud"\n')
    assert 'PREFECT_API_KEY = "pnu_personal"   # mine\n' in new
    assert '[profiles.prefect-cloud]\nnot a header"""' in new  # inside a multi-line string: untouched
    assert 'PREFECT_LOGGING_LEVEL' not in new  # the role owns its table
    assert new.count('[profiles.prefect-cloud]\n# Managed') == 1


def test_idempotent():
    once = profiles_toml(EXISTING, 'prefect-cloud', SETTINGS)
    assert profiles_toml(once, 'prefect-cloud', SETTINGS) == once


def test_new_file_and_file_of_an_earlier_role_version():
    new = profiles_toml('', 'prefect-cloud', SETTINGS)
    assert tomllib.loads(new) == {'active': 'prefect-cloud', 'profiles': {'prefect-cloud': SETTINGS}}
    old_role = ('# Managed by Ansible (prefect.cloud.agent_credentials). Local changes are overwritten.\n'
                'active = "prefect-cloud"\n\n[profiles.prefect-cloud]\nPREFECT_API_KEY = "pnb_old"\n')
    rewritten = profiles_toml(old_role, 'prefect-cloud', SETTINGS)
    assert 'Local changes are overwritten' not in rewritten
    assert tomllib.loads(rewritten)['profiles']['prefect-cloud'] == SETTINGS


def test_table_is_appended_and_active_inserted_after_the_header_comment():
    text = '# header\n\n[profiles.local]\nPREFECT_API_URL = "http://x/api"\n'
    new = profiles_toml(text, 'cloud', SETTINGS)
    assert new.startswith('# header\nactive = "cloud"\n')
    assert new.endswith('[profiles.cloud]\n# Managed by Ansible (prefect.cloud.agent_credentials): this profile and the '
                        '"active" line.\nPREFECT_API_URL = "%s"\nPREFECT_API_KEY = "%s"\n' % (SETTINGS['PREFECT_API_URL'], KEY))
    assert tomllib.loads(new)['profiles']['local'] == {'PREFECT_API_URL': 'http://x/api'}


def test_quoted_profile_name_and_no_activation():
    new = profiles_toml(EXISTING, 'my cloud', {'PREFECT_API_KEY': KEY}, activate=False)
    parsed = tomllib.loads(new)
    assert parsed['active'] == 'local'
    assert parsed['profiles']['my cloud'] == {'PREFECT_API_KEY': KEY}
    assert parsed['profiles']['prefect-cloud'] == {'PREFECT_API_KEY': 'pnb_old', 'PREFECT_LOGGING_LEVEL': 'DEBUG'}


@pytest.mark.parametrize('bad', [KEY + '\nLD_PRELOAD=evil.so', KEY + '\r', 'a\x00b', 'a\x7fb', 'a\u2028b', 'a\x85b'])
def test_control_characters_are_refused_without_showing_the_value(bad):
    with pytest.raises(AnsibleFilterError) as info:
        profiles_toml('', 'prefect-cloud', {'PREFECT_API_URL': 'https://x/api', 'PREFECT_API_KEY': bad})
    assert 'PREFECT_API_KEY contains a control character' in str(info.value)
    assert KEY not in str(info.value) and 'evil' not in str(info.value)


def test_invalid_existing_file_is_refused():
    with pytest.raises(AnsibleFilterError, match='not valid TOML'):
        profiles_toml('[profiles.x\nA = 1\n', 'prefect-cloud', SETTINGS)


def test_non_string_setting_is_refused():
    with pytest.raises(AnsibleFilterError, match='PREFECT_API_KEY must be a string'):
        profiles_toml('', 'p', {'PREFECT_API_KEY': 5})


@pytest.mark.parametrize('line, header', [
    ('[profiles.prefect-cloud]', ('profiles', 'prefect-cloud')),
    ('  [ profiles . "my cloud" ]  # c', ('profiles', 'my cloud')),
    ("[profiles.'lit']", ('profiles', 'lit')),
    ('[[array]]', None),
    ('[profiles.x] junk', None),
    ('[unterminated', None),
])
def test_parse_header(line, header):
    assert parse_header(line) == header


def test_profile_settings_reads_only_its_table():
    assert profile_settings(EXISTING, 'prefect-cloud') == {'PREFECT_API_KEY': 'pnb_old', 'PREFECT_LOGGING_LEVEL': 'DEBUG'}
    assert profile_settings(EXISTING, 'my cloud') == {'PREFECT_API_KEY': 'pnu_personal'}
    assert profile_settings(EXISTING, 'missing') == {}
    assert profile_settings(profiles_toml('', 'p', SETTINGS), 'p') == SETTINGS
    assert profile_settings(None, 'p') == {}
