# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Behaviour of the emulator beyond schema conformance: keys, faults, log, persistence, upserts, CLI."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("pydantic")

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "emulator")


class Client:
    def __init__(self, emulator):
        self.emulator = emulator
        self.account = f"/api/accounts/{emulator.config.account_id}"
        self.http = httpx.Client(base_url=emulator.url, headers={"Authorization": f"Bearer {emulator.config.api_key}"}, timeout=10)
        self.admin = httpx.Client(base_url=emulator.url + "/_emulator", timeout=10)

    def close(self):
        self.http.close()
        self.admin.close()

    def me_status(self, key):
        with httpx.Client(base_url=self.emulator.url, timeout=10) as other:
            return other.get("/api/me/", headers={"Authorization": f"Bearer {key}"}).status_code

    def create_bot(self, name, **extra):
        response = self.http.post(f"{self.account}/bots/", json={"name": name, **extra})
        assert response.status_code == 201, response.text
        return response.json()

    def rotate(self, bot_id, body=None):
        response = self.http.post(f"{self.account}/bots/{bot_id}/rotate_api_key", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def advance(self, seconds):
        assert self.admin.post("/clock", json={"advance_seconds": seconds}).status_code == 200

    def role(self, name):
        return self.http.post(f"{self.account}/workspace_roles/filter", json={"workspace_roles": {"name": {"any_": [name]}}}).json()[0]["id"]

    def workspace(self, handle):
        return self.http.post(f"{self.account}/workspaces/filter", json={"workspaces": {"handle": {"any_": [handle]}}}).json()[0]["id"]

    def set_faults(self, *rules):
        response = self.admin.put("/faults", json={"faults": list(rules)})
        assert response.status_code == 200, response.text


@pytest.fixture(name="client")
def client_fixture(emulator):
    client = Client(emulator)
    yield client
    client.close()


def test_rotation_grace_period_then_401(client):
    bot = client.create_bot("rotator")
    old_key = bot["api_key"]["key"]
    assert client.me_status(old_key) == 200
    new = client.rotate(bot["id"], {"old_key_expires_in_seconds": 60})
    new_key = new["api_key"]["key"]
    assert new_key != old_key and new_key.startswith("pnb_") and len(new_key) == 40
    assert client.me_status(old_key) == 200 and client.me_status(new_key) == 200
    client.advance(59)
    assert client.me_status(old_key) == 200
    client.advance(2)
    assert client.me_status(old_key) == 401
    assert client.me_status(new_key) == 200
    keys = client.http.get(f"{client.account}/bots/{bot['id']}/read_bot_api_keys").json()
    assert keys["rotating_keys"] == [] and keys["active_key"]["id"] == new["api_key"]["id"]


def test_rotation_without_grace_or_zero_kills_old_key(client):
    bot = client.create_bot("rotator")
    first = bot["api_key"]["key"]
    second = client.rotate(bot["id"])["api_key"]["key"]
    assert client.me_status(first) == 401
    third = client.rotate(bot["id"], {"api_key_expiration": None, "old_key_expires_in_seconds": 0})["api_key"]["key"]
    assert client.me_status(second) == 401 and client.me_status(third) == 200


def test_expired_active_key_is_rejected(client):
    past = client.create_bot("expired", api_key_expiration="2000-01-01T00:00:00Z")
    assert client.me_status(past["api_key"]["key"]) == 401
    soon = client.create_bot("soon")
    key = client.rotate(soon["id"], {"api_key_expiration": client.admin.get("/clock").json()["now"]})["api_key"]["key"]
    assert client.me_status(key) == 401
    later = client.create_bot("later")
    now = client.admin.get("/clock").json()["now"]
    # An expiration one hour ahead of the emulator clock: valid until the clock passes it.
    hour = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + client.emulator.store.data["clock_offset"] + 3600))
    assert now < hour
    key = client.rotate(later["id"], {"api_key_expiration": hour})["api_key"]["key"]
    assert client.me_status(key) == 200
    client.advance(3601)
    assert client.me_status(key) == 401


