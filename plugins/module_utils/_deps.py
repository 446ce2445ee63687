# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Guarded imports of the third-party libraries the modules need (PRIVATE to this collection).

ansible-test's import sanity test loads every module without these libraries installed, so
nothing here may fail at import time. Modules report a missing library through
``missing_required_lib`` when they start.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import traceback

try:
    # httpx's HTTP/1.1 protocol layer, installed with httpx: the client uses only this part (see _transport.py).
    import h11  # pylint: disable=unused-import  # used by _transport.py
except ImportError:
    h11 = None
    HTTPX_IMPORT_ERROR = traceback.format_exc()
else:
    HTTPX_IMPORT_ERROR = None


def _load_pydantic_core():
    """pydantic-core's compiled engine (``pydantic_core._pydantic_core``), loaded on its own.

    ``import pydantic_core`` also builds ``pydantic_core.core_schema``, typed helpers for writing
    schemas by hand: about 13 ms of every module run, more than the whole engine. The models write
    their schemas as plain dicts and their results themselves (_models.py), and need only
    ``SchemaValidator`` and its ``ValidationError``, which the compiled module defines. It is
    registered under its own name, so a later ``import pydantic_core`` (by pydantic, or by the
    text of a validation error) reuses it: an extension module is initialized once per process.
    When pydantic-core is imported already or is laid out differently, this is the normal import.
    """
    name = "pydantic_core._pydantic_core"
    engine = sys.modules.get(name)
    if engine is None and "pydantic_core" not in sys.modules:
        package = importlib.util.find_spec("pydantic_core")  # finds the package without running it
        spec = None
        if package is not None and package.submodule_search_locations:
            spec = importlib.machinery.PathFinder.find_spec(name, list(package.submodule_search_locations))
        if spec is not None and isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
            engine = importlib.util.module_from_spec(spec)
            sys.modules[name] = engine
            try:
                spec.loader.exec_module(engine)
            except BaseException:
                del sys.modules[name]
                raise
    if engine is None:
        import pydantic_core as engine  # pylint: disable=import-outside-toplevel
    return engine


try:
    # pydantic's validation engine, installed with pydantic: the models use only this part (the
    # rest of pydantic costs more to import than a run's requests take; see _models.py).
    pydantic_core = _load_pydantic_core()
except ImportError:
    pydantic_core = None
    PYDANTIC_IMPORT_ERROR = traceback.format_exc()
else:
    PYDANTIC_IMPORT_ERROR = None


def missing_libraries():
    """Return (library, traceback) pairs for every required library that failed to import."""
    found = (("httpx", HTTPX_IMPORT_ERROR), ("pydantic", PYDANTIC_IMPORT_ERROR))
    return [(name, error) for name, error in found if error is not None]
