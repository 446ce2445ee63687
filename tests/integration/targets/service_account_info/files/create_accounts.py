#!/usr/bin/env python
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Create COUNT service accounts named PREFIX-NNN through the API (test helper; prints nothing secret).

Usage: create_accounts.py API_URL ACCOUNT_ID PREFIX COUNT, with the API key in $PREFECT_API_KEY.
"""

from __future__ import annotations

import os
import sys

import httpx


def main():
    api_url, account_id, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    headers = {"Authorization": f"Bearer {os.environ['PREFECT_API_KEY']}"}
    with httpx.Client(base_url=api_url.rstrip("/") + "/", headers=headers, timeout=30) as client:
        for number in range(count):
            response = client.post(f"accounts/{account_id}/bots/", json={"name": f"{prefix}-{number:03d}"})
            if response.status_code != 201:
                sys.exit(f"creating {prefix}-{number:03d} failed with HTTP {response.status_code}")
    print(f"created {count} service accounts")


if __name__ == "__main__":
    main()
