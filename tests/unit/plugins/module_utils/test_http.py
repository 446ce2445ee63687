# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the HTTP client: retries, error mapping, redaction, check mode, paging, and
answers that are not what the API documents."""

from __future__ import annotations

import json as _json
from urllib.parse import urlsplit

import pytest

pytest.importorskip("h11")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils._errors import (
    PrefectAPIError, PrefectCheckModeWrite, PrefectConflict, PrefectError, PrefectNotFound, PrefectResponseError,
    PrefectTransportError,
)
from ansible_collections.prefect.cloud.plugins.module_utils._api import PrefectCloud
from ansible_collections.prefect.cloud.plugins.module_utils._http import PrefectClient
from ansible_collections.prefect.cloud.plugins.module_utils._retry import RetryPolicy
from ansible_collections.prefect.cloud.plugins.module_utils import _transport as transport

KEY = "pnu_" + "k" * 36
ACCOUNT = "0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e"


def Response(status, json=None, text=None, headers=None):  # pylint: disable=invalid-name,redefined-outer-name
    """A transport response with a JSON or text body."""
    header_list = [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    if json is not None:
        content = _json.dumps(json).encode()
        header_list.append((b"Content-Type", b"application/json"))
    else:
        content = (text or "").encode()
    return transport.Response(status, header_list, content)


class Sent:
    """A request the client sent: its URL, headers (lower-case names) and body."""

    def __init__(self, method, url, headers, content):
        self.method = method
        self.url = url
        self.path = urlsplit(url).path
        self.headers = {name.decode().lower(): value.decode() for name, value in headers}
        self.content = content

    def read(self):
        return self.content


class Script:
    """A fake transport that answers from a list of responses (or exceptions) in order."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.seen = []
        self.closed = False

    def request(self, method, url, headers=(), content=None):
        self.seen.append(Sent(method, url, headers, content))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self):
        self.closed = True


def make_client(script, retries=3, check_mode=False):
    sleeps = []
    client = PrefectClient("https://cloud.test/api", KEY, ACCOUNT, retry=RetryPolicy(retries=retries),
                           check_mode=check_mode, sleep=sleeps.append, transport=script)
    return client, sleeps


def test_request_shape_auth_and_paths():
    script = Script(Response(200, json={"ok": True}))
    client, _transport = make_client(script)
    assert client.request("GET", client.account_path("bots/abc")) == {"ok": True}
    request = script.seen[0]
    assert request.url == f"https://cloud.test/api/accounts/{ACCOUNT}/bots/abc"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["accept"] == "application/json"


def test_trailing_slash_preserved_and_json_body():
    script = Script(Response(201, json={"id": "1"}))
    client, _transport = make_client(script)
    client.request("POST", client.account_path("bots/"), {"name": "n"})
    assert script.seen[0].path.endswith("/bots/")
    assert _json.loads(script.seen[0].read()) == {"name": "n"}
    assert script.seen[0].headers["content-type"] == "application/json"


def test_204_returns_none():
    client, _transport = make_client(Script(Response(204)))
    assert client.request("DELETE", "accounts/x/bots/1") is None


def test_429_then_success_honours_retry_after():
    script = Script(Response(429, headers={"Retry-After": "2"}, json={"detail": "slow down"}),
                    Response(200, json=[]))
    client, sleeps = make_client(script)
    assert client.request("POST", "accounts/x/bots/filter", {}) == []
    assert sleeps == [2.0]
    assert client.requests == 2


def test_503_exhausts_retries_and_reports_detail():
    script = Script(*[Response(503, json={"detail": "maintenance"}) for dummy in range(4)])
    client, sleeps = make_client(script, retries=3)
    with pytest.raises(PrefectAPIError) as err:
        client.request("GET", "accounts/x/bots/1")
    assert len(sleeps) == 3 and len(script.seen) == 4
    assert str(err.value) == ("GET /api/accounts/x/bots/1 failed with HTTP 503 after 4 attempts: maintenance "
                              "(a Prefect Cloud or proxy error; re-run the task later, it reads the current state first)")
    assert err.value.attempts == 4 and err.value.maybe_applied is False


