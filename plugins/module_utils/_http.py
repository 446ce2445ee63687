# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one HTTP client every module uses (PRIVATE to this collection).

Bearer authentication, a User-Agent, timeouts, ``verify`` from ``validate_certs``, the CA bundle of
the environment, one keep-alive connection and no redirects followed, on httpx 0.27 and later 0.x
(``httpx.Client``, which also reads the proxy variables) or on httpx 1.0 (its connection pool; it
has no proxy support, so a proxy variable that applies is refused). On top of it: the retry policy
(``_retry``), the task deadline, check mode's refusal to write, a bound on the size of an answer,
and the mapping of answers to exceptions whose text never holds a secret. Paths are relative to
the API base, exactly as in the OpenAPI document minus its ``/api`` prefix (trailing slashes matter).
"""

from __future__ import annotations

import contextlib
import json
import os
import ssl
import time
import urllib.request
from collections import namedtuple
from urllib.parse import urlsplit

from ._deps import httpx
from ._errors import (
    PrefectAPIError, PrefectCheckModeWrite, PrefectConflict, PrefectError, PrefectNotFound, PrefectResponseError,
    PrefectTransportError,
)
from ._retry import Deadline, RetryPolicy
from ._secrets import redact

COLLECTION_VERSION = "0.1.0"
USER_AGENT = f"ansible-prefect.cloud/{COLLECTION_VERSION}"
PAGE_SIZE = 200  # the API's maximum filter limit
DETAIL_LIMIT = 300  # characters of a server's error text that are shown
# The largest answer read (decoded size): the largest Prefect Cloud answer the modules ask for is a
# page of 200 objects, tens of kilobytes; 64 MiB is over 1,000 times that, and bounds what a wrong
# server or proxy can make a module hold in memory (docs/reliability.md).
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
_READ_SIZE = 64 * 1024
_CANNOT_REACH = "cannot reach the API; check api_url, the network and any proxy"
# The detail of a refusal: the server's text is not shown, since the status says what failed and an
# echo of the request could only carry the key.
_REFUSED = {401: "the API key was refused", 403: "the API key has no permission for this request"}
# httpx 1.0 is a rewrite whose public API shares almost nothing with 0.x (no MockTransport, no
# exception classes, no timeout, verify or proxy options): the client has one wire for each. Which
# one is told by a feature of the installed httpx, not by its version string, since pre-releases
# number themselves 1.0.devN and a later 1.x may bring parts of the old API back.
_LEGACY = httpx is not None and hasattr(httpx, "BaseTransport")


class _Failure(Exception):
    """A request that got no HTTP answer, as either httpx raised it.

    ``sent``: the request may have reached the server. ``fatal``: sending again cannot help.
    ``hint``: what to check; for a request not sent, by default that the API cannot be reached.
    """

    def __init__(self, reason, sent, fatal=False, hint=None, timed_out=False):
        super().__init__(reason)
        self.reason, self.sent, self.fatal, self.timed_out = reason, sent, fatal, timed_out
        self.hint = hint or (None if sent else _CANNOT_REACH)


class _Unreadable(Exception):
    """An answer that is not read: larger than the bound, or a body that does not match its
    Content-Encoding (a proxy's). The text says which."""


class ConnectionFailed(OSError):
    """httpx 1.0: the connection to the server could not be opened, so nothing was sent (the
    cause is the socket or TLS error). httpx 0.x says so with its own ConnectError."""


def _certificate_failure(exc):
    """The ssl.SSLCertVerificationError behind ``exc``, or None."""
    cause = exc
    while cause is not None and not isinstance(cause, ssl.SSLCertVerificationError):
        cause = cause.__cause__ or cause.__context__
    return cause


def _reason(exc, name=None):
    """``name: what exc says``; when it says nothing, ``name: its class's name``, or without a
    ``name`` (which defaults to that class's name) the name alone."""
    said = str(exc) or (type(exc).__name__ if name else "")
    name = name or type(exc).__name__
    return f"{name}: {said}" if said else name


def _failure(exc):
    """The _Failure for a transport error of either httpx."""
    cert = _certificate_failure(exc)
    if cert is not None:
        reason = f"TLS certificate verification failed: {getattr(cert, 'verify_message', None) or cert}"
        return _Failure(reason, False, fatal=True,
                        hint="check validate_certs, SSL_CERT_FILE or SSL_CERT_DIR; a certificate failure is not retried")
    if isinstance(exc, ConnectionFailed):
        cause = exc.__cause__ or exc
        timed_out = isinstance(cause, TimeoutError)
        return _Failure(_reason(cause, "ConnectTimeout" if timed_out else "ConnectError"), False, timed_out=timed_out)
    if _LEGACY:
        reason = _reason(exc)
        timed_out = isinstance(exc, httpx.TimeoutException)
        if isinstance(exc, httpx.ProxyError):
            return _Failure(reason, False, fatal=True, hint="the proxy refused the connection; check HTTPS_PROXY, HTTP_PROXY and NO_PROXY")
        if isinstance(exc, httpx.UnsupportedProtocol):
            return _Failure(reason, False, fatal=True)
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
            return _Failure(reason, False, timed_out=timed_out)
        return _Failure(reason, True, timed_out=timed_out)
    # httpx 1.0 raises the socket's own errors (and ProtocolError for a malformed answer): after
    # the connection was opened, the request may have been sent. They are named as httpx 0.x
    # names them, so that a message reads the same whichever httpx is installed.
    if isinstance(exc, TimeoutError):
        return _Failure(_reason(exc, "ReadTimeout"), True, timed_out=True)
    return _Failure(_reason(exc, "RemoteProtocolError" if isinstance(exc, httpx.ProtocolError) else "ReadError"), True)


def _size(value):
    """A number of bytes for a message: 64 MiB, 300 MB."""
    if value % (1024 * 1024) == 0:
        return f"{value // (1024 * 1024)} MiB"
    if value >= 1_000_000:
        return f"{value / 1_000_000:.0f} MB"
    return f"{value} bytes"


def _read_bounded(status, headers, chunks):
    """The body from the iterable ``chunks``, refused past MAX_RESPONSE_BYTES (bound read at call time)."""
    bound = MAX_RESPONSE_BYTES
    too_large = f"HTTP {status} with an answer larger than {_size(bound)}"
    try:
        declared = int(headers.get("content-length") or "")
    except ValueError:
        declared = -1
    if declared > bound:
        raise _Unreadable(f"{too_large} (it declares {_size(declared)}), the most the client reads; not read")
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > bound:
            raise _Unreadable(f"{too_large}, the most the client reads; not read")
        parts.append(chunk)
    return b"".join(parts)


# An HTTP answer read in full: status, headers (case-insensitive ``get``), body bytes, reason phrase.
_Answer = namedtuple("_Answer", "status_code headers content reason_phrase")


class _LegacyWire:
    """httpx 0.x: an ``httpx.Client`` with the base URL, ``verify``, the CA bundle and proxies of
    the environment (as httpx reads them), one keep-alive connection and no redirects followed;
    the timeout is given to every send."""

    def __init__(self, api_url, headers, verify, transport):
        try:
            self._http = httpx.Client(
                base_url=api_url, headers=headers, verify=verify, follow_redirects=False,
                trust_env=True, limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
                transport=transport)
        except ImportError:  # httpx needs the optional socksio package for a socks5:// proxy
            raise PrefectError("a socks5:// proxy in ALL_PROXY, HTTPS_PROXY or HTTP_PROXY needs the socksio package "
                               "(pip install 'httpx[socks]'), which is not installed") from None

    def send(self, method, path, content, headers, timeout):
        request = self._http.build_request(method, path, content=content, headers=headers, timeout=timeout)
        try:
            with contextlib.closing(self._http.send(request, stream=True)) as response:
                body = _read_bounded(response.status_code, response.headers, response.iter_bytes(_READ_SIZE))
        except httpx.DecodingError as exc:
            raise _Unreadable(f"a body that cannot be decoded ({exc})") from None
        except httpx.TransportError as exc:
            raise _failure(exc) from None
        return _Answer(response.status_code, response.headers, body, response.reason_phrase)

    def close(self):
        self._http.close()


def _proxy_for(url):
    """The proxy variable that applies to ``url`` (as httpx 0.x would read it), or None."""
    found, url = urllib.request.getproxies_environment(), urlsplit(url)
    if not found or urllib.request.proxy_bypass_environment(url.hostname or "", found):
        return None
    return next((f"{name.upper()}_PROXY" for name in (url.scheme, "all") if found.get(name)), None)


def _ssl_context(verify):
    """None for httpx 1.0's own default (the system's trust store), else the context to use."""
    if not verify:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    cafile, capath = os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None
    if cafile or capath:  # as httpx 0.x does with trust_env
        return ssl.create_default_context(cafile=cafile, capath=capath)
    return None


def _opened(connect, *args):
    """``connect(*args)``, its OSError raised as ConnectionFailed."""
    try:
        return connect(*args)
    except OSError as exc:
        raise ConnectionFailed(str(exc)) from exc


def _network_backend(context):
    """An httpx 1.0 network backend (with the SSL context, if not None) that tells a failure to
    connect (nothing was sent) from the failures after it, by raising ConnectionFailed."""

    class Backend(httpx.NetworkBackend):  # pylint: disable=no-member  # httpx 1.0

        def connect(self, host, port):
            return _opened(super().connect, host, port)

        def connect_tls(self, host, port, hostname=""):
            return _opened(super().connect_tls, host, port, hostname)

    return Backend() if context is None else Backend(ssl_ctx=context)


def _chunks(stream):
    """The chunks of an httpx 1.0 response stream: its read(size) returns less than size only at the
    end, and must not be called after that."""
    while True:
        chunk = stream.read(_READ_SIZE)
        if chunk:
            yield chunk
        if len(chunk) < _READ_SIZE:
            return


class _Wire:
    """httpx 1.0: a connection pool sent to directly (it follows no redirect; the Client would),
    the timeout as httpx.timeout(), ``verify`` as an SSL context. httpx 1.0 has no proxy support:
    a proxy variable that applies to api_url is refused rather than silently bypassed."""

    def __init__(self, api_url, headers, verify, transport):
        self._base = api_url
        self._headers = headers
        httpx.URL(api_url)  # raises ValueError (httpx's InvalidURL) for a URL httpx cannot use
        if transport is None:
            proxy = _proxy_for(api_url)
            if proxy is not None:
                raise PrefectError(f"api_url would be reached through the proxy in {proxy}, and httpx "
                                   f"{httpx.__version__} cannot use a proxy; add the API's host to NO_PROXY, unset "
                                   f"{proxy}, or install an httpx 0.x release (0.27 or later), which can")
            transport = httpx.ConnectionPool(backend=_network_backend(_ssl_context(verify)))  # pylint: disable=no-member
        self._transport = transport

    def send(self, method, path, content, headers, timeout):
        if content is None and method in ("POST", "PUT", "PATCH"):
            content = b""
        request = httpx.Request(method, self._base + path, headers=dict(self._headers, **(headers or {})),
                                content=content)
        try:
            with httpx.timeout(timeout):  # pylint: disable=no-member  # httpx 1.0
                response = self._transport.send(request)
                with response as stream:
                    body = _read_bounded(int(response.status_code), response.headers, _chunks(stream))
        except (OSError, httpx.ProtocolError) as exc:
            raise _failure(exc) from None
        status = response.status_code
        return _Answer(int(status), response.headers, body, getattr(status, "reason_phrase", ""))

    def close(self):
        self._transport.close()


def _json_body(body):
    """Request models as JSON data (``_models._Body.to_json``); other JSON data as it is."""
    if isinstance(body, (list, tuple)):
        return [_json_body(item) for item in body]
    return body.to_json() if hasattr(body, "to_json") else body


class PrefectClient:
    """Synchronous Prefect Cloud API client with one keep-alive connection per module run."""

    def __init__(self, api_url, api_key, account_id, timeout=30.0, validate_certs=True, retry=None, deadline=None,
                 check_mode=False, sleep=time.sleep, transport=None, secrets=()):
        """``transport``: with httpx 0.x an ``httpx.BaseTransport`` such as ``httpx.MockTransport``, with
        httpx 1.0 an ``httpx.Transport`` (tests; the fakes of tests/unit make either).
        ``secrets``: more values never to show in a message (such as a proxy's password)."""
        self.account_id = account_id
        self.check_mode = check_mode
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.deadline = deadline or Deadline.for_timeout(timeout)
        self.requests = 0
        self.writes = 0
        self.applied = 0  # writes answered with a success status
        #: The socket timeout given to the last request sent, in seconds.
        self.last_timeout = None
        self._last = None  # (method, path as shown, is a write) of the last request sent
        self._base_path = urlsplit(api_url).path.rstrip("/")  # as given, for messages
        self._secrets = [api_key] + list(secrets)
        self._sleep = sleep
        #: Warnings for the user about this connection (the module shows each with module.warn).
        self.warnings = []
        if not validate_certs and urlsplit(api_url).scheme.lower() == "https":
            self.warnings.append(
                "validate_certs is false: the API key is sent to the API without checking its TLS certificate, so "
                "whoever can intercept the connection can read the key; set validate_certs: true (with "
                "SSL_CERT_FILE or SSL_CERT_DIR naming the CA of a private endpoint)")
        headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json", "User-Agent": USER_AGENT}
        wire = _LegacyWire if _LEGACY else _Wire
        try:
            self._wire = wire(api_url.rstrip("/") + "/", headers, validate_certs, transport)
        except (ValueError, OSError, getattr(httpx, "InvalidURL", ValueError)) as exc:  # a URL or environment httpx cannot use
            raise PrefectError(f"cannot set up the HTTP client for api_url: {self._redact(str(exc))}") from None

    def close(self):
        """Release the connection."""
        self._wire.close()

    def add_secret(self, value):
        """Redact ``value`` from every error message this client produces from now on."""
        if value:
            self._secrets.append(value)

    def account_path(self, suffix):
        """Return the account-scoped path for ``suffix`` (e.g. ``bots/filter``)."""
        return f"accounts/{self.account_id}/{suffix}"

    def display_path(self, path):
        """The path as the user knows it from the API docs (with the base path, e.g. /api/...)."""
        return f"{self._base_path}/{path.lstrip('/')}"

    def request(self, method, path, body=None, idempotent=None):
        """Send one request as the retry policy allows, and return the decoded JSON (or None).

        A write is anything but GET and ``POST .../filter``. ``idempotent`` (safe to send again
        whatever happened) defaults to "not a POST that creates something". A failed write that
        is not idempotent raises with ``maybe_applied`` set when it may have been applied.
        """
        is_filter = method == "POST" and path.endswith("/filter")
        write = method != "GET" and not is_filter
        if idempotent is None:
            idempotent = method != "POST" or is_filter
        shown = self.display_path(path)
        self._last = (method, shown, write)
        if write and self.check_mode:
            raise PrefectCheckModeWrite(f"refusing to send {method} {shown} in check mode (this is a bug in prefect.cloud)")
        payload = _json_body(body)
        content = None if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = None if payload is None else {"Content-Type": "application/json"}
        sends = 0
        while True:
            left = self.deadline.left()
            if left <= 0:
                raise PrefectTransportError(
                    method, shown, f"the task deadline of {self.deadline.seconds:g} s was reached", sends, timed_out=True,
                    hint="raise the timeout option (the deadline is max(60, 4 x timeout) seconds) or re-run the task later")
            sends += 1
            self.requests += 1
            self.writes += write
            self.last_timeout = min(self.timeout, left)
            try:
                response = self._wire.send(method, path.lstrip("/"), content, headers, self.last_timeout)
            except _Unreadable as exc:
                raise PrefectResponseError(method, shown, self._redact(str(exc)), maybe_applied=write) from None
            except _Failure as exc:
                if not exc.fatal and (idempotent or not exc.sent) and self._wait(sends):
                    continue
                maybe_applied = write and not idempotent and exc.sent
                raise PrefectTransportError(method, shown, self._redact(" ".join(exc.reason.split())), sends,
                                            maybe_applied, exc.timed_out, exc.hint) from None
            if self.retry.resend_status(response.status_code, idempotent) and \
                    self._wait(sends, response.headers.get("retry-after")):
                continue
            maybe_applied = write and not idempotent and self.retry.ambiguous_status(response.status_code)
            return self._decode(method, shown, response, sends, maybe_applied)

    def _wait(self, sends, retry_after=None):
        """Sleep before sending again and return True, or return False when the policy allows no more."""
        wait = self.retry.delay(sends, retry_after)
        if not self.retry.may_resend(sends, wait, self.deadline):
            return False
        self._sleep(wait)
        return True

    def filter_all(self, path, body=None):
        """POST a ``.../filter`` request (a filter model, or None for all) page by page; return every item."""
        criteria, items, offset = _json_body(body) or {}, [], 0
        while True:
            page = self.request("POST", path, dict(criteria, limit=PAGE_SIZE, offset=offset))
            if not isinstance(page, list):
                raise self.unexpected(f"a JSON {type(page).__name__} where a list was expected")
            items.extend(page)
            if len(page) < PAGE_SIZE:
                return items
            offset += PAGE_SIZE

    def _decode(self, method, shown, response, attempts, maybe_applied):
        status = response.status_code
        if 200 <= status < 300:
            try:
                data = json.loads(response.content) if status != 204 and response.content else None
            except ValueError:
                raise self.unexpected(f"HTTP {status} with a body that is not JSON") from None
            self.applied += self._last[2]
            return data
        detail = _REFUSED[status] if status in _REFUSED else self._detail(response)
        error = {404: PrefectNotFound, 409: PrefectConflict}.get(status, PrefectAPIError)
        raise error(method, shown, status, detail, attempts, maybe_applied)

    def unexpected(self, problem):
        """The error for an answer to the last request that is not what the API documents; a
        write answered with a success status may have been applied."""
        method, shown, write = self._last
        return PrefectResponseError(method, shown, self._redact(problem), maybe_applied=write)

    def _detail(self, response):
        try:
            data = json.loads(response.content)
        except ValueError:
            data = None
        if isinstance(data, dict) and "detail" in data:
            detail = data["detail"]
        elif 300 <= response.status_code < 400:
            detail = f"unexpected redirect to {response.headers.get('location', '?')}"
        else:
            detail = response.content.decode("utf-8", "replace") or response.reason_phrase
        if isinstance(detail, list):
            return [self._redact_item(item) for item in detail]
        return self._redact(" ".join(str(detail).split()), DETAIL_LIMIT)

    def _redact_item(self, item):
        if isinstance(item, dict):
            # 'input' may echo a request value back: drop it rather than risk a secret.
            return {k: (self._redact(v, DETAIL_LIMIT) if isinstance(v, str) else v) for k, v in item.items() if k != "input"}
        return self._redact(str(item), DETAIL_LIMIT)

    def _redact(self, text, limit=None):
        return redact(text, self._secrets, limit)
