# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Table-driven bad input test of every option of every module of prefect.cloud.

Each case runs one module with one bad value (wrong type, out of range, malformed timestamp,
unknown name, empty, too long, unicode) through ansible-playbook. The cases are written as
literal task arguments into generated playbooks (no templating, so a list stays a list and a
string stays a string on every ansible-core), split over two ansible-playbook runs at once.

A case that must fail must: fail, with a one-line ``msg`` that names the option (and the valid
values where there is a fixed set, given as ``also``), without a traceback. A case that must
succeed (an unknown name in an info module is an empty answer, not an error) must succeed with the
given result. No case may send a write: the emulator's request log must hold no write request
and its state must not change.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib.util
import json
import os
import subprocess
import sys
import uuid

import yaml

LONG = 'n' * 5001                      # longer than any Prefect Cloud name (5000)
LONG_KEY = 'pnb_' + 'k' * 4997         # an API key option that long
SHOWN = 'x' * 300                      # long, but within the limit: must be shortened in messages
UNI = 'ünïcødé-✓-名前'
UNI_DIGITS = '２０３０-０１-３１T００:００:００Z'   # full-width digits: not an RFC 3339 timestamp
NO_SUCH_ID = str(uuid.UUID(int=0x5EED))
WORKSPACE_ROLES = 'Developer, Owner, Runner, Viewer, Worker'
ACCOUNT_ROLES = ('Admin', 'Member', 'Owner')
TYPES = 'service_account, user, team'

SA = 'prefect.cloud.service_account'
SA_INFO = 'prefect.cloud.service_account_info'
WA = 'prefect.cloud.workspace_access'
WA_INFO = 'prefect.cloud.workspace_access_info'
WS_INFO = 'prefect.cloud.workspace_info'
AR_INFO = 'prefect.cloud.account_role_info'
WR_INFO = 'prefect.cloud.workspace_role_info'
KEY_INFO = 'prefect.cloud.api_key_info'
# identity and access (issue 20)
WR = 'prefect.cloud.workspace_role'
TM = 'prefect.cloud.team'
TM_INFO = 'prefect.cloud.team_info'
AM = 'prefect.cloud.account_member'
AM_INFO = 'prefect.cloud.account_member_info'
WI = 'prefect.cloud.workspace_invitation'
MODULES = (SA, SA_INFO, WA, WA_INFO, WS_INFO, AR_INFO, WR_INFO, KEY_INFO, WR, TM, TM_INFO, AM, AM_INFO, WI)
# Valid arguments of each module, to which one bad value is added.
BASE = {
    SA: {'name': 'bad-input-bot'},
    SA_INFO: {},
    WA: {'workspace': '@workspace', 'accessor': 'alice@example.com', 'accessor_type': 'user', 'workspace_role': 'Viewer'},
    WA_INFO: {'workspace': '@workspace'},
    WS_INFO: {},
    AR_INFO: {},
    WR_INFO: {},
    KEY_INFO: {'key': 'pnb_' + 'q' * 36},
    WR: {'name': 'bad-input-role'},
    TM: {'name': 'bad-input-team'},
    TM_INFO: {},
    AM: {'user': 'alice@example.com', 'account_role': 'Member'},  # a no-op: alice is a seeded Member
    AM_INFO: {},
    WI: {'email': 'ghost@example.com', 'workspace': '@workspace', 'state': 'absent'},  # a no-op: no invitation
}


def fail(option, *also, args=None, base=True):
    """A case that must fail naming ``option`` (and ``also``)."""
    return {'expect': 'fail', 'option': option, 'also': list(also), 'args': args, 'base': base}


def succeed(**result):
    """A case that must succeed with these top-level result values."""
    return {'expect': 'ok', 'result': result}


