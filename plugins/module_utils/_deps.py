# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Guarded imports of httpx and pydantic (PRIVATE to this collection).

ansible-test's import sanity test loads every module without these libraries installed, so
nothing here may fail at import time. Modules report a missing library through
``missing_required_lib`` when they start (``PrefectModule``).
"""

from __future__ import annotations

import traceback

try:
    import httpx  # noqa: F401 pylint: disable=unused-import  # used through this module by _http
except ImportError:
    httpx = None
    HTTPX_IMPORT_ERROR = traceback.format_exc()
else:
    HTTPX_IMPORT_ERROR = None

try:
    import pydantic  # noqa: F401 pylint: disable=unused-import  # used through this module by _models
except ImportError:
    pydantic = None
    PYDANTIC_IMPORT_ERROR = traceback.format_exc()
else:
    PYDANTIC_IMPORT_ERROR = None


def missing_libraries():
    """Return (library, traceback) pairs for every required library that failed to import."""
    found = (("httpx", HTTPX_IMPORT_ERROR), ("pydantic", PYDANTIC_IMPORT_ERROR))
    return [(name, error) for name, error in found if error is not None]
