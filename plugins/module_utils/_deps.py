# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Guarded imports of httpx and pydantic (PRIVATE to this collection).

ansible-test's import sanity test loads every module without these libraries installed, so
nothing here may fail at import time. Modules report a missing library when they start
(``PrefectModule.execute``).
"""

from __future__ import annotations

import importlib


def _load(name):
    """The library ``name``, or None when it cannot be imported."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


httpx = _load("httpx")  # used through this module by _http
pydantic = _load("pydantic")  # used through this module by _models


def missing_libraries():
    """The names of the required libraries that failed to import."""
    return [name for name, library in (("httpx", httpx), ("pydantic", pydantic)) if library is None]