def module_cases():
    """(module, args, expectation) of the module options."""
    cases = []

    def add(module, args, expectation, base=True):
        cases.append((module, dict(BASE[module], **args) if base else dict(args), expectation))

    # service_account
    add(SA, {'name': ['a', 'b']}, fail('name', 'must be a string, got a list'))
    add(SA, {'name': {'a': 1}}, fail('name', 'got a dictionary'))
    add(SA, {'name': True}, fail('name', 'got a boolean'))
    add(SA, {'name': ''}, fail('name', 'must not be empty'))
    add(SA, {'name': '   '}, fail('name', 'must not be empty'))
    add(SA, {'name': LONG}, fail('name', 'at most 5000 characters'))
    add(SA, {'name': 'bot\n'}, fail('name', 'control or invisible format characters'))
    # (U+0085 is a line break to YAML, so a playbook cannot pass it as it is: unit tests cover it)
    add(SA, {'name': 'bot\u2028x'}, fail('name', 'U+2028'))
    add(SA, {'name': 'bot\u2029x'}, fail('name', 'U+2029'))
    add(SA, {'name': 'gnp.\u202eexe'}, fail('name', 'U+202E'))
    add(SA, {'id': ' ' + NO_SUCH_ID + ' '}, fail('id', 'UUID'), base=False)
    add(SA, {'id': '{' + NO_SUCH_ID + '}'}, fail('id', 'UUID'), base=False)
    add(SA, {'id': 'urn:uuid:' + NO_SUCH_ID}, fail('id', 'UUID'), base=False)
    add(SA, {'id': NO_SUCH_ID.replace('-', '')}, fail('id', 'UUID'), base=False)
    add(SA, {'name': UNI, 'state': 'absent'}, succeed(changed=False))
    add(SA, {'id': 'not-a-uuid'}, fail('id', 'UUID'), base=False)
    add(SA, {'id': UNI}, fail('id', 'UUID'), base=False)
    add(SA, {'id': ''}, fail('id', 'must not be empty'), base=False)
    add(SA, {'id': 12345}, fail('id', 'UUID'), base=False)
    add(SA, {'id': NO_SUCH_ID, 'name': 'x'}, fail('id', 'no service account has the id'), base=False)
    add(SA, {}, fail('name', 'one of the following is required', 'id'), base=False)
    add(SA, {'nmae': 'typo'}, fail('nmae', 'Unsupported parameters'))
    add(SA, {'state': 'presnt'}, fail('state', 'present, absent'))
    add(SA, {'state': UNI}, fail('state', 'present, absent'))
    add(SA, {'account_role': 'Superhero'}, fail('account_role', *ACCOUNT_ROLES))
    add(SA, {'account_role': UNI}, fail('account_role', *ACCOUNT_ROLES))
    add(SA, {'account_role': ''}, fail('account_role', 'must not be empty'))
    add(SA, {'account_role': ['Admin']}, fail('account_role', 'got a list'))
    add(SA, {'account_role': LONG}, fail('account_role', 'at most 5000 characters'))
    add(SA, {'api_key_expiration': 'next tuesday'}, fail('api_key_expiration', 'RFC 3339', 'never'))
    add(SA, {'api_key_expiration': '2030-01-31T00:00:00'}, fail('api_key_expiration', 'no time zone'))
    add(SA, {'api_key_expiration': '2001-01-01T00:00:00Z'}, fail('api_key_expiration', 'in the past'))
    add(SA, {'api_key_expiration': '2030-02-30T00:00:00Z'}, fail('api_key_expiration', 'not a valid date'))
    add(SA, {'api_key_expiration': UNI_DIGITS}, fail('api_key_expiration', 'RFC 3339'))
    add(SA, {'api_key_expiration': ''}, fail('api_key_expiration', 'must not be empty'))
    add(SA, {'api_key_expiration': 2030}, fail('api_key_expiration', 'RFC 3339'))
    add(SA, {'api_key_expiration': SHOWN}, fail('api_key_expiration', '(300 characters)'))
    add(SA, {'api_key_expiration': '9999-12-31T23:59:59-23:59'}, fail('api_key_expiration', 'out of range'))
    add(SA, {'rotate': 'maybe'}, fail('rotate', 'bool'))
    add(SA, {'rotate': ['yes']}, fail('rotate', 'bool'))
    add(SA, {'old_key_expires_in_seconds': -1, 'rotate': True}, fail('old_key_expires_in_seconds', '172800'))
    add(SA, {'old_key_expires_in_seconds': 172801, 'rotate': True}, fail('old_key_expires_in_seconds', '172800'))
    add(SA, {'old_key_expires_in_seconds': 10 ** 20, 'rotate': True}, fail('old_key_expires_in_seconds', '172800'))
    add(SA, {'old_key_expires_in_seconds': 'ten'}, fail('old_key_expires_in_seconds', 'int'))
    add(SA, {'old_key_expires_in_seconds': 1.5}, fail('old_key_expires_in_seconds', 'int'))
    add(SA, {'old_key_expires_in_seconds': True}, fail('old_key_expires_in_seconds', 'got a boolean'))
    # service_account_info
    add(SA_INFO, {'name': ''}, fail('name', 'must not be empty'))
    add(SA_INFO, {'name': ['a']}, fail('name', 'got a list'))
    add(SA_INFO, {'name': LONG}, fail('name', 'at most 5000 characters'))
    add(SA_INFO, {'name': UNI}, succeed(service_accounts=[]))
    add(SA_INFO, {'id': 'abc'}, fail('id', 'UUID'))
    add(SA_INFO, {'id': UNI}, fail('id', 'UUID'))
    add(SA_INFO, {'id': SHOWN}, fail('id', '(300 characters)'))
    add(SA_INFO, {'name': 'a', 'id': NO_SUCH_ID}, fail('name', 'mutually exclusive', 'id'))
    # workspace_info
    add(WS_INFO, {'handle': ''}, fail('handle', 'must not be empty'))
    add(WS_INFO, {'handle': {'a': 1}}, fail('handle', 'got a dictionary'))
    add(WS_INFO, {'handle': LONG}, fail('handle', 'at most 5000 characters'))
    add(WS_INFO, {'handle': UNI}, succeed(workspaces=[]))
    add(WS_INFO, {'id': 'ansible-ci'}, fail('id', 'UUID', 'use handle'))
    add(WS_INFO, {'id': UNI}, fail('id', 'UUID'))
    add(WS_INFO, {'handle': 'a', 'id': NO_SUCH_ID}, fail('handle', 'mutually exclusive', 'id'))
    # account_role_info / workspace_role_info
    add(AR_INFO, {'name': ''}, fail('name', 'must not be empty'))
    add(AR_INFO, {'name': True}, fail('name', 'got a boolean'))
    add(AR_INFO, {'name': LONG}, fail('name', 'at most 5000 characters'))
    add(AR_INFO, {'name': 'Superhero'}, succeed(account_roles=[]))
    add(WR_INFO, {'name': ''}, fail('name', 'must not be empty'))
    add(WR_INFO, {'name': ['Viewer']}, fail('name', 'got a list'))
    add(WR_INFO, {'name': LONG}, fail('name', 'at most 5000 characters'))
    add(WR_INFO, {'name': UNI}, succeed(workspace_roles=[]))
    # workspace_access
    add(WA, {'workspace': 'nope'}, fail('workspace', 'valid handles', '@workspace'))
    add(WA, {'workspace': UNI}, fail('workspace', 'valid handles'))
    add(WA, {'workspace': NO_SUCH_ID}, fail('workspace', 'valid handles'))
    add(WA, {'workspace': ''}, fail('workspace', 'must not be empty'))
    add(WA, {'workspace': ['a']}, fail('workspace', 'got a list'))
    add(WA, {'workspace': LONG}, fail('workspace', 'at most 5000 characters'))
    add(WA, {'accessor_type': 'robot'}, fail('accessor_type', TYPES))
    add(WA, {'accessor_type': ''}, fail('accessor_type', TYPES))
    add(WA, {'accessor_type': 'service_account', 'accessor': 'ghost'}, fail('accessor', 'no service account'))
    add(WA, {'accessor': 'nobody@example.com'}, fail('accessor', 'no user'))
    add(WA, {'accessor_type': 'team', 'accessor': 'ghosts'}, fail('accessor', 'no team'))
    add(WA, {'accessor_type': 'team', 'accessor': UNI}, fail('accessor', 'no team'))
    add(WA, {'accessor': ''}, fail('accessor', 'must not be empty'))
    add(WA, {'accessor': True}, fail('accessor', 'got a boolean'))
    add(WA, {'accessor': LONG}, fail('accessor', 'at most 5000 characters'))
    add(WA, {'workspace_role': 'Superuser'}, fail('workspace_role', WORKSPACE_ROLES))
    add(WA, {'workspace_role': UNI}, fail('workspace_role', WORKSPACE_ROLES))
    add(WA, {'workspace_role': ''}, fail('workspace_role', 'must not be empty'))
    add(WA, {'workspace_role': None}, fail('workspace_role', 'state is present'))
    add(WA, {'state': 'gone'}, fail('state', 'present, absent'))
    add(WA, {'workspace': 'nope', 'accessor': UNI, 'accessor_type': 'service_account', 'state': 'absent'},
        succeed(changed=False))
    add(WA, {'role': ['Viewer'], 'workspace_role': None}, fail('role', 'got a list'))
    # workspace_access_info
    add(WA_INFO, {'workspace': 'nope'}, fail('workspace', 'valid handles', '@workspace'))
    add(WA_INFO, {'workspace': ''}, fail('workspace', 'must not be empty'))
    add(WA_INFO, {'workspace': LONG}, fail('workspace', 'at most 5000 characters'))
    add(WA_INFO, {'accessor': 'ghost'}, fail('accessor', 'no service account'))
    add(WA_INFO, {'accessor': UNI, 'accessor_type': 'user'}, fail('accessor', 'no user'))
    add(WA_INFO, {'accessor_type': 'robot'}, fail('accessor_type', TYPES))
    add(WA_INFO, {}, fail('workspace', 'one of the following is required', 'accessor'), base=False)
    # api_key_info
    add(KEY_INFO, {'key': ''}, fail('key', 'must not be empty'))
    add(KEY_INFO, {'key': ['pnb_x']}, fail('key', 'got a list'))
    add(KEY_INFO, {'key': LONG_KEY}, fail('key', 'at most 5000 characters'))
    add(KEY_INFO, {'key': 'pnb_' + UNI}, succeed(authenticates=False))
    add(KEY_INFO, {}, fail('key', 'missing required arguments'), base=False)
    add(KEY_INFO, {'service_account': ''}, fail('service_account', 'must not be empty'))
    add(KEY_INFO, {'service_account': UNI}, succeed(service_account_exists=False))
    add(KEY_INFO, {'service_account': {'name': 'x'}}, fail('service_account', 'got a dictionary'))
    identity_and_access_cases(add)
    return cases