def test_delete_bot_kills_key_and_cascades_access(client):
    bot = client.create_bot("doomed")
    key = bot["api_key"]["key"]
    ws = client.workspace("ws-one")
    access = client.http.post(f"{client.account}/workspaces/{ws}/bot_access/", json={"bot_id": bot["id"], "workspace_role_id": client.role("Viewer")}).json()
    assert client.me_status(key) == 200
    assert client.http.delete(f"{client.account}/bots/{bot['id']}").status_code == 204
    assert client.me_status(key) == 401
    assert client.http.get(f"{client.account}/workspaces/{ws}/bot_access/{access['id']}").status_code == 404


def test_bot_key_is_read_only(client):
    bot = client.create_bot("reader")
    headers = {"Authorization": f"Bearer {bot['api_key']['key']}"}
    assert client.http.post(f"{client.account}/bots/filter", headers=headers).status_code == 200
    assert client.http.get(f"{client.account}/bots/{bot['id']}", headers=headers).status_code == 200
    assert client.http.post(f"{client.account}/bots/", json={"name": "x"}, headers=headers).status_code == 403
    assert client.http.delete(f"{client.account}/bots/{bot['id']}", headers=headers).status_code == 403


def test_fault_429_with_retry_after_then_success(client):
    client.set_faults({"method": "POST", "path": r"/bots/filter$", "status": 429, "retry_after": 2, "times": 2})
    url = f"{client.account}/bots/filter"
    for _unused in range(2):
        response = client.http.post(url)
        assert response.status_code == 429 and response.headers["retry-after"] == "2"
        assert isinstance(response.json()["detail"], str)
    assert client.http.post(url).status_code == 200
    assert client.admin.get("/faults").json()["faults"][0]["times"] == 0
    log = client.admin.get("/requests").json()
    assert [e["status"] for e in log if e["path"] == url] == [429, 429, 200]


def test_fault_503_always_and_method_match(client):
    client.set_faults({"method": "GET", "path": "/api/me/", "status": 503, "times": -1})
    for _unused in range(3):
        assert client.http.get("/api/me/").status_code == 503
    assert client.http.post(f"{client.account}/bots/filter").status_code == 200
    assert client.admin.delete("/faults").status_code == 200
    assert client.http.get("/api/me/").status_code == 200


def test_fault_latency(client):
    client.set_faults({"path": "/api/me/", "latency": 0.4})
    start = time.monotonic()
    assert client.http.get("/api/me/").status_code == 200
    assert time.monotonic() - start >= 0.35
    start = time.monotonic()
    assert client.http.get("/api/me/").status_code == 200
    assert time.monotonic() - start < 0.35


def test_fault_drop_response_applies_the_write(client):
    client.set_faults({"method": "POST", "path": r"/bots/$", "drop_response": True})
    with pytest.raises(httpx.TransportError):
        client.http.post(f"{client.account}/bots/", json={"name": "dropped"})
    found = client.http.post(f"{client.account}/bots/filter", json={"service_accounts": {"name": {"any_": ["dropped"]}}}).json()
    assert len(found) == 1
    log = client.admin.get("/requests").json()
    assert [e for e in log if e["path"].endswith("/bots/")] == [
        {"seq": log[0]["seq"], "method": "POST", "path": f"{client.account}/bots/", "status": 0, "write": True}]


