# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Conformance of the emulator with the Prefect Cloud OpenAPI subset.

Every emulated operation is driven over HTTP; every request body sent on a success path and every
response is validated against the OAS (Draft 2020-12). Undeclared statuses that FastAPI adds
(307, 401, 403, 404, 405, 409) must carry ``{"detail": str}`` (307: empty body + Location).
"""
from __future__ import annotations

import json
import os
import re
from datetime import datetime

import pytest

httpx = pytest.importorskip("httpx")
jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")
pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from referencing.jsonschema import DRAFT202012  # noqa: E402

from prefect_emulator.routes import ROUTES  # noqa: E402

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "emulator")
SUBSET_PATH = os.path.join(EMULATOR_DIR, "openapi", "prefect-cloud-openapi.subset.json")
TOOLS_DIR = os.path.join(EMULATOR_DIR, "tools")
FULL_DOC_REL = os.path.join("shared", "prefect-cloud-openapi", "prefect-cloud-openapi.json")
BASE_URI = "urn:prefect-cloud-openapi-subset"
UNDECLARED = (307, 401, 403, 404, 405, 409)
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _check_date_time(value):
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


FORMAT_CHECKER = jsonschema.FormatChecker()
FORMAT_CHECKER.checks("date-time", raises=ValueError)(_check_date_time)


def _escape(token):
    return token.replace("~", "~0").replace("/", "~1")


class Oas:
    """Validators for the request and response schemas of the subset's operations."""

    def __init__(self, doc):
        self.doc = doc
        resource = referencing.Resource.from_contents(doc, default_specification=DRAFT202012)
        self.registry = referencing.Registry().with_resource(BASE_URI, resource)

    def operation(self, method, template):
        return self.doc["paths"][template][method.lower()]

    def validator(self, pointer_parts):
        pointer = "/" + "/".join(_escape(p) for p in pointer_parts)
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": BASE_URI + "#" + pointer}
        return jsonschema.Draft202012Validator(schema, registry=self.registry, format_checker=FORMAT_CHECKER)

    def validate_request(self, method, template, body):
        op = self.operation(method, template)
        assert "requestBody" in op, f"{method} {template} declares no request body"
        self.validator(["paths", template, method.lower(), "requestBody", "content", "application/json", "schema"]).validate(body)

    def request_is_valid(self, method, template, body):
        try:
            self.validate_request(method, template, body)
        except jsonschema.ValidationError:
            return False
        return True

    def validate_response(self, method, template, status, content, headers):
        """Raise (AssertionError or jsonschema.ValidationError) if the response does not conform."""
        if template is not None:
            responses = self.operation(method, template)["responses"]
            declared = responses.get(str(status))
            if declared is not None:
                media = declared.get("content", {}).get("application/json")
                if media is None:
                    assert content == b"", f"{status} must have an empty body"
                    return
                body = json.loads(content)
                self.validator(["paths", template, method.lower(), "responses", str(status), "content", "application/json", "schema"]).validate(body)
                return
        assert status in UNDECLARED, f"status {status} is not declared for {method} {template}"
        if status == 307:
            assert content == b"" and headers.get("location"), "307 must be empty with a Location"
            return
        body = json.loads(content)
        assert isinstance(body, dict) and list(body) == ["detail"] and isinstance(body["detail"], str), body


@pytest.fixture(name="oas", scope="module")
def oas_fixture():
    with open(SUBSET_PATH, "r", encoding="utf-8") as handle:
        return Oas(json.load(handle))


class Driver:
    """Calls the emulator, validates everything against the OAS and records exercised operations."""

    def __init__(self, emulator, oas):
        self.emulator = emulator
        self.oas = oas
        self.account_id = emulator.config.account_id
        self.workspace = emulator.config.workspaces[0]
        self.http = httpx.Client(base_url=emulator.url, headers={"Authorization": f"Bearer {emulator.config.api_key}"}, timeout=10)
        self.exercised = set()
        self.keys = set()

    def call(self, method, template, expect, body=None, raw=None, key=None, bad_body=False, query=None, **params):
        params.setdefault("account_id", self.account_id)
        path = template.format(**params)
        headers = {}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}" if key else ""
        if body is not None and 200 <= expect < 300:
            self.oas.validate_request(method, template, body)
        if bad_body:
            assert not self.oas.request_is_valid(method, template, body), "the body was meant to violate the OAS"
        kwargs = {"headers": headers, "params": query}
        if raw is not None:
            kwargs["content"] = raw
            headers["Content-Type"] = "application/json"
        elif body is not None:
            kwargs["json"] = body
        response = self.http.request(method, path, **kwargs)
        assert response.status_code == expect, (method, path, response.status_code, response.text)
        known = template if (method.lower() in self.oas.doc["paths"].get(template, {})) else None
        self.oas.validate_response(method, known, response.status_code, response.content, response.headers)
        if 200 <= expect < 300:
            self.exercised.add((method, template))
        if response.content:
            return response.json()
        return None

    def close(self):
        self.http.close()


A = "/api/accounts/{account_id}"
W = A + "/workspaces/{workspace_id}"
OTHER_UUID = "11111111-2222-4333-8444-555555555555"
ACCOUNT_ID = "0b7e2f4c-1d3a-4b5c-8e6f-7a8b9c0d1e2f"