def identity_and_access_cases(add):
    """workspace_role, team, team_info, account_member, account_member_info (issue 20)."""
    # workspace_role
    add(WR, {'name': ['a']}, fail('name', 'got a list'))
    add(WR, {'name': ''}, fail('name', 'must not be empty'))
    add(WR, {'name': LONG}, fail('name', 'at most 5000 characters'))
    add(WR, {'name': 'role\n'}, fail('name', 'control or invisible format characters'))
    add(WR, {'name': 'Developer'}, fail('name', 'built-in workspace role', 'cannot be changed or deleted'))
    add(WR, {'name': 'Viewer', 'state': 'absent'}, fail('name', 'built-in workspace role'))
    add(WR, {}, fail('name', 'missing required arguments'), base=False)
    add(WR, {'description': 'd' * 141}, fail('description', 'at most 140 characters'))
    add(WR, {'description': ''}, fail('description', 'must not be empty'))
    add(WR, {'description': ['d']}, fail('description', 'got a list'))
    add(WR, {'scopes': ['see_flows', 'fly']}, fail('scopes', "unknown workspace scope 'fly'", 'see_flows', 'manage_webhooks'))
    add(WR, {'scopes': [UNI]}, fail('scopes', 'unknown workspace scope'))
    add(WR, {'scopes': {'a': 1}}, fail('scopes', 'list'))
    add(WR, {'inherited_role': 'Superuser'}, fail('inherited_role', WORKSPACE_ROLES))
    add(WR, {'inherited_role': UNI}, fail('inherited_role', WORKSPACE_ROLES))
    add(WR, {'inherited_role': ''}, fail('inherited_role', 'must not be empty'))
    add(WR, {'inherited_role': NO_SUCH_ID}, fail('inherited_role', WORKSPACE_ROLES))
    add(WR, {'state': 'gone'}, fail('state', 'present, absent'))
    add(WR, {'name': UNI, 'state': 'absent'}, succeed(changed=False))
    # team
    add(TM, {'name': ['a']}, fail('name', 'got a list'))
    add(TM, {'name': ''}, fail('name', 'must not be empty'))
    add(TM, {'name': LONG}, fail('name', 'at most 5000 characters'))
    add(TM, {}, fail('name', 'one of the following is required', 'id'), base=False)
    add(TM, {'id': 'abc'}, fail('id', 'UUID'), base=False)
    add(TM, {'id': UNI}, fail('id', 'UUID'), base=False)
    add(TM, {'id': NO_SUCH_ID, 'name': 'x'}, fail('id', 'no team with id'), base=False)
    add(TM, {'description': ''}, fail('description', 'must not be empty'))
    add(TM, {'users': ['nobody@example.com']}, fail('users', 'no user'))
    add(TM, {'users': [UNI]}, fail('users', 'no user'))
    add(TM, {'users': ['alice', '']}, fail('users[1]', 'must not be empty'))
    add(TM, {'users': ['alice\n']}, fail('users[0]', 'control or invisible format characters'))
    add(TM, {'users': [LONG]}, fail('users[0]', 'at most 5000 characters'))
    add(TM, {'users': {'a': 1}}, fail('users', 'list'))
    add(TM, {'service_accounts': ['ghost']}, fail('service_accounts', 'no service account'))
    add(TM, {'service_accounts': ['gnp.\u202eexe']}, fail('service_accounts[0]', 'U+202E'))
    add(TM, {'purge_members': 'maybe'}, fail('purge_members', 'bool'))
    add(TM, {'state': 'gone'}, fail('state', 'present, absent'))
    add(TM, {'users': ['alice'], 'state': 'absent'}, succeed(changed=False))  # ignored with state=absent
    add(TM, {'purge_members': True, 'state': 'absent'}, succeed(changed=False))
    add(WR, {'scopes': ['fly'], 'description': 'd' * 141, 'state': 'absent'}, succeed(changed=False))
    add(AM, {'user': 'ghost@example.com', 'invite': True, 'account_role': 'Superhero', 'state': 'absent'},
        succeed(changed=False))
    add(TM, {'name': UNI, 'state': 'absent'}, succeed(changed=False))
    # team_info
    add(TM_INFO, {'name': ''}, fail('name', 'must not be empty'))
    add(TM_INFO, {'name': LONG}, fail('name', 'at most 5000 characters'))
    add(TM_INFO, {'name': UNI}, succeed(teams=[]))
    add(TM_INFO, {'id': 'platform'}, fail('id', 'UUID'))
    add(TM_INFO, {'id': NO_SUCH_ID}, succeed(teams=[]))
    add(TM_INFO, {'name': 'a', 'id': NO_SUCH_ID}, fail('name', 'mutually exclusive', 'id'))
    # account_member
    add(AM, {'user': ''}, fail('user', 'must not be empty'))
    add(AM, {'user': ['alice']}, fail('user', 'got a list'))
    add(AM, {'user': LONG}, fail('user', 'at most 5000 characters'))
    add(AM, {'user': 'ghost@example.com'}, fail('user', 'no account member', 'invite=true'))
    add(AM, {'user': 'ghost', 'invite': True}, fail('user', 'only an e-mail address can be invited'))
    add(AM, {'user': 'ghost@example.com', 'invite': True, 'account_role': None}, fail('account_role', 'invite is True', 'missing'))
    add(AM, {'user': 'ghost@example', 'invite': True}, fail('user', 'only an e-mail address can be invited'))
    add(AM, {'active': 'maybe'}, fail('active', 'bool'))
    add(AM, {}, fail('user', 'missing required arguments'), base=False)
    add(AM, {'account_role': 'Superhero'}, fail('account_role', *ACCOUNT_ROLES))
    add(AM, {'account_role': UNI}, fail('account_role', *ACCOUNT_ROLES))
    add(AM, {'account_role': ''}, fail('account_role', 'must not be empty'))
    add(AM, {'account_role': None, 'role': ['Admin']}, fail('role', 'got a list'))
    add(AM, {'invite': 'maybe'}, fail('invite', 'bool'))
    add(AM, {'state': 'gone'}, fail('state', 'present, absent'))
    add(AM, {'user': UNI, 'state': 'absent'}, succeed(changed=False))
    add(AM, {'user': 'ghost@example.com', 'state': 'absent'}, succeed(changed=False))
    add(AM, {}, succeed(changed=False))
    # account_member_info
    add(AM_INFO, {'user': ''}, fail('user', 'must not be empty'))
    add(AM_INFO, {'user': LONG}, fail('user', 'at most 5000 characters'))
    add(AM_INFO, {'user': UNI}, succeed(account_members=[]))
    add(AM_INFO, {'user': NO_SUCH_ID}, succeed(account_members=[]))
    add(AM_INFO, {'account_role': ['Admin']}, fail('account_role', 'got a list'))
    add(AM_INFO, {'account_role': 'Superhero'}, succeed(account_members=[]))
    # workspace_invitation (issue 25)
    add(WI, {'email': ''}, fail('email', 'must not be empty'))
    add(WI, {'email': ['a@example.com']}, fail('email', 'got a list'))
    add(WI, {'email': 'ghost@example'}, fail('email', 'e-mail address'))
    add(WI, {'email': 'ghost'}, fail('email', 'e-mail address'))
    add(WI, {'workspace': 'no-such-workspace'}, fail('workspace', 'no workspace with handle', 'valid handles'))
    add(WI, {'workspace': NO_SUCH_ID}, fail('workspace', 'no workspace with id'))
    add(WI, {'state': 'present', 'workspace_role': 'Superhero'}, fail('workspace_role', WORKSPACE_ROLES))
    add(WI, {'state': 'present', 'workspace_role': 'Developer'}, fail('workspace_role', 'default role', 'Viewer'))
    add(WI, {'state': 'gone'}, fail('state', 'present, absent'))
    add(WI, {}, fail('email', 'missing required arguments', 'workspace'), base=False)
    add(WI, {'state': 'absent', 'workspace_role': 'Superhero'}, succeed(changed=False))


