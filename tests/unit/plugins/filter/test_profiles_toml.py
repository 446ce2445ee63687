# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""profiles_toml and profile_settings: edit one profile (tomlkit), keep everything else byte for byte; read (tomllib)."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter import profiles_toml as mod
from ansible_collections.prefect.cloud.plugins.filter.profile_settings import profile_settings
from ansible_collections.prefect.cloud.plugins.filter.profiles_toml import MANAGED_COMMENT, profiles_toml

tomllib = pytest.importorskip('tomllib')

KEY = 'pnb_' + 'a1B2' * 9
URL = 'https://api.example.test/api/accounts/a/workspaces/w'
SETTINGS = {'PREFECT_API_URL': URL, 'PREFECT_API_KEY': KEY}
OURS = '[profiles.prefect-cloud]\n%s\nPREFECT_API_URL = "%s"\nPREFECT_API_KEY = "%s"\n' % (MANAGED_COMMENT, URL, KEY)

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
    # exactly: the active line and our table changed, nothing else
    start, end = EXISTING.index('[profiles.prefect-cloud]\nPREFECT_API_KEY'), EXISTING.index('\n[profiles.ephemeral]')
    assert new == EXISTING[:start].replace('active = "local"', 'active = "prefect-cloud"') + OURS + EXISTING[end:]


def test_idempotent():
    once = profiles_toml(EXISTING, 'prefect-cloud', SETTINGS)
    assert profiles_toml(once, 'prefect-cloud', SETTINGS) == once


def test_new_file_and_file_of_an_earlier_role_version():
    new = profiles_toml('', 'prefect-cloud', SETTINGS)
    assert new == 'active = "prefect-cloud"\n\n' + OURS
    assert tomllib.loads(new) == {'active': 'prefect-cloud', 'profiles': {'prefect-cloud': SETTINGS}}
    old_role = ('# Managed by Ansible (prefect.cloud.agent_credentials). Local changes are overwritten.\n'
                'active = "prefect-cloud"\n\n[profiles.prefect-cloud]\nPREFECT_API_KEY = "pnb_old"\n')
    rewritten = profiles_toml(old_role, 'prefect-cloud', SETTINGS)
    assert 'Local changes are overwritten' not in rewritten
    assert rewritten == 'active = "prefect-cloud"\n\n' + OURS


def test_table_is_appended_and_active_inserted_after_the_header_comment():
    text = '# header\n\n[profiles.local]\nPREFECT_API_URL = "http://x/api"\n'
    new = profiles_toml(text, 'cloud', SETTINGS)
    assert new.startswith('# header\nactive = "cloud"\n')
    assert new.endswith('[profiles.cloud]\n# Managed by Ansible (prefect.cloud.agent_credentials): this profile and the '
                        '"active" line.\nPREFECT_API_URL = "%s"\nPREFECT_API_KEY = "%s"\n' % (SETTINGS['PREFECT_API_URL'], KEY))
    assert new == '# header\nactive = "cloud"\n\n[profiles.local]\nPREFECT_API_URL = "http://x/api"\n\n' + OURS.replace(
        'prefect-cloud', 'cloud')
    assert tomllib.loads(new)['profiles']['local'] == {'PREFECT_API_URL': 'http://x/api'}


def test_quoted_profile_name_and_no_activation():
    new = profiles_toml(EXISTING, 'my cloud', {'PREFECT_API_KEY': KEY}, activate=False)
    parsed = tomllib.loads(new)
    assert parsed['active'] == 'local'
    assert parsed['profiles']['my cloud'] == {'PREFECT_API_KEY': KEY}
    assert parsed['profiles']['prefect-cloud'] == {'PREFECT_API_KEY': 'pnb_old', 'PREFECT_LOGGING_LEVEL': 'DEBUG'}
    assert '[profiles."my cloud"]\n%s\nPREFECT_API_KEY = "%s"\n\n[profiles.prefect-cloud]\n' % (MANAGED_COMMENT, KEY) in new
    assert 'not a header' not in new  # the multi-line string was a setting of the rewritten profile