def test_500_not_retried_for_create_but_retried_for_get():
    client, sleeps = make_client(Script(Response(500, json={"detail": "boom"})))
    with pytest.raises(PrefectAPIError):
        client.request("POST", "accounts/x/bots/", {"name": "n"})
    assert sleeps == []
    client, sleeps = make_client(Script(Response(500, json={"detail": "boom"}), Response(200, json={})))
    assert client.request("GET", "accounts/x/bots/1") == {}
    assert len(sleeps) == 1


def test_429_storm_is_bounded_and_says_what_to_do():
    script = Script(*[Response(429, headers={"Retry-After": "0.1"}, json={"detail": "slow down"}) for dummy in range(3)])
    client, sleeps = make_client(script, retries=2)
    with pytest.raises(PrefectAPIError) as err:
        client.request("POST", "accounts/x/bots/", {"name": "n"})
    assert sleeps == [0.1, 0.1] and len(script.seen) == 3
    assert "HTTP 429 after 3 attempts" in str(err.value) and "raise the retries option" in str(err.value)


@pytest.mark.parametrize("status", [500, 502, 504])
def test_ambiguous_status_of_create_not_retried_and_flagged_maybe_applied(status):
    script = Script(Response(status, json={"detail": "upstream"}))
    client, sleeps = make_client(script)
    with pytest.raises(PrefectAPIError) as err:
        client.request("POST", "accounts/x/bots/", {"name": "n"})
    assert sleeps == [] and len(script.seen) == 1
    assert err.value.maybe_applied is True and "may have applied this write" in str(err.value)


@pytest.mark.parametrize("status", [500, 502, 504])
def test_ambiguous_status_retried_for_idempotent_writes(status):
    script = Script(Response(status, json={"detail": "upstream"}), Response(200, json={"id": "a"}))
    client, sleeps = make_client(script)
    assert client.request("POST", "accounts/x/workspaces/w/bot_access/", {}, idempotent=True) == {"id": "a"}
    assert len(sleeps) == 1


def test_backoff_is_bounded_by_the_policy():
    client, sleeps = make_client(Script(), retries=2)
    waited = client.backoff(1, 0.0)
    waited = client.backoff(2, waited)
    assert waited is not None and len(sleeps) == 2
    assert client.backoff(3, waited) is None and len(sleeps) == 2


def test_transport_errors_say_what_to_do():
    client, _sleeps = make_client(Script(transport.ConnectError("refused\nsecond line")), retries=0)
    with pytest.raises(PrefectTransportError) as err:
        client.request("GET", "me/")
    assert "check api_url" in str(err.value) and "\n" not in str(err.value)
    client, _sleeps = make_client(Script(transport.ReadTimeout("timed out")), retries=0)
    with pytest.raises(PrefectTransportError) as err:
        client.request("GET", "me/")
    assert err.value.timed_out and "raise the timeout" in str(err.value)
    client, _sleeps = make_client(Script(transport.ReadTimeout("timed out")), retries=3)
    with pytest.raises(PrefectTransportError) as err:
        client.request("POST", "accounts/x/bots/", {"name": "n"})
    assert err.value.maybe_applied and err.value.timed_out and err.value.attempts == 1
    assert "may have applied this write" in str(err.value)


def test_proxy_refusal_points_at_the_proxy_and_is_retried_even_for_create():
    script = Script(transport.ProxyError("407 Proxy Authentication Required"), Response(201, json={"id": "1"}))
    client, sleeps = make_client(script)
    assert client.request("POST", "accounts/x/bots/", {"name": "n"}) == {"id": "1"}  # never reached the API
    assert len(sleeps) == 1
    client, _sleeps = make_client(Script(transport.ProxyError("407 Proxy Authentication Required")), retries=0)
    with pytest.raises(PrefectTransportError) as err:
        client.request("POST", "accounts/x/bots/", {"name": "n"})
    assert not err.value.maybe_applied and "check api_url, the network and any proxy" in str(err.value)


def test_bodiless_requests_send_no_content_length_as_httpx():
    script = Script(Response(200, json={}), Response(204), Response(200, json=[]))
    client, _sleeps = make_client(script)
    client.request("GET", "accounts/x/bots/1")
    client.request("DELETE", "accounts/x/bots/1")
    client.request("POST", "accounts/x/bots/filter", {})
    # the transport adds Content-Length for bytes content only (on the wire: test_transport.py)
    assert [sent.content for sent in script.seen] == [None, None, b"{}"]


