#!/usr/bin/python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: service_account_scope
short_description: Scope a Prefect Cloud service account to chosen deployments, blocks and work pools
description:
  - Say in one task which deployments, block documents and work pools of one workspace a service
    account may use, and at which level. The module reads the access control list (ACL) of every
    deployment, block document and work pool of the workspace and changes, in each, the entries of
    this service account only - it is at the listed level (and only there) on the listed objects,
    and at no level on every other object.
  - The entries of every other actor (users, other service accounts, teams) and the entry
    V(*) (everyone) are never added, removed or changed. See O(open_objects) for the objects that
    give a level to everyone.
  - This is the scope that restricting a service account to a few objects otherwise takes by hand
    (one ACL edit per object, and remembering the objects it must leave).
  - The ACL of one object, for every actor, is set with P(prefect.cloud.deployment_access#module),
    P(prefect.cloud.block_access#module) and P(prefect.cloud.work_pool_access#module).
version_added: 0.1.0
author:
  - prefect.cloud contributors (@prefect-ansible)
options:
  workspace:
    description:
      - Handle or UUID of the workspace whose objects the service account is scoped to.
    type: str
    required: true
  service_account:
    description:
      - Name or UUID of the service account.
    type: str
    required: true
  deployments:
    description:
      - The deployments the service account may use, and the level of each.
      - Every deployment of the workspace that is not listed loses the service account's entries.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - The deployment as V(flow_name/deployment_name), or its UUID.
        type: str
        required: true
      level:
        description:
          - The level of the service account on this deployment.
        type: str
        required: true
        choices: [view, run, manage]
  blocks:
    description:
      - The block documents the service account may use, and the level of each.
      - Every block document of the workspace that is not listed loses the service account's entries.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - The block document as V(block_type_slug/block_document_name), or its UUID.
        type: str
        required: true
      level:
        description:
          - The level of the service account on this block document (block documents have no V(run)).
        type: str
        required: true
        choices: [view, manage]
  work_pools:
    description:
      - The work pools the service account may use, and the level of each.
      - Every work pool of the workspace that is not listed loses the service account's entries.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - The work pool's name (the API names a work pool's ACL by its name).
        type: str
        required: true
      level:
        description:
          - The level of the service account on this work pool.
        type: str
        required: true
        choices: [view, run, manage]
  state:
    description:
      - V(present) scopes the service account to the listed objects.
      - V(absent) removes the service account from the ACL of every deployment, block document and
        work pool of the workspace (O(deployments), O(blocks) and O(work_pools) are ignored).
        Running it again changes nothing.
    type: str
    choices: [present, absent]
    default: present
  open_objects:
    description:
      - What to do about objects whose ACL gives a level to everyone (V(*)) that the scope does not
        give the service account - every level with V(*) on an object that is not listed, and every
        level with V(*) other than the listed one on a listed object. The service account keeps
        that level through V(*), which only a change of everyone's access could remove.
      - V(warn) changes the service account's own entries as on any object, lists these objects in
        RV(open_to_everyone) and warns once.
      - V(fail) fails the task before any write, naming these objects.
      - The module never removes or adds V(*). To close such an object, set its whole ACL with
        P(prefect.cloud.deployment_access#module), P(prefect.cloud.block_access#module) or
        P(prefect.cloud.work_pool_access#module) (naming the actors that keep access), then run this
        task again.
    type: str
    choices: [warn, fail]
    default: warn
notes:
  - Requests of a run - one for the workspace (a filter by handle, or a C(GET) by id), one for the
    service account, one listing (200 per request) of the deployments (and one of their flows, for
    the flow names), one of the block documents and one of the work pools, then one C(GET) of the
    ACL of B(every) object of the workspace - a workspace with 300 objects costs about 305 requests
    per run, the same with or without changes.
  - Writes - one C(PUT) of the ACL of each object whose entries of this service account change. The
    C(PUT) replaces the whole ACL, so it carries every other actor's and team's entry as the
    C(GET) just read it. An ACL changed by someone else between that read and the write is
    overwritten (the API has no version to detect it).
  - If a write fails, the task fails with one line naming the object and the request (method, path
    and the server's answer); RV(applied) and RV(not_applied) list the objects. Run the task again
    to converge.
  - The service account's access through a team it belongs to, or through its workspace role on
    objects without an ACL, is not changed - a team is another actor.
  - Prefect Cloud lets a deployment delegate its access check to its work pool - when a work pool
    has an ACL, that ACL applies to the deployments that use the pool. Scope the work pool too.
  - Whether the levels nest (V(manage) implying V(run) and V(view)) is not stated by the API
    document; the module sets the one listed level, as the Prefect Cloud UI and the Terraform
    provider set lists per level.
  - Anonymous block documents (those Prefect creates inside other objects) are left out of the block
    document listing by the API's documented filter default, and so are not changed (UNCONFIRMED
    against Prefect Cloud).
seealso:
  - module: prefect.cloud.deployment_access
  - module: prefect.cloud.block_access
  - module: prefect.cloud.work_pool_access
  - module: prefect.cloud.service_account
  - name: Prefect Cloud object access control lists
    description: How ACLs restrict deployments, blocks and work pools.
    link: https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/object-access-control-lists
extends_documentation_fragment:
  - prefect.cloud.auth
  - prefect.cloud.attributes
  - prefect.cloud.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
    details:
      - Reads only, and returns the same C(changed), diff, RV(changes), RV(access) and
        RV(open_to_everyone) as a real run.
  diff_mode:
    support: full
    details:
      - The diff shows the service account's level on each object it has access to before and
        after the run, such as C(deployment:etl/nightly) V(run) before and V((none\)) after.
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: The billing pipeline may run one deployment and read one secret, nothing else
  prefect.cloud.service_account_scope:
    workspace: production
    service_account: pipeline-billing
    deployments:
      - name: billing/nightly
        level: run
    blocks:
      - name: secret/billing-db-password
        level: view
    work_pools:
      - name: kubernetes-prod
        level: run

- name: Preview the ACL changes first
  prefect.cloud.service_account_scope:
    workspace: production
    service_account: pipeline-billing
    deployments:
      - {name: billing/nightly, level: run}
    open_objects: fail
  check_mode: true
  diff: true

- name: Take the service account out of every object's ACL
  prefect.cloud.service_account_scope:
    workspace: production
    service_account: pipeline-retired
    state: absent
"""

RETURN = r"""
access:
  description:
    - The service account's own level on each object after the run (in check mode, as it would be),
      keyed by the object as C(deployment:<flow>/<name>), C(block:<block type slug>/<name>) or
      C(work_pool:<name>). Objects where it has no entry are left out; levels reached through
      everyone (V(*)) are not shown here (see RV(open_to_everyone)).
  returned: always
  type: dict
  sample:
    deployment:billing/nightly: run
    block:secret/billing-db-password: view
changes:
  description:
    - "One line per object whose entries of this service account change (or would change in check
      mode), sorted, as C(<object>: <level before> -> <level after>); V((none\\)) for no level and
      levels joined with V(+) when the account was in several."
  returned: always
  type: list
  elements: str
  sample:
    - "deployment:billing/nightly: (none) -> run"
    - "deployment:etl/hourly: run+view -> (none)"
open_to_everyone:
  description:
    - The objects where the service account has a level through the entry V(*) (everyone) that the
      scope does not give it (see O(open_objects)), with those levels.
  returned: always
  type: list
  elements: dict
  contains:
    object:
      description: The object, as in RV(access).
      type: str
    levels:
      description: The levels given to everyone.
      type: list
      elements: str
  sample:
    - object: work_pool:default
      levels: [view]
applied:
  description:
    - When a write failed, the ACL writes applied before it, each with C(operation) (V(set_access)),
      C(object) and C(workspace).
  returned: when a write failed
  type: list
  elements: dict
  sample:
    - operation: set_access
      object: deployment:billing/nightly
      workspace: production
not_applied:
  description:
    - When a write failed, the ACL writes not applied, the failed one first, shaped like
      RV(applied).
  returned: when a write failed
  type: list
  elements: dict
  sample:
    - operation: set_access
      object: deployment:etl/hourly
      workspace: production
"""

from ansible_collections.prefect.cloud.plugins.module_utils._base import BatchModule, Operation
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError
from ansible_collections.prefect.cloud.plugins.module_utils._objects import EVERYONE, TYPES, ObjectAcls, place, same
from ansible_collections.prefect.cloud.plugins.module_utils._values import hint, is_uuid, listing

OPTIONS = {"deployment": "deployments", "block": "blocks", "work_pool": "work_pools"}


def levels_text(levels):
    """``run``, ``run+view`` (the account was at several levels) or ``(none)``."""
    return "+".join(sorted(levels)) or "(none)"


class ScopeOperation(Operation):
    """The PUT of one object's ACL (``data``: ``ref`` and the whole new ``acl``)."""

    subject = "object"


class ServiceAccountScope(BatchModule):
    """One service account's entries in the ACL of every deployment, block document and work pool
    of one workspace: at the listed level on the listed objects, at none elsewhere."""

    argument_spec = dict(
        workspace=dict(type="str", required=True),
        service_account=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        open_objects=dict(type="str", choices=["warn", "fail"], default="warn"),
        **{option: dict(type="list", elements="dict", default=[], options=dict(
            name=dict(type="str", required=True),
            level=dict(type="str", required=True, choices=list(reversed(TYPES[name].levels)))))
           for name, option in OPTIONS.items()},
    )
    present_only = tuple(OPTIONS.values())
    module_name = "service_account_scope"

    def wanted(self, name, refs):
        """{ref: level} of the objects the option of type ``name`` lists; every name is checked
        against the listing (no request) before any ACL is read."""
        option, wanted = OPTIONS[name], {}
        index = {key: ref for ref in refs for key in (ref.label, ref.path.rsplit("/", 1)[1])}
        for number, entry in enumerate(self.params[option]):
            value, label = entry["name"], f"{option}[{number}].name"
            ref = index.get(value.lower() if is_uuid(value) else value)
            if ref is None:
                raise PrefectError(f"{label}: no {TYPES[name].label} {value!r} in workspace {self.params['workspace']!r}"
                                   f"{hint(value, [ref.label for ref in refs])} (give {TYPES[name].form})")
            if ref in wanted:
                raise PrefectError(f"{label}: {TYPES[name].label} {ref.label!r} is listed more than once; give each object once")
            wanted[ref] = entry["level"]
        return wanted

    def converge(self):
        params = self.params
        acls = ObjectAcls(self, params["workspace"])
        actor = acls.actor("service_account", params["service_account"], "service_account")
        found = {name: acls.refs(name) for name in OPTIONS}
        wanted = {ref: level for name, refs in found.items() for ref, level in self.wanted(name, refs).items()}
        refs = [ref for listed in found.values() for ref in listed]
        before, after, changes, everyone, writes = {}, {}, [], [], []
        for ref in refs:
            acl = acls.read(ref)  # one GET per object
            if acl is None:
                continue  # deleted since the listing
            key, level = f"{ref.type}:{ref.label}", wanted.get(ref)
            has = [lvl for lvl, entries in acl.items() if any((e.type, e.id) == (actor.type, actor.id) for e in entries)]
            # The safe reading of "*": the account keeps a level that everyone has; removing it would
            # narrow every other actor's access, so "*" is never touched, only reported.
            shared = sorted(lvl for lvl, entries in acl.items() if EVERYONE in entries and lvl != level)
            before.update({key: levels_text(has)} if has else {})
            after.update({key: level} if level else {})
            everyone += [{"object": key, "levels": shared}] if shared else []
            new = place(acl, actor, (level,) if level else ())
            if not same(acl, new):
                changes.append(f"{key}: {levels_text(has)} -> {level or '(none)'}")
                writes.append(ScopeOperation("set_access", key, params["workspace"], ref=ref, acl=new))
        self.result.update(access=dict(sorted(after.items())), changes=sorted(changes),
                           open_to_everyone=sorted(everyone, key=lambda item: item["object"]))
        if everyone:
            what = (f"{len(everyone)} objects give everyone ('*') a level that the scope does not give the service account, "
                    f"which keeps it through '*': {listing([item['object'] for item in everyone], 10)}")
            if params["open_objects"] == "fail":
                self.fail(f"open_objects=fail: {what}; set their ACLs with deployment_access, block_access or work_pool_access "
                          f"(naming who keeps access), or set open_objects=warn")
            self.warn(f"{what} (see open_to_everyone)")
        self.set_changed(bool(writes))
        view = dict(workspace=params["workspace"], service_account=actor.name)
        self.set_diff(dict(view, access=dict(sorted(before.items()))), dict(view, access=self.result["access"]))
        if not self.check_mode:
            self.write_all(writes, lambda pending: pending[:1], lambda batch: acls.write(batch[0].data["ref"], batch[0].data["acl"]))


def main():
    ServiceAccountScope.main()


if __name__ == "__main__":
    main()
