# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The key policy of the agent_credentials role: reuse, rotate, or refuse to rotate."""

from __future__ import annotations

DOCUMENTATION = r"""
name: _rotation_plan
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: "[INTERNAL] Decide whether the agent_credentials role rotates the key"
description:
  - B(Internal.) Only for the P(prefect.cloud.agent_credentials#role) role, not part of the public interface
    of the collection; it can change or go away in any release, without a deprecation period. Do not use
    it in playbooks.
  - The key policy of the P(prefect.cloud.agent_credentials#role) role (its README explains it).
  - A new service account is never rotated; with O(allow_rotation=false) nothing is rotated.
  - O(rotate=true) always rotates.
  - When no checked key is the active key, the key is rotated only if the run is not limited
    (O(coverage)); a limited run is refused with a message that names the ways out.
  - When the active key expires within O(rotate_before_expiry) seconds it is rotated, except in a
    limited run, which reuses it and warns.
  - Never returns or mentions a key.
options:
  _input:
    description: The M(prefect.cloud.api_key_info) results of the checked keys that are the active key (best first).
    type: list
    elements: dict
    required: true
  created:
    description: The service account is (or would be) created by this run.
    type: bool
    default: false
  allow_rotation:
    description: The role variable C(agent_credentials_allow_rotation).
    type: bool
    default: true
  rotate:
    description: The role variable C(agent_credentials_rotate).
    type: bool
    default: false
  rotate_before_expiry:
    description: The role variable C(agent_credentials_rotate_before_expiry).
    type: int
    default: 604800
  coverage:
    description: The result of P(prefect.cloud._fleet_coverage#filter) (null means not limited).
    type: dict
  service_account:
    description: Name of the service account (for the messages).
    type: string
    default: ''
  key_store:
    description: Path of the key store, empty when none is used (for the messages).
    type: string
    default: ''
"""

EXAMPLES = r"""
- name: Decide
  ansible.builtin.set_fact:
    plan: >-
      {{ active_results | prefect.cloud._rotation_plan(created=false, rotate=false,
                                                      coverage=coverage, service_account='etl-worker') }}
"""

RETURN = r"""
_value:
  description: The decision.
  type: dict
  contains:
    rotate:
      description: Whether to rotate now.
      type: bool
    reason:
      description: Why the key is rotated (empty when it is not).
      type: string
    refuse:
      description: When not empty, the run must fail before any write with this message.
      type: string
    warning:
      description: A warning to show (empty for none).
      type: string
"""

from ansible.module_utils.parsing.convert_bool import boolean


def _plan(rotate=False, reason='', refuse='', warning=''):
    return {'rotate': rotate, 'reason': reason, 'refuse': refuse, 'warning': warning}


def rotation_plan(active, created=False, allow_rotation=True, rotate=False, rotate_before_expiry=604800,
                  coverage=None, service_account='', key_store=''):
    """{'rotate', 'reason', 'refuse', 'warning'}; never holds a key."""
    if boolean(created, strict=False) or not boolean(allow_rotation, strict=False):
        return _plan()
    if boolean(rotate, strict=False):
        return _plan(True, 'rotation requested (agent_credentials_rotate)')
    limited = bool(coverage and coverage.get('limited'))
    account = service_account or 'the service account'
    if not active:
        if not limited:
            return _plan(True, 'no host of the play holds the active key of the service account'
                         + (' and the key store does not hold it either' if key_store else ''))
        return _plan(refuse=(
            'No host of this play holds the active key of %s%s, and this run does not cover every host '
            'that uses it (%s): a rotation would lock the other hosts out when the grace period ends, so '
            'nothing was changed. Either run over the whole group %s, or set agent_credentials_rotate: true '
            'to rotate and redeploy anyway, or %s.'
            % (account, ' (nor does the key store %s)' % key_store if key_store else '', coverage.get('reason'),
               coverage.get('group'),
               'put the active key into the key store (one run over the whole group fills it)' if key_store
               else 'use the key store (agent_credentials_key_store) so that new hosts get the current key '
                    'without a rotation')))
    expires = active[0].get('expires_in_seconds')
    if expires is not None and int(expires) < int(rotate_before_expiry):
        if limited:
            return _plan(warning=(
                'WARNING: the active key of %s expires in %s seconds (agent_credentials_rotate_before_expiry is '
                '%s), but this run does not cover every host that uses it (%s), so it is not rotated now: run the '
                'role over the whole group %s before the key expires.'
                % (account, expires, rotate_before_expiry, coverage.get('reason'), coverage.get('group'))))
        return _plan(True, 'the active key expires in %s seconds' % expires)
    return _plan()


class FilterModule:
    """_rotation_plan filter (internal to the agent_credentials role)."""

    def filters(self):
        return {'_rotation_plan': rotation_plan}