def test_connect_error_retried_even_for_create():
    script = Script(transport.ConnectError("refused"), Response(201, json={"id": "1"}))
    client, sleeps = make_client(script)
    assert client.request("POST", "accounts/x/bots/", {"name": "n"}) == {"id": "1"}
    assert len(sleeps) == 1


def test_lost_response_of_create_is_not_retried_and_flagged_maybe_applied():
    script = Script(transport.RemoteProtocolError("Server disconnected without sending a response."))
    client, sleeps = make_client(script)
    with pytest.raises(PrefectTransportError) as err:
        client.request("POST", "accounts/x/bots/", {"name": "n"})
    assert err.value.maybe_applied is True
    assert sleeps == [] and len(script.seen) == 1
    assert "POST /api/accounts/x/bots/ failed after 1 attempt: RemoteProtocolError" in str(err.value)


def test_read_timeout_retried_for_idempotent_then_gives_up():
    script = Script(*[transport.ReadTimeout("timed out") for dummy in range(3)])
    client, sleeps = make_client(script, retries=2)
    with pytest.raises(PrefectTransportError) as err:
        client.request("GET", "accounts/x/bots/1")
    assert err.value.attempts == 3 and len(sleeps) == 2
    assert err.value.maybe_applied is False


@pytest.mark.parametrize("status, exc_type", [(404, PrefectNotFound), (409, PrefectConflict), (401, PrefectAPIError)])
def test_error_statuses_map_to_exceptions(status, exc_type):
    client, _transport = make_client(Script(Response(status, json={"detail": "nope"})))
    with pytest.raises(exc_type) as err:
        client.request("GET", "accounts/x/bots/1")
    assert err.value.status == status and err.value.detail == "nope"


def test_401_message_has_hint_and_never_the_key():
    client, _transport = make_client(Script(Response(401, json={"detail": f"Invalid authentication credentials {KEY}"})))
    with pytest.raises(PrefectAPIError) as err:
        client.request("GET", "me/")
    message = str(err.value)
    assert KEY not in message
    assert "HTTP 401" in message and "PREFECT_API_KEY" in message


def test_validation_detail_is_one_line_and_drops_input():
    detail = [{"loc": ["body", "name"], "msg": "String should have at most 5000 characters", "type": "string_too_long",
               "input": KEY}]
    client, _transport = make_client(Script(Response(422, json={"detail": detail})))
    with pytest.raises(PrefectAPIError) as err:
        client.request("POST", "accounts/x/bots/", {"name": "x"})
    assert str(err.value) == "POST /api/accounts/x/bots/ failed with HTTP 422: name: String should have at most 5000 characters"
    assert KEY not in repr(err.value.detail)


def test_keys_added_later_are_redacted_too():
    new_key = "pnb_" + "n" * 36
    client, _transport = make_client(Script(Response(500, text=f"internal error near {new_key}")))
    client.add_secret(new_key)
    with pytest.raises(PrefectAPIError) as err:
        client.request("POST", "accounts/x/bots/", {})
    assert new_key not in str(err.value) and "********" in str(err.value)


def test_redirect_is_an_error_not_followed():
    client, _transport = make_client(Script(Response(307, headers={"location": "https://cloud.test/api/accounts/x/bots/"})))
    with pytest.raises(PrefectAPIError) as err:
        client.request("POST", "accounts/x/bots", {})
    assert "unexpected redirect" in str(err.value)


def test_check_mode_refuses_writes_but_allows_reads_and_filters():
    script = Script(Response(200, json={}), Response(200, json=[]))
    client, _transport = make_client(script, check_mode=True)
    client.request("GET", "accounts/x/bots/1")
    client.request("POST", "accounts/x/bots/filter", {})
    for method, path in (("POST", "accounts/x/bots/"), ("PATCH", "accounts/x/bots/1"), ("DELETE", "accounts/x/bots/1"),
                         ("PUT", "accounts/x/workspaces/w/team_access/")):
        with pytest.raises(PrefectCheckModeWrite):
            client.request(method, path, {})
    assert len(script.seen) == 2 and client.writes == 0


