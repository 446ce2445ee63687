# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Whether the agent_credentials role may create the service account and rotate its key in this run."""

from __future__ import annotations

DOCUMENTATION = r"""
name: _rotation_policy
author: prefect.cloud contributors (@prefect-ansible)
version_added: 0.1.0
short_description: "[INTERNAL] Decide whether the agent_credentials role may create and rotate in this run"
description:
  - B(Internal.) Only for the P(prefect.cloud.agent_credentials#role) role, not part of the public interface
    of the collection; it can change or go away in any release, without a deprecation period. Do not use
    it in playbooks.
  - Resolves the role variable C(agent_credentials_allow_rotation) of the
    P(prefect.cloud.agent_credentials#role) role. V(true) or V(false) wins.
  - Not set (null, or empty) means B(auto). Outside an AWX workflow job it is V(true). Inside one
    (O(awx_workflow_job_id) or O(tower_workflow_job_id) set and not empty), the job may be one
    slice of a sliced job template, so it is V(false), unless O(rotate=true) asks for a rotation.
  - AWX and Automation Controller run every slice of a sliced job template as a job of a slice
    workflow job, and set these extra variables for every job that a workflow job spawned. No
    variable tells a slice from another workflow node.
  - Also returns the texts of the role's messages; never returns or mentions a key.
options:
  _input:
    description: The role variable C(agent_credentials_allow_rotation) (V(true), V(false), or null for auto).
    type: raw
    required: true
  rotate:
    description: The role variable C(agent_credentials_rotate).
    type: bool
    default: false
  awx_workflow_job_id:
    description: The extra variable C(awx_workflow_job_id) that AWX sets (empty or null when not set).
    type: raw
  tower_workflow_job_id:
    description: The extra variable C(tower_workflow_job_id) that AWX sets (empty or null when not set).
    type: raw
  workflow_job_name:
    description: The extra variable C(awx_workflow_job_name) or C(tower_workflow_job_name), for the messages.
    type: raw
  key_store:
    description: Path of the key store, empty when none is used (for the messages).
    type: string
    default: ''
"""

EXAMPLES = r"""
- name: May this run create the service account and rotate its key?
  ansible.builtin.set_fact:
    policy: >-
      {{ agent_credentials_allow_rotation | prefect.cloud._rotation_policy(
           rotate=agent_credentials_rotate,
           awx_workflow_job_id=awx_workflow_job_id | default(''),
           tower_workflow_job_id=tower_workflow_job_id | default(''),
           workflow_job_name=awx_workflow_job_name | default(tower_workflow_job_name | default(''))) }}
"""