def auth_cases():
    """(module, args, expectation) of the connection options, spread over the modules."""
    table = [
        ({'api_url': ''}, fail('api_url', 'must not be empty')),
        ({'api_url': 'ftp://127.0.0.1/api'}, fail('api_url', 'http:// or https://')),
        ({'api_url': 'not a url'}, fail('api_url', 'http:// or https://')),
        ({'api_url': 'http://exa mple/api'}, fail('api_url', 'http:// or https://')),
        ({'api_url': ['http://127.0.0.1/api']}, fail('api_url', 'got a list')),
        ({'api_url': 'http://' + LONG}, fail('api_url', 'at most 5000 characters')),
        ({'api_url': 'http://ünï.invalid/api', 'retries': 0}, fail('api_url', 'cannot reach the API')),
        ({'api_url': 'http://127.0.0.1:99999/api'}, fail('api_url', 'not a valid URL')),
        ({'api_url': 'http://127.0.0.1:abc/api'}, fail('api_url', 'not a valid URL')),
        ({'api_url': 'http://[::1/api'}, fail('api_url', 'not a valid URL')),
        ({'api_url': 'http://127.0.0.1/api?x=1'}, fail('api_url', 'query or a fragment')),
        ({'api_url': 'http://127.0.0.1/api#x'}, fail('api_url', 'query or a fragment')),
        ({'api_url': 'http://me:pw@127.0.0.1/api'}, fail('api_url', 'user name or password')),
        ({'api_key': ''}, fail('api_key', 'must not be empty', 'PREFECT_API_KEY')),
        ({'api_key': 'pnu_' + UNI}, fail('api_key', 'printable ASCII')),
        ({'api_key': 'pnu_with space'}, fail('api_key', 'printable ASCII')),
        ({'api_key': ['pnu_x']}, fail('api_key', 'got a list')),
        ({'api_key': LONG_KEY}, fail('api_key', 'at most 5000 characters')),
        ({'api_key': 'pnu_' + 'w' * 36}, fail('api_key', 'HTTP 401')),
        ({'account_id': ''}, fail('account_id', 'must not be empty')),
        ({'account_id': 'my-account'}, fail('account_id', 'UUID')),
        ({'account_id': UNI}, fail('account_id', 'UUID')),
        ({'account_id': 42}, fail('account_id', 'UUID')),
        ({'validate_certs': 'maybe'}, fail('validate_certs', 'bool')),
        ({'validate_certs': [True]}, fail('validate_certs', 'bool')),
        ({'timeout': 0}, fail('timeout', 'greater than 0')),
        ({'timeout': -5}, fail('timeout', 'greater than 0')),
        ({'timeout': 'soon'}, fail('timeout', 'float')),
        ({'timeout': 'nan'}, fail('timeout', 'greater than 0')),
        ({'timeout': 'inf'}, fail('timeout', 'greater than 0')),
        ({'timeout': 1e9}, fail('timeout', 'at most 3600')),
        ({'timeout': True}, fail('timeout', 'got a boolean')),
        ({'retries': -1}, fail('retries', 'between 0 and 10')),
        ({'retries': 11}, fail('retries', 'between 0 and 10')),
        ({'retries': 'x'}, fail('retries', 'int')),
        ({'retries': 2.5}, fail('retries', 'int')),
        ({'retries': False}, fail('retries', 'got a boolean')),
    ]
    cases = []
    for number, (args, expectation) in enumerate(table):
        module = MODULES[number % len(MODULES)]
        cases.append((module, dict(BASE[module], **args), expectation))
    # And each module rejects a bad connection option (the same shared check).
    for module in MODULES:
        cases.append((module, dict(BASE[module], timeout=0), fail('timeout', 'greater than 0')))
    return cases