def test_filter_all_pages_past_200():
    pages = [[{"i": n} for n in range(200)], [{"i": n} for n in range(200, 205)]]
    script = Script(Response(200, json=pages[0]), Response(200, json=pages[1]))
    client, _transport = make_client(script)
    items = client.filter_all("accounts/x/bots/filter", {"service_accounts": {"name": {"any_": ["a"]}}})
    assert len(items) == 205
    bodies = [_json.loads(r.read()) for r in script.seen]
    assert [(b["limit"], b["offset"]) for b in bodies] == [(200, 0), (200, 200)]
    assert all(b["service_accounts"] == {"name": {"any_": ["a"]}} for b in bodies)


def test_non_ascii_api_url_is_sent_idna_encoded():
    script = Script(Response(200, json={}))
    client = PrefectClient("http://bücher.example/äpi", KEY, ACCOUNT, transport=script)
    client.request("GET", "me/")
    assert script.seen[0].url == "http://xn--bcher-kva.example/%C3%A4pi/me/"
    assert client.display_path("me/") == "/äpi/me/"  # messages show the path as the user gave it


def test_invalid_international_host_is_an_api_url_error():
    with pytest.raises(PrefectError) as err:
        PrefectClient("http://" + "ü" * 70 + ".example/api", KEY, ACCOUNT, transport=Script())
    assert str(err.value).startswith("api_url has a host name that is not a valid domain name")


# -- success statuses with a body the API does not document (a proxy's page, a wrong api_url)

def unexpected(exc):
    text = str(exc)
    assert "\n" not in text and KEY not in text
    return text


def test_success_with_a_body_that_is_not_json_is_one_line_naming_the_request():
    script = Script(Response(200, text="<html>Sign in to the proxy</html>"))
    client, _sleeps = make_client(script)
    with pytest.raises(PrefectResponseError) as info:
        client.request("POST", client.account_path("bots/filter"), {})
    text = unexpected(info.value)
    assert text.startswith(f"POST /api/accounts/{ACCOUNT}/bots/filter returned an unexpected response: "
                           "HTTP 200 with a body that is not JSON")
    assert "api_url" in text


def test_filter_answer_that_is_not_a_list_is_an_error_not_a_silent_empty_result():
    script = Script(Response(200, json={"detail": "ok"}))
    client, _sleeps = make_client(script)
    with pytest.raises(PrefectResponseError, match=r"bots/filter returned an unexpected response: a JSON dict where a list"):
        client.filter_all(client.account_path("bots/filter"))


BOT = {"id": "b1", "actor_id": "a1", "account_id": ACCOUNT, "name": "sa", "account_role_name": "Member",
       "api_key": {"id": "k1", "name": "sa-key"}}


def test_object_of_another_shape_names_the_fields_never_the_values():
    secret = "pnb_" + "s" * 36
    script = Script(Response(200, json=dict(BOT, name=None, account_role_name=secret, api_key={"id": secret})))
    client, _sleeps = make_client(script)
    with pytest.raises(PrefectResponseError) as info:
        PrefectCloud(client).bot("b1")
    text = unexpected(info.value)
    assert text.startswith(f"GET /api/accounts/{ACCOUNT}/bots/b1 returned an unexpected response: name: ")
    assert "api_key.name: Field required" in text
    assert secret not in text


@pytest.mark.parametrize("answer", [{"id": "b1"}, dict(BOT, api_key={"id": "k1", "name": "sa-key"}), []])
def test_created_account_without_its_key_says_the_key_is_unknown(answer):
    script = Script(Response(201, json=answer))
    client, _sleeps = make_client(script)
    with pytest.raises(PrefectResponseError, match=r"^POST /api/accounts/.*/bots/ returned an unexpected response: "
                                                   r"no api_key\.key in it, so the new key is unknown"):
        PrefectCloud(client).create_bot("sa")


def test_team_grant_missing_from_the_put_answer_is_an_error():
    script = Script(Response(200, json=[]), Response(200, json=[{"team_id": "other"}]))
    client, _sleeps = make_client(script)
    with pytest.raises(PrefectResponseError, match=r"^PUT .*/team_access/ returned an unexpected response: no grant of team t1"):
        PrefectCloud(client).upsert_team_access("w1", "t1", "r1")
