# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Models of the Prefect Cloud objects the collection reads (PRIVATE to this collection).

Each model is a small frozen class whose fields are declared with annotations, as with pydantic,
and the same interface as far as the modules use it: ``Model.model_validate(data)``, attribute
access and ``to_result()``. Responses are validated by pydantic-core (the validation engine of
pydantic, installed with it) against a schema built once per model, when the model is first used;
results are written as pydantic writes them (datetimes as RFC 3339 text). Importing pydantic
itself and building ``BaseModel`` classes would cost more than all the requests of a run without
changes (see ``docs/performance.md``).

Extra fields are ignored: the real API may add fields without breaking us. Annotations use
``typing.Optional``/``List`` because module code must run on Python 3.9; they are read as text
(``from __future__ import annotations``) and may name ``str``, ``bool``, ``datetime.datetime``,
another model, ``Optional[...]`` and ``List[...]``.
"""

from __future__ import annotations

import datetime
# The annotations below are text that name these (and datetime); they are never evaluated.
from typing import List, Optional  # noqa: F401 pylint: disable=unused-import

from ._deps import pydantic_core  # None without pydantic: the module fails with missing_required_lib first

# Schemas are pydantic-core's core schema, written as the plain dicts that pydantic_core.core_schema's
# helpers return (tests/unit/plugins/module_utils/test_models.py compares them): importing those
# helpers costs more than validating every response of a run (_deps._load_pydantic_core).
_SCALARS = {"str": "str", "bool": "bool", "int": "int", "datetime.datetime": "datetime"}
_MISSING = object()


class _Model:
    """A frozen, validated record of an API object."""

    _validator = None
    _fields = None  # name -> (nested model or None, is a list)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._validator = cls._fields = None

    @classmethod
    def _core_schema(cls):
        """The pydantic-core schema of this model: a typed dict of its annotated fields."""
        fields, kinds = {}, {}
        for name, text in getattr(cls, "__annotations__", {}).items():  # the models do not inherit fields
            schema, nested, is_list = _field_schema(text)
            default = getattr(cls, name, _MISSING)
            if default is not _MISSING:
                schema = {"type": "default", "schema": schema, "default": default}
            fields[name] = {"type": "typed-dict-field", "schema": schema, "required": default is _MISSING}
            kinds[name] = (nested, is_list)
        return {"type": "typed-dict", "fields": fields, "extra_behavior": "ignore"}, kinds

    @classmethod
    def _build(cls):
        if cls._validator is None:
            schema, kinds = cls._core_schema()
            cls._validator, cls._fields = pydantic_core.SchemaValidator(schema), kinds

    @classmethod
    def model_validate(cls, data):
        """Validate a decoded JSON object; raise pydantic-core's ``ValidationError`` (a ``ValueError``)."""
        cls._build()
        return cls._from_valid(cls._validator.validate_python(data))

    @classmethod
    def _from_valid(cls, valid):
        cls._build()
        item = object.__new__(cls)
        values = {"_valid": valid}
        for name, (nested, is_list) in cls._fields.items():
            value = valid[name]
            if nested is not None and value is not None:
                value = [nested._from_valid(v) for v in value] if is_list else nested._from_valid(value)
            values[name] = value
        item.__dict__.update(values)
        return item

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other):
        return type(self) is type(other) and self._valid == other._valid

    def __hash__(self):
        return hash((type(self), repr(self._valid)))

    def __repr__(self):
        return f"{type(self).__name__}({self._valid!r})"

    def to_result(self):
        """JSON-safe dict for module results (datetimes as RFC 3339 strings, as pydantic writes them)."""
        return _json_safe(self._valid)


def describe_invalid(exc):
    """One line naming what a ``ValidationError`` found wrong, by field; never the values."""
    errors = exc.errors() if hasattr(exc, "errors") else []
    parts = [".".join(str(p) for p in e.get("loc", ())) + ": " + str(e.get("msg", "")) for e in errors[:3]]
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more if parts else type(exc).__name__


def _json_safe(value):
    """Validated data as JSON types. pydantic-core's SchemaSerializer would write the same, but its
    first use imports all of pydantic-core's Python part (see _deps._load_pydantic_core)."""
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return value