def _scenario(drv):  # pylint: disable=too-many-locals,too-many-statements
    # --- me, roles ---------------------------------------------------------------------------
    me = drv.call("GET", "/api/me/", 200)
    mine = drv.call("GET", "/api/me/workspaces", 200)
    assert [w["workspace_handle"] for w in mine] == drv.emulator.config.workspaces
    admin = drv.call("POST", A + "/account_roles/filter", 200, {"account_roles": {"name": {"any_": ["Admin"]}}})
    assert [r["name"] for r in admin] == ["Admin"] and admin[0]["account_id"] is None and admin[0]["is_system_role"]
    assert drv.call("POST", A + "/account_roles/filter", 200, {"account_roles": {"name": {"any_": ["admin"]}}}) == []
    assert drv.call("GET", A + "/account_roles/{id}", 200, id=admin[0]["id"])["name"] == "Admin"
    all_roles = drv.call("POST", A + "/account_roles/filter", 200)
    assert {r["name"] for r in all_roles} >= {"Owner", "Admin", "Member"}

    dev = drv.call("POST", A + "/workspace_roles/filter", 200, {"workspace_roles": {"name": {"any_": ["Developer"]}}})[0]
    runner = drv.call("POST", A + "/workspace_roles/filter", 200, {"workspace_roles": {"name": {"any_": ["Runner"]}}})[0]
    globals_ = drv.call("POST", A + "/workspace_roles/filter", 200, {"workspace_roles": {"is_global": True}})
    assert {r["name"] for r in globals_} == {"Owner", "Developer", "Runner", "Viewer", "Worker"}
    assert all(r["account_id"] is None for r in globals_)
    assert drv.call("GET", A + "/workspace_roles/{id}", 200, id=dev["id"])["name"] == "Developer"
    custom = drv.call("POST", A + "/workspace_roles/", 201,
                      {"name": "deployer", "description": "d", "scopes": ["see_flows"], "inherited_role_id": runner["id"]})
    assert custom["account_id"] == drv.account_id and custom["inherited_role_id"] == runner["id"]
    drv.call("POST", A + "/workspace_roles/", 409, {"name": "deployer"})
    drv.call("POST", A + "/workspace_roles/", 422, {"name": "x", "description": "d" * 141}, bad_body=True)
    drv.call("PATCH", A + "/workspace_roles/{id}", 204,
             {"name": "deployer2", "description": "", "scopes": ["see_flows", "run_flows"], "inherited_role_id": None}, id=custom["id"])
    assert drv.call("POST", A + "/workspace_roles/filter", 200, {"workspace_roles": {"is_global": False}})[0]["name"] == "deployer2"
    drv.call("PATCH", A + "/workspace_roles/{id}", 403, {"name": "x"}, id=dev["id"])
    drv.call("DELETE", A + "/workspace_roles/{id}", 403, id=dev["id"])

    # --- workspaces --------------------------------------------------------------------------
    ws = drv.call("POST", A + "/workspaces/filter", 200, {"workspaces": {"handle": {"any_": [drv.workspace]}}})
    assert len(ws) == 1
    ws = ws[0]
    assert drv.call("GET", W, 200, workspace_id=ws["id"])["handle"] == drv.workspace
    assert drv.call("POST", A + "/workspaces/filter", 200, {"workspaces": {"id": {"any_": [ws["id"]]}}})[0]["id"] == ws["id"]
    new_ws = drv.call("POST", A + "/workspaces/", 201, {"name": "Scratch", "handle": "scratch", "description": "tmp"})
    drv.call("POST", A + "/workspaces/", 409, {"name": "Again", "handle": "scratch"})
    drv.call("PATCH", W, 204, {"name": "Scratch 2", "handle": "scratch", "description": "x", "default_workspace_role_id": None}, workspace_id=new_ws["id"])
    assert drv.call("GET", W, 200, workspace_id=new_ws["id"])["name"] == "Scratch 2"

    # --- bots ----------------------------------------------------------------------------------
    created = drv.call("POST", A + "/bots/", 201, {"name": "ci-bot", "account_role_id": admin[0]["id"]})
    assert created["api_key"]["key"].startswith("pnb_") and created["account_role_name"] == "Admin"
    drv.keys.add(created["api_key"]["key"])
    bot_id = created["id"]
    drv.call("POST", A + "/bots/", 409, {"name": "ci-bot"})
    read = drv.call("GET", A + "/bots/{id}", 200, id=bot_id)
    assert "key" not in read["api_key"] and read["api_key"]["masked_key"] == "pnb_..." + created["api_key"]["key"][-4:]
    drv.call("PATCH", A + "/bots/{id}", 204, {"name": "ci-bot-2"}, id=bot_id)
    assert drv.call("POST", A + "/bots/filter", 200, {"service_accounts": {"name": {"any_": ["ci-bot-2"]}}})[0]["id"] == bot_id
    assert drv.call("POST", A + "/bots/filter", 200, {"service_accounts": {"name": {"like_": "CI-BOT"}}})[0]["id"] == bot_id
    assert drv.call("POST", A + "/bots/filter", 200, {"service_accounts": {"id": {"any_": [bot_id]}}, "limit": 1})[0]["id"] == bot_id
    assert drv.call("POST", A + "/bots/filter", 200, {"limit": 0}) == []
    rotated = drv.call("POST", A + "/bots/{id}/rotate_api_key", 201,
                       {"api_key_expiration": "2099-01-01T00:00:00Z", "old_key_expires_in_seconds": 300}, id=bot_id)
    drv.keys.add(rotated["api_key"]["key"])
    assert rotated["api_key"]["expiration"].startswith("2099-01-01T00:00:00")
    keys = drv.call("GET", A + "/bots/{id}/read_bot_api_keys", 200, id=bot_id)
    assert keys["active_key"]["id"] == rotated["api_key"]["id"]
    assert [k["id"] for k in keys["rotating_keys"]] == [created["api_key"]["id"]]
    assert drv.call("DELETE", A + "/bots/{id}/delete_bot_api_key/{api_key_id}", 200, id=bot_id, api_key_id=created["api_key"]["id"]) == {}
    drv.call("DELETE", A + "/bots/{id}/delete_bot_api_key/{api_key_id}", 404, id=bot_id, api_key_id=created["api_key"]["id"])
    drv.call("DELETE", A + "/bots/{id}/delete_bot_api_key/{api_key_id}", 409, id=bot_id, api_key_id=rotated["api_key"]["id"])
    rotated2 = drv.call("POST", A + "/bots/{id}/rotate_api_key", 201, id=bot_id)   # no body at all
    drv.keys.add(rotated2["api_key"]["key"])
    assert drv.call("GET", A + "/bots/{id}/read_bot_api_keys", 200, id=bot_id)["rotating_keys"] == []
    member = drv.call("GET", A + "/account_memberships/by-bot/{bot_id}", 200, bot_id=bot_id)
    assert member["actor_id"] == created["actor_id"] and member["user_id"] is None and member["account_role_name"] == "Admin"
    alice = drv.call("POST", A + "/account_memberships/filter", 200, {"account_memberships": {"email": {"any_": ["alice@example.com"]}}})
    assert [m["handle"] for m in alice] == ["alice"]
    bots_only = drv.call("POST", A + "/account_memberships/filter", 200, {"only_bots": True})
    assert [m["actor_id"] for m in bots_only] == [created["actor_id"]]

    # --- teams ---------------------------------------------------------------------------------
    team = drv.call("POST", A + "/teams/", 201, {"name": "ops"})
    assert drv.call("POST", A + "/teams/filter", 200, {"teams": {"name": {"any_": ["platform"]}}})[0]["name"] == "platform"
    assert drv.call("GET", A + "/teams/{id}", 200, id=team["id"])["name"] == "ops"

    # --- workspace access ------------------------------------------------------------------------
    one = drv.call("POST", W + "/bot_access/", 200, {"bot_id": bot_id, "workspace_role_id": dev["id"]}, workspace_id=ws["id"])
    assert isinstance(one, dict) and one["bot_id"] == bot_id and one["actor_id"] == created["actor_id"]
    many = drv.call("POST", W + "/bot_access/", 200, [{"bot_id": bot_id, "workspace_role_id": runner["id"]}], workspace_id=ws["id"])
    assert isinstance(many, list) and many[0]["id"] == one["id"] and many[0]["workspace_role_id"] == runner["id"]
    assert drv.call("GET", W + "/bot_access/{id}", 200, workspace_id=ws["id"], id=one["id"])["workspace_role_id"] == runner["id"]
    found = drv.call("POST", W + "/bot_access/filter", 200, {"bots": {"id": {"any_": [bot_id]}}, "sort": "BOT_NAME_ASC"}, workspace_id=ws["id"])
    assert [a["id"] for a in found] == [one["id"]]
    assert drv.call("POST", W + "/bot_access/filter", 200, {"workspace_accesses": {"workspace_role_id": {"any_": [dev["id"]]}}}, workspace_id=ws["id"]) == []

    bot_me = drv.call("GET", "/api/me/", 200, key=rotated2["api_key"]["key"])
    assert bot_me["id"] == created["actor_id"] and bot_me["id"] != me["id"]
    assert [w["workspace_id"] for w in drv.call("GET", "/api/me/workspaces", 200, key=rotated2["api_key"]["key"])] == [ws["id"]]
    drv.call("POST", A + "/bots/", 403, {"name": "from-a-bot"}, key=rotated2["api_key"]["key"])

    ua = drv.call("POST", W + "/user_access/", 200, {"user_id": alice[0]["user_id"], "workspace_role_id": dev["id"]}, workspace_id=ws["id"])
    assert ua["email"] == "alice@example.com" and ua["first_name"] == "Alice" and ua["last_name"] == "Anders"
    ua_list = drv.call("POST", W + "/user_access/", 200, [{"user_id": alice[0]["user_id"], "workspace_role_id": runner["id"]}], workspace_id=ws["id"])
    assert ua_list[0]["id"] == ua["id"]
    assert drv.call("GET", W + "/user_access/{id}", 200, workspace_id=ws["id"], id=ua["id"])["workspace_role_id"] == runner["id"]
    by_mail = drv.call("POST", W + "/user_access/filter", 200,
                       {"users": {"email": {"any_": ["alice@example.com"]}}, "sort": "EMAIL_ASC"}, workspace_id=ws["id"])
    assert [a["id"] for a in by_mail] == [ua["id"]]
    drv.call("POST", W + "/user_access/", 404, {"user_id": OTHER_UUID, "workspace_role_id": dev["id"]}, workspace_id=ws["id"])
    drv.call("DELETE", W + "/user_access/{id}", 204, workspace_id=ws["id"], id=ua["id"])
    drv.call("GET", W + "/user_access/{id}", 404, workspace_id=ws["id"], id=ua["id"])

    ta = drv.call("PUT", W + "/team_access/", 200, [{"team_id": team["id"], "workspace_role_id": dev["id"]}], workspace_id=ws["id"])
    assert ta[0]["team_id"] == team["id"]
    listed = drv.call("POST", W + "/team_access/filter", 200, {"limit": 10}, workspace_id=ws["id"])
    assert [(t["team_id"], t["team_name"]) for t in listed] == [(team["id"], "ops")]
    drv.call("PUT", W + "/team_access/", 422, {"team_id": team["id"], "workspace_role_id": dev["id"]}, workspace_id=ws["id"], bad_body=True)
    drv.call("DELETE", W + "/team_access/{team_id}", 204, workspace_id=ws["id"], team_id=team["id"])
    drv.call("DELETE", W + "/team_access/{team_id}", 404, workspace_id=ws["id"], team_id=team["id"])

    drv.call("DELETE", W + "/bot_access/{id}", 204, workspace_id=ws["id"], id=one["id"])
    drv.call("GET", W + "/bot_access/{id}", 404, workspace_id=ws["id"], id=one["id"])

    _object_scenario(drv, ws["id"], bot_actor_id=created["actor_id"], alice=alice[0], team=team)
    _iam_scenario(drv, ws, dev, admin[0], bot_id=bot_id, bot_actor_id=created["actor_id"], alice=alice[0])
    _user_keys_scenario(drv, me, alice[0], bot_key=rotated2["api_key"]["key"])

    # --- cleanup -------------------------------------------------------------------------------
    drv.call("DELETE", A + "/workspace_roles/{id}", 204, id=custom["id"])
    drv.call("DELETE", A + "/bots/{id}", 204, id=bot_id)
    drv.call("GET", A + "/bots/{id}", 404, id=bot_id)
    drv.call("DELETE", W, 204, workspace_id=new_ws["id"])
    drv.call("GET", W, 404, workspace_id=new_ws["id"])


