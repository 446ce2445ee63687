# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Planning the access control lists of deployments, block documents and work pools (PRIVATE).

One planner for ``deployment_access``, ``block_access``, ``work_pool_access`` and
``object_access_info``. ``TYPES`` is the table of what differs between the three object types:
the option naming the object, its levels, how a name is looked up and the API path of the object.

An ACL (``Acl``) is ``{level: (Entry, ...)}``, every level of the type, entries sorted by label.
An ``Entry`` is ``(type, id, name)``: type ``service_account`` / ``user`` (id: the ACTOR id, name:
the service account's name / the user's e-mail), ``team`` (id: the team id) or ``everyone`` (id
``"*"``). Two ACLs are the same when they hold the same (type, id) pairs per level (``same``).

The API (for the modules and for other planners, such as a scoped service account's):

* ``acls = ObjectAcls(module, workspace)``: one workspace (handle or id), looked up at once (an
  unknown one is an error listing the valid handles).
* ``acls.find(type_name, value, option)`` -> ``Ref`` (type, API path, label), or None when a name
  lookup finds nothing (one GET for a ``a/b`` name, none for an id or a work pool name: ``read``
  proves those); a value in neither form is a PrefectError. ``acls.refs(type_name)`` -> every
  object of the type in the workspace (``/filter``, all pages; a deployment's label is
  ``flow/deployment``).
* ``acls.read(ref)`` -> ``Acl``, or None when the object does not exist (one GET);
  ``acls.write(ref, acl)`` PUTs the whole ACL (every level of the type).
* ``acls.actor(actor_type, value, option, known=acl)`` -> ``Entry`` for a service account (name
  or id), user (e-mail in any case, handle or id) or team (name or id); found in ``known`` first
  (no request), else looked up (``_lookup.Directory``, with check-mode plans); an unknown one is
  a one-line PrefectError naming ``option`` with the closest name.
* ``replace(acl, wanted, append)`` -> the ACL with ``wanted`` ({level: entries}) at the levels it
  names (exactly, or added to the current entries with ``append``); ``place(acl, entry, levels)``
  -> the ACL with ``entry`` at exactly ``levels`` (an empty tuple: at none); ``reset(type)`` ->
  everyone at every level (what Terraform leaves on destroy).
* ``empty_levels(acl, levels)`` -> the levels among ``levels`` that hold no entry at all.
* ``acl_view(ref, acl)`` / ``acl_diff(view)``: the returned and diff forms.
"""

from __future__ import annotations

from collections import namedtuple
from urllib.parse import quote

from ._base import StateModule
from ._errors import PrefectError
from ._lookup import Directory
from ._models import ReplaceObjectAccess
from ._values import check_names, is_uuid

Entry = namedtuple("Entry", "type id name")
Ref = namedtuple("Ref", "type path label")
EVERYONE = Entry("everyone", "*", None)
ACTOR_TYPES = {"service_accounts": "service_account", "users": "user", "teams": "team"}


# One object type: ``form`` is how a task names one; the API path of an object is ``path/key``
# (key: its id, a work pool's name); ``by_name(workspace id, a, b)`` the API method that reads the
# object named ``a/b`` (None: the key is the name); ``listing(api, workspace id)`` -> (key, label) of
# every object.
ObjectType = namedtuple("ObjectType", "name label levels form path by_name listing")


def _deployments(api, workspace_id):
    """(id, ``flow/deployment``) of every deployment: the listing names only the flow's id, so the
    flows are listed too (one more request)."""
    found = api.deployments(workspace_id)
    flows = {flow.id: flow.name for flow in api.flows(workspace_id, sorted({d.flow_id for d in found}))} if found else {}
    return [(d.id, f"{flows.get(d.flow_id, d.flow_id)}/{d.name}") for d in found]


TYPES = {kind.name: kind for kind in (
    ObjectType("deployment", "deployment", ("manage", "run", "view"), "flow_name/deployment_name or a deployment id",
               "deployments", "deployment_by_name", _deployments),
    ObjectType("block", "block document", ("manage", "view"), "block_type_slug/block_name or a block document id",
               "block_documents", "block_document_by_name",
               lambda api, ws: [(b.id, f"{b.block_type.slug}/{b.name}" if b.block_type else b.id)
                                for b in api.block_documents(ws)]),
    ObjectType("work_pool", "work pool", ("manage", "run", "view"), "a work pool name", "work_pools", None,
               lambda api, ws: [(p.name, p.name) for p in api.work_pools(ws)]),
)}


def label(entry):
    """``service_account:<name>``, ``user:<email>``, ``team:<name>`` or ``everyone``."""
    return "everyone" if entry.type == "everyone" else f"{entry.type}:{entry.name or entry.id}"


def _key(entry):
    return entry.type, entry.id if entry.id is not None else entry.name  # a planned actor has no id yet


def _sorted(entries):
    unique = {_key(entry): entry for entry in entries}
    return tuple(sorted(unique.values(), key=lambda entry: (label(entry).lower(), entry.id or "")))


def _entry(actor):
    if actor.type == "*" or actor.id == "*":
        return EVERYONE
    return Entry(actor.type, actor.id, actor.email if actor.type == "user" and actor.email else actor.name)


def same(first, second):
    return [(level, set(map(_key, entries))) for level, entries in sorted(first.items())] == [
        (level, set(map(_key, entries))) for level, entries in sorted(second.items())]


def replace(acl, wanted, append=False):
    return dict(acl, **{level: _sorted((acl[level] if append else ()) + tuple(entries)) for level, entries in wanted.items()})


def place(acl, entry, levels):
    return {level: _sorted([other for other in entries if _key(other) != _key(entry)] + ([entry] if level in levels else []))
            for level, entries in acl.items()}


def reset(type_name):
    return {level: (EVERYONE,) for level in TYPES[type_name].levels}


def empty_levels(acl, levels):
    return [level for level in levels if not acl.get(level)]


def acl_view(ref, acl):
    return {"object_type": ref.type, "object": ref.label,
            **{level: [dict(entry._asdict()) for entry in entries] for level, entries in acl.items()}}


def acl_diff(view):
    if view is None:
        return None
    kind = TYPES[view["object_type"]]
    levels = {level: [label(Entry(**entry)) for entry in view[level]] for level in kind.levels}
    return {"object": f"{kind.label} {view['object']}", **levels}


def _ref(type_name, key, name):
    return Ref(type_name, f"{TYPES[type_name].path}/{quote(key, safe='')}", name)


class ObjectAcls:
    """The ACLs of the objects of one workspace (see the module docstring)."""

    def __init__(self, module, workspace):
        self.api, self.directory = module.api, Directory(module)
        self.workspace_id = self.directory.workspace(workspace).id

    def find(self, type_name, value, option):
        kind = TYPES[type_name]
        if kind.by_name is None or is_uuid(value):  # a work pool: the ACL read proves it exists
            return _ref(type_name, value, value)
        if "/" not in value:
            raise PrefectError(f"{option} must be {kind.form}, got {value!r}")
        first, _sep, second = value.partition("/")
        found = getattr(self.api, kind.by_name)(self.workspace_id, first, second) if first and second else None
        return None if found is None else _ref(type_name, found.id, value)

    def refs(self, type_name):
        return [_ref(type_name, key, name) for key, name in TYPES[type_name].listing(self.api, self.workspace_id)]

    def read(self, ref):
        """The object's ACL, or None when the object does not exist (the GET answers 404)."""
        found = self.api.object_access(self.workspace_id, ref.path)
        if found is None:
            return None
        return {level: _sorted(_entry(actor) for actor in getattr(found, f"{level}_actors")) for level in TYPES[ref.type].levels}

    def write(self, ref, acl):
        ids = {f"{level}_{field}_ids": [entry.id for entry in entries if (entry.type == "team") == (field == "team")]
               for level, entries in acl.items() for field in ("actor", "team")}  # teams apart from the actors
        self.api.set_object_access(self.workspace_id, ref.path, ReplaceObjectAccess(**ids))

    def actor(self, actor_type, value, option, known=None):
        fold = str.lower if actor_type == "user" else str  # e-mail addresses in any case
        for entry in (entry for entries in (known or {}).values() for entry in entries):
            if entry.type == actor_type and (value == entry.id or fold(value) == fold(entry.name or "")):
                return entry
        found = self.directory.accessor(actor_type, value, option)
        actor_id = found.id if actor_type == "team" else getattr(found, "actor_id", None)  # a planned one has none
        return Entry(actor_type, actor_id, found.email if actor_type == "user" else found.name)


def _level_spec():
    names = dict(type="list", elements="str", default=[])
    return dict(type="dict", options=dict(service_accounts=dict(names), users=dict(names), teams=dict(names),
                                          everyone=dict(type="bool", default=False)))


class ObjectAccessModule(StateModule):
    """The ACL of one object of ``type_name`` (``deployment_access``, ``block_access``,
    ``work_pool_access``): a subclass sets ``type_name`` and gets its options."""

    type_name = kind = None  # kind: TYPES[type_name]
    result_key = "object_access"
    diff_view = staticmethod(acl_diff)
    acls = ref = acl = after_acl = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.kind = TYPES[cls.type_name]
        cls.argument_spec = dict(
            workspace=dict(type="str", required=True), **{cls.type_name: dict(type="str", required=True)},
            append=dict(type="bool", default=False), allow_empty=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            **{level: _level_spec() for level in cls.kind.levels})
        cls.present_only = cls.kind.levels + ("append", "allow_empty")

    def validate(self):
        levels = self.kind.levels
        if self.params["state"] == "present" and all(self.params[level] is None for level in levels):
            raise ValueError(f"state=present needs at least one of the levels {', '.join(levels)}")
        for level in levels:
            for field in ACTOR_TYPES if self.params[level] else ():
                self.params[level][field] = check_names(self.params[level][field], f"{level}.{field}")

    def read(self):
        params, kind = self.params, self.kind
        self.acls = ObjectAcls(self, params["workspace"])
        self.ref = self.acls.find(self.type_name, params[self.type_name], self.type_name)
        self.acl = None if self.ref is None else self.acls.read(self.ref)
        if self.acl is None and params["state"] == "present":
            raise PrefectError(f"{self.type_name}: no {kind.label} {params[self.type_name]!r} in workspace "
                               f"{params['workspace']!r} ({self.type_name} expects {kind.form})")
        return None if self.acl is None else acl_view(self.ref, self.acl)

    def plan_absent(self, before):
        return before and self.changed_to(before, reset(self.type_name))

    def plan(self, before):
        params, wanted = self.params, {}
        for level in self.kind.levels:
            if params[level] is not None:
                wanted[level] = [EVERYONE] if params[level]["everyone"] else []
                wanted[level] += [self.acls.actor(actor_type, value, f"{level}.{field}[{index}]", self.acl)
                                  for field, actor_type in ACTOR_TYPES.items()
                                  for index, value in enumerate(params[level][field])]
        after = replace(self.acl, wanted, params["append"])
        empty = empty_levels(after, wanted)
        if empty and not params["allow_empty"]:
            raise PrefectError(f"{', '.join(empty)}: this would leave nobody at the {' and '.join(empty)} level of the "
                               f"{self.kind.label}; name an actor, set everyone: true, or set "
                               f"allow_empty: true if that is meant")
        return self.changed_to(before, after)

    def changed_to(self, before, after):
        """The view of the ACL ``after``, or ``before`` itself when nothing changes."""
        if same(self.acl, after):
            return before
        self.after_acl = after
        return acl_view(self.ref, after)

    def apply(self, before, after):
        self.acls.write(self.ref, self.after_acl)
