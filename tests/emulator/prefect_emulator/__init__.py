# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Local emulator of the Prefect Cloud API, for the tests of the prefect.cloud collection.

A FastAPI application served by uvicorn, with pydantic v2 request models of its own. See
``python -m prefect_emulator --help``.
"""
from __future__ import annotations

from .routes import ROUTES
from .server import Emulator, EmulatorConfig
from .state import DEFAULT_ACCOUNT_ID

__all__ = ["DEFAULT_ACCOUNT_ID", "Emulator", "EmulatorConfig", "ROUTES"]
