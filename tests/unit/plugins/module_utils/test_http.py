# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of PrefectClient (``_http``) on a mock transport (fakes.py; httpx 0.x or 1.0): how often a request is sent
under faults, the task deadline, Retry-After, certificate failures, check mode, error text that
never shows a key, the User-Agent and redirects. No socket, no real sleep (see conftest.py)."""

from __future__ import annotations

import base64
import email.utils
import importlib.util
import json
import os
import ssl
import types

import pytest

import httpx

from ansible_collections.prefect.cloud.plugins.module_utils import _http, _retry
from ansible_collections.prefect.cloud.plugins.module_utils._errors import (
    PrefectAPIError, PrefectCheckModeWrite, PrefectConflict, PrefectError, PrefectNotFound, PrefectResponseError,
    PrefectTransportError,
)
from ansible_collections.prefect.cloud.plugins.module_utils._http import PrefectClient
from ansible_collections.prefect.cloud.plugins.module_utils._retry import Deadline

from ansible_collections.prefect.cloud.tests.unit.plugins.module_utils.fakes import (
    ACCOUNT, KEY, LEGACY, certificate_error, connect_error, connect_timeout, mock_transport, read_error, read_timeout,
    remote_protocol_error, respond, streamed,
)
from ansible_collections.prefect.cloud.tests.unit.plugins.module_utils.test_secrets import leaks

GALAXY_YML = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 4, "galaxy.yml")
READ = ("GET", f"accounts/{ACCOUNT}/bots/0b5f1c9e-0000-4c55-9a5c-0f1f2b3c4d5e")
UPDATE = ("PATCH", f"accounts/{ACCOUNT}/bots/0b5f1c9e-0000-4c55-9a5c-0f1f2b3c4d5e")
CREATE = ("POST", f"accounts/{ACCOUNT}/bots/")
ROTATE = ("POST", f"accounts/{ACCOUNT}/bots/0b5f1c9e-0000-4c55-9a5c-0f1f2b3c4d5e/rotate_api_key")
FILTER = ("POST", f"accounts/{ACCOUNT}/bots/filter")


def fault(status):
    return respond(status, json={"detail": f"fault {status}"})


def mixed(count):
    """503, 500, 503, 500, ...: each status alone would be retried for a read."""
    return [fault(503 if n % 2 == 0 else 500) for n in range(count)]


# -- how often one request is sent: at most retries + 1, whatever the mix of faults


def test_read_under_mixed_503_500_is_sent_at_most_retries_plus_one_times(make_client, clock):
    client, script = make_client(*mixed(10), retries=3)
    with pytest.raises(PrefectAPIError) as info:
        client.request(*READ)
    assert script.sends == 4 and len(clock.slept) == 3
    assert info.value.attempts == 4 and info.value.maybe_applied is False
    assert "after 4 attempts" in str(info.value)


def test_read_succeeds_after_mixed_faults(make_client):
    client, script = make_client(fault(503), fault(500), fault(502), respond(200, json={"ok": 1}), retries=3)
    assert client.request(*READ) == {"ok": 1}
    assert script.sends == 4 and client.requests == 4


def test_idempotent_write_under_mixed_503_500_is_sent_at_most_retries_plus_one_times(make_client):
    client, script = make_client(*mixed(10), retries=2)
    with pytest.raises(PrefectAPIError) as info:
        client.request(*UPDATE, {"name": "n"})
    assert script.sends == 3 and client.writes == 3
    assert info.value.maybe_applied is False  # safe to send again: re-running converges


def test_upsert_declared_idempotent_is_retried_after_500(make_client):
    path = f"accounts/{ACCOUNT}/workspaces/w/bot_access/"
    client, script = make_client(fault(500), fault(504), respond(200, json={"id": "a"}), retries=3)
    assert client.request("POST", path, {}, idempotent=True) == {"id": "a"}
    assert script.sends == 3


def test_create_under_503_only_is_sent_at_most_retries_plus_one_times(make_client):
    client, script = make_client(*[fault(503) for dummy in range(10)], retries=3)
    with pytest.raises(PrefectAPIError) as info:
        client.request(*CREATE, {"name": "n"})
    assert script.sends == 4
    assert info.value.status == 503 and info.value.maybe_applied is False  # 503: proven not applied


def test_create_under_mixed_faults_stops_at_the_first_500(make_client):
    client, script = make_client(fault(503), fault(429), fault(500), fault(503), retries=5)
    with pytest.raises(PrefectAPIError) as info:
        client.request(*CREATE, {"name": "n"})
    assert script.sends == 3  # 503 and 429 prove it was not applied; 500 does not
    assert info.value.status == 500 and info.value.maybe_applied is True
    assert "may have applied this write" in str(info.value)


@pytest.mark.parametrize("first", [
    lambda: fault(429), lambda: fault(503), connect_error, connect_timeout,
], ids=["429", "503", "ConnectError", "ConnectTimeout"])
def test_create_is_sent_again_after_an_answer_that_proves_it_was_not_applied(make_client, first):
    client, script = make_client(first(), respond(201, json={"id": "1"}), retries=3)
    assert client.request(*CREATE, {"name": "n"}) == {"id": "1"}
    assert script.sends == 2


@pytest.mark.parametrize("request_", [CREATE, ROTATE], ids=["create", "rotate"])
@pytest.mark.parametrize("first", [
    lambda: fault(500), lambda: fault(502), lambda: fault(504), read_timeout, remote_protocol_error, read_error,
], ids=["500", "502", "504", "ReadTimeout", "RemoteProtocolError", "ReadError"])
def test_create_or_rotation_is_not_sent_again_after_an_ambiguous_answer(make_client, clock, first, request_):
    client, script = make_client(first(), respond(201, json={"id": "1"}), retries=5)
    with pytest.raises((PrefectAPIError, PrefectTransportError)) as info:
        client.request(*request_, {})
    assert script.sends == 1 and clock.slept == []
    assert info.value.maybe_applied is True
    assert "\n" not in str(info.value)


def test_read_is_sent_again_after_a_timeout_and_a_reset(make_client):
    client, script = make_client(read_timeout(), remote_protocol_error("reset"),
                                 respond(200, json=[]), retries=2)
    assert client.request(*FILTER, {}) == []
    assert script.sends == 3


def test_retries_zero_sends_once(make_client):
    client, script = make_client(fault(503), respond(200, json={}), retries=0)
    with pytest.raises(PrefectAPIError):
        client.request(*READ)
    assert script.sends == 1


# -- the task deadline


def test_every_request_timeout_is_at_most_the_time_left(make_client, clock):
    # timeout 10 -> deadline 60 s; each request takes 9 s and is answered 503, so the later ones
    # must get a socket timeout below the 10 s option
    client, script = make_client(*[fault(503) for dummy in range(10)], retries=10, timeout=10.0, took=9.0,
                                 max_backoff=1.0)
    with pytest.raises((PrefectAPIError, PrefectTransportError)):  # a 503, or the last request timed out
        client.request(*READ)
    timeouts = script.timeouts()
    assert script.sends >= 6
    assert all(timeout <= left for timeout, left in zip(timeouts, script.left))
    assert all(request.timeout <= left for request, left in zip(script.requests, script.left))
    assert min(timeouts) < 10.0  # the last ones were cut to the time left
    assert clock.now - 1000.0 <= 60.0  # nothing ran past the deadline


def test_a_wait_that_would_pass_the_deadline_is_not_made(make_client, clock):
    deadline = Deadline(60, clock=clock)
    client, script = make_client(respond(503, json={"detail": "busy"}, headers={"Retry-After": "20"}),
                                 respond(200, json={}), retries=5, timeout=50.0, deadline=deadline, took=45.0)
    with pytest.raises(PrefectAPIError) as info:
        client.request(*READ)
    assert script.sends == 1 and clock.slept == []  # 15 s were left: a 20 s wait is not started
    assert info.value.status == 503


def test_a_request_after_the_deadline_is_not_sent_and_names_the_deadline(make_client, clock):
    client, script = make_client(respond(200, json={}), timeout=30.0)  # deadline max(60, 120) = 120 s
    clock.now += 120.0
    with pytest.raises(PrefectTransportError) as info:
        client.request(*READ)
    text = str(info.value)
    assert script.sends == 0
    assert "\n" not in text and "the task deadline of 120 s was reached" in text
    assert info.value.timed_out is True


def test_timeouts_hit_the_deadline_across_retries(make_client, clock):
    client, script = make_client(*[read_timeout() for dummy in range(6)], retries=5, timeout=30.0,
                                 deadline=Deadline(60, clock=clock), took=30.0)
    with pytest.raises(PrefectTransportError) as info:
        client.request(*READ)
    assert script.sends == 2  # 30 s + a wait + the 30 s left: no third request after the deadline
    assert script.timeouts()[1] < 30.0 and clock.now - 1000.0 <= 60.0
    assert info.value.timed_out is True


# -- Retry-After


def test_retry_after_seconds_is_the_wait(make_client, clock):
    client, script = make_client(respond(429, json={"detail": "slow down"}, headers={"Retry-After": "7"}),
                                 respond(200, json=[]))
    assert client.request(*FILTER, {}) == []
    assert clock.slept == [7.0] and script.sends == 2


def test_retry_after_http_date_is_the_wait(make_client, clock, monkeypatch):
    now = 1_800_000_000.0
    monkeypatch.setattr(_retry, "time", types.SimpleNamespace(time=lambda: now))
    when = email.utils.formatdate(now + 12, usegmt=True)
    client, dummy = make_client(respond(503, json={"detail": "busy"}, headers={"Retry-After": when}), respond(200, json={}))
    assert client.request(*READ) == {}
    assert clock.slept == [12.0]


@pytest.mark.parametrize("header", ["3600", "Fri, 31 Dec 2100 23:59:59 GMT"], ids=["seconds", "http-date"])
def test_retry_after_is_capped(make_client, clock, header):
    client, dummy = make_client(respond(503, json={"detail": "busy"}, headers={"Retry-After": header}),
                                respond(200, json={}), max_backoff=30.0)
    assert client.request(*READ) == {}
    assert clock.slept == [30.0]


def test_garbage_retry_after_falls_back_to_backoff(make_client, clock):
    client, dummy = make_client(respond(503, json={"detail": "busy"}, headers={"Retry-After": "soon"}),
                                respond(200, json={}))
    client.request(*READ)
    assert len(clock.slept) == 1 and 0.25 <= clock.slept[0] <= 0.5  # the first backoff step, jittered


# -- certificates, proxies


@pytest.mark.parametrize("request_", [READ, CREATE], ids=["read", "create"])
def test_certificate_failure_is_not_retried_and_names_the_certificate(make_client, clock, request_):
    client, script = make_client(certificate_error(), respond(200, json={}), retries=5)
    with pytest.raises(PrefectTransportError) as info:
        client.request(*request_, {})
    text = str(info.value)
    assert script.sends == 1 and clock.slept == []
    assert "TLS certificate verification failed: self-signed certificate" in text
    assert "validate_certs" in text and "\n" not in text
    assert info.value.maybe_applied is False


@pytest.mark.skipif(not LEGACY, reason="httpx 1.0 has no proxy support: test_a_proxy_variable_is_refused_with_httpx_1 covers it")
def test_proxy_refusal_is_not_retried_and_names_the_proxy_variables(make_client):
    client, script = make_client(httpx.ProxyError("407 Proxy Authentication Required"), respond(200, json={}))
    with pytest.raises(PrefectTransportError) as info:
        client.request(*READ)
    assert script.sends == 1 and "HTTPS_PROXY" in str(info.value)


def test_connect_error_message_is_one_line_and_says_what_to_check(make_client):
    client, dummy = make_client(connect_error("refused\nsecond line"), retries=0)
    with pytest.raises(PrefectTransportError) as info:
        client.request(*READ)
    assert "\n" not in str(info.value) and "check api_url" in str(info.value)


# -- check mode


@pytest.mark.parametrize("method, path, idempotent", [
    ("POST", f"accounts/{ACCOUNT}/bots/", None), ("PATCH", f"accounts/{ACCOUNT}/bots/b", None),
    ("DELETE", f"accounts/{ACCOUNT}/bots/b", None), ("PUT", f"accounts/{ACCOUNT}/workspaces/w/team_access/", None),
    ("POST", f"accounts/{ACCOUNT}/workspaces/w/bot_access/", True), ROTATE + (None,),
])
def test_check_mode_refuses_any_write_before_sending(make_client, method, path, idempotent):
    client, script = make_client(respond(200, json={}), check_mode=True)
    with pytest.raises(PrefectCheckModeWrite):
        client.request(method, path, {}, idempotent=idempotent)
    assert script.sends == 0 and client.writes == 0 and client.requests == 0


def test_check_mode_allows_reads_and_filters(make_client):
    client, script = make_client(respond(200, json={}), respond(200, json=[]), check_mode=True)
    client.request(*READ)
    client.request(*FILTER, {})
    assert script.sends == 2 and client.writes == 0


# -- error text never shows a key


def test_echoing_error_page_shows_no_part_of_the_key(make_client):
    page = "<html><body><h1>502 Bad Gateway</h1>" + "x" * 200 + f" Authorization: Bearer {KEY} upstream reset</body></html>"
    assert 255 <= page.index(KEY) <= 275
    client, dummy = make_client(respond(502, text=page, headers={"content-type": "text/html"}), retries=0)
    with pytest.raises(PrefectAPIError) as info:
        client.request(*READ)
    text = str(info.value)
    assert "Bearer" in text  # the page is shown up to the key
    assert not any(KEY[start:start + 4] in text for start in range(len(KEY) - 3))


@pytest.mark.parametrize("where", range(271, 297, 5))
def test_key_at_the_cut_of_a_long_page_leaves_no_prefix(make_client, where):
    """The page is cut at 300 characters; wherever the echoed key sits around the cut (even only
    a prefix of it, as a proxy that shortens its own log line sends), no 4 characters of it show."""
    page = "y" * where + KEY[:30]
    client, dummy = make_client(respond(502, text=page), retries=0)
    with pytest.raises(PrefectAPIError) as info:
        client.request(*READ)
    assert not any(KEY[start:start + 4] in str(info.value) for start in range(len(KEY) - 3))


def test_json_validation_detail_loses_its_input(make_client):
    detail = [{"loc": ["body", "name"], "msg": "String should have at most 5000 characters", "type": "string_too_long",
               "input": KEY, "ctx": {"max_length": 5000}}]
    client, dummy = make_client(respond(422, json={"detail": detail}))
    with pytest.raises(PrefectAPIError) as info:
        client.request(*CREATE, {"name": "x"})
    assert str(info.value) == (f"POST /api/accounts/{ACCOUNT}/bots/ failed with HTTP 422: name: String should have "
                               "at most 5000 characters")
    assert all("input" not in item for item in info.value.detail)
    assert KEY not in repr(info.value.detail)


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("body", [
    {"json": {"detail": f"Invalid authentication credentials {KEY}"}},
    {"json": {"detail": f"Invalid token {KEY[:20]} {KEY[20:]}"}},
    {"text": f"denied: {KEY[:24]}"},
    {"text": f"denied: {KEY.replace('_', '%5F')}"},
    {"text": f"denied: {KEY.upper()}"},
    {"text": "denied: " + base64.b64encode(KEY.encode()).decode()},
], ids=["exact", "space", "truncated-24", "%5F", "upper", "base64"])
def test_401_and_403_show_none_of_the_servers_text(make_client, status, body):
    """Issue 28: a 401 echoing the key with a space in the middle leaked it; the status alone explains a
    refused key, so the server's text is not shown at all."""
    client, dummy = make_client(respond(status, **body))
    with pytest.raises(PrefectAPIError) as info:
        client.request(*READ)
    text = str(info.value)
    assert "denied" not in text and "Invalid" not in text and "\n" not in text
    assert not any(KEY[start:start + 4] in text for start in range(4, len(KEY) - 3))
    assert not any(KEY.upper()[start:start + 4] in text for start in range(4, len(KEY) - 3))
    assert "api_key" in text and "PREFECT_API_KEY" in text
    assert ("the API key was refused" if status == 401 else "the API key has no permission") in text


