# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The options of the object access modules (deployment_access, block_access, work_pool_access)."""

    DOCUMENTATION = r"""
options:
  workspace:
    description:
      - Handle or UUID of the workspace of the object. A UUID is treated as a workspace id.
    type: str
    required: true
  manage:
    description:
      - The actors that may manage (change and delete) the object, and set its access.
      - The level is set to exactly these actors (with O(append=true), they are added to the actors it has).
        A level the task does not name is left as it is.
      - Required with O(state=present) unless another level is given. Ignored with O(state=absent).
    type: dict
    suboptions:
      service_accounts:
        description: Names or ids of service accounts.
        type: list
        elements: str
        default: []
      users:
        description: E-mail addresses (compared case-insensitively), handles or user ids of users of the account.
        type: list
        elements: str
        default: []
      teams:
        description: Names or ids of teams. A name shared by several teams is an error; use the team id then.
        type: list
        elements: str
        default: []
      everyone:
        description:
          - V(true) gives everyone with access to the workspace this level (the API's actor id C(*)), in
            addition to the actors listed. It is the C("*") of the Terraform provider's actor id lists.
        type: bool
        default: false
  view:
    description:
      - The actors that may see the object.
      - The level is set to exactly these actors (with O(append=true), they are added to the actors it has).
        A level the task does not name is left as it is.
      - Required with O(state=present) unless another level is given. Ignored with O(state=absent).
    type: dict
    suboptions:
      service_accounts:
        description: Names or ids of service accounts.
        type: list
        elements: str
        default: []
      users:
        description: E-mail addresses (compared case-insensitively), handles or user ids of users of the account.
        type: list
        elements: str
        default: []
      teams:
        description: Names or ids of teams. A name shared by several teams is an error; use the team id then.
        type: list
        elements: str
        default: []
      everyone:
        description:
          - V(true) gives everyone with access to the workspace this level (the API's actor id C(*)), in
            addition to the actors listed. It is the C("*") of the Terraform provider's actor id lists.
        type: bool
        default: false
  append:
    description:
      - V(false) sets each level the task names to exactly the actors listed (authoritative).
      - V(true) adds the actors listed to each level the task names and removes nobody, as
        O(ansible.builtin.user#module:append) does for groups.
    type: bool
    default: false
  allow_empty:
    description:
      - A level the task names that would end up with no actor at all (no actor listed and
        O(manage.everyone=false), for example) is refused with an error, so that an object is not
        left without access by accident. V(true) allows it.
    type: bool
    default: false
  state:
    description:
      - V(present) sets the levels the task names.
      - V(absent) resets every level of the object's access control list to everyone (C(*)), as the
        Terraform provider does when the resource is destroyed, so that nobody is locked out. An
        object whose levels are all everyone already is left as it is (no change). An object that
        does not exist reports no change.
    type: str
    choices: [present, absent]
    default: present
"""

    RUN = r"""
options:
  run:
    description:
      - The actors that may run the object.
      - The level is set to exactly these actors (with O(append=true), they are added to the actors it has).
        A level the task does not name is left as it is.
      - Required with O(state=present) unless another level is given. Ignored with O(state=absent).
    type: dict
    suboptions:
      service_accounts:
        description: Names or ids of service accounts.
        type: list
        elements: str
        default: []
      users:
        description: E-mail addresses (compared case-insensitively), handles or user ids of users of the account.
        type: list
        elements: str
        default: []
      teams:
        description: Names or ids of teams. A name shared by several teams is an error; use the team id then.
        type: list
        elements: str
        default: []
      everyone:
        description:
          - V(true) gives everyone with access to the workspace this level (the API's actor id C(*)), in
            addition to the actors listed. It is the C("*") of the Terraform provider's actor id lists.
        type: bool
        default: false
"""
