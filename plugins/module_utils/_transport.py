# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP/1.1 requests over one keep-alive connection (PRIVATE to this collection).

h11, the HTTP/1.1 protocol layer under httpx (installed with it), writes and parses the messages;
this module does the I/O around it, as httpcore does for httpx: a TCP connection (with TLS for
https://), an HTTP proxy (forwarding for an http:// API URL, a CONNECT tunnel for an https://
one), a timeout on every connect, write and read, and reuse of the connection while the server
keeps it open. A module run on httpcore itself costs 6 to 8 ms more CPU than on this module, for
parts a run does not use (its async half, anyio, and TLS even for http://; see docs/performance.md).

Failures raise the ``TransportError`` subclasses below, named as httpcore names them;
``sent`` says whether the request may have reached the server.
"""

from __future__ import annotations

import base64
import select
import socket
from urllib.parse import urlsplit

from ._deps import h11

READ_SIZE = 65536


class TransportError(Exception):
    """The request failed below HTTP."""

    sent = True  # the server may have received (and processed) the request
    timed_out = False


class ConnectError(TransportError):
    sent = False


class ConnectTimeout(ConnectError):
    timed_out = True


class ProxyError(ConnectError):
    """The proxy refused the tunnel to the API."""


class WriteError(TransportError):
    pass


class WriteTimeout(WriteError):
    timed_out = True


class ReadError(TransportError):
    pass


class ReadTimeout(ReadError):
    timed_out = True


class RemoteProtocolError(TransportError):
    """The server broke HTTP/1.1 (or closed the connection without an answer)."""


class Response:
    """The parts of an HTTP response the client reads (header names in lower case)."""

    def __init__(self, status_code, headers=(), content=b""):
        self.status_code = status_code
        self.headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in headers}
        self.content = content


def _default_port(scheme):
    return 443 if scheme == "https" else 80


class Connection:
    """Requests to one origin over one connection, opened again when the server has closed it.

    ``origin``: the ``urlsplit`` API URL; ``ssl_context``: for an https:// origin or proxy;
    ``proxy``: a ``_proxy.Proxy`` or None.
    """

    def __init__(self, origin, timeout, ssl_context=None, proxy=None):
        self._https = origin.scheme == "https"
        self._host = origin.hostname or ""
        default_port = _default_port(origin.scheme)
        self._port = origin.port or default_port
        host = f"[{self._host}]" if ":" in self._host else self._host  # an IPv6 address
        self._authority = f"{host}:{self._port}"  # for CONNECT
        self._host_header = host if self._port == default_port else self._authority
        self._timeout = timeout
        self._ssl_context = ssl_context
        self._proxy = urlsplit(proxy.url) if proxy else None
        self._forward = proxy is not None and not self._https  # http://: the proxy gets the absolute URL
        self._proxy_headers = []
        if proxy and proxy.auth:
            token = base64.b64encode(":".join(proxy.auth).encode("utf-8"))
            self._proxy_headers = [(b"Proxy-Authorization", b"Basic " + token)]
        self._sock = None
        self._h11 = None

    def request(self, method, url, headers=(), content=None):
        """Send one request (``headers``: (bytes, bytes) pairs) and return the whole ``Response``."""
        if self._sock is not None and self._server_closed():
            self.close()
        if self._sock is None:
            self._sock = self._open()
            self._h11 = h11.Connection(h11.CLIENT)
        parts = urlsplit(url)
        target = url if self._forward else (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [(b"Host", self._host_header.encode("ascii"))] + list(headers)
        if self._forward:
            headers += self._proxy_headers
        if content is not None:
            headers.append((b"Content-Length", str(len(content)).encode("ascii")))
        events = [h11.Request(method=method, target=target, headers=headers)]
        events += [h11.Data(data=content)] if content else []
        try:
            self._send(self._h11, events + [h11.EndOfMessage()])
            response, body = self._receive(self._h11)
        except BaseException:
            self.close()
            raise
        if self._h11.our_state is h11.DONE and self._h11.their_state is h11.DONE:
            self._h11.start_next_cycle()
        else:
            self.close()
        return Response(response.status_code, response.headers, body)

    def close(self):
        """Close the connection (the next request opens a new one)."""
        if self._sock is not None:
            self._sock.close()
        self._sock = self._h11 = None

    def _server_closed(self):
        """True when the idle connection has something to read: the server closed it."""
        poller = select.poll()
        poller.register(self._sock, select.POLLIN)
        return bool(poller.poll(0))

    def _open(self):
        """A connected socket to the origin (through the proxy's tunnel for https://), TLS done."""
        proxy = self._proxy
        host, port = (proxy.hostname, proxy.port or _default_port(proxy.scheme)) if proxy else (self._host, self._port)
        try:
            sock = socket.create_connection((host, port), self._timeout)
        except socket.timeout:
            raise ConnectTimeout("timed out") from None
        except OSError as exc:
            raise ConnectError(str(exc)) from None
        try:
            if proxy and proxy.scheme == "https":
                sock = self._tls(sock, proxy.hostname)
            if proxy and self._https:
                self._tunnel(sock)
            if self._https:
                sock = self._tls(sock, self._host)
        except BaseException:
            sock.close()
            raise
        return sock

    def _tls(self, sock, server_hostname):
        try:
            return self._ssl_context.wrap_socket(sock, server_hostname=server_hostname)
        except socket.timeout:
            raise ConnectTimeout("timed out") from None
        except OSError as exc:  # ssl.SSLError, a certificate that does not verify, a reset
            raise ConnectError(str(exc)) from None

    def _tunnel(self, sock):
        """Ask the proxy for a tunnel to the origin (CONNECT); nothing reached the API before it."""
        conn = h11.Connection(h11.CLIENT)
        headers = [(b"Host", self._authority.encode("ascii"))] + self._proxy_headers
        events = [h11.Request(method="CONNECT", target=self._authority, headers=headers), h11.EndOfMessage()]
        try:
            self._send(conn, events, sock)
            response = self._next(conn, sock, h11.Response)
        except TransportError as exc:
            raise (ConnectTimeout if exc.timed_out else ProxyError)(str(exc)) from None
        if not 200 <= response.status_code < 300:
            raise ProxyError(f"{response.status_code} {response.reason.decode('latin-1')}")

    def _send(self, conn, events, sock=None):
        data = b"".join(conn.send(event) for event in events)  # one write: no wait for the server's ACK
        try:
            (sock or self._sock).sendall(data)
        except socket.timeout:
            raise WriteTimeout("timed out") from None
        except OSError as exc:
            raise WriteError(str(exc)) from None

    def _receive(self, conn):
        response = self._next(conn, self._sock, h11.Response)
        chunks = []
        while True:
            event = self._next(conn, self._sock, (h11.Data, h11.EndOfMessage))
            if isinstance(event, h11.EndOfMessage):
                return response, b"".join(chunks)
            chunks.append(bytes(event.data))

    @staticmethod
    def _next(conn, sock, wanted):
        """The next event of type ``wanted`` (informational 1xx responses are skipped)."""
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as exc:
                raise RemoteProtocolError(str(exc)) from None
            if isinstance(event, wanted):
                return event
            if event is not h11.NEED_DATA:
                if isinstance(event, h11.InformationalResponse):
                    continue
                raise RemoteProtocolError(f"unexpected {type(event).__name__} from the server")
            try:
                data = sock.recv(READ_SIZE)
            except socket.timeout:
                raise ReadTimeout("timed out") from None
            except OSError as exc:
                raise ReadError(str(exc)) from None
            if not data and conn.their_state is h11.SEND_RESPONSE:
                raise RemoteProtocolError("Server disconnected without sending a response.")
            conn.receive_data(data)