@pytest.mark.parametrize("status", [400, 422, 500, 502])
@pytest.mark.parametrize("echo", [
    KEY[:20] + " " + KEY[20:], KEY[:24], KEY.replace("_", "%5F"), KEY.upper(), base64.b64encode(KEY.encode()).decode(),
    base64.b64encode(b"u:" + KEY.encode()).decode(), KEY.encode().hex(), "".join(f"\\u{ord(c):04x}" for c in KEY),
], ids=["space", "truncated-24", "%5F", "upper", "base64", "base64-basic-auth", "hex", "json-escaped"])
def test_other_statuses_show_the_servers_text_without_any_run_of_the_key(make_client, status, echo):
    client, dummy = make_client(respond(status, text=f"upstream rejected header {echo} (trace 42)"), retries=0)
    with pytest.raises(PrefectAPIError) as info:
        client.request(*READ)
    text = str(info.value)
    assert "upstream rejected header " in text and "********" in text and " (trace 42)" in text
    assert echo not in text and not leaks(text, KEY)


def test_501_is_not_worded_as_transient(make_client):
    client, script = make_client(respond(501, json={"detail": "Not Implemented"}), retries=3)
    with pytest.raises(PrefectAPIError) as info:
        client.request(*UPDATE, {"name": "n"})
    text = str(info.value)
    assert script.sends == 1  # not retried
    assert "later" not in text and "not a temporary failure" in text and "will not help" in text


