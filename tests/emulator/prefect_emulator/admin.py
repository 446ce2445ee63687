# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only admin API under ``/_emulator/`` (no auth, loopback clients only), FastAPI path operations.

GET health | GET, DELETE requests | GET, PUT, DELETE faults | GET, POST clock | POST reset
| GET issued-keys | GET state | GET, PUT settings
"""
import ipaddress
import json
import re
from typing import Annotated, List, Optional

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator


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
    # apply the request and append this text to the API key its answer carries (``api_key.key``),
    # as a tampering proxy would; an answer without a key passes unchanged
    key_suffix: Optional[str] = Field(None, min_length=1, max_length=1000)

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


def _loopback_only(request: Request):
    client = request.client
    if client is None or not is_loopback(client.host):
        raise HTTPException(403, "The emulator admin API is only served to loopback clients.")
    return request.app.state.emulator


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


Emulator = Annotated[object, Depends(_loopback_only)]
router = APIRouter(prefix="/_emulator")


@router.get("/health")
async def health(_emulator: Emulator):
    return {"status": "ok"}


@router.get("/requests")
async def get_requests(emulator: Emulator):
    return emulator.log.list()


@router.delete("/requests")
async def clear_requests(emulator: Emulator):
    emulator.log.clear()
    return {"status": "ok"}


@router.get("/faults")
async def get_faults(emulator: Emulator):
    return {"faults": emulator.list_faults()}


@router.put("/faults")
async def put_faults(emulator: Emulator, body: FaultsBody):
    emulator.set_faults(body.faults)
    return {"faults": emulator.list_faults()}


@router.delete("/faults")
async def clear_faults(emulator: Emulator):
    emulator.set_faults([])
    return {"faults": []}


def _clock_info(store):
    return {"now": store.now_ts(), "offset_seconds": store.data.get("clock_offset", 0.0)}


@router.get("/clock")
async def get_clock(emulator: Emulator):
    with emulator.store.lock:
        return _clock_info(emulator.store)


@router.post("/clock")
async def advance_clock(emulator: Emulator, body: ClockBody):
    store = emulator.store
    with store.lock:
        store.advance_clock(body.advance_seconds)
        store.save()
        return _clock_info(store)


@router.post("/reset")
async def reset(emulator: Emulator):
    emulator.reset()
    return {"status": "ok"}


@router.get("/issued-keys")
async def issued_keys(emulator: Emulator):
    with emulator.store.lock:
        return {"keys": emulator.store.issued_keys()}


@router.get("/state")
async def state(emulator: Emulator):
    """A summary of the state without any plaintext key or key hash."""
    store = emulator.store
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
            "clock": _clock_info(store),
            "users": [{k: u[k] for k in ("id", "actor_id", "handle", "email")} for u in data["users"].values()],
            "teams": [{"id": t["id"], "name": t["name"], "member_actor_ids": list(t["member_actor_ids"])} for t in data["teams"].values()],
            "workspaces": [{k: w[k] for k in ("id", "handle", "name")} for w in data["workspaces"].values()],
            "workspace_roles": [{k: r[k] for k in ("id", "name", "account_id")} for r in data["workspace_roles"].values()],
            "account_roles": [{k: r[k] for k in ("id", "name")} for r in roles.values()],
            "bots": bots,
            "access": {kind: list(data[kind].values()) for kind in ("bot_access", "user_access", "team_access")},
            # Object ACLs as stored (the last PUT body), by object: deployments as "flow/deployment",
            # block documents as "slug/name", work pools by name; with the workspace id.
            "objects": {
                "deployments": [{"name": data["flows"][r["flow_id"]]["name"] + "/" + r["name"], "id": r["id"],
                                 "workspace_id": r["workspace_id"], "access": r["access"]} for r in data["deployments"].values()],
                "block_documents": [{"name": data["block_types"][r["block_type_id"]]["slug"] + "/" + r["name"], "id": r["id"],
                                     "workspace_id": r["workspace_id"], "access": r["access"]} for r in data["block_documents"].values()],
                "work_pools": [{"name": r["name"], "id": r["id"], "workspace_id": r["workspace_id"], "access": r["access"]}
                               for r in data["work_pools"].values()],
            },
        }
        # Serialised here, under the lock, so the answer is a detached copy.
        return Response(json.dumps(summary).encode("utf-8"), media_type="application/json")


# --- settings: the revocation delay ------------------------------------------------
class SettingsBody(BaseModel):
    """``revoked_keys_authenticate_seconds``: how long a deleted key keeps authenticating, on the
    emulator clock (Prefect Cloud: up to about five minutes, PrefectHQ/prefect #17383). Reset: 0."""
    model_config = ConfigDict(extra="forbid")
    revoked_keys_authenticate_seconds: float = Field(ge=0, le=86400)


@router.get("/settings")
async def get_settings(emulator: Emulator):
    with emulator.store.lock:
        return dict(emulator.store.data["settings"])


@router.put("/settings")
async def put_settings(emulator: Emulator, body: SettingsBody):
    store = emulator.store
    with store.lock:
        store.data["settings"] = body.model_dump()
        store.save()
        return dict(store.data["settings"])