# A file as a user may have written it: comments everywhere, odd spacing, quoting and indentation,
# other profiles in every form TOML allows (dotted keys, inline tables, multi-line and literal
# strings), an out-of-order table, a key that is not a profile, and no newline at the end.
ODD_HEAD = '''\
   # profiles of alice
active   =   'local'    # the one I use

[profiles]  # all of them
   local.PREFECT_API_URL="http://127.0.0.1:4200/api"
local.PREFECT_LOGGING_LEVEL = 'INFO'
staging = { PREFECT_API_URL = "https://staging.example.test/api", PREFECT_API_KEY = "pnu_staging" }   # inline

[profiles.'literal name']
PREFECT_API_URL = \'\'\'
https://x.example.test/api\'\'\'
\t# a tab-indented comment
  [profiles.prefect-cloud]     # our table, indented header
'''
ODD_OURS_OLD = '''\
PREFECT_API_KEY = "pnb_old"
  # a comment between our settings
PREFECT_API_URL = """
[profiles.fake]
still the string"""
'''
ODD_TAIL = '''\
  # about the next table

[tool]
x = 1

[profiles.zeta]
PREFECT_API_KEY = "pnu_zeta"  # no newline at the end'''


def test_a_file_with_comments_odd_spacing_and_every_toml_form_is_kept_byte_for_byte():
    text = ODD_HEAD + ODD_OURS_OLD + ODD_TAIL
    before = tomllib.loads(text)
    new = profiles_toml(text, 'prefect-cloud', SETTINGS)
    ours = '%s\nPREFECT_API_URL = "%s"\nPREFECT_API_KEY = "%s"\n' % (MANAGED_COMMENT, URL, KEY)
    head = ODD_HEAD.replace("active   =   'local'    # the one I use", "active   =   \"prefect-cloud\"    # the one I use")
    assert new == head + ours + ODD_TAIL + '\n'
    after = tomllib.loads(new)
    assert after['profiles']['prefect-cloud'] == SETTINGS
    assert {k: v for k, v in after['profiles'].items() if k != 'prefect-cloud'} == {
        k: v for k, v in before['profiles'].items() if k != 'prefect-cloud'}
    assert after['tool'] == {'x': 1}
    assert profiles_toml(new, 'prefect-cloud', SETTINGS) == new


def test_multi_line_strings_dotted_keys_and_inline_tables_are_read():
    text = ODD_HEAD + ODD_OURS_OLD + ODD_TAIL
    assert profile_settings(text, 'local') == {'PREFECT_API_URL': 'http://127.0.0.1:4200/api', 'PREFECT_LOGGING_LEVEL': 'INFO'}
    assert profile_settings(text, 'staging') == {'PREFECT_API_URL': 'https://staging.example.test/api',
                                                 'PREFECT_API_KEY': 'pnu_staging'}
    assert profile_settings(text, 'literal name') == {'PREFECT_API_URL': 'https://x.example.test/api'}
    assert profile_settings(text, 'prefect-cloud') == {'PREFECT_API_KEY': 'pnb_old',
                                                       'PREFECT_API_URL': '[profiles.fake]\nstill the string'}
    assert profile_settings(text, 'fake') == {}
    assert profile_settings(text, 'zeta') == {'PREFECT_API_KEY': 'pnu_zeta'}


def test_our_profile_as_an_inline_table_stays_inline():
    text = '[profiles]\nlocal = { PREFECT_API_URL = "http://x/api" }\nprefect-cloud = { PREFECT_API_KEY = "pnb_old" }  # mine\n'
    new = profiles_toml(text, 'prefect-cloud', SETTINGS, activate=False)
    assert new == ('[profiles]\nlocal = { PREFECT_API_URL = "http://x/api" }\n'
                   'prefect-cloud = {PREFECT_API_URL = "%s", PREFECT_API_KEY = "%s"}  # mine\n' % (URL, KEY))
    assert profiles_toml(new, 'prefect-cloud', SETTINGS, activate=False) == new