def test_a_key_added_later_is_masked_too(make_client):
    new_key = "pnb_" + "N4" * 18
    client, dummy = make_client(respond(400, text=f"bad request near {new_key}"))
    client.add_secret(new_key)
    with pytest.raises(PrefectAPIError) as info:
        client.request(*READ)
    assert new_key not in str(info.value) and new_key[:8] not in str(info.value)


# -- request shape, User-Agent, redirects, answers


def test_request_shape_auth_and_body(make_client):
    client, script = make_client(respond(201, json={"id": "1"}))
    client.request(*CREATE, {"name": "n"})
    request = script.requests[0]
    assert str(request.url) == f"https://cloud.test/api/accounts/{ACCOUNT}/bots/"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"name": "n"}


def test_user_agent_carries_the_collection_version(make_client):
    with open(GALAXY_YML, encoding="utf-8") as handle:
        version = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("version:"))
    client, script = make_client(respond(200, json={}))
    client.request(*READ)
    assert script.requests[0].headers["user-agent"] == f"ansible-prefect.cloud/{version}"


def test_a_redirect_is_not_followed_and_is_an_error_naming_it(make_client):
    location = f"https://cloud.test/api/accounts/{ACCOUNT}/bots"
    client, script = make_client(respond(307, headers={"location": location}), respond(200, json={}))
    with pytest.raises(PrefectAPIError) as info:
        client.request(*FILTER, {})
    assert script.sends == 1
    assert info.value.status == 307 and f"unexpected redirect to {location}" in str(info.value)


