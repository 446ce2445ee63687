# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pydantic models of the Prefect Cloud objects the collection reads (PRIVATE to this collection).

Responses are parsed with ``extra="ignore"``: the real API may add fields without breaking us.
Annotations use ``typing.Optional``/``List`` because module code must run on Python 3.9.
"""

from __future__ import annotations

import datetime
from typing import List, Optional

from ._deps import PYDANTIC_IMPORT_ERROR

if PYDANTIC_IMPORT_ERROR is None:
    from pydantic import BaseModel, ConfigDict
else:  # pragma: no cover - the module fails with missing_required_lib before using any model
    BaseModel = object

    def ConfigDict(**kwargs):  # pylint: disable=invalid-name
        """Stand-in so this file imports without pydantic."""
        return kwargs


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    def to_result(self):
        """JSON-safe dict for module results (datetimes as RFC 3339 strings)."""
        return self.model_dump(mode="json")


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


class Team(_Model):
    id: str
    name: str
    description: Optional[str] = ""


class Me(_Model):
    """``GET /api/me/`` (``MeReadResponse``)."""

    id: Optional[str] = None
    handle: str
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    email: Optional[str] = None
