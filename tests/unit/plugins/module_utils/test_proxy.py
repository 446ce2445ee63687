# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the proxy and TLS settings read from the environment, end to end through a local proxy."""

from __future__ import annotations

import http.client
import http.server
import json
import threading
from urllib.parse import urlsplit

import pytest

pytest.importorskip("h11")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils import _http, _proxy
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError, PrefectTransportError
from ansible_collections.prefect.cloud.plugins.module_utils._http import PrefectClient
from ansible_collections.prefect.cloud.plugins.module_utils._retry import RetryPolicy

KEY = "pnu_" + "p" * 36
ACCOUNT = "0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.mark.parametrize("host, no_proxy, expected", [
    ("api.prefect.cloud", "*", True),
    ("api.prefect.cloud", "prefect.cloud", True),
    ("api.prefect.cloud", ".prefect.cloud", True),
    ("prefect.cloud", ".prefect.cloud", True),
    ("api.prefect.cloud", "other.example, api.prefect.cloud:443", True),
    ("api.prefect.cloud", "https://api.prefect.cloud", True),
    ("notprefect.cloud", "prefect.cloud", False),
    ("api.prefect.cloud", "", False),
    ("127.0.0.1", "127.0.0.1", True),
    ("127.0.0.10", "127.0.0.1", False),
    ("::1", "[::1]", True),
])
def test_no_proxy_matching(host, no_proxy, expected):
    assert _proxy.bypassed(host, no_proxy) is expected


def test_proxy_choice_by_scheme_and_case(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://upper.example:3128")
    monkeypatch.setenv("https_proxy", "http://lower.example:3128")
    monkeypatch.setenv("HTTP_PROXY", "proxy.example:8080")
    assert _proxy.environment_proxy("https", "api.prefect.cloud").url == "http://lower.example:3128"
    assert _proxy.environment_proxy("http", "api.prefect.cloud").url == "http://proxy.example:8080"
    monkeypatch.setenv("NO_PROXY", "prefect.cloud")
    assert _proxy.environment_proxy("https", "api.prefect.cloud") is None
    monkeypatch.delenv("NO_PROXY")
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name)
    assert _proxy.environment_proxy("https", "api.prefect.cloud") is None
    monkeypatch.setenv("ALL_PROXY", "http://all.example:1080")
    assert _proxy.environment_proxy("https", "api.prefect.cloud").url == "http://all.example:1080"