def _field_schema(text):
    """(pydantic-core schema, nested model or None, is a list) for an annotation's text."""
    text = text.strip()
    if text.startswith("Optional[") and text.endswith("]"):
        schema, nested, is_list = _field_schema(text[len("Optional["):-1])
        return {"type": "nullable", "schema": schema}, nested, is_list
    if text.startswith("List[") and text.endswith("]"):
        schema, nested, dummy = _field_schema(text[len("List["):-1])
        return {"type": "list", "items_schema": schema}, nested, True
    if text in _SCALARS:
        return {"type": _SCALARS[text]}, None, False
    model = globals()[text]
    return model._core_schema()[0], model, False  # pylint: disable=protected-access


class APIKey(_Model):
    """Metadata of an API key (``APIKeyReadResponse``); never the key itself."""

    id: Optional[str] = None
    created: Optional[datetime.datetime] = None
    name: str
    expiration: Optional[datetime.datetime] = None
    masked_key: Optional[str] = None


class Bot(_Model):
    """A service account (``BotReadResponse``)."""

    id: Optional[str] = None
    created: Optional[datetime.datetime] = None
    updated: Optional[datetime.datetime] = None
    actor_id: str
    account_id: str
    name: str
    account_role_name: str
    api_key: APIKey


class BotKeys(_Model):
    """``BotAPIKeyReadResponse``: the active key and the keys still in their grace period."""

    active_key: APIKey
    rotating_keys: List[APIKey] = []


class AccountRole(_Model):
    id: str
    name: str
    account_id: Optional[str] = None
    is_system_role: bool = False
    permissions: List[str] = []


class WorkspaceRole(_Model):
    id: str
    name: str
    account_id: Optional[str] = None
    description: Optional[str] = ""
    scopes: List[str] = []
    inherited_role_id: Optional[str] = None


class Workspace(_Model):
    id: str
    name: str
    handle: str
    account_id: str
    description: Optional[str] = ""
    default_workspace_role_id: Optional[str] = None


class BotAccess(_Model):
    id: str
    workspace_id: str
    workspace_role_id: str
    actor_id: str
    bot_id: str
    bot_name: str


class UserAccess(_Model):
    id: str
    workspace_id: str
    workspace_role_id: str
    actor_id: str
    user_id: str
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    email: Optional[str] = None
    handle: Optional[str] = None


class TeamAccess(_Model):
    id: str
    workspace_id: str
    workspace_role_id: str
    team_id: str
    team_name: Optional[str] = None


class Membership(_Model):
    """An account member (``AccountMembershipsResponse``): a user, or a bot when user_id is None."""

    id: str
    actor_id: str
    user_id: Optional[str] = None
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    handle: Optional[str] = None
    email: Optional[str] = None
    account_role_name: Optional[str] = None
    account_role_id: Optional[str] = None


class TeamWorkspaceAccess(_Model):
    """A workspace a team has access to, as listed in ``TeamResponse.workspaces``."""

    workspace_id: str
    workspace_handle: str
    workspace_role_id: str
    workspace_role_name: str


class Team(_Model):
    id: str
    name: str
    description: Optional[str] = ""
    workspaces: List[TeamWorkspaceAccess] = []


class Me(_Model):
    """``GET /api/me/`` (``MeReadResponse``)."""

    id: Optional[str] = None
    handle: str
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    email: Optional[str] = None


# Identity and access: teams with their members, account members, invitations (issue 20) ------


class TeamMember(_Model):
    """A member of a team (``TeamMemberResponse``); ``id`` is the ACTOR id of the user or service account."""

    id: str
    handle: Optional[str] = None
    name: Optional[str] = None
    email: Optional[str] = None
    type: str


class TeamDetail(_Model):
    """A team with its members and workspaces (``TeamResponse``)."""

    id: str
    name: str
    description: Optional[str] = ""
    workos_directory_group_id: Optional[str] = None
    memberships: List[TeamMember] = []
    workspaces: List[TeamWorkspaceAccess] = []


class AccountMember(_Model):
    """A user's account membership (``AccountMembershipsResponse`` with a user id)."""

    id: str
    actor_id: str
    user_id: str
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    handle: Optional[str] = None
    email: Optional[str] = None
    account_role_name: str
    account_role_id: str
    last_login: Optional[datetime.datetime] = None
    active: bool = True


class Invitation(_Model):
    """An invitation to join the account (``InvitationReadResponse``)."""

    id: str
    email: str
    account_role_id: str
    status: str
    expiration: Optional[datetime.datetime] = None
