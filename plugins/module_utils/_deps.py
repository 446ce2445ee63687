# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Guarded imports of the third-party libraries the modules need (PRIVATE to this collection).

ansible-test's import sanity test loads every module without these libraries installed, so
nothing here may fail at import time. Modules report a missing library through
``missing_required_lib`` when they start.
"""

from __future__ import annotations

import traceback

try:
    # httpx's HTTP engine, installed with httpx: the client uses only this part (see _http.py).
    import httpcore  # pylint: disable=unused-import
except ImportError:
    HTTPX_IMPORT_ERROR = traceback.format_exc()
else:
    HTTPX_IMPORT_ERROR = None

try:
    # pydantic's validation engine, installed with pydantic: the models use only this part (the
    # rest of pydantic costs more to import than a run's requests take; see _models.py).
    import pydantic_core  # pylint: disable=unused-import
except ImportError:
    PYDANTIC_IMPORT_ERROR = traceback.format_exc()
else:
    PYDANTIC_IMPORT_ERROR = None


def missing_libraries():
    """Return (library, traceback) pairs for every required library that failed to import."""
    found = (("httpx", HTTPX_IMPORT_ERROR), ("pydantic", PYDANTIC_IMPORT_ERROR))
    return [(name, error) for name, error in found if error is not None]
