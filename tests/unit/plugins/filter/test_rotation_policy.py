# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_rotation_policy (internal to the agent_credentials role): may the role create and rotate in this run (AWX workflow jobs may be slices)?"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter._rotation_plan import rotation_plan
from ansible_collections.prefect.cloud.plugins.filter._rotation_policy import rotation_policy

WAYS_OUT = ('run the role in a job that is neither part of a workflow nor sliced',
            'set agent_credentials_rotate: true if a rotation is really wanted',
            'if this workflow job is not sliced, set agent_credentials_allow_rotation: true explicitly')


@pytest.mark.parametrize('unset', [None, '', '  ', 'auto', 'AUTO'])
def test_auto_outside_a_workflow_allows(unset):
    for ids in ({}, {'awx_workflow_job_id': ''}, {'awx_workflow_job_id': None, 'tower_workflow_job_id': ' '}):
        policy = rotation_policy(unset, **ids)
        assert policy == {'allow_rotation': True, 'source': 'auto', 'workflow': '', 'why': '', 'because': '',
                          'ways_out': ''}


@pytest.mark.parametrize('ids', [{'awx_workflow_job_id': 42}, {'awx_workflow_job_id': '42'},
                                 {'tower_workflow_job_id': '42'}, {'awx_workflow_job_id': '', 'tower_workflow_job_id': 42}])
def test_auto_inside_a_workflow_refuses_with_the_ways_out(ids):
    policy = rotation_policy(None, workflow_job_name='deploy agents', **ids)
    assert policy['allow_rotation'] is False and policy['source'] == 'workflow'
    assert policy['workflow'] == "the AWX workflow job 42 ('deploy agents')"
    assert policy['why'] == "agent_credentials_allow_rotation is not set and this job runs in the AWX workflow job 42 ('deploy agents')"
    assert policy['because'].startswith("This job runs in the AWX workflow job 42 ('deploy agents') and may be one slice")
    for text in WAYS_OUT + ('use the key store (agent_credentials_key_store)',):
        assert text in policy['ways_out']
    assert '\n' not in policy['because'] + policy['ways_out']


def test_workflow_without_a_name_and_with_the_key_store():
    policy = rotation_policy(None, awx_workflow_job_id=7, key_store='/srv/etl.vault')
    assert policy['workflow'] == 'the AWX workflow job 7'
    assert 'put the current key into the key store /srv/etl.vault (a run outside workflows fills it)' in policy['ways_out']
    assert 'use the key store (agent_credentials_key_store)' not in policy['ways_out']


def test_a_requested_rotation_inside_a_workflow_is_allowed():
    for rotate in (True, 'true', 'yes'):
        policy = rotation_policy(None, rotate=rotate, awx_workflow_job_id=42)
        assert policy['allow_rotation'] is True and policy['source'] == 'workflow' and not policy['because']
    assert rotation_policy(None, rotate='false', awx_workflow_job_id=42)['allow_rotation'] is False


@pytest.mark.parametrize('value', [True, 'true', 'True', 'yes', 1])
def test_explicit_true_wins_inside_a_workflow(value):
    for ids in ({}, {'awx_workflow_job_id': 42}, {'tower_workflow_job_id': 42}):
        policy = rotation_policy(value, **ids)
        assert policy['allow_rotation'] is True and policy['source'] == 'explicit' and not policy['ways_out']


@pytest.mark.parametrize('value', [False, 'false', 'no', 0])
def test_explicit_false_wins_outside_a_workflow(value):
    for ids in ({}, {'awx_workflow_job_id': 42}):
        for rotate in (False, True):
            policy = rotation_policy(value, rotate=rotate, **ids)
            assert policy['allow_rotation'] is False and policy['source'] == 'explicit'
            assert policy['because'] == policy['why'] == 'agent_credentials_allow_rotation is false'
            assert policy['ways_out'].startswith('run the role once without job slicing (agent_credentials_allow_rotation true)')


def test_an_invalid_value_is_refused():
    with pytest.raises(AnsibleFilterError, match='must be true, false or null'):
        rotation_policy('sometimes')


def test_the_plan_of_a_refused_workflow_run_never_rotates():
    # select_key.yml passes the resolved value to rotation_plan: no rotation even with no active key.
    allowed = rotation_policy(None, awx_workflow_job_id=42)['allow_rotation']
    assert rotation_plan([], allow_rotation=allowed)['rotate'] is False
    assert rotation_plan([], allow_rotation=rotation_policy(None)['allow_rotation'])['rotate'] is True
