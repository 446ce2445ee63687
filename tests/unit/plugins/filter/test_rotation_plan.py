# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_rotation_plan (internal to the agent_credentials role): the role's key policy."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.filter._rotation_plan import rotation_plan

KEY = 'pnb_' + 'Q' * 36
ACTIVE = [{'item': KEY, 'key_state': 'active', 'expires_in_seconds': None}]
EXPIRING = [{'item': KEY, 'key_state': 'active', 'expires_in_seconds': 100}]
LIMITED = {'limited': True, 'group': 'agents', 'missing': ['a1', 'a2'], 'reason': 'the run is limited (--limit a3)'}
FULL = {'limited': False, 'group': 'agents', 'missing': [], 'reason': ''}


def test_created_and_no_rotation_allowed_never_rotate():
    for kwargs in ({'created': True}, {'allow_rotation': False}, {'allow_rotation': 'false', 'rotate': True}):
        assert rotation_plan([], coverage=LIMITED, **kwargs) == {'rotate': False, 'reason': '', 'refuse': '', 'warning': ''}


def test_requested_rotation_even_when_limited():
    plan = rotation_plan(ACTIVE, rotate='true', coverage=LIMITED)
    assert plan['rotate'] and plan['reason'] == 'rotation requested (agent_credentials_rotate)' and not plan['refuse']


def test_reuse_the_active_key():
    assert rotation_plan(ACTIVE, coverage=LIMITED)['rotate'] is False
    assert rotation_plan(ACTIVE, coverage=FULL) == {'rotate': False, 'reason': '', 'refuse': '', 'warning': ''}


def test_no_active_key_over_the_whole_group_rotates():
    plan = rotation_plan([], coverage=FULL)
    assert plan['rotate'] and plan['reason'] == 'no host of the play holds the active key of the service account'
    assert rotation_plan([], coverage=None)['rotate']
    assert rotation_plan([], key_store='/s')['reason'].endswith('and the key store does not hold it either')


def test_no_active_key_in_a_limited_run_is_refused_with_the_ways_out():
    plan = rotation_plan([], coverage=LIMITED, service_account='etl-worker')
    assert not plan['rotate']
    message = plan['refuse']
    assert message.startswith('No host of this play holds the active key of etl-worker, and this run does not cover')
    assert '(the run is limited (--limit a3))' in message and 'nothing was changed' in message
    assert 'run over the whole group agents' in message
    assert 'set agent_credentials_rotate: true' in message
    assert 'use the key store (agent_credentials_key_store)' in message
    with_store = rotation_plan([], coverage=LIMITED, service_account='etl-worker', key_store='/srv/etl.vault')['refuse']
    assert '(nor does the key store /srv/etl.vault)' in with_store and 'one run over the whole group fills it' in with_store


def test_expiring_key():
    plan = rotation_plan(EXPIRING, rotate_before_expiry='604800', coverage=FULL)
    assert plan['rotate'] and plan['reason'] == 'the active key expires in 100 seconds'
    limited = rotation_plan(EXPIRING, coverage=LIMITED, service_account='etl-worker')
    assert not limited['rotate'] and not limited['refuse']
    assert limited['warning'].startswith('WARNING: the active key of etl-worker expires in 100 seconds')
    assert not rotation_plan(EXPIRING, rotate_before_expiry=50, coverage=FULL)['rotate']


def test_never_mentions_a_key():
    for plan in (rotation_plan([], coverage=LIMITED), rotation_plan(EXPIRING, coverage=LIMITED), rotation_plan(EXPIRING)):
        assert KEY not in repr(plan)
