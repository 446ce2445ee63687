# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Connection and authentication options shared by every module."""

    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Base URL of the Prefect Cloud API, ending in C(/api).
      - If not set, the value of the E(PREFECT_CLOUD_API_URL) environment variable is used, and
        then the default. An empty variable counts as not set (AWX injects one for a credential
        without an API URL).
      - It must be C(http://) or C(https://), a host, an optional port and a path, with no query,
        fragment, user name or password.
      - Point it at the local emulator (C(http://127.0.0.1:4280/api)) to try the collection without
        a Prefect Cloud account.
    type: str
    default: https://api.prefect.cloud/api
  api_key:
    description:
      - Prefect Cloud API key used to call the API. A user key (C(pnu_...)) or a service account
        key (C(pnb_...)) whose account role may manage service accounts and workspace access.
      - Required. If not set, the value of the E(PREFECT_API_KEY) environment variable is used; when
        neither is set, the task fails with a message that names both.
      - The key is never shown in output, diffs or error messages.
    type: str
  account_id:
    description:
      - UUID of the Prefect Cloud account.
      - Required. If not set, the value of the E(PREFECT_CLOUD_ACCOUNT_ID) environment variable is
        used; when neither is set, the task fails with a message that names both.
    type: str
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate. Only set to V(false) for a private test endpoint,
        since the API key is then sent to whoever answers; the module warns about it for an C(https://) O(api_url).
      - The certificate is checked against the C(certifi) CA bundle (installed with httpx 0.x; with
        httpx 1.0, the system's trust store), or the CA file or directory in the E(SSL_CERT_FILE) or
        E(SSL_CERT_DIR) environment variable when one is set.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each step of an HTTP request (connect, send, read), greater than V(0)
        and at most V(3600).
      - The whole task, all its requests and waits together, has max(60, 4 x O(timeout)) seconds;
        each step's timeout is at most the time left, and a request after that deadline fails.
    type: float
    default: 30
  retries:
    description:
      - How many times one request may be sent again, from V(0) to V(10), so at most O(retries) + 1
        sends in all, with exponential backoff (0.5 s doubling, at most 30 s) or the server's
        C(Retry-After) header (at most 30 s). V(0) disables retries.
      - Requests that are safe to repeat (reads, updates, deletes, grants) are sent again after
        HTTP 429, 500, 502, 503 or 504, a timeout or a broken connection.
      - A create or a key rotation is sent again only after HTTP 429 or 503 or a connection that
        failed before anything was sent. After any other failure it is read back once and never
        sent again (see the module's notes).
      - A failed TLS certificate check is never retried. No wait is made past the task deadline
        (see O(timeout)).
    type: int
    default: 5
requirements:
  - httpx >= 0.27 (0.x releases, or 1.0)
  - pydantic >= 2.7
notes:
  - All options of this fragment can be set once for a play with
    C(module_defaults) and the C(group/prefect.cloud.cloud) action group.
  - "Modules call the API from the machine they run on. In a play that targets agent hosts, run them
    with C(delegate_to: localhost) so the controller (or the AWX execution environment) makes the calls."
  - Requests go through the HTTP proxy in E(HTTPS_PROXY) (E(HTTP_PROXY) for an C(http://) API URL) or
    E(ALL_PROXY), with its credentials if the proxy URL has them, unless E(NO_PROXY) lists the API's
    host (V(*) for all hosts; a domain covers its subdomains). Lower-case names of these variables
    take precedence (this is httpx's reading of the environment). Proxy credentials never appear in
    messages. A proxy variable httpx cannot use is an error naming it, before any request.
  - httpx 1.0 has no proxy support; with it, a proxy variable that applies to the API's host is an
    error naming the variable (list the host in E(NO_PROXY), or install an httpx 0.x release).
"""