def _iam_scenario(drv, ws, dev, admin, *, bot_id, bot_actor_id, alice):  # pylint: disable=too-many-arguments
    """Teams and their members, account memberships and invitations."""
    # --- teams: metadata and members ---------------------------------------------------------------
    team = drv.call("POST", A + "/teams/", 201, {"name": "iam-team", "description": "first"})
    assert team["description"] == "first" and team["memberships"] == []
    drv.call("POST", A + "/teams/", 409, {"name": "iam-team"})
    drv.call("PUT", A + "/teams/{id}", 200, {"name": "iam-team-2", "description": "second"}, id=team["id"])
    read = drv.call("GET", A + "/teams/{id}", 200, id=team["id"])
    assert (read["name"], read["description"]) == ("iam-team-2", "second")
    drv.call("PUT", A + "/teams/{id}", 409, {"name": "platform"}, id=team["id"])
    drv.call("PUT", A + "/teams/{id}", 422, {"description": "no name"}, id=team["id"], bad_body=True)
    drv.call("PUT", A + "/teams/{id}", 404, {"name": "x"}, id=OTHER_UUID)
    members = [{"member_id": alice["user_id"], "member_type": "user"}, {"member_id": bot_id, "member_type": "service_account"}]
    drv.call("PUT", A + "/teams/{id}/members", 200, {"members": members}, id=team["id"])
    read = drv.call("GET", A + "/teams/{id}", 200, id=team["id"])
    assert sorted((m["id"], m["type"]) for m in read["memberships"]) == sorted([(alice["actor_id"], "user"), (bot_actor_id, "service_account")])
    drv.call("PUT", A + "/teams/{id}/members", 422, {"members": [{"member_id": bot_id, "member_type": "bot"}]}, id=team["id"], bad_body=True)
    drv.call("PUT", A + "/teams/{id}/members", 404, {"members": [{"member_id": OTHER_UUID, "member_type": "user"}]}, id=team["id"])
    by_member = drv.call("POST", A + "/teams/filter", 200, {"teams": {"member_id": {"any_": [bot_actor_id]}}})
    assert [t["id"] for t in by_member] == [team["id"]]
    drv.call("DELETE", A + "/teams/{team_id}/members/{actor_id}", 204, team_id=team["id"], actor_id=bot_actor_id)
    drv.call("DELETE", A + "/teams/{team_id}/members/{actor_id}", 404, team_id=team["id"], actor_id=bot_actor_id)
    assert [m["id"] for m in drv.call("GET", A + "/teams/{id}", 200, id=team["id"])["memberships"]] == [alice["actor_id"]]
    drv.call("PUT", W + "/team_access/", 200, [{"team_id": team["id"], "workspace_role_id": dev["id"]}], workspace_id=ws["id"])
    drv.call("DELETE", A + "/teams/{id}", 204, id=team["id"])
    drv.call("DELETE", A + "/teams/{id}", 404, id=team["id"])
    assert drv.call("POST", W + "/team_access/filter", 200, workspace_id=ws["id"]) == []

    # --- account memberships -----------------------------------------------------------------------
    member = drv.call("GET", A + "/account_memberships/{id}", 200, id=alice["id"])
    assert (member["email"], member["account_role_name"]) == ("alice@example.com", "Member")
    assert drv.call("GET", A + "/account_memberships/by-user/{user_id}", 200, user_id=alice["user_id"])["id"] == alice["id"]
    bot_membership = drv.call("GET", A + "/account_memberships/by-bot/{bot_id}", 200, bot_id=bot_id)
    drv.call("GET", A + "/account_memberships/{id}", 404, id=bot_membership["id"])   # the OAS: 404 for bots
    drv.call("PATCH", A + "/account_memberships/{id}", 204, {"account_role_id": admin["id"]}, id=alice["id"])
    assert drv.call("GET", A + "/account_memberships/{id}", 200, id=alice["id"])["account_role_name"] == "Admin"
    drv.call("PATCH", A + "/account_memberships/{id}", 422, {}, id=alice["id"], bad_body=True)
    drv.call("PATCH", A + "/account_memberships/{id}", 404, {"account_role_id": OTHER_UUID}, id=alice["id"])
    drv.call("POST", W + "/user_access/", 200, {"user_id": alice["user_id"], "workspace_role_id": dev["id"]}, workspace_id=ws["id"])
    drv.call("DELETE", A + "/account_memberships/{id}", 204, id=alice["id"])
    drv.call("DELETE", A + "/account_memberships/{id}", 404, id=alice["id"])
    drv.call("GET", A + "/account_memberships/by-user/{user_id}", 404, user_id=alice["user_id"])
    assert drv.call("POST", W + "/user_access/filter", 200, {"users": {"id": {"any_": [alice["user_id"]]}}}, workspace_id=ws["id"]) == []

    # --- invitations -------------------------------------------------------------------------------
    first = drv.call("POST", A + "/invitations/", 201, [{"email": "alice@example.com", "account_role_id": admin["id"]}])
    assert [(i["email"], i["status"]) for i in first] == [("alice@example.com", "PENDING")]
    second = drv.call("POST", A + "/invitations/", 201, [{"email": "Alice@Example.com", "account_role_id": admin["id"]}])
    assert drv.call("GET", A + "/invitations/{id}", 200, id=first[0]["id"])["status"] == "REVOKED"
    pending = drv.call("POST", A + "/invitations/filter", 200,
                       {"invitations": {"email": {"like_": "alice@example.com"}, "status": {"any_": ["PENDING"]}}})
    assert [i["id"] for i in pending] == [second[0]["id"]]
    exact = drv.call("POST", A + "/invitations/filter", 200, {"invitations": {"email": {"any_": ["alice@example.com"]}}})
    assert [i["id"] for i in exact] == [first[0]["id"]]   # any_ is exact (the strict reading)
    drv.call("POST", A + "/invitations/", 409, [{"email": "bob@example.com", "account_role_id": admin["id"]}])
    drv.call("POST", A + "/invitations/", 422, [{"email": "not-an-address", "account_role_id": admin["id"]}], bad_body=True)
    drv.call("POST", A + "/invitations/", 422, {"email": "x@example.com", "account_role_id": admin["id"]}, bad_body=True)
    drv.call("POST", A + "/invitations/filter", 422, {"invitations": {"status": {"any_": ["OPEN"]}}}, bad_body=True)
    _workspace_invitations_scenario(drv, ws, dev)
    drv.call("POST", A + "/invitations/{id}/revoke", 204, id=second[0]["id"])
    drv.call("POST", A + "/invitations/{id}/revoke", 409, id=second[0]["id"])
    drv.call("POST", A + "/invitations/{id}/revoke", 404, id=OTHER_UUID)
    drv.call("GET", A + "/invitations/{id}", 404, id=OTHER_UUID)
    assert drv.call("POST", A + "/invitations/filter", 200, {"invitations": {"status": {"any_": ["PENDING"]}}}) == []