RETURN = r"""
_value:
  description: The decision.
  type: dict
  contains:
    allow_rotation:
      description: Whether this run may create the service account and rotate its key.
      type: bool
    source:
      description: >-
        V(explicit) (the variable is set), V(auto) (not set, not in a workflow job), or V(workflow)
        (not set, inside an AWX workflow job).
      type: string
    workflow:
      description: The AWX workflow job the run is part of, in words (empty outside workflow jobs).
      type: string
    why:
      description: >-
        Why creating and rotating are not allowed, in a few words (empty when they are allowed).
      type: string
    because:
      description: >-
        Why creating and rotating are not allowed, the start of a sentence such as
        C(agent_credentials_allow_rotation is false) (empty when they are allowed).
      type: string
    ways_out:
      description: What the user can do instead, the end of the role's failure messages (empty when allowed).
      type: string
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean


# What AWX does, read in its source (github.com/ansible/awx at e21dd0a0933fd544d1fe2513c54fe41203775eb5):
# - awx/main/models/jobs.py, JobTemplate.create_unified_job: a job template with an effective
#   job_slice_count > 1 creates a WorkflowJob (is_sliced_job=True) with one WorkflowJobNode per
#   slice (ancestor_artifacts job_slice=N) instead of a Job.
# - awx/main/models/workflow.py, WorkflowJobNode.get_job_kwargs: every job that a workflow node
#   spawns gets launch_type 'workflow'; a slice node also gets job_slice_number/job_slice_count,
#   which only select the slice's hosts for its inventory (awx/main/tasks/jobs.py, BaseTask.build_inventory).
# - awx/main/models/unified_jobs.py, UnifiedJob.awx_meta_vars: when get_workflow_job() finds the
#   workflow job (launch_type 'workflow'), it sets <prefix>_workflow_job_id, _workflow_job_name and
#   _workflow_job_launch_type for the prefixes 'awx' and 'tower' (JOB_VARIABLE_PREFIXES,
#   awx/main/constants.py); awx/main/tasks/jobs.py, RunJob.build_extra_vars_file, puts them into
#   the job's extra vars, over the template's own. No variable names a slice, so a slice cannot be
#   told from any other job of a workflow: every job in a workflow is treated as a possible slice.


def _is_set(value):
    return value is not None and str(value).strip() != ''


def _policy(allowed, source, workflow, why='', because='', ways_out=''):
    return {'allow_rotation': allowed, 'source': source, 'workflow': workflow, 'why': why, 'because': because,
            'ways_out': ways_out}


def rotation_policy(allow_rotation, rotate=False, awx_workflow_job_id=None, tower_workflow_job_id=None,
                    workflow_job_name=None, key_store=''):
    """{'allow_rotation', 'source', 'workflow', 'why', 'because', 'ways_out'}; never holds a key."""
    workflow_id = next((str(value).strip() for value in (awx_workflow_job_id, tower_workflow_job_id) if _is_set(value)), '')
    workflow = ''
    if workflow_id:
        workflow = 'the AWX workflow job %s%s' % (
            workflow_id, " ('%s')" % str(workflow_job_name).strip() if _is_set(workflow_job_name) else '')
    if _is_set(allow_rotation) and str(allow_rotation).strip().lower() != 'auto':
        try:
            allowed = boolean(allow_rotation, strict=True)
        except TypeError as exc:
            raise AnsibleFilterError('agent_credentials_allow_rotation must be true, false or null (auto), not %r'
                                     % (allow_rotation,)) from exc
        if allowed:
            return _policy(True, 'explicit', workflow)
        return _policy(False, 'explicit', workflow, why='agent_credentials_allow_rotation is false',
                       because='agent_credentials_allow_rotation is false',
                       ways_out='run the role once without job slicing (agent_credentials_allow_rotation true), for '
                                'example a separate non-sliced job template, or the first node of a workflow with '
                                'agent_credentials_allow_rotation: true set explicitly, then run this job again.')
    if not workflow_id:
        return _policy(True, 'auto', workflow)
    if boolean(rotate, strict=False):
        # A rotation asked for explicitly (agent_credentials_rotate) is one of the ways out.
        return _policy(True, 'workflow', workflow)
    return _policy(
        False, 'workflow', workflow,
        why='agent_credentials_allow_rotation is not set and this job runs in %s' % workflow,
        because='This job runs in %s and may be one slice of a sliced job template (AWX does not tell a playbook '
                'whether it runs as a slice), so with agent_credentials_allow_rotation not set it neither creates '
                'the service account nor rotates its key,' % workflow,
        ways_out='run the role in a job that is neither part of a workflow nor sliced, then run this job again; or '
                 'set agent_credentials_rotate: true if a rotation is really wanted; or %s; or, if this workflow job '
                 'is not sliced, set agent_credentials_allow_rotation: true explicitly.'
                 % ('put the current key into the key store %s (a run outside workflows fills it)' % key_store if key_store
                    else 'use the key store (agent_credentials_key_store) so that every slice gets the current key'))


class FilterModule:
    """_rotation_policy filter (internal to the agent_credentials role)."""

    def filters(self):
        return {'_rotation_policy': rotation_policy}
