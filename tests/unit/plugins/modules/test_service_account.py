# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the service_account and service_account_info modules against an in-process emulator."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import sys
import time
import urllib.request
import uuid

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

pytest.importorskip("httpx")
pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils._accounts import parse_expiration
from ansible_collections.prefect.cloud.plugins.module_utils._api import PrefectCloud
from ansible_collections.prefect.cloud.plugins.module_utils._http import PrefectClient
from ansible_collections.prefect.cloud.plugins.modules import api_key_info, service_account, service_account_info

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args):
        previous = basic._ANSIBLE_ARGS  # pylint: disable=protected-access
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))  # pylint: disable=protected-access
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = previous  # pylint: disable=protected-access

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 3, "emulator")
OWNER_KEY = "pnu_" + uuid.uuid4().hex + "abcd"
ACCOUNT_ID = str(uuid.uuid4())
UTC = datetime.timezone.utc


WARNINGS = []  # what the modules warned, in the run fixture


class Exit(Exception):
    pass


class Fail(Exception):
    pass


@pytest.fixture(name="emulator")
def emulator_fixture():
    if EMULATOR_DIR not in sys.path:
        sys.path.insert(0, EMULATOR_DIR)
    from prefect_emulator import Emulator, EmulatorConfig  # pylint: disable=import-outside-toplevel

    emulator = Emulator(EmulatorConfig(api_key=OWNER_KEY, account_id=ACCOUNT_ID, workspaces=["ws"], port=0))
    emulator.start()
    yield emulator
    emulator.stop()


@pytest.fixture(name="run")
def run_fixture(emulator, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))  # nothing may be written there (no cache on disk)

    def exit_json(_self, **result):
        raise Exit(result)

    def fail_json(_self, **result):
        raise Fail(result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    # Kept here: where ansible-core's controller code was imported first (the filter tests), it
    # sends module warnings to its display rather than to get_warning_messages().
    del WARNINGS[:]
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda _self, warning: WARNINGS.append(warning))

    def run(args, check_mode=False, diff=True, module=service_account, fails=False):
        """Run a module; return (result, requests it sent). ``fails=None``: either outcome."""
        emulator.log.clear()
        if module is service_account and "api_key_dest" not in args:
            args = dict({"return_api_key": True}, **args)  # the keys these tests look at
        full = dict(dict(api_url=f"{emulator.url}/api", api_key=OWNER_KEY, account_id=ACCOUNT_ID), **args)
        full.update(_ansible_check_mode=check_mode, _ansible_diff=diff)
        expected = (Fail, Exit) if fails is None else Fail if fails else Exit
        with patch_module_args(full):
            with pytest.raises(expected) as info:
                module.main()
        result = info.value.args[0]
        if isinstance(info.value, Fail):
            result = dict(result, failed=True)
        return result, emulator.log.list()

    return run


