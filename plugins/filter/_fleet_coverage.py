# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Whether a play covers every host of the inventory group that the role deploys to."""

from __future__ import annotations

DOCUMENTATION = r"""
name: _fleet_coverage
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: "[INTERNAL] Tell whether a play covers every host of its inventory group"
description:
  - B(Internal.) Only for the P(prefect.cloud.agent_credentials#role) role, not part of the public interface
    of the collection; it can change or go away in any release, without a deprecation period. Do not use
    it in playbooks.
  - The P(prefect.cloud.agent_credentials#role) role rotates a key automatically only when the play
    covers every host that holds the key. This filter tells whether the run is B(limited).
  - With O(group) set, the run is limited when some host of that group is not in the play.
  - Without O(group), the group is the smallest inventory group that holds every host of the play
    (C(all) when no other does), and the run is limited when some host of it is not in the play, or
    when O(limit) is set (C(--limit) or an AWX job's limit, because the hosts it hides cannot be told apart).
options:
  _input:
    description: The hosts of the play (C(ansible_play_hosts_all)).
    type: list
    elements: string
    required: true
  groups:
    description: The inventory groups (the C(groups) magic variable).
    type: dict
    required: true
  limit:
    description: The limit of the run (C(ansible_limit)); empty or null for none.
    type: raw
  group:
    description: The inventory group of every host the role deploys to; empty or null to find it.
    type: string
"""

EXAMPLES = r"""
- name: Is this run limited?
  ansible.builtin.set_fact:
    coverage: "{{ ansible_play_hosts_all | prefect.cloud._fleet_coverage(groups, ansible_limit | default(''), 'agents') }}"
"""

RETURN = r"""
_value:
  description: The coverage of the play.
  type: dict
  contains:
    limited:
      description: Whether the play misses hosts (or may miss them, with a limit).
      type: bool
    group:
      description: The group compared with.
      type: string
    missing:
      description: The hosts of the group that are not in the play.
      type: list
      elements: string
    reason:
      description: Why the run is limited, in words (empty when it is not).
      type: string
"""

from ansible.errors import AnsibleFilterError


def _names(hosts, count=5):
    hosts = list(hosts)
    text = ', '.join(hosts[:count])
    return text + (' and %d more' % (len(hosts) - count) if len(hosts) > count else '')


def fleet_coverage(play_hosts, groups, limit=None, group=None):
    """{'limited', 'group', 'missing', 'reason'} for the hosts of a play."""
    play = [str(host) for host in play_hosts or []]
    in_play = set(play)
    groups = {name: [str(host) for host in hosts] for name, hosts in (groups or {}).items()}
    if group:
        if group not in groups:
            raise AnsibleFilterError('agent_credentials_group: the inventory has no group named %s' % group)
        name = group
    else:
        containing = [(len(set(hosts)), name != 'all', name) for name, hosts in groups.items()
                      if name != 'ungrouped' and in_play <= set(hosts)]
        # the smallest group; among groups of the same size a named one before "all"
        containing.sort(key=lambda item: (item[0], not item[1], item[2]))
        name = containing[0][2] if containing else 'all'
    missing = [host for host in groups.get(name, []) if host not in in_play]
    reasons = []
    if missing:
        reasons.append('the play has %d of the %d hosts of the group %s (not in the play: %s)'
                       % (len(set(groups[name]) & in_play), len(set(groups[name])), name, _names(missing)))
    limit_text = ','.join(limit) if isinstance(limit, (list, tuple)) else str(limit or '')
    if limit_text and not group:
        reasons.append('the run is limited (--limit %s)' % limit_text)
    return {'limited': bool(reasons), 'group': name, 'missing': missing, 'reason': '; '.join(reasons)}


class FilterModule:
    """_fleet_coverage filter (internal to the agent_credentials role)."""

    def filters(self):
        return {'_fleet_coverage': fleet_coverage}