def test_a_profiles_inline_table_gets_our_profile_inside():
    text = 'active = "local"\nprofiles = { local = { PREFECT_API_URL = "http://x/api" } }\n'
    new = profiles_toml(text, 'prefect-cloud', SETTINGS)
    assert tomllib.loads(new) == {'active': 'prefect-cloud', 'profiles': {
        'local': {'PREFECT_API_URL': 'http://x/api'}, 'prefect-cloud': SETTINGS}}
    assert new.startswith('active = "prefect-cloud"\nprofiles = { local = { PREFECT_API_URL = "http://x/api" }, ')


@pytest.mark.parametrize('head', ['[profiles]\n', ''], ids=['under-profiles', 'top-level'])
def test_our_profile_in_dotted_keys_becomes_one_table_at_the_end(head):
    prefix = 'profiles.' if not head else ''
    text = (head + '%slocal.PREFECT_API_URL = "http://x/api"  # keep\n'
            '%sprefect-cloud.PREFECT_API_KEY = "pnb_old"\n'
            '%sprefect-cloud.PREFECT_LOGGING_LEVEL = """DEBUG"""\n'
            '%sother.A = "a"\n') % (prefix, prefix, prefix, prefix)
    new = profiles_toml(text, 'prefect-cloud', SETTINGS, activate=False)
    kept = head + '%slocal.PREFECT_API_URL = "http://x/api"  # keep\n%sother.A = "a"\n' % (prefix, prefix)
    assert new == kept + '\n' + OURS
    assert tomllib.loads(new)['profiles'] == {'local': {'PREFECT_API_URL': 'http://x/api'}, 'other': {'A': 'a'},
                                              'prefect-cloud': SETTINGS}


@pytest.mark.parametrize('bad', [KEY + '\nLD_PRELOAD=evil.so', KEY + '\r', 'a\x00b', 'a\x7fb', 'a\u2028b', 'a\x85b'])
def test_control_characters_are_refused_without_showing_the_value(bad):
    with pytest.raises(AnsibleFilterError) as info:
        profiles_toml('', 'prefect-cloud', {'PREFECT_API_URL': 'https://x/api', 'PREFECT_API_KEY': bad})
    assert 'PREFECT_API_KEY contains a control character' in str(info.value)
    assert KEY not in str(info.value) and 'evil' not in str(info.value)


@pytest.mark.parametrize('text', ['[profiles.x\nA = 1\n', '[profiles.a]\nA = "1"\n[profiles.a]\nB = "2"\n', 'A = """\n'])
def test_invalid_existing_file_is_refused(text):
    with pytest.raises(AnsibleFilterError, match='not valid TOML'):
        profiles_toml(text, 'prefect-cloud', SETTINGS)


def test_non_string_setting_is_refused():
    with pytest.raises(AnsibleFilterError, match='PREFECT_API_KEY must be a string'):
        profiles_toml('', 'p', {'PREFECT_API_KEY': 5})


@pytest.mark.parametrize('name', ['', 'A\nB', 5])
def test_a_bad_setting_name_is_refused(name):
    with pytest.raises(AnsibleFilterError, match='every setting name must be a non-empty string without control characters'):
        profiles_toml('', 'p', {name: KEY})


def test_setting_names_that_need_quotes_are_quoted():
    new = profiles_toml('', 'p', {'my setting': 'x', 'ünï': 'y'}, activate=False)
    assert new == '[profiles.p]\n%s\n"my setting" = "x"\n"ünï" = "y"\n' % MANAGED_COMMENT