@pytest.mark.parametrize("status, exc_type", [(404, PrefectNotFound), (409, PrefectConflict), (400, PrefectAPIError)])
def test_error_statuses_map_to_exceptions(make_client, status, exc_type):
    client, script = make_client(respond(status, json={"detail": "nope"}))
    with pytest.raises(exc_type) as info:
        client.request(*READ)
    assert info.value.status == status and info.value.detail == "nope" and script.sends == 1


def test_204_is_none(make_client):
    client, dummy = make_client(respond(204))
    assert client.request("DELETE", f"accounts/{ACCOUNT}/bots/b") is None
    assert client.applied == 1


def test_success_that_is_not_json_is_an_unexpected_response(make_client):
    client, dummy = make_client(respond(200, text="<html>Sign in to the proxy</html>"))
    with pytest.raises(PrefectResponseError) as info:
        client.request(*FILTER, {})
    assert str(info.value).startswith(f"POST /api/accounts/{ACCOUNT}/bots/filter returned an unexpected response: "
                                      "HTTP 200 with a body that is not JSON")


def test_filter_all_reads_every_page(make_client):
    client, script = make_client(respond(200, json=[{"i": n} for n in range(200)]),
                                 respond(200, json=[{"i": n} for n in range(200, 205)]))
    items = client.filter_all(FILTER[1], {"service_accounts": {"name": {"any_": ["a"]}}})
    assert [item["i"] for item in items] == list(range(205))
    bodies = [json.loads(request.content) for request in script.requests]
    assert [(body["limit"], body["offset"]) for body in bodies] == [(200, 0), (200, 200)]
    assert all(body["service_accounts"] == {"name": {"any_": ["a"]}} for body in bodies)


