# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""TLS and proxy settings from the environment, as httpx reads them (PRIVATE to this collection).

* TLS: the ``certifi`` CA bundle, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when set.
* Proxies: ``HTTPS_PROXY`` for an https API URL, ``HTTP_PROXY`` for an http one, else
  ``ALL_PROXY`` (the lower-case names win over the upper-case ones); ``NO_PROXY`` lists hosts
  that are reached directly: ``*`` for all, a host name (its subdomains too, with or without a
  leading dot) or an IP address. A proxy URL without a scheme is an ``http://`` proxy; an
  ``https://`` proxy (TLS to the proxy) serves an http:// API URL only.
"""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

from ._errors import PrefectError


class Proxy:
    """An HTTP proxy: its URL without credentials, the credentials, and the texts to redact."""

    def __init__(self, url, auth, secrets):
        self.url = url
        self.auth = auth
        self.secrets = secrets


def ssl_context(validate_certs):
    """The TLS context of an https API URL."""
    import ssl  # pylint: disable=import-outside-toplevel  # only for https

    if not validate_certs:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi  # pylint: disable=import-outside-toplevel  # installed with httpx

    return ssl.create_default_context(cafile=certifi.where())


def _env(name):
    for key in (name.lower(), name.upper()):
        value = os.environ.get(key, "").strip()
        if value:
            return value
    return None


def bypassed(host, no_proxy):
    """True when ``host`` matches an entry of a ``NO_PROXY`` value."""
    host = host.lower().strip("[]")
    for entry in (item.strip().lower() for item in (no_proxy or "").split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        if "://" in entry:
            entry = urlsplit(entry).hostname or ""
        elif entry.startswith("[") and "]" in entry:
            entry = entry[1:entry.index("]")]
        elif entry.count(":") == 1:
            entry = entry.split(":", 1)[0]  # host:port
        domain = entry.lstrip("*").lstrip(".")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def environment_proxy(scheme, host):
    """The proxy for requests to ``scheme://host`` from the environment, or None."""
    if bypassed(host, _env("no_proxy")):
        return None
    name = f"{scheme}_proxy"
    own = _env(name)
    value = own or _env("all_proxy")
    if not value:
        return None
    variable = name.upper() if own else "ALL_PROXY"
    url = urlsplit(value if "://" in value else f"http://{value}")
    if url.scheme not in ("http", "https") or not url.hostname:
        shown = f"{url.scheme}://{url.hostname or ''}"
        raise PrefectError(f"{variable} must be an http:// or https:// proxy URL such as http://proxy.example.com:3128, "
                           f"got {shown}...")
    if url.scheme == "https" and scheme == "https":
        # TLS inside TLS (to the proxy, and through it to the API) is not implemented (_transport.py).
        raise PrefectError(f"{variable} is an https:// proxy URL, which an https:// API URL cannot go through; "
                           "give the proxy as http://")
    auth, secrets = None, []
    if url.username is not None:
        user, password = unquote(url.username), unquote(url.password or "")
        auth, secrets = (user, password), [value, url.netloc, password]
    netloc = url.hostname if url.port is None else f"{url.hostname}:{url.port}"
    if ":" in url.hostname:
        netloc = f"[{url.hostname}]" + ("" if url.port is None else f":{url.port}")
    return Proxy(f"{url.scheme}://{netloc}", auth, [s for s in secrets if s])