def _object_scenario(drv, ws_id, *, bot_actor_id, alice, team):
    """Object access: deployments, block documents and work pools (the seed objects of state.py)."""
    # --- deployments -------------------------------------------------------------------------------
    hourly = drv.call("GET", W + "/deployments/name/{flow_name}/{deployment_name}", 200, workspace_id=ws_id, flow_name="etl", deployment_name="hourly")
    drv.call("GET", W + "/deployments/name/{flow_name}/{deployment_name}", 404, workspace_id=ws_id, flow_name="etl", deployment_name="weekly")
    listed = drv.call("POST", W + "/deployments/filter", 200, {"flows": {"name": {"any_": ["etl"]}}}, workspace_id=ws_id)
    assert [d["name"] for d in listed] == ["hourly", "nightly"]
    assert [d["id"] for d in drv.call("POST", W + "/deployments/filter", 200, {"deployments": {"id": {"any_": [hourly["id"]]}}},
                                      workspace_id=ws_id)] == [hourly["id"]]
    assert len(drv.call("POST", W + "/deployments/filter", 200, workspace_id=ws_id)) == 3
    acl = drv.call("GET", W + "/deployments/{id}/access", 200, workspace_id=ws_id, id=hourly["id"])
    assert [(a["type"], a["name"]) for a in acl["run_actors"]] == [("user", "Alice Anders"), ("team", "platform")]
    assert acl["view_actors"] == [{"id": "*", "name": "*", "email": None, "type": "*"}]
    body = {"access_control": {"manage_actor_ids": [bot_actor_id, bot_actor_id], "run_actor_ids": ["*"], "view_actor_ids": [],
                               "view_team_ids": [team["id"]]}}
    drv.call("PUT", W + "/deployments/{id}/access", 204, body, workspace_id=ws_id, id=hourly["id"])
    acl = drv.call("GET", W + "/deployments/{id}/access", 200, workspace_id=ws_id, id=hourly["id"])
    assert [a["id"] for a in acl["manage_actors"]] == [bot_actor_id] and acl["manage_actors"][0]["type"] == "service_account"
    assert [a["id"] for a in acl["run_actors"]] == ["*"] and [a["id"] for a in acl["view_actors"]] == [team["id"]]
    drv.call("PUT", W + "/deployments/{id}/access", 422, {"access_control": {"manage_actor_ids": ["*"], "view_actor_ids": ["*"]}},
             workspace_id=ws_id, id=hourly["id"], bad_body=True)
    drv.call("PUT", W + "/deployments/{id}/access", 422, {"access_control": dict(body["access_control"], manage_actor_ids=["all"])},
             workspace_id=ws_id, id=hourly["id"], bad_body=True)
    drv.call("PUT", W + "/deployments/{id}/access", 404, {"access_control": dict(body["access_control"], manage_actor_ids=[OTHER_UUID])},
             workspace_id=ws_id, id=hourly["id"])
    drv.call("PUT", W + "/deployments/{id}/access", 404, {"access_control": dict(body["access_control"], view_team_ids=[OTHER_UUID])},
             workspace_id=ws_id, id=hourly["id"])
    drv.call("GET", W + "/deployments/{id}/access", 404, workspace_id=ws_id, id=OTHER_UUID)

    # --- block documents -----------------------------------------------------------------------------
    path = W + "/block_types/slug/{slug}/block_documents/name/{block_document_name}"
    secret = drv.call("GET", path, 200, workspace_id=ws_id, slug="secret", block_document_name="db-password")
    assert secret["block_type"]["slug"] == "secret" and secret["name"] == "db-password"
    drv.call("GET", path, 404, workspace_id=ws_id, slug="aws-credentials", block_document_name="db-password")
    by_type = drv.call("POST", W + "/block_documents/filter", 200, {"block_types": {"slug": {"any_": ["secret"]}}}, workspace_id=ws_id)
    assert [d["name"] for d in by_type] == ["api-token", "db-password"]
    assert drv.call("POST", W + "/block_documents/filter", 200, {"block_documents": {"name": {"any_": ["prod"]}}, "limit": 5},
                    workspace_id=ws_id)[0]["block_type"]["slug"] == "aws-credentials"
    acl = drv.call("GET", W + "/block_documents/{id}/access", 200, workspace_id=ws_id, id=secret["id"])
    assert set(acl) == {"manage_actors", "view_actors"} and [a["name"] for a in acl["view_actors"]] == ["data-eng"]
    drv.call("PUT", W + "/block_documents/{id}/access", 204, {"access_control": {"manage_actor_ids": [alice["actor_id"]], "view_actor_ids": ["*"]}},
             workspace_id=ws_id, id=secret["id"])
    acl = drv.call("GET", W + "/block_documents/{id}/access", 200, workspace_id=ws_id, id=secret["id"])
    assert acl["manage_actors"] == [{"id": alice["actor_id"], "name": "Alice Anders", "email": "alice@example.com", "type": "user"}]
    drv.call("PUT", W + "/block_documents/{id}/access", 422,
             {"access_control": {"manage_actor_ids": [], "view_actor_ids": [], "run_actor_ids": []}}, workspace_id=ws_id, id=secret["id"], bad_body=True)

    # --- work pools ----------------------------------------------------------------------------------
    assert drv.call("GET", W + "/work_pools/{name}", 200, workspace_id=ws_id, name="k8s-prod")["type"] == "kubernetes"
    drv.call("GET", W + "/work_pools/{name}", 404, workspace_id=ws_id, name="nope")
    assert [p["name"] for p in drv.call("POST", W + "/work_pools/filter", 200, {"sort": "NAME_DESC"}, workspace_id=ws_id)] == ["process-dev", "k8s-prod"]
    assert [p["name"] for p in drv.call("POST", W + "/work_pools/filter", 200, {"work_pools": {"name": {"like_": "PROC"}}},
                                        workspace_id=ws_id)] == ["process-dev"]
    acl = drv.call("GET", W + "/work_pools/{name}/access", 200, workspace_id=ws_id, name="k8s-prod")
    assert [a["type"] for a in acl["run_actors"]] == ["team"]
    drv.call("PUT", W + "/work_pools/{name}/access", 204,
             {"access_control": {"manage_actor_ids": ["*"], "run_actor_ids": ["*"], "view_actor_ids": ["*"]}}, workspace_id=ws_id, name="k8s-prod")
    acl = drv.call("GET", W + "/work_pools/{name}/access", 200, workspace_id=ws_id, name="k8s-prod")
    assert all([a["id"] for a in acl[level]] == ["*"] for level in ("manage_actors", "run_actors", "view_actors"))
    drv.call("PUT", W + "/work_pools/{name}/access", 404,
             {"access_control": {"manage_actor_ids": ["*"], "run_actor_ids": ["*"], "view_actor_ids": ["*"]}}, workspace_id=ws_id, name="nope")

    # --- flows (the names of the deployments' flows) --------------------------------------------------
    flows = drv.call("POST", W + "/flows/filter", 200, {"flows": {"id": {"any_": [hourly["flow_id"]]}}}, workspace_id=ws_id)
    assert [f["name"] for f in flows] == ["etl"]
    assert [f["name"] for f in drv.call("POST", W + "/flows/filter", 200, {"sort": "NAME_DESC"}, workspace_id=ws_id)] == ["reports", "etl"]


