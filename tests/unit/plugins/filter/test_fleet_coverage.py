# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_fleet_coverage (internal to the agent_credentials role): is the play limited compared with the inventory group?"""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prefect.cloud.plugins.filter._fleet_coverage import fleet_coverage

GROUPS = {
    'all': ['a1', 'a2', 'a3', 'db1'],
    'ungrouped': ['db1'],
    'agents': ['a1', 'a2', 'a3'],
    'site1': ['a1', 'a2'],
}


def test_whole_group_is_not_limited():
    result = fleet_coverage(['a1', 'a2', 'a3'], GROUPS)
    assert result == {'limited': False, 'group': 'agents', 'missing': [], 'reason': ''}


def test_limit_is_limited_even_when_the_smallest_group_is_covered():
    result = fleet_coverage(['a1', 'a2'], GROUPS, 'site1')
    assert result['limited'] and result['group'] == 'site1' and result['missing'] == []
    assert result['reason'] == 'the run is limited (--limit site1)'


def test_play_with_fewer_hosts_than_the_group():
    result = fleet_coverage(['a3'], GROUPS, '', 'agents')
    assert result['limited'] and result['missing'] == ['a1', 'a2']
    assert result['reason'] == 'the play has 1 of the 3 hosts of the group agents (not in the play: a1, a2)'


def test_named_group_covered_despite_a_limit():
    assert not fleet_coverage(['a1', 'a2', 'a3'], GROUPS, 'agents', 'agents')['limited']


def test_limit_as_list_and_many_missing_hosts():
    groups = {'all': ['h%d' % i for i in range(10)], 'fleet': ['h%d' % i for i in range(10)]}
    result = fleet_coverage(['h0'], groups, ['h0'], 'fleet')
    assert result['reason'] == 'the play has 1 of the 10 hosts of the group fleet (not in the play: h1, h2, h3, h4, h5 and 4 more)'
    assert fleet_coverage(['h0'], groups, ['h0', 'h1'])['reason'].endswith('the run is limited (--limit h0,h1)')


def test_hosts_in_no_named_group_compare_with_all():
    result = fleet_coverage(['db1'], GROUPS)
    assert result['group'] == 'all' and result['limited'] and result['missing'] == ['a1', 'a2', 'a3']


def test_unknown_group_is_an_error():
    with pytest.raises(AnsibleFilterError, match='agent_credentials_group: the inventory has no group named nope'):
        fleet_coverage(['a1'], GROUPS, None, 'nope')