def test_fault_body_answers_a_page_and_does_not_apply_the_write(client):
    client.set_faults({"method": "POST", "path": r"/bots/$", "body": "<html>Sign in to the proxy</html>"})
    response = client.http.post(f"{client.account}/bots/", json={"name": "paged"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == "<html>Sign in to the proxy</html>"
    assert client.http.post(f"{client.account}/bots/filter", json={"service_accounts": {"name": {"any_": ["paged"]}}}).json() == []


def test_fault_reset_does_not_apply_the_write(client):
    client.set_faults({"method": "POST", "path": r"/bots/$", "reset": True})
    with pytest.raises(httpx.TransportError):
        client.http.post(f"{client.account}/bots/", json={"name": "never"})
    assert client.http.post(f"{client.account}/bots/filter", json={"service_accounts": {"name": {"any_": ["never"]}}}).json() == []
    assert client.create_bot("never")["name"] == "never"   # the rule was used up
    statuses = [e["status"] for e in client.admin.get("/requests").json() if e["path"].endswith("/bots/")]
    assert statuses == [0, 201]


def test_bad_fault_rule_is_rejected(client):
    assert client.admin.put("/faults", json={"faults": [{"path": "(", "status": 503}]}).status_code == 422
    assert client.admin.put("/faults", json={"faults": [{"status": 503, "bogus": 1}]}).status_code == 422


def test_request_log_lists_filter_criteria_names_not_values(client):
    client.http.post(f"{client.account}/bots/filter", json={"service_accounts": {"name": {"any_": ["hidden-name"]}}, "limit": 5})
    client.http.post(f"{client.account}/bots/filter", json={"limit": 200, "offset": 0})
    client.http.post(f"{client.account}/bots/filter")
    client.http.post(f"{client.account}/workspace_roles/filter", json={"workspace_roles": {"name": {"any_": None}}})
    log = client.admin.get("/requests").json()
    assert [e["criteria"] for e in log] == [["service_accounts.name.any_"], [], [], []]
    assert "hidden-name" not in json.dumps(log)


def test_request_log_has_no_bodies_headers_or_keys(emulator_factory, tmp_path):
    log_file = tmp_path / "requests.jsonl"
    emulator = emulator_factory(request_log=str(log_file))
    client = Client(emulator)
    try:
        bot = client.create_bot("secretive")
        client.rotate(bot["id"])
        client.http.get("/api/me/", headers={"Authorization": "Bearer pnu_wrong-key-value"})
        log = client.admin.get("/requests").json()
        assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
        assert all(set(e) == {"seq", "method", "path", "status", "write"} for e in log)
        assert [e["write"] for e in log] == [True, True, False]
        file_entries = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
        assert file_entries == log
        text = json.dumps(log) + log_file.read_text(encoding="utf-8")
        keys = client.admin.get("/issued-keys").json()["keys"]
        assert emulator.config.api_key in keys and bot["api_key"]["key"] in keys and len(keys) == 3
        for secret in keys + ["pnu_wrong-key-value", "secretive"]:
            assert secret not in text
        state = json.dumps(client.admin.get("/state").json())
        assert all(secret not in state for secret in keys)
        assert client.admin.delete("/requests").status_code == 200
        assert client.admin.get("/requests").json() == []
    finally:
        client.close()


def test_state_file_survives_restart(emulator_factory, tmp_path):
    state_file = tmp_path / "state.json"
    first = emulator_factory(state_file=str(state_file))
    client = Client(first)
    bot = client.create_bot("persistent")
    ws = client.workspace("ws-one")
    access = client.http.post(f"{client.account}/workspaces/{ws}/bot_access/", json={"bot_id": bot["id"], "workspace_role_id": client.role("Runner")}).json()
    client.close()
    first.stop()
    assert stat.S_IMODE(os.stat(state_file).st_mode) == 0o600
    second = emulator_factory(state_file=str(state_file))
    client = Client(second)
    try:
        assert client.http.get(f"{client.account}/bots/{bot['id']}").json()["name"] == "persistent"
        assert client.me_status(bot["api_key"]["key"]) == 200
        assert client.http.get(f"{client.account}/workspaces/{ws}/bot_access/{access['id']}").status_code == 200
    finally:
        client.close()


def test_extra_fields_are_422(client):
    ws = client.workspace("ws-one")
    cases = [
        ("POST", f"{client.account}/bots/", {"name": "a", "role": "x"}),
        ("POST", f"{client.account}/workspaces/", {"name": "a", "handle": "a", "x": 1}),
        ("POST", f"{client.account}/workspace_roles/", {"name": "a", "permissions": []}),
        ("POST", f"{client.account}/workspaces/{ws}/bot_access/", {"bot_id": ws, "workspace_role_id": ws, "x": 1}),
        ("PUT", f"{client.account}/workspaces/{ws}/team_access/", [{"team_id": ws, "workspace_role_id": ws, "x": 1}]),
        ("POST", f"{client.account}/bots/filter", {"service_accounts": {"bogus": {}}}),
    ]
    for method, url, body in cases:
        response = client.http.request(method, url, json=body)
        assert response.status_code == 422, (url, response.text)
        detail = response.json()["detail"]
        assert any(item["type"] == "extra_forbidden" and item["loc"][0] == "body" for item in detail), detail
    # Unknown top-level keys of a filter body are ignored (the Body_* wrappers allow them).
    assert client.http.post(f"{client.account}/bots/filter", json={"whatever": 1}).status_code == 200


def test_team_access_merge_semantics(client):
    ws = client.workspace("ws-one")
    teams = {t["name"]: t["id"] for t in client.http.post(f"{client.account}/teams/filter").json()}
    url = f"{client.account}/workspaces/{ws}/team_access/"
    first = client.http.put(url, json=[{"team_id": teams["platform"], "workspace_role_id": client.role("Developer")}]).json()
    client.http.put(url, json=[{"team_id": teams["data-eng"], "workspace_role_id": client.role("Viewer")}])
    listed = client.http.post(f"{client.account}/workspaces/{ws}/team_access/filter").json()
    assert sorted(t["team_name"] for t in listed) == ["data-eng", "platform"]
    again = client.http.put(url, json=[{"team_id": teams["platform"], "workspace_role_id": client.role("Owner")}]).json()
    assert again[0]["id"] == first[0]["id"] and again[0]["workspace_role_id"] == client.role("Owner")
    assert len(client.http.post(f"{client.account}/workspaces/{ws}/team_access/filter", json={"limit": 1}).json()) == 1
    assert client.http.delete(f"{client.account}/workspaces/{ws}/team_access/{teams['platform']}").status_code == 204
    assert [t["team_name"] for t in client.http.post(f"{client.account}/workspaces/{ws}/team_access/filter").json()] == ["data-eng"]


def test_access_id_stable_across_role_change(client):
    ws = client.workspace("ws-one")
    bot = client.create_bot("granted")
    url = f"{client.account}/workspaces/{ws}/bot_access/"
    first = client.http.post(url, json={"bot_id": bot["id"], "workspace_role_id": client.role("Developer")}).json()
    client.advance(5)
    second = client.http.post(url, json=[{"bot_id": bot["id"], "workspace_role_id": client.role("Runner")}]).json()[0]
    assert second["id"] == first["id"] and second["created"] == first["created"]
    assert second["workspace_role_id"] == client.role("Runner") and second["updated"] > first["updated"]
    rows = client.http.post(f"{url}filter").json()
    assert [r["id"] for r in rows] == [first["id"]]


def test_unknown_ids_in_upserts_are_404_and_atomic(client):
    ws = client.workspace("ws-one")
    bot = client.create_bot("partial")
    dev = client.role("Developer")
    url = f"{client.account}/workspaces/{ws}/bot_access/"
    body = [{"bot_id": bot["id"], "workspace_role_id": dev}, {"bot_id": ws, "workspace_role_id": dev}]
    response = client.http.post(url, json=body)
    assert response.status_code == 404 and isinstance(response.json()["detail"], str)
    assert client.http.post(f"{url}filter").json() == []
    response = client.http.post(url, json={"bot_id": bot["id"], "workspace_role_id": ws})
    assert response.status_code == 404


def test_reset_reseeds(client):
    client.create_bot("gone-after-reset")
    client.advance(100)
    client.set_faults({"path": "/nothing", "status": 500})
    assert client.admin.post("/reset").status_code == 200
    assert client.http.post(f"{client.account}/bots/filter").json() == []
    assert client.admin.get("/faults").json() == {"faults": []}
    assert client.admin.get("/clock").json()["offset_seconds"] == 0
    assert [e["path"] for e in client.admin.get("/requests").json()] == [f"{client.account}/bots/filter"]
    assert client.admin.get("/health").json() == {"status": "ok"}


def test_keep_alive_reuses_the_connection(client):
    for _unused in range(20):
        assert client.http.get("/api/me/").status_code == 200
        assert client.http.delete(f"{client.account}/bots/{client.emulator.config.account_id}").status_code == 404
    pool = client.http._transport._pool  # pylint: disable=protected-access
    assert len(pool.connections) == 1


def test_cli_ready_file_and_sigterm(tmp_path):
    ready = tmp_path / "ready.json"
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR, PREFECT_EMULATOR_API_KEY="pnu_cli-test-key-0123456789")
    with subprocess.Popen([sys.executable, "-m", "prefect_emulator", "--port", "0", "--workspace", "cli", "--ready-file", str(ready)],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            line = proc.stdout.readline().strip()
            info = json.loads(ready.read_text(encoding="utf-8"))
            assert line == f"prefect emulator listening on {info['url']}/api"
            assert info["pid"] == proc.pid and info["url"].startswith("http://127.0.0.1:")
            response = httpx.get(info["url"] + "/api/me/", headers={"Authorization": "Bearer pnu_cli-test-key-0123456789"})
            assert response.status_code == 200
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
        assert "pnu_cli-test-key" not in out + err + line


def test_cli_refuses_remote_host_and_missing_key():
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR)
    env.pop("PREFECT_EMULATOR_API_KEY", None)
    result = subprocess.run([sys.executable, "-m", "prefect_emulator", "--port", "0"], env=env, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2 and "api-key" in result.stderr
    result = subprocess.run([sys.executable, "-m", "prefect_emulator", "--port", "0", "--host", "0.0.0.0", "--api-key", "pnu_x"],
                            env=env, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2 and "non-loopback" in result.stderr


# --- identity and access --------------------------------------------------------------


def _membership(client, email):
    found = client.http.post(f"{client.account}/account_memberships/filter",
                             json={"only_users": True, "account_memberships": {"email": {"any_": [email]}}}).json()
    assert len(found) == 1, found
    return found[0]


def test_team_put_replaces_the_description_and_members_merge(client):
    team = client.http.post(f"{client.account}/teams/", json={"name": "t1", "description": "kept?"}).json()
    assert client.http.put(f"{client.account}/teams/{team['id']}", json={"name": "t1"}).status_code == 200
    assert client.http.get(f"{client.account}/teams/{team['id']}").json()["description"] == ""
    alice, bob = _membership(client, "alice@example.com"), _membership(client, "bob@example.com")
    for user in (alice, bob):
        response = client.http.put(f"{client.account}/teams/{team['id']}/members",
                                   json={"members": [{"member_id": user["user_id"], "member_type": "user"}]})
        assert response.status_code == 200, response.text
    members = client.http.get(f"{client.account}/teams/{team['id']}").json()["memberships"]
    assert sorted(m["email"] for m in members) == ["alice@example.com", "bob@example.com"]


def test_removing_a_member_removes_team_memberships_and_the_last_owner_stays(client):
    alice = _membership(client, "alice@example.com")
    platform = client.http.post(f"{client.account}/teams/filter", json={"teams": {"name": {"any_": ["platform"]}}}).json()[0]
    assert [m["id"] for m in platform["memberships"]] == [alice["actor_id"]]
    assert client.http.delete(f"{client.account}/account_memberships/{alice['id']}").status_code == 204
    assert client.http.get(f"{client.account}/teams/{platform['id']}").json()["memberships"] == []
    owner = _membership(client, "owner@example.com")
    member_role = client.http.post(f"{client.account}/account_roles/filter", json={"account_roles": {"name": {"any_": ["Member"]}}}).json()[0]
    response = client.http.patch(f"{client.account}/account_memberships/{owner['id']}", json={"account_role_id": member_role["id"]})
    assert response.status_code == 409 and response.json()["detail"] == "The account must keep at least one Owner."
    assert client.http.delete(f"{client.account}/account_memberships/{owner['id']}").status_code == 409
    assert _membership(client, "owner@example.com")["account_role_name"] == "Owner"


def test_an_invitation_expires_after_seven_days(client):
    role = client.http.post(f"{client.account}/account_roles/filter", json={"account_roles": {"name": {"any_": ["Member"]}}}).json()[0]
    created = client.http.post(f"{client.account}/invitations/", json=[{"email": "new@example.com", "account_role_id": role["id"]}])
    assert created.status_code == 201, created.text
    invitation = created.json()[0]
    client.advance(7 * 86400 - 60)
    assert client.http.get(f"{client.account}/invitations/{invitation['id']}").json()["status"] == "PENDING"
    client.advance(120)
    assert client.http.get(f"{client.account}/invitations/{invitation['id']}").json()["status"] == "REVOKED"
    assert client.http.post(f"{client.account}/invitations/{invitation['id']}/revoke").status_code == 409


# --- account member activity and workspace invitations -------------------------------


def test_deactivation_keeps_the_membership_and_the_last_owner_stays_active(client):
    bob = _membership(client, "bob@example.com")
    assert client.http.patch(f"{client.account}/account_memberships/{bob['id']}/active", json={"active": False}).status_code == 204
    bob = _membership(client, "bob@example.com")   # the filter without `active` still lists him
    assert bob["active"] is False and bob["account_role_name"] == "Member"
    owner = _membership(client, "owner@example.com")
    response = client.http.patch(f"{client.account}/account_memberships/{owner['id']}/active", json={"active": False})
    assert response.status_code == 409 and response.json()["detail"] == "The account must keep at least one Owner."
    assert _membership(client, "owner@example.com")["active"] is True


def test_workspace_invitations_go_with_their_workspace(client):
    created = client.http.post(f"{client.account}/workspaces/", json={"name": "Temp", "handle": "temp"}).json()
    url = f"{client.account}/workspaces/{created['id']}/invitations/"
    invitation = client.http.post(url, json={"email": "new@example.com"}).json()
    assert invitation["workspace_role_id"] == client.role("Viewer")
    client.advance(7 * 86400 + 60)
    assert client.http.get(url + invitation["id"]).json()["status"] == "REVOKED"
    assert client.http.delete(f"{client.account}/workspaces/{created['id']}").status_code == 204
    assert client.emulator.store.data["workspace_invitations"] == {}


# --- FastAPI's own answers (issue 29): 422 on a bad body, 405, trailing-slash redirects ----------


def test_a_bad_body_is_fastapis_422_and_changes_nothing(client):
    url = f"{client.account}/bots/"
    response = client.http.post(url, json={"name": 5, "account_role_id": "not-a-uuid"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert sorted((item["type"], tuple(item["loc"])) for item in detail) == [
        ("string_type", ("body", "name")), ("uuid_parsing", ("body", "account_role_id"))]
    assert all(isinstance(item["msg"], str) and "input" in item for item in detail)
    missing = client.http.post(url)
    assert missing.status_code == 422 and missing.json()["detail"][0]["type"] == "missing"
    assert missing.json()["detail"][0]["loc"] == ["body"]
    broken = client.http.post(url, content=b'{"name": ', headers={"Content-Type": "application/json"})
    assert broken.status_code == 422 and broken.json()["detail"][0]["type"] == "json_invalid"
    assert client.http.post(f"{client.account}/bots/filter").json() == []
    assert [e["status"] for e in client.admin.get("/requests").json()] == [422, 422, 422, 200]
    # A bad fault rule is FastAPI's 422 too.
    response = client.admin.put("/faults", json={"faults": [{"status": 200}]})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "faults", 0, "status"]


def test_a_known_path_with_another_method_is_405(client):
    response = client.http.put(f"{client.account}/bots/filter", json={})
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"} and response.headers["allow"] == "POST"
    response = client.http.delete("/api/me/")
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    response = client.admin.post("/health")
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    log = client.admin.get("/requests").json()
    assert [(e["method"], e["status"]) for e in log] == [("PUT", 405), ("DELETE", 405)]


def test_the_other_trailing_slash_redirects_with_307(client):
    response = client.http.post(f"{client.account}/bots", json={"name": "slashless"})
    assert response.status_code == 307 and response.content == b""
    assert response.headers["location"] == f"{client.emulator.url}{client.account}/bots/"
    assert client.http.post(f"{client.account}/bots/filter", json={"service_accounts": {"name": {"any_": ["slashless"]}}}).json() == []
    followed = client.http.post(f"{client.account}/bots", json={"name": "slashless"}, follow_redirects=True)
    assert followed.status_code == 201 and followed.json()["name"] == "slashless"   # 307 keeps the method and the body
    response = client.http.get("/api/me/workspaces/?x=1")
    assert response.status_code == 307 and response.headers["location"] == f"{client.emulator.url}/api/me/workspaces?x=1"
    response = client.http.get("/api/me")
    assert response.status_code == 307 and response.headers["location"].endswith("/api/me/")
    assert client.http.get("/api/nowhere/").status_code == 404   # no route either way: no redirect
    statuses = [(e["method"], e["path"].rsplit("/api", 1)[1], e["status"]) for e in client.admin.get("/requests").json()]
    assert statuses[0] == ("POST", f"{client.account[4:]}/bots", 307)
    assert statuses[2:4] == [("POST", f"{client.account[4:]}/bots", 307), ("POST", f"{client.account[4:]}/bots/", 201)]


def test_fault_forward_after_answers_now_and_applies_later(client):
    client.set_faults({"method": "POST", "path": r"/bots/$", "status": 504, "forward_after": 0.5})
    response = client.http.post(f"{client.account}/bots/", json={"name": "late"})
    assert response.status_code == 504 and response.json() == {"detail": "Emulated fault: HTTP 504"}
    find = {"service_accounts": {"name": {"any_": ["late"]}}}
    assert client.http.post(f"{client.account}/bots/filter", json=find).json() == []
    deadline = time.monotonic() + 10
    while not client.http.post(f"{client.account}/bots/filter", json=find).json():
        assert time.monotonic() < deadline, "the forwarded request was never applied"
        time.sleep(0.1)
    log = [e for e in client.admin.get("/requests").json() if e["path"].endswith("/bots/")]
    assert [e["status"] for e in log] == [504]   # logged once, with the status answered


def test_fault_drop_response_of_a_204_still_breaks_the_connection(client):
    bot = client.create_bot("dropped-delete")
    client.set_faults({"method": "DELETE", "drop_response": True})
    with pytest.raises(httpx.TransportError):
        client.http.delete(f"{client.account}/bots/{bot['id']}")
    assert client.http.get(f"{client.account}/bots/{bot['id']}").status_code == 404


def test_fault_key_suffix_tampers_with_returned_keys_only(client):
    """What role_agent_credentials used a proxy of its own for: a key that comes back with a line break."""
    client.set_faults({"method": "POST", "key_suffix": "\nLD_PRELOAD=evil.so", "times": -1})
    bot = client.create_bot("tampered")
    key = bot["api_key"]["key"]
    assert key.endswith("\nLD_PRELOAD=evil.so")
    clean = key[:-len("\nLD_PRELOAD=evil.so")]
    assert client.me_status(clean) == 200
    assert client.admin.get("/issued-keys").json()["keys"][-1] == clean
    rotated = client.rotate(bot["id"])
    assert rotated["api_key"]["key"].endswith("\nLD_PRELOAD=evil.so")
    listed = client.http.post(f"{client.account}/bots/filter").json()   # a POST without a key passes unchanged
    assert [b["name"] for b in listed] == ["tampered"] and "key" not in listed[0]["api_key"]
    assert client.admin.get("/faults").json()["faults"][0]["key_suffix"] == "\nLD_PRELOAD=evil.so"


def test_deleted_keys_keep_authenticating_for_the_revocation_delay(client):
    """PUT /_emulator/settings revoked_keys_authenticate_seconds: deleted keys (a user key, a
    rotating bot key, the old key of a rotation without grace) are refused only after that long
    on the emulator clock (PrefectHQ/prefect #17383); 0 (the default, and after a reset): at once."""
    assert client.admin.get("/settings").json() == {"revoked_keys_authenticate_seconds": 0.0}
    assert client.admin.put("/settings", json={"revoked_keys_authenticate_seconds": -1}).status_code == 422
    assert client.admin.put("/settings", json={"revoked_keys_authenticate_seconds": 300}).status_code == 200
    me = client.http.get("/api/me/").json()["id"]
    user_key = client.http.post(f"/api/users/{me}/api_keys", json={"name": "k"}).json()
    bot = client.create_bot("revoked")
    rotated = client.rotate(bot["id"], {"old_key_expires_in_seconds": 3600})
    newest = client.rotate(rotated["id"])  # no grace: the previous active key is deleted
    assert client.http.delete(f"/api/users/{me}/api_keys/{user_key['id']}").status_code == 204
    deleted = client.http.delete(f"{client.account}/bots/{bot['id']}/delete_bot_api_key/{bot['api_key']['id']}")
    assert deleted.status_code == 200
    keys = (user_key["key"], bot["api_key"]["key"], rotated["api_key"]["key"])
    assert [client.me_status(key) for key in keys] == [200, 200, 200]
    client.advance(250)  # margins of 50 s: the emulator clock also moves with the real one
    assert [client.me_status(key) for key in keys] == [200, 200, 200]
    client.advance(100)
    assert [client.me_status(key) for key in keys] == [401, 401, 401]
    assert client.me_status(newest["api_key"]["key"]) == 200
    assert client.admin.post("/reset").status_code == 200
    assert client.admin.get("/settings").json() == {"revoked_keys_authenticate_seconds": 0.0}