def _workspace_invitations_scenario(drv, ws, dev):
    """Account member activity and workspace invitations; alice is no member by now."""
    bob = drv.call("POST", A + "/account_memberships/filter", 200, {"account_memberships": {"email": {"any_": ["bob@example.com"]}}})[0]
    drv.call("PATCH", A + "/account_memberships/{id}/active", 204, {"active": False}, id=bob["id"])
    assert drv.call("GET", A + "/account_memberships/{id}", 200, id=bob["id"])["active"] is False
    assert [m["id"] for m in drv.call("POST", A + "/account_memberships/filter", 200, {"active": False})] == [bob["id"]]
    assert bob["id"] in [m["id"] for m in drv.call("POST", A + "/account_memberships/filter", 200, {"only_users": True})]
    drv.call("PATCH", A + "/account_memberships/{id}/active", 204, {"active": True}, id=bob["id"])
    drv.call("PATCH", A + "/account_memberships/{id}/active", 422, {}, id=bob["id"], bad_body=True)
    drv.call("PATCH", A + "/account_memberships/{id}/active", 422, {"active": True, "role": "x"}, id=bob["id"], bad_body=True)
    drv.call("PATCH", A + "/account_memberships/{id}/active", 404, {"active": False}, id=OTHER_UUID)

    first = drv.call("POST", W + "/invitations/", 201, {"email": "dora@example.com"}, workspace_id=ws["id"])
    viewer = drv.call("POST", A + "/workspace_roles/filter", 200, {"workspace_roles": {"name": {"any_": ["Viewer"]}}})[0]
    assert (first["workspace_id"], first["workspace_role_id"], first["status"]) == (ws["id"], viewer["id"], "PENDING")
    drv.call("PATCH", W, 204, {"default_workspace_role_id": dev["id"]}, workspace_id=ws["id"])
    second = drv.call("POST", W + "/invitations/", 201, {"email": "Dora@Example.com"}, workspace_id=ws["id"])
    assert second["workspace_role_id"] == dev["id"]
    assert drv.call("GET", W + "/invitations/{id}", 200, workspace_id=ws["id"], id=first["id"])["status"] == "REVOKED"
    pending = drv.call("POST", W + "/invitations/filter", 200, {"workspace_invitations": {
        "email": {"like_": "dora@example.com"}, "status": {"any_": ["PENDING"]}}}, workspace_id=ws["id"])
    assert [i["id"] for i in pending] == [second["id"]]
    drv.call("POST", W + "/invitations/", 409, {"email": "bob@example.com"}, workspace_id=ws["id"])
    drv.call("POST", W + "/invitations/", 422, {"email": "not-an-address"}, workspace_id=ws["id"], bad_body=True)
    drv.call("POST", W + "/invitations/", 422, [{"email": "x@example.com"}], workspace_id=ws["id"], bad_body=True)
    drv.call("POST", W + "/invitations/", 404, {"email": "x@example.com"}, workspace_id=OTHER_UUID)
    drv.call("POST", W + "/invitations/filter", 422, {"workspace_invitations": {"status": {"any_": ["OPEN"]}}}, workspace_id=ws["id"], bad_body=True)
    drv.call("POST", W + "/invitations/{id}/revoke", 204, workspace_id=ws["id"], id=second["id"])
    drv.call("POST", W + "/invitations/{id}/revoke", 409, workspace_id=ws["id"], id=second["id"])
    drv.call("POST", W + "/invitations/{id}/revoke", 404, workspace_id=ws["id"], id=OTHER_UUID)
    drv.call("GET", W + "/invitations/{id}", 404, workspace_id=ws["id"], id=OTHER_UUID)
    assert drv.call("POST", W + "/invitations/filter", 200, {"workspace_invitations": {"status": {"any_": ["PENDING"]}}},
                    workspace_id=ws["id"]) == []
    drv.call("PATCH", W, 204, {"default_workspace_role_id": None}, workspace_id=ws["id"])