def test_proxy_credentials_are_separated_and_never_in_errors(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://alice:s%40cret-pw@proxy.example:3128")
    proxy = _proxy.environment_proxy("https", "api.prefect.cloud")
    assert proxy.url == "http://proxy.example:3128" and proxy.auth == ("alice", "s@cret-pw")
    assert "s@cret-pw" in proxy.secrets
    monkeypatch.setenv("HTTPS_PROXY", "socks5://alice:s3cret-pw@proxy.example:1080")
    with pytest.raises(PrefectError) as err:
        _proxy.environment_proxy("https", "api.prefect.cloud")
    assert "HTTPS_PROXY must be an http:// or https:// proxy URL" in str(err.value)
    assert "s3cret-pw" not in str(err.value) and "alice" not in str(err.value)


def test_tls_context_only_for_https(monkeypatch):
    made = []
    monkeypatch.setattr(_http, "ssl_context", made.append)
    PrefectClient("http://127.0.0.1:9/api", KEY, ACCOUNT).close()
    assert made == []
    PrefectClient("https://api.prefect.cloud/api", KEY, ACCOUNT, validate_certs=False).close()
    assert made == [False]


def test_tls_context_honours_ssl_cert_file(monkeypatch):
    certifi = pytest.importorskip("certifi")
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    assert _proxy.ssl_context(True).verify_mode.name == "CERT_REQUIRED"
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/ca.pem")
    with pytest.raises(OSError):
        _proxy.ssl_context(True)  # the file given is the one loaded (no fallback to certifi)
    monkeypatch.delenv("SSL_CERT_FILE")
    assert _proxy.ssl_context(True).verify_mode.name == "CERT_REQUIRED"
    assert _proxy.ssl_context(False).verify_mode.name == "CERT_NONE"


# --------------------------------------------------------------------------- through a real proxy

class _Quiet(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Api(_Quiet):
    def do_GET(self):  # pylint: disable=invalid-name
        self.answer(200, {"path": self.path, "auth": self.headers.get("Authorization") == f"Bearer {KEY}",
                          "content_length": self.headers.get("Content-Length")})


class _ForwardingProxy(_Quiet):
    """A forward proxy for http:// URLs (absolute-form request lines), recording what it forwarded."""

    seen = []

    def do_GET(self):  # pylint: disable=invalid-name
        url = urlsplit(self.path)
        type(self).seen.append({"url": self.path, "proxy_auth": self.headers.get("Proxy-Authorization")})
        upstream = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-authorization", "connection")}
        upstream.request("GET", url.path, headers=headers)
        response = upstream.getresponse()
        self.answer(response.status, json.loads(response.read()))
        upstream.close()


def _serve(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(name="servers")
def servers_fixture():
    _ForwardingProxy.seen = []
    api, proxy = _serve(_Api), _serve(_ForwardingProxy)
    yield f"http://127.0.0.1:{api.server_port}/api", proxy.server_port
    for server in (api, proxy):
        server.shutdown()
        server.server_close()


def test_requests_go_through_http_proxy_with_its_credentials(servers, monkeypatch):
    api_url, proxy_port = servers
    monkeypatch.setenv("HTTP_PROXY", f"http://alice:pw-123@127.0.0.1:{proxy_port}")
    client = PrefectClient(api_url, KEY, ACCOUNT)
    answer = client.request("GET", "me/")
    client.close()
    assert answer == {"path": "/api/me/", "auth": True, "content_length": None}  # none on a GET, as httpx
    assert len(_ForwardingProxy.seen) == 1
    assert _ForwardingProxy.seen[0]["url"] == api_url + "/me/"
    assert _ForwardingProxy.seen[0]["proxy_auth"] == "Basic YWxpY2U6cHctMTIz"  # alice:pw-123


def test_no_proxy_goes_direct(servers, monkeypatch):
    api_url, proxy_port = servers
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy_port}")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    client = PrefectClient(api_url, KEY, ACCOUNT)
    assert client.request("GET", "me/")["auth"] is True
    client.close()
    assert _ForwardingProxy.seen == []


def test_unreachable_proxy_error_has_no_credentials(monkeypatch, closed_port):
    monkeypatch.setenv("HTTP_PROXY", f"http://alice:pw-secret@127.0.0.1:{closed_port}")
    client = PrefectClient("http://api.example.test/api", KEY, ACCOUNT, retry=RetryPolicy(retries=0))
    with pytest.raises(PrefectTransportError) as err:
        client.request("GET", "me/")
    client.close()
    assert "pw-secret" not in str(err.value) and KEY not in str(err.value)
    assert "GET /api/me/" in str(err.value)


def test_https_proxy_for_https_api_is_refused_with_the_variable(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "https://alice:pw-secret@proxy.example:3128")
    with pytest.raises(PrefectError) as err:
        PrefectClient("https://api.prefect.cloud/api", KEY, ACCOUNT)
    assert "HTTPS_PROXY is an https:// proxy URL" in str(err.value) and "pw-secret" not in str(err.value)
    monkeypatch.delenv("HTTPS_PROXY")
    monkeypatch.setenv("ALL_PROXY", "https://proxy.example:3128")
    assert _proxy.environment_proxy("http", "api.example.test").url == "https://proxy.example:3128"  # http API: fine
    with pytest.raises(PrefectError, match="ALL_PROXY is an https:// proxy URL"):
        _proxy.environment_proxy("https", "api.example.test")