def set_faults(emulator, *rules):
    """Install fault rules through the admin API (with the standard library: the test must not
    depend on the API of the httpx version under test)."""
    body = json.dumps({"faults": list(rules)}).encode("utf-8")
    request = urllib.request.Request(f"{emulator.url}/_emulator/faults", data=body, method="PUT",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:  # nosec B310: the local emulator
        assert answer.status == 200


def writes(log):
    return [entry for entry in log if entry["write"]]


# --------------------------------------------------------------------------- option parsing

NOW = datetime.datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("text, expected", [
    ("never", None),
    ("NEVER", None),
    ("2030-01-31T00:00:00Z", datetime.datetime(2030, 1, 31, tzinfo=UTC)),
    ("2030-01-31t00:00:00z", datetime.datetime(2030, 1, 31, tzinfo=UTC)),
    ("2030-01-31 01:00:00+01:00", datetime.datetime(2030, 1, 31, tzinfo=UTC)),
    ("2030-01-31T00:00:00.5Z", datetime.datetime(2030, 1, 31, 0, 0, 0, 500000, tzinfo=UTC)),
    ("2030-01-31T00:00:00.123456789-00:00", datetime.datetime(2030, 1, 31, 0, 0, 0, 123456, tzinfo=UTC)),
])
def test_parse_expiration(text, expected):
    assert parse_expiration(text, NOW) == expected


@pytest.mark.parametrize("text, message", [
    ("tomorrow", "must be an RFC 3339 timestamp"),
    ("2030-01-31", "must be an RFC 3339 timestamp"),
    ("2030-01-31T00:00:00", "has no time zone"),
    ("2030-13-01T00:00:00Z", "not a valid date"),
    ("2025-12-31T23:59:59Z", "in the past"),
    ("9999-12-31T23:59:59-23:59", "out of range"),
])
def test_parse_expiration_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_expiration(text, NOW)


# --------------------------------------------------------------------------- service_account

def test_create_check_mode_real_run_and_noop(run):
    check, check_log = run({"name": "bot"}, check_mode=True)
    real, real_log = run({"name": "bot"})
    assert check["changed"] and real["changed"]
    assert check["diff"] == real["diff"] == {
        "before": {}, "after": {"name": "bot", "account_role": "Member", "api_key_id": "(new key)", "api_key_expiration": None}}
    assert writes(check_log) == []
    assert check["service_account"]["id"] is None and "api_key" not in check
    assert [(e["method"], e["path"].rsplit("/", 2)[-2:]) for e in writes(real_log)] == [("POST", ["bots", ""])]
    assert real["api_key"].startswith("pnb_")
    account = real["service_account"]
    assert account["account_role"] == "Member" and account["api_key"]["expiration"] is None
    assert real["api_key"] not in json.dumps(account)

    again, again_log = run({"name": "bot"})
    assert not again["changed"] and "api_key" not in again
    assert len(again_log) == 1 and again["service_account"] == account


def test_role_change_and_rename_never_rotate(run):
    created = run({"name": "bot"})[0]
    key_id = created["service_account"]["api_key"]["id"]
    check, check_log = run({"name": "bot", "account_role": "Admin"}, check_mode=True)
    real, real_log = run({"name": "bot", "account_role": "Admin"})
    assert check["diff"] == real["diff"] and writes(check_log) == []
    assert [e["method"] for e in writes(real_log)] == ["PATCH"]
    assert real["service_account"]["account_role"] == "Admin"
    assert real["service_account"]["api_key"]["id"] == key_id and "api_key" not in real

    same, same_log = run({"name": "bot", "account_role": "Admin"})
    assert not same["changed"] and len(same_log) == 1  # the role is not resolved again

    renamed, renamed_log = run({"id": created["service_account"]["id"], "name": "bot2"})
    assert renamed["changed"] and [e["method"] for e in writes(renamed_log)] == ["PATCH"]
    assert renamed["service_account"]["name"] == "bot2"
    assert renamed["service_account"]["api_key"]["id"] == key_id


def test_expiration_change_rotates(run):
    created = run({"name": "bot"})[0]
    args = {"name": "bot", "api_key_expiration": "2099-01-01T00:00:00Z"}
    check, check_log = run(args, check_mode=True)
    real, real_log = run(args)
    assert check["diff"] == real["diff"] and writes(check_log) == []
    assert real["diff"]["after"]["api_key_id"] == "(new key)"
    assert real["diff"]["after"]["api_key_expiration"] == "2099-01-01T00:00:00Z"
    assert [e["path"].rsplit("/", 1)[-1] for e in writes(real_log)] == ["rotate_api_key"]
    assert real["api_key"] != created["api_key"]
    assert real["service_account"]["api_key"]["id"] != created["service_account"]["api_key"]["id"]

    same = run({"name": "bot", "api_key_expiration": "2099-01-01T02:00:00+02:00"})[0]
    assert not same["changed"]
    never = run({"name": "bot", "api_key_expiration": "never"})[0]
    assert never["changed"] and never["service_account"]["api_key"]["expiration"] is None
    assert not run({"name": "bot", "api_key_expiration": "never"})[0]["changed"]


def test_rotate_with_grace_period(run):
    run({"name": "bot"})
    check = run({"name": "bot", "rotate": True, "old_key_expires_in_seconds": 600}, check_mode=True)[0]
    real, real_log = run({"name": "bot", "rotate": True, "old_key_expires_in_seconds": 600})
    assert [e["path"].rsplit("/", 1)[-1] for e in writes(real_log)] == ["rotate_api_key"]
    assert check["diff"] == real["diff"]
    assert real["api_key"].startswith("pnb_") and real["old_key_expires_at"].endswith("Z")
    assert real["diff"]["after"]["api_key_expiration"] is None  # rotate without an expiration: never


@pytest.mark.parametrize("args, message", [
    ({"name": "bot", "old_key_expires_in_seconds": 172801}, "old_key_expires_in_seconds must be between 0 and 172800"),
    ({"name": "bot", "old_key_expires_in_seconds": -1}, "old_key_expires_in_seconds must be between 0 and 172800"),
    ({"name": "bot", "api_key_expiration": "soon"}, "api_key_expiration must be an RFC 3339 timestamp"),
    ({"id": "not-a-uuid"}, "id must be the UUID"),
    ({"name": " "}, "name must not be empty"),
])
def test_option_errors_before_any_request(run, args, message):
    result, log = run(args, fails=True)
    assert message in result["msg"] and log == []


@pytest.mark.parametrize("args, message", [
    ({"name": ["a", "b"]}, "name must be a string, got a list"),
    ({"name": {"a": 1}}, "name must be a string, got a dictionary"),
    ({"name": True}, "name must be a string, got a boolean; quote it"),
    ({"name": "bot", "retries": True}, "retries must be an integer, got a boolean"),
    ({"name": "bot", "timeout": False}, "timeout must be a number, got a boolean"),
    ({"name": "bot\n"}, "name must not contain control or invisible format characters"),
    ({"name": "bot\u0085"}, "got U+0085"),
    ({"name": "bot\u2028x"}, "got U+2028"),
    ({"name": "evil\u202etxt"}, "got U+202E"),
    ({"id": " 0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11"}, "id must be the UUID"),
    ({"id": "{0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11}"}, "id must be the UUID"),
    ({"id": "urn:uuid:0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11"}, "id must be the UUID"),
    ({"name": "bot", "api_url": "http://localhost:99999/api"}, "api_url is not a valid URL"),
    ({"name": "bot", "api_url": "http://localhost:abc/api"}, "api_url is not a valid URL"),
    ({"name": "bot", "api_url": "http://[::1/api"}, "api_url is not a valid URL"),
    ({"name": "bot", "api_url": "http://localhost/api?x=1"}, "api_url must not have a query or a fragment"),
    ({"name": "bot", "api_url": "http://localhost/api#top"}, "api_url must not have a query or a fragment"),
    ({"name": "bot", "api_url": "http://user:secretpw@localhost/api"}, "api_url must not contain a user name or password"),
    ({"name": "b" * 5001}, "name must be at most 5000 characters, got 5001"),
    ({"name": "bot", "account_role": ""}, "account_role must not be empty"),
    ({"name": "bot", "timeout": float("nan")}, "timeout must be a number of seconds greater than 0"),
    ({"name": "bot", "timeout": float("inf")}, "timeout must be a number of seconds greater than 0"),
    ({"name": "bot", "timeout": 0}, "timeout must be a number of seconds greater than 0"),
    ({"name": "bot", "api_key": "pnu_ключ"}, "api_key must be a Prefect API key"),
    ({"name": "bot", "api_key": "pnu_a b"}, "api_key must be a Prefect API key"),
    ({"name": "bot", "api_url": "http://exa mple/api"}, "api_url must be an http:// or https:// URL"),
    ({"name": "bot", "account_id": "１" * 32}, "account_id must be a UUID"),
    ({"name": "bot", "api_key_expiration": "２０３０-０１-３１T００:００:００Z"}, "api_key_expiration must be an RFC 3339"),
    ({"name": "bot", "api_key_expiration": "2" * 6000}, "api_key_expiration must be at most 5000 characters"),
    ({"name": "bot", "api_key_expiration": "x" * 300}, "(300 characters)"),
])
def test_bad_types_and_text_fail_on_one_line_before_any_request(run, args, message):
    result, log = run(args, fails=True)
    assert message in result["msg"] and log == []
    assert "\n" not in result["msg"] and len(result["msg"]) < 300
    assert "ключ" not in result["msg"]


@pytest.mark.parametrize("variable, value, message", [
    ("SSL_CERT_FILE", "/nonexistent/ca.pem", "SSL_CERT_FILE names '/nonexistent/ca.pem', which is not a file"),
    ("SSL_CERT_DIR", "/nonexistent/certs", "SSL_CERT_DIR names '/nonexistent/certs', which is not a directory"),
    ("HTTPS_PROXY", "http://user:s3cretpass@proxy:abc", "HTTPS_PROXY is not a proxy URL"),
    ("https_proxy", "ftp://proxy.example.com", "https_proxy is not a proxy URL"),
    ("HTTP_PROXY", "http://[::1", "HTTP_PROXY is not a proxy URL"),
])
def test_bad_environment_fails_on_one_line_before_any_request(run, monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    result, log = run({"name": "bot"}, fails=True)
    assert message in result["msg"] and log == []
    assert "\n" not in result["msg"] and "s3cretpass" not in result["msg"]


@pytest.mark.parametrize("module, args, message", [
    (service_account_info, {"name": ""}, "name must not be empty"),
    (service_account_info, {"id": " "}, "id must not be empty"),
    (service_account_info, {"id": "x" * 400}, "(400 characters)"),
])
def test_info_bad_input(run, module, args, message):
    result, log = run(args, module=module, fails=True)
    assert message in result["msg"] and log == []


@pytest.mark.parametrize("key", ["pnb_ключ", "pnb_with space", "pnb_line\nbreak"])
def test_api_key_info_key_that_cannot_be_sent(run, key):
    result, log = run({"key": key}, module=api_key_info)
    assert result["authenticates"] is False and log == []
    warnings = WARNINGS
    assert any("it was not sent" in w for w in warnings) and not any(key in w for w in warnings)


def test_unknown_role_and_unknown_id(run):
    result, log = run({"name": "bot", "account_role": "Superhero"}, fails=True)
    assert "'Superhero' does not exist" in result["msg"]
    assert all(role in result["msg"] for role in ("Owner", "Admin", "Member"))
    assert writes(log) == []
    result = run({"id": str(uuid.uuid4()), "name": "x"}, fails=True)[0]
    assert "404" in result["msg"]


def bots_named(emulator, name):
    return [bot for bot in emulator.store.data["bots"].values() if bot["name"] == name]


def test_lost_create_response_then_converge(run, emulator):
    set_faults(emulator, {"method": "POST", "path": ".*/bots/$", "drop_response": True})
    result, log = run({"name": "bot"}, fails=True)
    assert "was applied, but the response with the new API key was lost" in result["msg"]
    assert result["msg"].startswith("POST /api/accounts/") and "rotate: true" in result["msg"]
    assert "\n" not in result["msg"] and "api_key" not in result and result["changed"]
    assert result["service_account"]["name"] == "bot"
    assert [e["method"] for e in writes(log)] == ["POST"]  # never sent again
    assert len(bots_named(emulator, "bot")) == 1
    again = run({"name": "bot"})[0]
    assert not again["changed"]
    rotated = run({"name": "bot", "rotate": True})[0]
    assert rotated["api_key"].startswith("pnb_")


PROXY_PAGE = {"body": "<html>Sign in to the proxy</html>"}  # HTTP 200 that is not the API's answer


@pytest.mark.parametrize("fault", [{"status": 500}, {"status": 502}, {"status": 504}, {"reset": True}, PROXY_PAGE])
def test_create_ambiguous_failure_is_read_back_and_never_sent_again(run, emulator, fault):
    set_faults(emulator, dict(fault, method="POST", path=".*/bots/$", times=2))
    result, log = run({"name": "bot", "account_role": "Admin", "retries": 3}, fails=True)
    assert "may still be applied by the server, and it is not sent again" in result["msg"]
    assert "run the task again after 60 seconds" in result["msg"] and "\n" not in result["msg"]
    assert not result["changed"]
    methods = [(e["method"], e["path"].rsplit("/", 1)[-1]) for e in log]
    assert methods.count(("POST", "")) == 1 and methods[-1] == ("POST", "filter")  # one create, then one read-back
    assert bots_named(emulator, "bot") == []


@pytest.mark.parametrize("status", [429, 503])
def test_create_not_applied_is_sent_again(run, emulator, status):
    set_faults(emulator, {"method": "POST", "path": ".*/bots/$", "status": status, "retry_after": 0, "times": 2})
    result, log = run({"name": "bot", "retries": 3})
    assert result["changed"] and result["api_key"].startswith("pnb_")
    assert [e["method"] for e in writes(log)] == ["POST"] * 3
    assert len(bots_named(emulator, "bot")) == 1


def test_create_not_applied_gives_up_within_retries(run, emulator):
    set_faults(emulator, {"method": "POST", "path": ".*/bots/$", "status": 503, "retry_after": 0, "times": -1})
    result, log = run({"name": "bot", "retries": 2}, fails=True)
    assert "HTTP 503 after 3 attempts" in result["msg"] and "re-run the task" in result["msg"]
    assert [e["method"] for e in writes(log)] == ["POST"] * 3
    assert bots_named(emulator, "bot") == []


def test_mixed_faults_send_a_request_at_most_retries_plus_one_times(run, emulator):
    """503 then 500 on a read: the client's one loop counts both; nothing multiplies the sends."""
    set_faults(emulator, {"method": "POST", "path": ".*/bots/filter$", "status": 503, "retry_after": 0, "times": 2},
               {"method": "POST", "path": ".*/bots/filter$", "status": 500, "times": -1})
    result, log = run({"name": "bot", "retries": 5}, fails=True)
    assert "HTTP 500 after 6 attempts" in result["msg"]
    assert len(log) == 6 and writes(log) == []


def test_create_timeout_never_duplicates(run, emulator):
    set_faults(emulator, {"method": "POST", "path": ".*/bots/$", "latency": 1.0, "times": 1})
    outcome = run({"name": "bot", "timeout": 0.3, "retries": 3}, fails=True)[0]
    assert "may still be applied" in outcome["msg"] or "response with the new API key was lost" in outcome["msg"]
    time.sleep(1.0)  # let the delayed create finish
    assert len(bots_named(emulator, "bot")) == 1
    assert [e["method"] for e in writes(emulator.log.list())] == ["POST"]
    again = run({"name": "bot"})[0]
    assert not again["changed"]


def test_lost_create_response_without_account_says_it_may_still_be_applied(run, emulator, monkeypatch):
    set_faults(emulator, {"method": "POST", "path": ".*/bots/$", "reset": True})
    monkeypatch.setattr(PrefectCloud, "bot_by_name", lambda self, name: None)
    result = run({"name": "bot", "retries": 0}, fails=True)[0]
    assert "POST" in result["msg"] and "may still be applied" in result["msg"]


def test_created_but_answered_without_the_key_says_the_key_is_lost(run, emulator, monkeypatch):
    """A create the server applied but answered with a body that is not the API's: no traceback,
    no second create; the one-line message says the key is lost and how to get a new one."""
    original = PrefectClient.request

    def without_key(self, method, path, body=None, idempotent=None):
        data = original(self, method, path, body, idempotent)
        return dict(data, api_key={"name": "k"}) if path.endswith("/bots/") else data

    monkeypatch.setattr(PrefectClient, "request", without_key)
    result, log = run({"name": "bot"}, fails=True)
    assert result["msg"].startswith(f"POST /api/accounts/{ACCOUNT_ID}/bots/: the creation of service account 'bot' was "
                                    "applied, but the response with the new API key was lost (api_key.key: Field required")
    assert "rotate: true" in result["msg"] and "\n" not in result["msg"]
    assert result["service_account"]["name"] == "bot" and "api_key" not in result
    assert [e["method"] for e in writes(log)] == ["POST"]
    assert len(bots_named(emulator, "bot")) == 1


def miss_first_lookup(monkeypatch):
    """Make the next by-name lookup miss, as if another run created the account just after it.

    Returns the list of lookups made; clear it to make the next lookup miss again.
    """
    original = PrefectCloud.bots
    calls = []

    def first_missing(self, names=None, ids=None):
        calls.append(names)
        return [] if len(calls) == 1 else original(self, names, ids)

    monkeypatch.setattr(PrefectCloud, "bots", first_missing)
    return calls


def test_concurrent_create_conflict_converges(run, monkeypatch):
    run({"name": "bot"})
    calls = miss_first_lookup(monkeypatch)
    result, log = run({"name": "bot", "account_role": "Admin"})
    assert result["changed"] and "api_key" not in result
    assert result["service_account"]["account_role"] == "Admin"
    assert [e["method"] for e in writes(log)] == ["POST", "PATCH"] and writes(log)[0]["status"] == 409
    assert any("created by another run" in w for w in WARNINGS)
    calls.clear()
    same = run({"name": "bot", "account_role": "Admin"})[0]
    assert not same["changed"]


def test_concurrent_create_conflict_without_change(run, monkeypatch):
    run({"name": "bot"})
    miss_first_lookup(monkeypatch)
    result = run({"name": "bot"})[0]
    assert not result["changed"] and "api_key" not in result
    assert result["diff"]["before"] == result["diff"]["after"]


def test_concurrent_create_conflict_with_another_expiration_rotates(run, monkeypatch):
    """The account another run created converges like an existing one: role, key expiration, grants."""
    first = run({"name": "bot", "api_key_expiration": "2090-01-01T00:00:00Z"})[0]
    miss_first_lookup(monkeypatch)
    result, log = run({"name": "bot", "account_role": "Admin", "api_key_expiration": "2091-01-01T00:00:00Z",
                       "workspace_access": [{"workspace": "ws", "workspace_role": "Runner"}]})
    assert [(e["method"], e["path"].rsplit("/", 1)[-1], e["status"]) for e in writes(log)] == [
        ("POST", "", 409), ("PATCH", first["service_account"]["id"], 204), ("POST", "rotate_api_key", 201),
        ("POST", "", 200)]
    assert result["changed"] and result["api_key"].startswith("pnb_")
    assert result["diff"] == {
        "before": {"name": "bot", "account_role": "Member", "api_key_id": first["service_account"]["api_key"]["id"],
                   "api_key_expiration": "2090-01-01T00:00:00Z", "workspace_access": []},
        "after": {"name": "bot", "account_role": "Admin", "api_key_id": "(new key)",
                  "api_key_expiration": "2091-01-01T00:00:00Z",
                  "workspace_access": [{"workspace": "ws", "workspace_role": "Runner"}]}}
    account = result["service_account"]
    assert account["id"] == first["service_account"]["id"] and account["account_role"] == "Admin"
    assert account["api_key"]["expiration"] == "2091-01-01T00:00:00Z"
    assert account["api_key"]["id"] != first["service_account"]["api_key"]["id"]
    assert result["workspace_access"][0]["accessor_id"] == account["id"] and result["workspace_access"][0]["id"]


def test_lost_rotate_response(run, emulator):
    run({"name": "bot"})
    set_faults(emulator, {"method": "POST", "path": ".*/rotate_api_key$", "drop_response": True})
    result, log = run({"name": "bot", "rotate": True}, fails=True)
    assert "rotation of the API key of service account 'bot' was applied, but the response with the new API key was lost" \
        in result["msg"] and "rotate: true" in result["msg"] and "\n" not in result["msg"]
    assert [e["path"].rsplit("/", 1)[-1] for e in writes(log)] == ["rotate_api_key"]


@pytest.mark.parametrize("fault", [{"status": 500}, {"status": 502}, {"status": 504}, {"reset": True}, PROXY_PAGE])
def test_rotate_ambiguous_failure_is_read_back_and_never_sent_again(run, emulator, fault):
    created = run({"name": "bot"})[0]
    set_faults(emulator, dict(fault, method="POST", path=".*/rotate_api_key$", times=1))
    result, log = run({"name": "bot", "rotate": True}, fails=True)
    assert "may still be applied by the server, and it is not sent again" in result["msg"]
    assert [e["path"].rsplit("/", 1)[-1] for e in writes(log)] == ["rotate_api_key"]
    assert log[-1]["method"] == "GET"  # the read-back
    keys = [k for k in emulator.store.data["api_keys"].values() if k["bot_id"] == created["service_account"]["id"]]
    assert len(keys) == 1  # not rotated


def test_late_applied_rotation_behind_a_gateway_is_never_sent_twice(run, emulator):
    """A gateway answers the rotation HTTP 504 at once and passes it on 1.5 s later: one rotation,
    and a clear failure (the read-back does not see it yet); the next run sees the new active key."""
    created = run({"name": "bot"})[0]
    set_faults(emulator, {"method": "POST", "path": ".*/rotate_api_key$", "status": 504, "forward_after": 1.5})
    result, log = run({"name": "bot", "rotate": True, "retries": 5}, fails=True)
    assert "HTTP 504" in result["msg"] and "may still be applied by the server, and it is not sent again" in result["msg"]
    assert [e["path"].rsplit("/", 1)[-1] for e in writes(log)] == ["rotate_api_key"]
    time.sleep(2.0)  # the gateway passes the rotation on
    keys = [k for k in emulator.store.data["api_keys"].values() if k["bot_id"] == created["service_account"]["id"]]
    assert len(keys) == 1  # one rotation: the old key deleted once, one new active key
    after = run({"name": "bot"})[0]
    assert after["service_account"]["api_key"]["id"] == keys[0]["id"] != created["service_account"]["api_key"]["id"]


def test_rotate_timeout_is_not_sent_again(run, emulator):
    run({"name": "bot"})
    set_faults(emulator, {"method": "POST", "path": ".*/rotate_api_key$", "latency": 2.0, "times": 1})
    result = run({"name": "bot", "rotate": True, "timeout": 0.3}, fails=True)[0]
    time.sleep(2.0)  # the delayed rotation is applied (and logged) now
    assert [e["path"].rsplit("/", 1)[-1] for e in writes(emulator.log.list())] == ["rotate_api_key"]
    assert "ReadTimeout" in result["msg"] and "not sent again" in result["msg"]
    assert "\n" not in result["msg"]


def test_rotate_keeps_the_active_expiration(run):
    created = run({"name": "bot", "api_key_expiration": "2031-05-01T00:00:00Z"})[0]
    check = run({"name": "bot", "rotate": True}, check_mode=True)[0]
    rotated = run({"name": "bot", "rotate": True})[0]
    assert check["diff"] == rotated["diff"] and rotated["changed"]
    assert rotated["service_account"]["api_key"]["expiration"] == "2031-05-01T00:00:00Z"
    assert rotated["service_account"]["api_key"]["id"] != created["service_account"]["api_key"]["id"]


def test_rename_into_a_taken_name_fails_before_any_write(run):
    first = run({"name": "first"})[0]
    run({"name": "second"})
    for check_mode in (True, False):
        result, log = run({"id": first["service_account"]["id"], "name": "second"}, check_mode=check_mode, fails=True)
        assert "another service account is already called 'second'" in result["msg"]
        assert not result["changed"] and writes(log) == []


def test_returned_key_warns_without_no_log(run):
    run({"name": "bot"})
    assert any("does not set no_log: true" in w for w in WARNINGS)


def test_absent(run):
    created = run({"name": "bot"})[0]
    check, check_log = run({"name": "bot", "state": "absent"}, check_mode=True)
    real, real_log = run({"name": "bot", "state": "absent"})
    assert check["changed"] and real["changed"] and check["diff"] == real["diff"]
    assert real["diff"]["after"] == {} and real["diff"]["before"]["name"] == "bot"
    assert writes(check_log) == [] and [e["method"] for e in writes(real_log)] == ["DELETE"]
    again, again_log = run({"name": "bot", "state": "absent"})
    assert not again["changed"] and writes(again_log) == []
    by_id = run({"id": created["service_account"]["id"], "state": "absent"})[0]
    assert not by_id["changed"]


def test_no_diff_outside_diff_mode(run):
    result = run({"name": "bot"}, diff=False)[0]
    assert "diff" not in result


# --------------------------------------------------------------------------- workspace_access option

def grants_of(emulator, bot_id):
    """(workspace handle, role name) of every grant of a bot, read from the emulator's store."""
    data = emulator.store.data
    handles = {ws["id"]: ws["handle"] for ws in data["workspaces"].values()}
    roles = {role["id"]: role["name"] for role in data["workspace_roles"].values()}
    return sorted((handles[a["workspace_id"]], roles[a["workspace_role_id"]])
                  for a in data["bot_access"].values() if a["bot_id"] == bot_id)


def test_workspace_access_with_a_new_account(run, emulator):
    args = {"name": "agent", "workspace_access": [{"workspace": "ws", "workspace_role": "Runner"}]}
    check, check_log = run(args, check_mode=True)
    real, real_log = run(args)
    assert check["changed"] and real["changed"] and check["diff"] == real["diff"]
    assert real["diff"]["before"] == {}
    assert real["diff"]["after"]["workspace_access"] == [{"workspace": "ws", "workspace_role": "Runner"}]
    assert writes(check_log) == [] and [e["path"].rsplit("/", 2)[-2] for e in writes(real_log)] == ["bots", "bot_access"]
    assert [e["path"] for e in check_log] == [e["path"] for e in real_log if not e["write"]]
    bot_id = real["service_account"]["id"]
    assert grants_of(emulator, bot_id) == [("ws", "Runner")]
    assert real["api_key"].startswith("pnb_")  # the key of the new account is still returned
    grant = real["workspace_access"][0]
    assert grant["accessor_id"] == bot_id and grant["workspace_handle"] == "ws" and grant["workspace_role_name"] == "Runner"
    assert grant["id"] is not None and check["workspace_access"][0]["id"] is None
    assert check["workspace_access"][0]["accessor_id"] is None


def test_workspace_access_no_op_and_update(run, emulator):
    args = {"name": "agent", "workspace_access": [{"workspace": "ws", "role": "Runner"}]}
    created = run(args)[0]
    again, log = run(args)
    assert not again["changed"] and writes(log) == []
    assert len(log) == 4  # bots/filter, workspaces/filter, bot_access/filter, workspace_roles/filter
    assert again["workspace_access"] == created["workspace_access"]
    assert again["diff"]["before"] == again["diff"]["after"]
    args["workspace_access"][0]["role"] = "Developer"
    check, check_log = run(args, check_mode=True)
    real, real_log = run(args)
    assert check["changed"] and real["changed"] and check["diff"] == real["diff"]
    assert real["diff"]["before"]["workspace_access"] == [{"workspace": "ws", "workspace_role": "Runner"}]
    assert real["diff"]["after"]["workspace_access"] == [{"workspace": "ws", "workspace_role": "Developer"}]
    assert writes(check_log) == [] and [e["method"] for e in writes(real_log)] == ["POST"]
    assert grants_of(emulator, created["service_account"]["id"]) == [("ws", "Developer")]
    assert "api_key" not in real  # an existing account: no key


def test_workspace_access_by_ids_and_unlisted_grants_kept(run, emulator):
    created = run({"name": "agent", "workspace_access": [{"workspace": "ws", "workspace_role": "Viewer"}]})[0]
    ws_id = created["workspace_access"][0]["workspace_id"]
    role_id = next(r["id"] for r in emulator.store.data["workspace_roles"].values() if r["name"] == "Owner")
    result, log = run({"name": "agent", "workspace_access": [{"workspace": ws_id, "workspace_role": role_id}]})
    assert result["changed"] and grants_of(emulator, created["service_account"]["id"]) == [("ws", "Owner")]
    again, log = run({"name": "agent", "workspace_access": [{"workspace": ws_id, "workspace_role": role_id}]})
    assert not again["changed"] and len(log) == 3  # bots/filter, bot_access/filter by id, the role list (names)
    unlisted = run({"name": "agent", "workspace_access": []})[0]
    assert not unlisted["changed"] and unlisted["workspace_access"] == []
    assert grants_of(emulator, created["service_account"]["id"]) == [("ws", "Owner")]


@pytest.mark.parametrize("entry, message", [
    ({"workspace": "nope", "workspace_role": "Runner"}, "workspace_access.workspace: no workspace with handle 'nope'"),
    ({"workspace": str(uuid.uuid4()), "workspace_role": "Runner"}, "workspace_access.workspace: no workspace with id"),
    ({"workspace": "ws", "workspace_role": "Boss"}, "workspace_access.workspace_role: no workspace role with name or id 'Boss'"),
])
def test_workspace_access_errors_before_any_write(run, emulator, entry, message):
    for check_mode in (True, False):
        result, log = run({"name": "agent", "workspace_access": [entry]}, check_mode=check_mode, fails=True)
        assert message in result["msg"] and "\n" not in result["msg"]
        assert writes(log) == []
    assert emulator.store.data["bots"] == {}  # the account was not created
    run({"name": "agent"})
    result, log = run({"name": "agent", "workspace_access": [entry]}, fails=True)
    assert message in result["msg"] and writes(log) == []


@pytest.mark.parametrize("args, message", [
    ({"workspace_access": [{"workspace": "ws", "workspace_role": "Runner"}, {"workspace": "ws", "workspace_role": "Viewer"}]},
     "workspace_access lists the workspace 'ws' more than once"),
    ({"workspace_access": [{"workspace": "ws", "workspace_role": True}]},
     "workspace_access[0].workspace_role must be a string, got a boolean"),
    ({"workspace_access": [{"workspace": " ", "workspace_role": "Runner"}]}, "workspace_access[0].workspace must not be empty"),
    ({"workspace_access": [{"workspace": "ws\n", "workspace_role": "Runner"}]},
     "workspace_access[0].workspace must not contain control or invisible format characters"),
    ({"workspace_access": [{"workspace": "ws"}]}, "workspace_role"),
])
def test_workspace_access_bad_input(run, args, message):
    result, log = run(dict({"name": "agent"}, **args), fails=True)
    assert message in result["msg"] and log == []


def test_absent_ignores_the_options_of_the_present_account(run):
    run({"name": "agent"})
    result, log = run({"name": "agent", "state": "absent", "account_role": "Superhero", "rotate": True,
                       "workspace_access": [{"workspace": "nowhere", "workspace_role": "Runner"}]})
    assert result["changed"] and [e["method"] for e in writes(log)] == ["DELETE"]


def test_workspace_access_same_workspace_by_handle_and_id(run):
    created = run({"name": "agent", "workspace_access": [{"workspace": "ws", "workspace_role": "Viewer"}]})[0]
    ws_id = created["workspace_access"][0]["workspace_id"]
    entries = [{"workspace": "ws", "workspace_role": "Viewer"}, {"workspace": ws_id, "workspace_role": "Owner"}]
    result, log = run({"name": "agent", "workspace_access": entries}, fails=True)
    assert "workspace_access lists one workspace twice, as 'ws' and" in result["msg"] and writes(log) == []


def test_workspace_access_grant_failure_after_create_returns_the_key(run, emulator):
    set_faults(emulator, {"method": "POST", "path": ".*/bot_access/$", "status": 400, "times": 1})
    result = run({"name": "agent", "workspace_access": [{"workspace": "ws", "workspace_role": "Runner"}]}, fails=True)[0]
    assert result["status"] == 400 and "/bot_access/" in result["msg"] and result["api_key"].startswith("pnb_")
    assert result["service_account"]["id"] in {b["id"] for b in emulator.store.data["bots"].values()}
    again = run({"name": "agent", "workspace_access": [{"workspace": "ws", "workspace_role": "Runner"}]})[0]
    assert again["changed"] and "api_key" not in again
    assert grants_of(emulator, again["service_account"]["id"]) == [("ws", "Runner")]


# --------------------------------------------------------------------------- service_account_info

def test_info(run):
    created = run({"name": "bot", "account_role": "Admin"})[0]
    run({"name": "other"})
    by_name = run({"name": "bot"}, module=service_account_info)[0]
    assert by_name["service_accounts"] == [created["service_account"]]
    by_id = run({"id": created["service_account"]["id"]}, module=service_account_info, check_mode=True)[0]
    assert by_id["service_accounts"] == [created["service_account"]]
    everything, log = run({}, module=service_account_info)
    assert sorted(a["name"] for a in everything["service_accounts"]) == ["bot", "other"]
    assert writes(log) == [] and not everything["changed"]
    assert run({"name": "nope"}, module=service_account_info)[0]["service_accounts"] == []
    assert run({"id": str(uuid.uuid4())}, module=service_account_info)[0]["service_accounts"] == []
    result = run({"id": "x"}, module=service_account_info, fails=True)[0]
    assert "UUID" in result["msg"]


# --------------------------------------------------------------------------- the HTTP conversation (no emulator)

from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import (  # noqa: E402  pylint: disable=wrong-import-position
    ACCOUNT, Call,
)

BOT_ID = "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"
WS_ID = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"
RUNNER_ID = "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e"
NEW_KEY = "pnb_" + "N3wK3y" * 4


def bot_answer(key=None, key_id="3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f"):
    answer = {"id": BOT_ID, "actor_id": "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e", "account_id": ACCOUNT, "name": "ci",
              "account_role_name": "Member", "api_key": {"id": key_id, "name": "k", "expiration": None}}
    if key:
        answer["api_key"]["key"] = key
    else:
        answer["api_key"]["masked_key"] = "pnb_...AAAA"
    return answer


NO_BOT = Call("POST", "bots/filter", [])
CREATE = Call("POST", "bots/", bot_answer(NEW_KEY), body={"name": "ci"})


@pytest.mark.parametrize("check_mode", [False, True])
def test_api_key_dest_writes_the_key_to_a_0600_file_and_returns_its_path(run_module, check_mode, tmp_path):
    dest = tmp_path / "ci.key"
    result = run_module(service_account.ServiceAccount, {"name": "ci", "api_key_dest": str(dest)},
                        [NO_BOT] + ([] if check_mode else [CREATE]), check_mode=check_mode)
    assert result["changed"] and result["api_key_file"] == str(dest) and "api_key" not in result
    assert result["diff"]["after"]["api_key_id"] == "(new key)" and "warnings" not in result
    assert NEW_KEY not in json.dumps(result)
    if check_mode:
        assert not dest.exists() and os.listdir(tmp_path) == []
        planned = result["ansible_facts"]["prefect_cloud_planned"][ACCOUNT]["service_account"]
        assert planned == {"ci": {"name": "ci", "actor_id": None, "account_role_name": "Member"}}
    else:
        assert dest.read_text(encoding="utf-8") == NEW_KEY and os.stat(dest).st_mode & 0o777 == 0o600
        assert os.listdir(tmp_path) == ["ci.key"]


def test_a_rotation_replaces_the_key_file(run_module, tmp_path):
    dest = tmp_path / "ci.key"
    dest.write_text("old", encoding="utf-8")
    rotated = Call("POST", f"bots/{BOT_ID}/rotate_api_key", bot_answer(NEW_KEY, "4e5f6071-8293-4d4e-9f5a-6b7c8d9e0f1a"))
    result = run_module(service_account.ServiceAccount, {"name": "ci", "rotate": True, "api_key_dest": str(dest)},
                        [Call("POST", "bots/filter", [bot_answer()]), rotated])
    assert result["changed"] and result["api_key_file"] == str(dest) and dest.read_text(encoding="utf-8") == NEW_KEY
    assert result["service_account"]["api_key"]["id"] == "4e5f6071-8293-4d4e-9f5a-6b7c8d9e0f1a"


def test_without_a_destination_the_key_is_not_returned_and_the_task_warns(run_module):
    result = run_module(service_account.ServiceAccount, {"name": "ci"}, [NO_BOT, CREATE])
    assert result["changed"] and "api_key" not in result and "api_key_file" not in result
    assert len(result["warnings"]) == 1
    assert "api_key_dest" in result["warnings"][0] and "return_api_key" in result["warnings"][0]
    assert NEW_KEY not in json.dumps(result)


def test_no_change_sends_no_warning_and_no_file(run_module, tmp_path):
    result = run_module(service_account.ServiceAccount, {"name": "ci", "api_key_dest": str(tmp_path / "k")},
                        [Call("POST", "bots/filter", [bot_answer()])])
    assert not result["changed"] and "api_key_file" not in result and "warnings" not in result


def test_api_key_dest_below_a_file_fails_before_any_request(run_module, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run_module(service_account.ServiceAccount, {"name": "ci", "api_key_dest": str(tmp_path / "file" / "k")}, [])
    assert result["failed"] and result["msg"].startswith("api_key_dest ") and "which is not a directory" in result["msg"]
    result = run_module(service_account.ServiceAccount, {"name": "ci", "api_key_dest": str(tmp_path)}, [])
    assert result["failed"] and result["msg"].endswith("is a directory; name the file to write the key to")


def test_api_key_dest_in_a_missing_directory_creates_it_0700(run_module, tmp_path):
    dest = tmp_path / "keys" / "ci.key"
    result = run_module(service_account.ServiceAccount, {"name": "ci", "api_key_dest": str(dest)}, [NO_BOT, CREATE])
    assert result["api_key_file"] == str(dest) and dest.read_text(encoding="utf-8") == NEW_KEY
    assert os.stat(dest.parent).st_mode & 0o777 == 0o700


def test_create_with_a_grant_by_names_sends_six_requests(run_module):
    result = run_module(service_account.ServiceAccount, {
        "name": "ci", "account_role": "Member", "workspace_access": [{"workspace": "prod", "workspace_role": "Runner"}]}, [
        NO_BOT,
        Call("POST", "workspaces/filter", [{"id": WS_ID, "name": "Prod", "handle": "prod", "account_id": ACCOUNT}]),
        Call("POST", "workspace_roles/filter", [{"id": RUNNER_ID, "name": "Runner"}]),
        Call("POST", "account_roles/filter", [{"id": "9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b", "name": "Member"}]),
        Call("POST", "bots/", bot_answer(NEW_KEY)),
        Call("POST", f"workspaces/{WS_ID}/bot_access/", [
            {"id": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f", "workspace_id": WS_ID, "workspace_role_id": RUNNER_ID,
             "actor_id": "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e", "bot_id": BOT_ID, "bot_name": "ci"}],
             body=[{"bot_id": BOT_ID, "workspace_role_id": RUNNER_ID}])])
    assert result["workspace_access"][0]["id"] == "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
    assert result["workspace_access"][0]["accessor_id"] == BOT_ID
    assert result["diff"]["after"]["workspace_access"] == [{"workspace": "prod", "workspace_role": "Runner"}]


def test_a_no_op_with_a_grant_by_ids_sends_three_requests(run_module):
    result = run_module(service_account.ServiceAccount, {
        "id": BOT_ID, "workspace_access": [{"workspace": WS_ID, "workspace_role": "Runner"}]}, [
        Call("GET", f"bots/{BOT_ID}", bot_answer()),
        Call("POST", f"workspaces/{WS_ID}/bot_access/filter", [
            {"id": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f", "workspace_id": WS_ID, "workspace_role_id": RUNNER_ID,
             "actor_id": "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e", "bot_id": BOT_ID, "bot_name": "ci"}]),
        Call("POST", "workspace_roles/filter", [{"id": RUNNER_ID, "name": "Runner"}])])
    assert not result["changed"] and result["diff"]["before"] == result["diff"]["after"]
    assert result["diff"]["before"]["workspace_access"] == [{"workspace": WS_ID, "workspace_role": "Runner"}]


def test_an_account_planned_earlier_in_the_play_is_found_in_check_mode(run_module):
    planned = {ACCOUNT: {"service_account": {"ci": {"name": "ci", "actor_id": None, "account_role_name": "Member"}}}}
    result = run_module(service_account.ServiceAccount, {"name": "ci"}, [NO_BOT], check_mode=True, planned=planned)
    assert not result["changed"] and result["service_account"]["id"] is None
    real = run_module(service_account.ServiceAccount, {"name": "ci"}, [Call("POST", "bots/filter", [bot_answer()])],
                      check_mode=True, planned=planned)  # created since it was planned (a play of check and real runs)
    assert not real["changed"] and real["service_account"]["id"] == BOT_ID
    deleted = {ACCOUNT: {"service_account": {"ci": None}}}
    result = run_module(service_account.ServiceAccount, {"name": "ci"}, [Call("POST", "bots/filter", [bot_answer()])],
                        check_mode=True, planned=deleted)
    assert result["changed"] and result["diff"]["before"] == {}


# --------------------------------------------------------------------------- revoke_api_key_ids (issue: keys)


def test_revoke_a_rotating_key_check_mode_real_run_and_again(run):
    first = run({"name": "bot"})[0]
    old_id = first["service_account"]["api_key"]["id"]
    rotated = run({"name": "bot", "rotate": True, "old_key_expires_in_seconds": 3600})[0]
    active_id = rotated["service_account"]["api_key"]["id"]
    check, check_log = run({"name": "bot", "revoke_api_key_ids": [old_id]}, check_mode=True)
    real, real_log = run({"name": "bot", "revoke_api_key_ids": [old_id, old_id]})
    assert writes(check_log) == [] and check["changed"] and check["diff"] == real["diff"]
    assert check["revoked_api_key_ids"] == real["revoked_api_key_ids"] == [old_id]
    assert real["diff"]["before"]["rotating_api_key_ids"] == [old_id] and real["diff"]["after"]["rotating_api_key_ids"] == []
    assert [(e["method"], e["path"].rsplit("/", 2)[-2:]) for e in writes(real_log)] == [("DELETE", ["delete_bot_api_key", old_id])]
    assert api_key_info_state(run, first["api_key"]) is False
    again, again_log = run({"name": "bot", "revoke_api_key_ids": [old_id]})
    assert not again["changed"] and again["revoked_api_key_ids"] == [] and writes(again_log) == []
    assert api_key_info_state(run, rotated["api_key"]) is True and active_id != old_id


def api_key_info_state(run, key):
    return run({"key": key}, module=api_key_info)[0]["authenticates"]


def test_revoke_with_a_rotation_in_the_same_task_keeps_the_old_key_in_the_diff(run):
    first = run({"name": "bot"})[0]
    old_id = first["service_account"]["api_key"]["id"]
    run({"name": "bot", "rotate": True, "old_key_expires_in_seconds": 3600})
    args = {"name": "bot", "rotate": True, "old_key_expires_in_seconds": 60, "revoke_api_key_ids": [old_id]}
    check = run(args, check_mode=True)[0]
    real = run(args)[0]
    assert check["diff"] == real["diff"] and real["diff"]["before"]["rotating_api_key_ids"] == [old_id]
    assert real["diff"]["after"]["rotating_api_key_ids"] == [real["diff"]["before"]["api_key_id"]]


@pytest.mark.parametrize("args, message", [
    ({"revoke_api_key_ids": ["nope"]}, "revoke_api_key_ids[0] must be the UUID of an API key"),
    ({"revoke_api_key_ids": ["ACTIVE"]}, "is the active key of 'bot', which a service account always keeps"),
    ({"name": "missing", "revoke_api_key_ids": [str(uuid.uuid4())]}, "'missing' does not exist yet"),
])
def test_revoke_bad_input_fails_before_any_write(run, args, message):
    active = run({"name": "bot"})[0]["service_account"]["api_key"]["id"]
    args = dict({"name": "bot"}, **args)
    args["revoke_api_key_ids"] = [active if key_id == "ACTIVE" else key_id for key_id in args["revoke_api_key_ids"]]
    result, log = run(args, fails=True)
    assert message in result["msg"] and "\n" not in result["msg"] and writes(log) == [] and not result["changed"]
