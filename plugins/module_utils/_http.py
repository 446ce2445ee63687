# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one HTTP client every module uses (PRIVATE to this collection).

It owns the base URL, bearer authentication, timeouts, TLS verification, proxies, retries and the
mapping of error responses to exceptions. Paths are given relative to the API base, exactly as in
the OpenAPI document minus its ``/api`` prefix (trailing slashes matter).

Requests go over one keep-alive HTTP/1.1 connection (``_transport.py``: h11, httpx's protocol
layer): importing httpcore (httpx's engine) or all of httpx costs a module run 6 to 40 ms of CPU
more, for client features these requests do not use (see ``docs/performance.md``). What httpx
does for its users here is done the same way: JSON bodies, no redirects followed, the CA bundle
of ``certifi`` unless ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` is set, and the proxies of the
environment (``_proxy.py``).
"""

from __future__ import annotations

import json
import time
from urllib.parse import quote, urlsplit, urlunsplit

from ._errors import (
    PrefectAPIError, PrefectCheckModeWrite, PrefectConflict, PrefectError, PrefectNotFound, PrefectResponseError,
    PrefectTransportError,
)
from ._proxy import environment_proxy, ssl_context
from ._retry import RetryPolicy
from ._transport import Connection, TransportError

USER_AGENT = "ansible-prefect.cloud/0.1.0"
PAGE_SIZE = 200  # the API's maximum filter limit
_NO_BODY = object()


def ascii_url(url):
    """``url`` as it goes on the wire: the host IDNA-encoded, other non-ASCII text percent-encoded."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise PrefectError(f"api_url has a host name that is not a valid domain name: {parts.hostname!r}") from None
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe="/%:@!$&'()*+,;="), parts.query, ""))


def _reason_phrase(status):
    from http import HTTPStatus  # pylint: disable=import-outside-toplevel  # only for an error without a body

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class PrefectClient:
    """Synchronous Prefect Cloud API client with one pooled connection per module run."""

    def __init__(self, api_url, api_key, account_id, timeout=30.0, validate_certs=True, retry=None,
                 check_mode=False, sleep=time.sleep, transport=None):
        """``transport``: an object with ``request(method, url, headers, content)`` returning a
        ``_transport.Response``, and ``close()`` (tests); by default a ``_transport.Connection``."""
        self._base = ascii_url(api_url.rstrip("/") + "/")
        self.account_id = account_id
        self.check_mode = check_mode
        self.retry = retry or RetryPolicy()
        self.requests = 0
        self.writes = 0
        self._last = None  # (method, path as shown, is a write) of the last request sent
        url = urlsplit(self._base)
        self._base_path = urlsplit(api_url).path.rstrip("/")  # as given, for messages
        self._secrets = [api_key]
        self._sleep = sleep
        self._headers = [
            (b"Authorization", f"Bearer {api_key}".encode("latin-1")),
            (b"Accept", b"application/json"),
            (b"User-Agent", USER_AGENT.encode("ascii")),
        ]
        if transport is None:
            transport = self._connection(url, validate_certs, timeout)
        self._http = transport

    def _connection(self, url, validate_certs, timeout):
        """One keep-alive connection (requests are sequential), through the environment's proxy if any.

        Loading the CA bundle costs more than a no-op run's requests; a plain http:// API (the
        local emulator) through no proxy or an http:// one never does TLS (no redirects are
        followed), so it is not loaded there.
        """
        proxy = environment_proxy(url.scheme, url.hostname or "")
        if proxy is not None:
            self._secrets.extend(proxy.secrets)
        tls = url.scheme == "https" or (proxy is not None and proxy.url.startswith("https:"))
        return Connection(url, timeout, ssl_context(validate_certs) if tls else None, proxy)

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

    def request(self, method, path, body=_NO_BODY, write=None, idempotent=None):
        """Send one request, retrying as the policy allows, and return the decoded JSON (or None).

        ``write`` defaults to "anything but GET and ``POST .../filter``"; ``idempotent``
        defaults to "not a POST that creates something".
        """
        is_filter = method == "POST" and path.endswith("/filter")
        if write is None:
            write = method != "GET" and not is_filter
        if idempotent is None:
            idempotent = method != "POST" or is_filter
        shown = self.display_path(path)
        self._last = (method, shown, write)
        if write and self.check_mode:
            raise PrefectCheckModeWrite(f"refusing to send {method} {shown} in check mode (this is a bug in prefect.cloud)")
        headers, content = self._headers, None  # no body: no Content-Length on GET/DELETE, as httpx
        if body is not _NO_BODY:
            headers = headers + [(b"Content-Type", b"application/json")]
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
        url = self._base + path.lstrip("/")
        attempt, waited = 0, 0.0
        while True:
            attempt += 1
            self.requests += 1
            if write:
                self.writes += 1
            try:
                response = self._http.request(method, url, headers, content)
            except TransportError as exc:
                sent = exc.sent
                wait = self.retry.delay(attempt)
                if (idempotent or not sent) and self.retry.allows(attempt, waited, wait):
                    waited += wait
                    self._sleep(wait)
                    continue
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                raise PrefectTransportError(method, shown, self._redact(" ".join(reason.split())), attempt,
                                            maybe_applied=sent and write,
                                            timed_out=exc.timed_out) from None
            if self.retry.retryable_status(response.status_code, idempotent):
                wait = self.retry.delay(attempt, response.headers.get("retry-after"))
                if self.retry.allows(attempt, waited, wait):
                    waited += wait
                    self._sleep(wait)
                    continue
            maybe_applied = write and not idempotent and self.retry.ambiguous_status(response.status_code)
            return self._decode(method, shown, response, attempt, maybe_applied)

    def backoff(self, attempt, waited):
        """Before sending again a write that failed ``attempt`` times (having waited ``waited``
        seconds so far) and was found not applied: sleep as the retry policy says and return the
        new total wait, or return None when the policy allows no more attempts."""
        wait = self.retry.delay(attempt)
        if not self.retry.allows(attempt, waited, wait):
            return None
        self._sleep(wait)
        return waited + wait

    def filter_all(self, path, body=None):
        """POST a ``.../filter`` request page by page and return every item."""
        items, offset = [], 0
        while True:
            page = self.request("POST", path, dict(body or {}, limit=PAGE_SIZE, offset=offset))
            if not isinstance(page, list):
                raise self.unexpected(f"a JSON {type(page).__name__} where a list was expected")
            items.extend(page)
            if len(page) < PAGE_SIZE:
                return items
            offset += PAGE_SIZE

    def _decode(self, method, shown, response, attempts=1, maybe_applied=False):
        status = response.status_code
        if 200 <= status < 300:
            if status == 204 or not response.content:
                return None
            try:
                return json.loads(response.content)
            except ValueError:
                raise self.unexpected(f"HTTP {status} with a body that is not JSON") from None
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
            data = json.loads(response.content)
        except ValueError:
            data = None
        if isinstance(data, dict) and "detail" in data:
            detail = data["detail"]
        elif 300 <= response.status_code < 400:
            detail = f"unexpected redirect to {response.headers.get('location', '?')}"
        else:
            detail = response.content.decode("utf-8", "replace")[:300] or _reason_phrase(response.status_code)
        if isinstance(detail, list):
            return [self._redact_item(item) for item in detail]
        return self._redact(str(detail))

    def _redact_item(self, item):
        if isinstance(item, dict):
            # 'input' may echo a request value back: drop it rather than risk a secret.
            return {k: (self._redact(v) if isinstance(v, str) else v) for k, v in item.items() if k != "input"}
        return self._redact(str(item))

    def _redact(self, text):
        for secret in self._secrets:
            if secret:
                text = text.replace(secret, "********")
        return text
