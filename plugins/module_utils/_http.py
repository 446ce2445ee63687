# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one HTTP client every module uses (PRIVATE to this collection).

An ``httpx.Client`` with the base URL, bearer authentication, a User-Agent, timeouts, ``verify``
from ``validate_certs``, the CA bundle and proxies of the environment (as httpx reads them), one
keep-alive connection and no redirects followed. On top of it: the retry policy (``_retry``), the
task deadline, check mode's refusal to write, and the mapping of answers to exceptions whose text
never holds a secret. Paths are relative to the API base, exactly as in the OpenAPI document minus
its ``/api`` prefix (trailing slashes matter).
"""

from __future__ import annotations

import json
import ssl
import time
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


def _failure(exc):
    """(reason, sent, fatal, hint) for an httpx transport error.

    ``sent``: the request may have reached the server. ``fatal``: sending again cannot help.
    """
    cause = exc
    while cause is not None and not isinstance(cause, ssl.SSLCertVerificationError):
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        reason = f"TLS certificate verification failed: {getattr(cause, 'verify_message', None) or cause}"
        return reason, False, True, "check validate_certs, SSL_CERT_FILE or SSL_CERT_DIR; a certificate failure is not retried"
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.ProxyError):
        return reason, False, True, "the proxy refused the connection; check HTTPS_PROXY, HTTP_PROXY and NO_PROXY"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return reason, False, True, _CANNOT_REACH
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return reason, False, False, _CANNOT_REACH
    return reason, True, False, None


class _Answer:
    """An HTTP answer read in full: status, headers (case-insensitive ``get``), body bytes."""

    def __init__(self, status_code, headers, content, reason_phrase=""):
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.reason_phrase = reason_phrase

    @property
    def text(self):
        return self.content.decode("utf-8", "replace")

    def json(self):
        """The body as JSON data; ValueError when it is not JSON."""
        return json.loads(self.content)


def _json_body(body):
    """Request models as JSON data (``_models._Body.to_json``); other JSON data as it is."""
    if isinstance(body, (list, tuple)):
        return [_json_body(item) for item in body]
    return body.to_json() if hasattr(body, "to_json") else body


class _TooLarge(Exception):
    """An answer longer than the bound: not read further."""

    def __init__(self, status, declared=None):
        super().__init__(status)
        self.status = status
        self.declared = declared


def _size(value):
    """A number of bytes for a message: 64 MiB, 300 MB."""
    if value % (1024 * 1024) == 0:
        return f"{value // (1024 * 1024)} MiB"
    if value >= 1_000_000:
        return f"{value / 1_000_000:.0f} MB"
    return f"{value} bytes"


def _declared_length(headers):
    try:
        value = int(headers.get("content-length") or "")
    except ValueError:
        return None
    return value if value >= 0 else None


class PrefectClient:
    """Synchronous Prefect Cloud API client with one keep-alive connection per module run."""

    def __init__(self, api_url, api_key, account_id, timeout=30.0, validate_certs=True, retry=None, deadline=None,
                 check_mode=False, sleep=time.sleep, transport=None, secrets=()):
        """``transport``: an ``httpx.BaseTransport`` such as ``httpx.MockTransport`` (tests).
        ``secrets``: more values never to show in a message (such as a proxy's password)."""
        self.account_id = account_id
        self.check_mode = check_mode
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.deadline = deadline or Deadline.for_timeout(timeout)
        self.requests = 0
        self.writes = 0
        self.applied = 0  # writes answered with a success status
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
        try:
            self._http = httpx.Client(
                base_url=api_url.rstrip("/") + "/",
                headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json", "User-Agent": USER_AGENT},
                timeout=timeout,
                verify=validate_certs,
                follow_redirects=False,
                trust_env=True,
                limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
                transport=transport,
            )
        except ImportError:  # httpx needs the optional socksio package for a socks5:// proxy
            raise PrefectError("a socks5:// proxy in ALL_PROXY, HTTPS_PROXY or HTTP_PROXY needs the socksio package "
                               "(pip install 'httpx[socks]'), which is not installed") from None
        except (httpx.InvalidURL, ValueError, OSError) as exc:  # a URL or environment httpx cannot use
            raise PrefectError(f"cannot set up the HTTP client for api_url: {self._redact(str(exc))}") from None

    def close(self):
        """Release the connection."""
        self._http.close()

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
            try:
                response = self._send(method, path, payload, min(self.timeout, left))
            except _TooLarge as exc:
                declared = f" (it declares {_size(exc.declared)})" if exc.declared is not None else ""
                raise PrefectResponseError(
                    method, shown, f"HTTP {exc.status} with an answer larger than {_size(MAX_RESPONSE_BYTES)}{declared}, "
                    f"the most the client reads; not read", maybe_applied=write) from None
            except httpx.DecodingError as exc:  # a body that does not match its Content-Encoding (a proxy's)
                raise PrefectResponseError(method, shown, self._redact(f"a body that cannot be decoded ({exc})"),
                                           maybe_applied=write) from None
            except httpx.TransportError as exc:
                reason, sent, fatal, hint = _failure(exc)
                if not fatal and (idempotent or not sent) and self._wait(sends):
                    continue
                maybe_applied = write and not idempotent and sent
                raise PrefectTransportError(method, shown, self._redact(" ".join(reason.split())), sends, maybe_applied,
                                            isinstance(exc, httpx.TimeoutException), hint) from None
            if self.retry.resend_status(response.status_code, idempotent) and \
                    self._wait(sends, response.headers.get("retry-after")):
                continue
            maybe_applied = write and not idempotent and self.retry.ambiguous_status(response.status_code)
            return self._decode(method, shown, response, sends, maybe_applied)

    def _send(self, method, path, payload, timeout):
        """Send one request; return the response with its body read, at most MAX_RESPONSE_BYTES of it."""
        request = self._http.build_request(method, path.lstrip("/"), json=payload, timeout=timeout)
        response = self._http.send(request, stream=True)
        try:
            declared = _declared_length(response.headers)
            if declared is not None and declared > MAX_RESPONSE_BYTES:
                raise _TooLarge(response.status_code, declared)
            chunks, size = [], 0
            for chunk in response.iter_bytes(_READ_SIZE):
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise _TooLarge(response.status_code)
                chunks.append(chunk)
        finally:
            response.close()
        return _Answer(response.status_code, response.headers, b"".join(chunks), response.reason_phrase)

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
                data = response.json() if status != 204 and response.content else None
            except ValueError:
                raise self.unexpected(f"HTTP {status} with a body that is not JSON") from None
            self.applied += self._last[2]
            return data
        if status in (401, 403):
            # The server's text is not shown: the status says what failed, and an echo of the
            # request could only carry the key.
            detail = "the API key was refused" if status == 401 else "the API key has no permission for this request"
        else:
            detail = self._detail(response)
        if status == 404:
            raise PrefectNotFound(method, shown, status, detail, attempts)
        if status == 409:
            raise PrefectConflict(method, shown, status, detail, attempts)
        raise PrefectAPIError(method, shown, status, detail, attempts, maybe_applied)

    def unexpected(self, problem):
        """The error for an answer to the last request that is not what the API documents; a
        write answered with a success status may have been applied."""
        method, shown, write = self._last
        return PrefectResponseError(method, shown, self._redact(problem), maybe_applied=write)

    def _detail(self, response):
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict) and "detail" in data:
            detail = data["detail"]
        elif 300 <= response.status_code < 400:
            detail = f"unexpected redirect to {response.headers.get('location', '?')}"
        else:
            detail = response.text or response.reason_phrase
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