def _user_keys_scenario(drv, me, alice, bot_key):
    """User API keys: the caller's own (users/{id}/api_keys and me/api_keys)."""
    U = "/api/users/{id}/api_keys"
    first = drv.call("POST", U, 201, {"name": "laptop", "expiration": "2099-01-01T00:00:00Z"}, id=me["id"])
    second = drv.call("POST", U, 201, {"name": "ci"}, id=me["id"])
    assert first["key"].startswith("pnu_") and second["expiration"] is None
    drv.keys.update((first["key"], second["key"]))
    listed = drv.call("GET", U, 200, id=me["id"])
    assert [k["name"] for k in listed] == ["laptop", "ci"] and "key" not in listed[0]
    assert listed[0]["masked_key"] == "pnu_..." + first["key"][-4:]
    assert [k["id"] for k in drv.call("GET", U, 200, id=me["id"], query={"name": "ci"})] == [second["id"]]
    assert drv.call("GET", U + "/{api_key_id}", 200, id=me["id"], api_key_id=first["id"])["name"] == "laptop"
    assert [k["id"] for k in drv.call("GET", "/api/me/api_keys", 200)] == [first["id"], second["id"]]
    assert [k["id"] for k in drv.call("GET", "/api/me/api_keys", 200, query={"name": "laptop"})] == [first["id"]]
    found = drv.call("POST", "/api/me/api_keys/filter", 200, {"api_keys": {"name": {"any_": ["ci"]}}})
    assert [k["id"] for k in found] == [second["id"]]
    assert drv.call("GET", "/api/me/", 200, key=first["key"])["id"] == me["id"]
    drv.call("POST", U, 403, {"name": "not mine"}, id=alice["user_id"])
    drv.call("GET", U, 403, id=me["id"], key=bot_key)
    drv.call("GET", U, 404, id=OTHER_UUID)
    drv.call("POST", U, 422, {"name": "x", "bogus": 1}, id=me["id"], bad_body=True)
    drv.call("DELETE", U + "/{api_key_id}", 204, id=me["id"], api_key_id=first["id"])
    drv.call("DELETE", U + "/{api_key_id}", 404, id=me["id"], api_key_id=first["id"])
    drv.call("GET", U + "/{api_key_id}", 404, id=me["id"], api_key_id=first["id"])
    drv.call("GET", "/api/me/", 401, key=first["key"])
    drv.call("DELETE", U + "/{api_key_id}", 204, id=me["id"], api_key_id=second["id"])