@pytest.mark.parametrize('header', ['[profiles.prefect-cloud]', '  [ profiles . "prefect-cloud" ]  # c', "[profiles.'prefect-cloud']"])
def test_every_spelling_of_our_table_header_is_our_table(header):
    text = 'active = "x"\n%s\nPREFECT_API_KEY = "pnb_old"\n\n[profiles.x]\nA = "a"\n' % header
    new = profiles_toml(text, 'prefect-cloud', SETTINGS)
    assert new == 'active = "prefect-cloud"\n%s\n%s\nPREFECT_API_URL = "%s"\nPREFECT_API_KEY = "%s"\n\n[profiles.x]\nA = "a"\n' % (
        header, MANAGED_COMMENT, URL, KEY)


def test_an_edit_that_would_change_another_profile_is_refused(monkeypatch):
    monkeypatch.setattr(mod, '_edit', lambda text, name, settings, activate: text.replace('"a"', '"b"') + '\n[profiles.p]\nK = "v"\n')
    with pytest.raises(AnsibleFilterError, match='would change other profiles; the file is left unchanged'):
        profiles_toml('[profiles.x]\nA = "a"\n', 'p', {'K': 'v'}, activate=False)
    monkeypatch.setattr(mod, '_edit', lambda text, name, settings, activate: text + '[profiles.p]\nK = "w"\n')
    with pytest.raises(AnsibleFilterError, match='would not give the profile p exactly the settings'):
        profiles_toml('', 'p', {'K': 'v'}, activate=False)
    monkeypatch.setattr(mod, '_edit', lambda text, name, settings, activate: text + '[profiles.p\n')
    with pytest.raises(AnsibleFilterError, match='would give invalid TOML'):
        profiles_toml('', 'p', {'K': 'v'}, activate=False)


def test_without_tomlkit_a_one_line_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(mod, 'tomlkit', None)
    with pytest.raises(AnsibleFilterError) as info:
        profiles_toml(EXISTING, 'prefect-cloud', SETTINGS)
    message = str(info.value)
    assert 'needs the Python library tomlkit' in message and 'pip install' in message and '\n' not in message
    assert KEY not in message
    # reading needs only the standard library
    assert profile_settings(EXISTING, 'local') == {'PREFECT_API_URL': 'http://127.0.0.1:4200/api'}


def test_without_tomllib_tomlkit_reads_and_verifies(monkeypatch):
    """Python 3.10 (a controller of ansible-core 2.16) has no tomllib."""
    monkeypatch.setattr(mod, 'tomllib', None)
    assert profile_settings(ODD_HEAD + ODD_OURS_OLD + ODD_TAIL, 'staging')['PREFECT_API_KEY'] == 'pnu_staging'
    assert profile_settings('[profiles.x\n', 'x') == {}
    new = profiles_toml(EXISTING, 'prefect-cloud', SETTINGS)
    assert tomllib.loads(new)['profiles']['prefect-cloud'] == SETTINGS
    with pytest.raises(AnsibleFilterError, match='not valid TOML'):
        profiles_toml('[profiles.x\nA = 1\n', 'prefect-cloud', SETTINGS)


def test_profile_settings_reads_only_its_table():
    assert profile_settings(EXISTING, 'prefect-cloud') == {'PREFECT_API_KEY': 'pnb_old', 'PREFECT_LOGGING_LEVEL': 'DEBUG'}
    assert profile_settings(EXISTING, 'my cloud') == {'PREFECT_API_KEY': 'pnu_personal',
                                                      'PREFECT_API_URL': '[profiles.prefect-cloud]\nnot a header'}
    assert profile_settings(EXISTING, 'missing') == {}
    assert profile_settings(profiles_toml('', 'p', SETTINGS), 'p') == SETTINGS
    assert profile_settings(None, 'p') == {}
    assert profile_settings('[profiles.x\n', 'x') == {}  # not TOML
    assert profile_settings('profiles = "x"\n', 'x') == {}
    assert profile_settings('[profiles]\nx = "not a table"\n', 'x') == {}
