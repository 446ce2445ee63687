# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only admin API under ``/_emulator/`` (no auth, loopback clients only).

GET health | GET, DELETE requests | GET, PUT, DELETE faults | POST clock | POST reset
| GET issued-keys | GET state
"""
from __future__ import annotations

import json
import re
from typing import List, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class FaultSpec(BaseModel):
    """A fault rule. Rules match in order; ``times`` is decremented per use (-1 = always)."""
    model_config = ConfigDict(extra="forbid")
    method: Optional[str] = None
    path: Optional[str] = None            # a regular expression searched in the request path
    times: int = Field(1, ge=-1)
    status: Optional[int] = Field(None, ge=400, le=599)
    retry_after: Optional[float] = Field(None, ge=0)
    latency: Optional[float] = Field(None, ge=0, le=600)
    drop_response: bool = False           # apply the request, then close without a response
    reset: bool = False                   # close the connection before handling the request
    body: Optional[str] = Field(None, max_length=10000)  # answer HTTP 200 with this text instead (a proxy's page)
    # with status: answer at once, and apply the request this many seconds later (a gateway that
    # gave up waiting and still passes the request on)
    forward_after: Optional[float] = Field(None, ge=0, le=60)

    @field_validator("path")
    @classmethod
    def _compiles(cls, value):
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression: {exc}") from exc
        return value


class FaultsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    faults: List[FaultSpec]


class ClockBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    advance_seconds: float = Field(ge=0)


def _parse(model, body):
    try:
        return model.model_validate_json(body or b"{}"), None
    except ValidationError as exc:
        detail = [{"type": e["type"], "loc": ["body"] + list(e["loc"]), "msg": e["msg"]} for e in exc.errors(include_url=False)]
        return None, (422, {"detail": detail})


class Admin:
    def __init__(self, emulator):
        self.emulator = emulator

    def handle(self, method, path, body):
        routes = {
            "/_emulator/health": {"GET": self.health},
            "/_emulator/requests": {"GET": self.get_requests, "DELETE": self.clear_requests},
            "/_emulator/faults": {"GET": self.get_faults, "PUT": self.put_faults, "DELETE": self.clear_faults},
            "/_emulator/clock": {"POST": self.clock, "GET": self.get_clock},
            "/_emulator/reset": {"POST": self.reset},
            "/_emulator/issued-keys": {"GET": self.issued_keys},
            "/_emulator/state": {"GET": self.state},
        }
        methods = routes.get(path.rstrip("/"))
        if methods is None:
            return 404, {"detail": "Not Found"}
        handler = methods.get("GET" if method == "HEAD" else method)
        if handler is None:
            return 405, {"detail": "Method Not Allowed"}
        return handler(body)

    def health(self, _body):
        return 200, {"status": "ok"}

    def get_requests(self, _body):
        return 200, self.emulator.log.list()

    def clear_requests(self, _body):
        self.emulator.log.clear()
        return 200, {"status": "ok"}

    def get_faults(self, _body):
        return 200, {"faults": self.emulator.list_faults()}

    def put_faults(self, body):
        parsed, error = _parse(FaultsBody, body)
        if error:
            return error
        self.emulator.set_faults(parsed.faults)
        return 200, {"faults": self.emulator.list_faults()}

    def clear_faults(self, _body):
        self.emulator.set_faults([])
        return 200, {"faults": []}

    def _clock_info(self):
        store = self.emulator.store
        return {"now": store.now_ts(), "offset_seconds": store.data.get("clock_offset", 0.0)}

    def get_clock(self, _body):
        with self.emulator.store.lock:
            return 200, self._clock_info()

    def clock(self, body):
        parsed, error = _parse(ClockBody, body)
        if error:
            return error
        store = self.emulator.store
        with store.lock:
            store.advance_clock(parsed.advance_seconds)
            store.save()
            return 200, self._clock_info()

    def reset(self, _body):
        self.emulator.reset()
        return 200, {"status": "ok"}

    def issued_keys(self, _body):
        with self.emulator.store.lock:
            return 200, {"keys": self.emulator.store.issued_keys()}

    def state(self, _body):
        """A summary of the state without any plaintext key or key hash."""
        store = self.emulator.store
        with store.lock:
            store.prune_expired_keys()
            data = store.data
            roles = data["account_roles"]
            bots = []
            for bot in data["bots"].values():
                keys = [
                    {"id": k["id"], "name": k["name"], "state": k["state"], "created": k["created"], "expiration": k["expiration"],
                     "live": store.key_is_live(k)}
                    for k in data["api_keys"].values() if k["bot_id"] == bot["id"]
                ]
                bots.append({"id": bot["id"], "actor_id": bot["actor_id"], "name": bot["name"],
                             "account_role_name": roles[bot["account_role_id"]]["name"], "keys": keys})
            summary = {
                "account": data["account"],
                "clock": self._clock_info(),
                "users": [{k: u[k] for k in ("id", "actor_id", "handle", "email")} for u in data["users"].values()],
                "teams": [{"id": t["id"], "name": t["name"], "member_actor_ids": list(t["member_actor_ids"])} for t in data["teams"].values()],
                "workspaces": [{k: w[k] for k in ("id", "handle", "name")} for w in data["workspaces"].values()],
                "workspace_roles": [{k: r[k] for k in ("id", "name", "account_id")} for r in data["workspace_roles"].values()],
                "account_roles": [{k: r[k] for k in ("id", "name")} for r in roles.values()],
                "bots": bots,
                "access": {kind: list(data[kind].values()) for kind in ("bot_access", "user_access", "team_access")},
            }
            # Round-trip so callers get a detached copy.
            return 200, json.loads(json.dumps(summary))