def test_every_operation_conforms(emulator, oas):
    drv = Driver(emulator, oas)
    try:
        _scenario(drv)
    finally:
        drv.close()
    table = {(route.method, route.path) for route in ROUTES}
    assert drv.exercised == table, {"not exercised": sorted(table - drv.exercised), "unknown": sorted(drv.exercised - table)}


def test_error_responses_conform(emulator, oas):
    drv = Driver(emulator, oas)
    try:
        drv.call("GET", "/api/me/", 401, key="")
        drv.call("GET", "/api/me/", 401, key="pnu_not-a-key")
        drv.call("POST", A + "/bots/filter", 401, key="pnb_" + "x" * 36)
        drv.call("POST", A + "/bots/filter", 404, account_id=OTHER_UUID)
        drv.call("GET", A + "/bots/{id}", 404, id=OTHER_UUID)
        drv.call("GET", A + "/bots/{id}", 422, id="not-a-uuid")
        drv.call("GET", A + "/workspace_roles/{id}", 404, id=OTHER_UUID)
        drv.call("GET", A + "/account_roles/{id}", 404, id=OTHER_UUID)
        drv.call("GET", A + "/teams/{id}", 404, id=OTHER_UUID)
        drv.call("GET", A + "/account_memberships/by-bot/{bot_id}", 404, bot_id=OTHER_UUID)
        drv.call("GET", W, 404, workspace_id=OTHER_UUID)
        drv.call("POST", W + "/bot_access/filter", 404, workspace_id=OTHER_UUID)
        drv.call("POST", A + "/bots/", 422, {"name": "b", "extra": 1}, bad_body=True)
        drv.call("POST", A + "/bots/", 422, {"name": "b" * 5001}, bad_body=True)
        drv.call("POST", A + "/bots/", 422, {"name": "b", "api_key_expiration": "soon"}, bad_body=True)
        drv.call("POST", A + "/bots/", 422)
        drv.call("POST", A + "/bots/", 422, raw=b"{not json")
        drv.call("POST", A + "/bots/filter", 422, {"limit": 201}, bad_body=True)
        drv.call("POST", A + "/bots/filter", 422, {"offset": -1}, bad_body=True)
        drv.call("POST", A + "/bots/filter", 422, {"service_accounts": {"name": {"any_": ["a"], "bogus": 1}}}, bad_body=True)
        drv.call("POST", A + "/bots/{id}/rotate_api_key", 422, {"old_key_expires_in_seconds": 172801}, id=OTHER_UUID, bad_body=True)
        drv.call("POST", A + "/workspace_roles/filter", 422, {"workspace_roles": {"name": "Owner"}}, bad_body=True)
        account = drv.account_id
        response = drv.http.post(f"/api/accounts/{account}/bots", json={"name": "x"})
        assert response.status_code == 307 and response.headers["location"].endswith(f"/api/accounts/{account}/bots/")
        oas.validate_response("POST", None, 307, response.content, response.headers)
        response = drv.http.post(f"/api/accounts/{account}/bots/filter/")
        assert response.status_code == 307 and response.headers["location"].endswith("/bots/filter")
        response = drv.http.get("/api/me")
        assert response.status_code == 307 and response.headers["location"].endswith("/api/me/")
        for method, path, status in (("GET", "/api/nope", 404), ("GET", "/api/workspace_scopes", 404), ("PUT", f"/api/accounts/{account}/bots/filter", 405),
                                     ("DELETE", "/api/me/", 405)):
            response = drv.http.request(method, path)
            assert response.status_code == status
            oas.validate_response(method, None, status, response.content, response.headers)
        assert response.json() == {"detail": "Method Not Allowed"}
        assert drv.http.get("/api/nope").json() == {"detail": "Not Found"}
        log = drv.http.get(f"{emulator.url}/_emulator/requests").json()
        for entry in log:
            assert set(entry) - {"criteria"} == {"seq", "method", "path", "status", "write"}
            assert ("criteria" in entry) == (entry["method"] == "POST" and entry["path"].endswith("/filter"))
    finally:
        drv.close()


