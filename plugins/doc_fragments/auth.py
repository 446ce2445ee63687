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
        then the default.
      - Point it at the local emulator (C(http://127.0.0.1:4280/api)) to try the collection without
        a Prefect Cloud account.
    type: str
    default: https://api.prefect.cloud/api
  api_key:
    description:
      - Prefect Cloud API key used to call the API. A user key (C(pnu_...)) or a service account
        key (C(pnb_...)) whose account role may manage service accounts and workspace access.
      - If not set, the value of the E(PREFECT_API_KEY) environment variable is used.
      - The key is never shown in output, diffs or error messages.
    type: str
    required: true
  account_id:
    description:
      - UUID of the Prefect Cloud account.
      - If not set, the value of the E(PREFECT_CLOUD_ACCOUNT_ID) environment variable is used.
    type: str
    required: true
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate. Only set to V(false) for a private test endpoint.
      - The certificate is checked against the C(certifi) CA bundle (installed with httpx), or the
        CA file or directory in the E(SSL_CERT_FILE) or E(SSL_CERT_DIR) environment variable when
        one is set.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each HTTP request (connect and read), greater than V(0) and at most
        V(3600).
    type: float
    default: 30
  retries:
    description:
      - How many times a request is retried, from V(0) to V(10), after HTTP 429 or 503, after
        HTTP 500, 502 or 504 or a connection or timeout error for requests that are safe to repeat,
        and after a connection error for any request, with exponential backoff that honours the
        server's C(Retry-After) header.
      - A create that may have been applied (HTTP 500, 502, 504, a lost response or a timeout)
        is sent again only after reading that it was not.
      - Retries stop when the total wait would exceed the larger of 60 seconds and four times
        O(timeout), so a task never waits forever. V(0) disables retries.
    type: int
    default: 5
requirements:
  - httpx >= 0.27, < 1
  - pydantic >= 2.7, < 3
notes:
  - All options of this fragment can be set once for a play with
    C(module_defaults) and the C(group/prefect.cloud.cloud) action group.
  - "Modules call the API from the machine they run on. In a play that targets agent hosts, run them
    with C(delegate_to: localhost) so the controller (or the AWX execution environment) makes the calls."
  - Requests go through the HTTP proxy in E(HTTPS_PROXY) (E(HTTP_PROXY) for an C(http://) API URL) or
    E(ALL_PROXY), with its credentials if the proxy URL has them, unless E(NO_PROXY) lists the API's
    host (V(*) for all hosts; a domain covers its subdomains). Lower-case names of these variables
    take precedence. Proxy credentials never appear in messages. An C(https://) API URL goes through
    a CONNECT tunnel and needs an C(http://) proxy URL (TLS to the proxy itself is supported for an
    C(http://) API URL only).
"""