def test_filter_answer_that_is_not_a_list_is_an_error(make_client):
    client, dummy = make_client(respond(200, json={"detail": "ok"}))
    with pytest.raises(PrefectResponseError, match="a JSON dict where a list was expected"):
        client.filter_all(FILTER[1])


def test_an_unusable_api_url_is_a_prefect_error():
    with pytest.raises(PrefectError) as info:
        PrefectClient("http://" + "ü" * 70 + ".example/api", KEY, ACCOUNT, transport=mock_transport(respond))
    assert str(info.value).startswith("cannot set up the HTTP client for api_url")


# -- bugs found while writing these tests, fixed


@pytest.mark.skipif(not LEGACY, reason="httpx 1.0 does not decode a Content-Encoding (nor asks for one)")
def test_undecodable_body_is_a_prefect_error(make_client):
    answer = httpx.Response(200, stream=httpx.ByteStream(b"not gzip"), headers={"content-encoding": "gzip"})
    client, dummy = make_client(answer)
    with pytest.raises(PrefectResponseError, match="a body that cannot be decoded"):
        client.request(*READ)


@pytest.mark.skipif(LEGACY and importlib.util.find_spec("socksio") is not None,
                    reason="socksio is installed: SOCKS proxies work")
def test_socks_proxy_without_socksio_is_a_prefect_error(monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALL_PROXY", "socks5://proxy.example:1080")
    with pytest.raises(PrefectError, match="ALL_PROXY|socks"):
        PrefectClient("https://cloud.test/api", KEY, ACCOUNT)


# -- the size of an answer (issue 28: a 300 MB answer took a module to 962 MB)


def test_an_answer_declaring_300_mb_is_refused_before_it_is_read(make_client):
    client, dummy = make_client(respond(200, text="[]", headers={"content-length": str(300_000_000)}))
    with pytest.raises(PrefectResponseError) as info:
        client.request(*FILTER, {})
    text = str(info.value)
    assert text.startswith(f"POST /api/accounts/{ACCOUNT}/bots/filter returned an unexpected response: HTTP 200 with an "
                           "answer larger than 64 MiB (it declares 300 MB)")
    assert "\n" not in text


def test_an_endless_answer_is_read_only_up_to_the_bound(make_client, monkeypatch):
    """Without a length: the reading stops at the bound (lowered here so the test stays small)."""
    monkeypatch.setattr(_http, "MAX_RESPONSE_BYTES", 256 * 1024)
    pulled = []

    def endless():
        for dummy in range(100_000):  # 6 GB if read to the end
            pulled.append(1)
            yield b"x" * 65536

    client, dummy = make_client(streamed(200, endless()))
    with pytest.raises(PrefectResponseError) as info:
        client.request(*READ)
    assert "larger than 256 MiB" not in str(info.value) and "larger than 262144 bytes" in str(info.value)
    assert len(pulled) <= 6  # 4 chunks make the bound, one more passes it


def test_an_answer_at_the_bound_is_read(make_client, monkeypatch):
    monkeypatch.setattr(_http, "MAX_RESPONSE_BYTES", 1024)
    body = b"[" + b" " * 1022 + b"]"
    client, dummy = make_client(streamed(200, iter([body[:500], body[500:]])))
    assert client.request(*FILTER, {}) == []


def test_a_large_error_answer_is_refused_too(make_client, monkeypatch):
    monkeypatch.setattr(_http, "MAX_RESPONSE_BYTES", 1024)
    client, dummy = make_client(streamed(502, iter([b"x" * 4096])), retries=0)
    with pytest.raises(PrefectResponseError, match="HTTP 502 with an answer larger than 1024 bytes"):
        client.request(*READ)


# -- validate_certs: false (issue 28: the key was sent over unverified TLS without a word)


def test_validate_certs_false_on_https_warns_naming_the_option():
    client = PrefectClient("https://cloud.test/api", KEY, ACCOUNT, validate_certs=False, transport=mock_transport(respond))
    assert len(client.warnings) == 1
    assert "validate_certs" in client.warnings[0] and "API key" in client.warnings[0]
    assert KEY[:8] not in client.warnings[0]


@pytest.mark.parametrize("url, validate_certs", [("https://cloud.test/api", True), ("http://127.0.0.1:4200/api", False)])
def test_no_warning_with_certificate_checks_or_without_tls(url, validate_certs):
    client = PrefectClient(url, KEY, ACCOUNT, validate_certs=validate_certs, transport=mock_transport(respond))
    assert client.warnings == []


@pytest.mark.skipif(LEGACY, reason="httpx 0.x uses the proxy (test_proxy_refusal_is_not_retried_and_names_the_proxy_variables)")
@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])
def test_a_proxy_variable_is_refused_with_httpx_1(monkeypatch, variable):
    """httpx 1.0 cannot use a proxy: the client says so instead of going around the proxy."""
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "http://proxy.example:3128")
    with pytest.raises(PrefectError, match=f"through the proxy in {variable.upper()}.* cannot use a proxy"):
        PrefectClient("https://cloud.test/api", KEY, ACCOUNT)
    monkeypatch.setenv("NO_PROXY", "cloud.test")
    PrefectClient("https://cloud.test/api", KEY, ACCOUNT).close()