def test_validator_catches_wrong_bodies(oas):
    """The checker must fail on a body that breaks the schema (a leaked key, a missing field, a bad status)."""
    read = {
        "id": OTHER_UUID, "created": "2026-01-01T00:00:00Z", "updated": None, "actor_id": OTHER_UUID, "account_id": ACCOUNT_ID,
        "name": "b", "account_role_name": "Member", "api_key": {"id": OTHER_UUID, "name": "k", "expiration": None, "masked_key": "pnb_...abcd"},
    }
    template = A + "/bots/{id}"
    oas.validate_response("GET", template, 200, json.dumps(read).encode(), {})
    leaked = dict(read, api_key=dict(read["api_key"], key="pnb_secret"))
    with pytest.raises(jsonschema.ValidationError):
        oas.validate_response("GET", template, 200, json.dumps(leaked).encode(), {})
    missing = {k: v for k, v in read.items() if k != "account_role_name"}
    with pytest.raises(jsonschema.ValidationError):
        oas.validate_response("GET", template, 200, json.dumps(missing).encode(), {})
    with pytest.raises(jsonschema.ValidationError):
        oas.validate_response("GET", template, 200, json.dumps(dict(read, created="yesterday")).encode(), {})
    with pytest.raises(jsonschema.ValidationError):
        oas.validate_response("GET", template, 200, json.dumps(dict(read, id="nope")).encode(), {})
    with pytest.raises(AssertionError):
        oas.validate_response("GET", template, 500, b'{"detail": "boom"}', {})
    with pytest.raises(AssertionError):
        oas.validate_response("PATCH", template, 204, b"{}", {})
    with pytest.raises(AssertionError):
        oas.validate_response("GET", template, 404, b'{"detail": ["x"]}', {})
    assert not oas.request_is_valid("POST", A + "/bots/", {"name": "b", "x": 1})


def test_route_table_is_in_oas(oas):
    seen = set()
    for route in ROUTES:
        key = (route.method, route.path)
        assert key not in seen, f"duplicate route {key}"
        seen.add(key)
        assert route.path in oas.doc["paths"], route.path
        assert route.method.lower() in oas.doc["paths"][route.path], key
    subset_ops = {(m.upper(), p) for p, item in oas.doc["paths"].items() for m in item if m in METHODS}
    assert subset_ops == seen


def test_the_applications_openapi_matches_the_document(emulator, oas):
    """FastAPI's own OpenAPI of the emulator: the same operations (operationId, path parameters,
    request body and whether it is required, success status) as the OpenAPI document."""
    generated = emulator.app.openapi()["paths"]
    ours = {(m.upper(), p) for p, item in generated.items() if p.startswith("/api/") for m in item if m in METHODS}
    assert ours == {(m.upper(), p) for p, item in oas.doc["paths"].items() for m in item if m in METHODS}

    def shape(op):
        body = op.get("requestBody")
        return {
            "operationId": op["operationId"],
            "parameters": sorted((p["name"], p["in"], p.get("required", False)) for p in op.get("parameters", [])),
            "body": None if body is None else body.get("required", False),
            "success": sorted(status for status in op["responses"] if status.startswith("2")),
        }

    for method, path in sorted(ours):
        assert shape(generated[path][method.lower()]) == shape(oas.operation(method, path)), (method, path)


def _find_full_doc():
    candidates = [os.path.join("/work", FULL_DOC_REL)]
    directory = os.path.dirname(os.path.abspath(__file__))
    while True:
        candidates.append(os.path.join(directory, FULL_DOC_REL))
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    return None


def test_subset_matches_full_doc():
    full = _find_full_doc()
    if full is None:
        pytest.skip(f"the full OpenAPI document ({FULL_DOC_REL}) is not available next to the repository")
    import sys  # pylint: disable=import-outside-toplevel
    if TOOLS_DIR not in sys.path:
        sys.path.insert(0, TOOLS_DIR)
    import extract_openapi  # pylint: disable=import-outside-toplevel,import-error
    with open(full, "r", encoding="utf-8") as handle:
        fresh = extract_openapi.render(extract_openapi.extract(json.load(handle), extract_openapi.emulated_operations()))
    with open(SUBSET_PATH, "r", encoding="utf-8") as handle:
        committed = handle.read()
    assert committed == fresh, "the subset is stale: regenerate it with tests/emulator/tools/extract_openapi.py"