def load_helper(path):
    spec = importlib.util.spec_from_file_location('emulator_admin', path)
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper


def resolve(args, workspace):
    """Replace the '@workspace' placeholder; drop options set to None (absent)."""
    return {name: (workspace if value == '@workspace' else value) for name, value in args.items() if value is not None}


def write_playbook(path, cases, results_path):
    tasks = []
    for number, module, args, dummy in cases:
        tasks.append({'name': 'case %03d %s' % (number, module.rsplit('.', 1)[1]), module: args,
                      'register': 'case_%03d' % number, 'ignore_errors': True})
    collected = ', '.join("'%03d': case_%03d" % (number, number) for number, dummy, dummy2, dummy3 in cases)
    tasks.append({'name': 'Write the results', 'ansible.builtin.copy': {
        'content': '{{ {%s} | to_json }}' % collected, 'dest': results_path, 'mode': '0600'}})
    play = {'name': 'bad input', 'hosts': 'localhost', 'gather_facts': False,
            'module_defaults': {'group/prefect.cloud.cloud': {
                'api_url': '{{ prefect_api_url }}', 'api_key': '{{ prefect_api_key }}',
                'account_id': '{{ prefect_account_id }}'}},
            'tasks': tasks}
    with open(path, 'w', encoding='utf-8') as handle:
        yaml.safe_dump([play], handle, allow_unicode=True, sort_keys=False, width=200)


