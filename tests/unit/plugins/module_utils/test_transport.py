# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the HTTP/1.1 transport on the wire, against scripted local servers: framing,
keep-alive, a server that closes, timeouts, and the CONNECT tunnel of a proxy."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

import pytest

pytest.importorskip("h11")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils import _transport as transport
from ansible_collections.prefect.cloud.plugins.module_utils._proxy import Proxy


def _read_request(conn):
    """One request off the socket: (request line and headers as text, body), or None at EOF."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    text = head.decode("latin-1")
    length = [int(line.split(":", 1)[1]) for line in text.split("\r\n") if line.lower().startswith("content-length:")]
    while len(body) < (length[0] if length else 0):
        body += conn.recv(65536)
    return text, body


class Server:
    """A TCP server whose ``handle(conn, number)`` scripts each connection; it records the requests."""

    def __init__(self, handle):
        self.handle = handle
        self.requests = []
        self.connections = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._one, args=(conn, self.connections), daemon=True).start()

    def _one(self, conn, number):
        with conn:
            self.handle(self, conn, number)

    def next_request(self, conn):
        request = _read_request(conn)
        if request is not None:
            self.requests.append(request)
        return request

    def close(self):
        self.sock.close()


def _answer(status=200, body=b'{"ok":true}', extra=""):
    return (f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
            ).encode() + body


def keep_alive(server, conn, _number):
    while server.next_request(conn) is not None:
        conn.sendall(_answer())


@pytest.fixture(name="serve")
def serve_fixture():
    servers = []

    def start(handle):
        servers.append(Server(handle))
        return servers[-1]
    yield start
    for server in servers:
        server.close()


def connect(port, timeout=5.0, **kwargs):
    return transport.Connection(urlsplit(f"http://127.0.0.1:{port}/api/"), timeout, **kwargs)


def test_requests_share_one_connection_with_host_and_content_length(serve):
    server = serve(keep_alive)
    conn = connect(server.port)
    first = conn.request("GET", f"http://127.0.0.1:{server.port}/api/me/", [(b"Accept", b"application/json")])
    second = conn.request("POST", f"http://127.0.0.1:{server.port}/api/x/filter?a=1", [], b'{"n":1}')
    conn.close()
    assert (first.status_code, first.content, first.headers["content-type"]) == (200, b'{"ok":true}', "application/json")
    assert second.status_code == 200 and server.connections == 1
    (get_head, get_body), (post_head, post_body) = server.requests
    assert get_head.startswith("GET /api/me/ HTTP/1.1\r\n") and f"Host: 127.0.0.1:{server.port}" in get_head
    assert "content-length" not in get_head.lower() and get_body == b""
    assert post_head.startswith("POST /api/x/filter?a=1 HTTP/1.1\r\n") and "Content-Length: 7" in post_head
    assert post_body == b'{"n":1}'


def test_a_chunked_answer_is_read_whole(serve):
    def chunked(server, conn, _number):
        server.next_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n[1, \r\n2\r\n2]\r\n0\r\n\r\n")
    server = serve(chunked)
    assert connect(server.port).request("GET", f"http://127.0.0.1:{server.port}/api/").content == b"[1, 2]"


def test_a_connection_the_server_closed_is_opened_again(serve):
    closed = threading.Semaphore(0)

    def once(server, conn, _number):  # answers one request per connection, then closes it (no "close" header)
        server.next_request(conn)
        conn.sendall(_answer())
        conn.close()
        closed.release()
    server = serve(once)
    conn = connect(server.port)
    for dummy in range(3):
        assert conn.request("GET", f"http://127.0.0.1:{server.port}/api/").status_code == 200
        assert closed.acquire(timeout=5)  # the server has closed this connection before the next request
    assert server.connections == 3


def test_connection_close_answer_is_not_reused(serve):
    def closing(server, conn, _number):
        server.next_request(conn)
        conn.sendall(_answer(extra="Connection: close\r\n"))
        conn.recv(1)  # the client must close first
    server = serve(closing)
    conn = connect(server.port)
    conn.request("GET", f"http://127.0.0.1:{server.port}/api/")
    conn.request("GET", f"http://127.0.0.1:{server.port}/api/")
    assert server.connections == 2


def test_server_that_hangs_up_without_answer_is_a_protocol_error_that_may_have_been_sent(serve):
    server = serve(lambda server, conn, number: server.next_request(conn))
    with pytest.raises(transport.RemoteProtocolError) as err:
        connect(server.port).request("POST", f"http://127.0.0.1:{server.port}/api/bots/", [], b"{}")
    assert err.value.sent and not err.value.timed_out
    assert str(err.value) == "Server disconnected without sending a response."


def test_silent_server_is_a_read_timeout(serve):
    release = threading.Event()
    server = serve(lambda server, conn, number: (server.next_request(conn), release.wait(5)))
    with pytest.raises(transport.ReadTimeout) as err:
        connect(server.port, timeout=0.2).request("GET", f"http://127.0.0.1:{server.port}/api/")
    release.set()
    assert err.value.sent and err.value.timed_out


def test_garbage_answer_is_a_protocol_error(serve):
    def garbage(server, conn, _number):
        server.next_request(conn)
        conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
    server = serve(garbage)
    with pytest.raises(transport.RemoteProtocolError):
        connect(server.port).request("GET", f"http://127.0.0.1:{server.port}/api/")


def test_refused_connection_was_not_sent(closed_port):
    with pytest.raises(transport.ConnectError) as err:
        connect(closed_port).request("GET", f"http://127.0.0.1:{closed_port}/api/")
    assert not err.value.sent and not err.value.timed_out


class _PlainContext:
    """Stands in for an ssl.SSLContext: records the server name and leaves the socket as it is, so
    the tunnel is seen on the wire."""

    def __init__(self):
        self.names = []

    def wrap_socket(self, sock, server_hostname):
        self.names.append(server_hostname)
        return sock


def test_https_goes_through_a_connect_tunnel_with_the_proxy_credentials(serve):
    def tunnel(server, conn, _number):
        server.next_request(conn)  # CONNECT
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        keep_alive(server, conn, _number)
    proxy = serve(tunnel)
    context = _PlainContext()
    conn = transport.Connection(urlsplit("https://api.example.test/api/"), 5.0, context,
                                Proxy(f"http://127.0.0.1:{proxy.port}", ("alice", "pw"), ["pw"]))
    assert conn.request("GET", "https://api.example.test/api/me/").status_code == 200
    assert conn.request("GET", "https://api.example.test/api/me/").status_code == 200
    (connect_head, _body), (get_head, _body2), _third = proxy.requests
    assert connect_head.startswith("CONNECT api.example.test:443 HTTP/1.1\r\n")
    assert "Proxy-Authorization: Basic YWxpY2U6cHc=" in connect_head  # alice:pw
    assert get_head.startswith("GET /api/me/ HTTP/1.1\r\n") and "\r\nHost: api.example.test\r\n" in get_head + "\r\n"
    assert "proxy-authorization" not in get_head.lower()  # only the proxy sees its credentials
    assert context.names == ["api.example.test"] and proxy.connections == 1


def test_refused_tunnel_is_a_proxy_error_that_was_not_sent(serve):
    def refuse(server, conn, _number):
        server.next_request(conn)
        conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
    proxy = serve(refuse)
    conn = transport.Connection(urlsplit("https://api.example.test/api/"), 5.0, _PlainContext(),
                                Proxy(f"http://127.0.0.1:{proxy.port}", None, []))
    with pytest.raises(transport.ProxyError) as err:
        conn.request("GET", "https://api.example.test/api/me/")
    assert str(err.value) == "407 Proxy Authentication Required" and not err.value.sent