def test_the_ssl_context_for_httpx_1(monkeypatch):
    """httpx 1.0 takes an SSL context: none of its own without validate_certs, the CA variables as httpx 0.x reads them."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    unchecked = _http._ssl_context(False)  # pylint: disable=protected-access
    assert unchecked.verify_mode == ssl.CERT_NONE and not unchecked.check_hostname
    assert _http._ssl_context(True) is None  # pylint: disable=protected-access  # httpx 1.0's default store
    monkeypatch.setenv("SSL_CERT_DIR", os.path.dirname(os.path.abspath(__file__)))
    checked = _http._ssl_context(True)  # pylint: disable=protected-access
    assert checked.verify_mode == ssl.CERT_REQUIRED and checked.check_hostname


@pytest.mark.parametrize("environment, proxy", [
    ({}, None), ({"HTTPS_PROXY": "http://p:3128"}, "HTTPS_PROXY"), ({"http_proxy": "http://p:3128"}, None),
    ({"ALL_PROXY": "socks5://p:1080"}, "ALL_PROXY"), ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "cloud.test"}, None),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "*"}, None), ({"HTTPS_PROXY": "http://p:3128", "no_proxy": ".test"}, None),
])
def test_the_proxy_variable_that_applies_to_the_api(monkeypatch, environment, proxy):
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert _http._proxy_for("https://cloud.test/api/") == proxy  # pylint: disable=protected-access