def run_playbook(playbook, config, log_path):
    cmd = ['ansible-playbook', '-i', 'localhost,', '-c', 'local', '-e', 'ansible_python_interpreter=%s' % sys.executable,
           '-e', '@%s' % config, playbook]
    with open(log_path, 'w', encoding='utf-8') as log:
        return subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=False).returncode


def crashed(result):
    """True when the module died with an exception instead of failing with a message."""
    text = '%s %s' % (result.get('exception', ''), result.get('module_stderr', ''))
    msg = str(result.get('msg', ''))
    return ('Traceback' in text or msg.startswith(('MODULE FAILURE', 'Task failed:'))
            or 'module_stderr' in result)


def check_case(case, result, workspace):
    """Return the problems with one case's result (empty when it behaved)."""
    expectation = case[3]
    problems = []
    if result is None:
        return ['no result (the task did not run)']
    if crashed(result):
        problems.append('traceback / module failure')
    msg = str(result.get('msg', ''))
    if expectation['expect'] == 'fail':
        if not result.get('failed'):
            problems.append('did not fail')
        if '\n' in msg:
            problems.append('message has %d lines' % (msg.count('\n') + 1))
        if expectation['option'] not in msg:
            problems.append('message does not name %s' % expectation['option'])
        for part in expectation['also']:
            part = workspace if part == '@workspace' else part
            if part not in msg:
                problems.append('message lacks %r' % part)
        if len(msg) > 1000:
            problems.append('message is %d characters long' % len(msg))
    else:
        if result.get('failed'):
            problems.append('failed: %s' % msg[:200])
        for name, value in expectation['result'].items():
            if result.get(name) != value:
                problems.append('%s is %r, expected %r' % (name, result.get(name), value))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--config', required=True)
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--helper', required=True)
    parser.add_argument('--parallel', type=int, default=2)
    args = parser.parse_args()
    with open(args.config, encoding='utf-8') as handle:
        config = yaml.safe_load(handle)
    workspace = config['prefect_workspace_handle']
    helper = load_helper(args.helper)
    admin = helper.Admin(config['prefect_emulator_url'])
    os.makedirs(args.work_dir, mode=0o700, exist_ok=True)

    cases = [(number, module, resolve(case_args, workspace), expectation)
             for number, (module, case_args, expectation) in enumerate(module_cases() + auth_cases(), start=1)]
    admin.set_faults([])
    admin.clear_log()
    state_before = helper.summarize_state(admin.state())

    chunks = [cases[index::args.parallel] for index in range(args.parallel)]
    runs = []
    for index, chunk in enumerate(chunks):
        playbook = os.path.join(args.work_dir, 'cases-%d.yml' % index)
        results = os.path.join(args.work_dir, 'results-%d.json' % index)
        write_playbook(playbook, chunk, results)
        runs.append((playbook, results, os.path.join(args.work_dir, 'ansible-%d.log' % index)))
    with concurrent.futures.ThreadPoolExecutor(len(runs)) as pool:
        codes = list(pool.map(lambda run: run_playbook(run[0], args.config, run[2]), runs))
    results = {}
    for (playbook, path, log_path), code in zip(runs, codes):
        if code != 0 or not os.path.exists(path):
            print('FAILED: ansible-playbook %s exited with %d (see %s)' % (os.path.basename(playbook), code, log_path))
            return 1
        with open(path, encoding='utf-8') as handle:
            results.update(json.load(handle))

    requests = admin.requests()
    writes = ['%s %s %s' % (e['method'], e['path'], e['status']) for e in requests if e['write']]
    state_after = helper.summarize_state(admin.state())
    failures = 0
    options = set()
    for case in cases:
        number, module, case_args, expectation = case
        problems = check_case(case, results.get('%03d' % number), workspace)
        failures += bool(problems)
        result = results.get('%03d' % number) or {}
        options.update('%s:%s' % (module.rsplit('.', 1)[1], name) for name in case_args)
        outcome = 'ok' if not result.get('failed') else 'fail'
        print('%s %03d %-20s %-28s %-4s %s%s' % (
            'BAD ' if problems else 'good', number, module.rsplit('.', 1)[1], ','.join(sorted(case_args))[:28], outcome,
            str(result.get('msg', ''))[:150], ' <== %s' % '; '.join(problems) if problems else ''))
    print('%d requests, %d writes%s' % (len(requests), len(writes), (': %s' % writes) if writes else ''))
    same_state = state_before == state_after
    print('state of the emulator %s' % ('unchanged' if same_state else 'CHANGED'))
    print('bad_input: %d cases (%d options of %d modules), %d behaved, %d did not, %d writes'
          % (len(cases), len(options), len(MODULES), len(cases) - failures, failures, len(writes)))
    return 1 if failures or writes or not same_state else 0


if __name__ == '__main__':
    sys.exit(main())
