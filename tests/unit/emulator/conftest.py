# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the emulator tests: tests/emulator on sys.path and an in-process emulator."""
from __future__ import annotations

import os
import sys
import uuid

import pytest

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "emulator")
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)

OWNER_KEY = "pnu_" + "T" * 12 + uuid.uuid4().hex[:24]
ACCOUNT_ID = "0b7e2f4c-1d3a-4b5c-8e6f-7a8b9c0d1e2f"
WORKSPACE = "ws-one"


@pytest.fixture(name="emulator_factory")
def emulator_factory_fixture():
    """Start emulators on port 0 in this process; all are stopped at teardown."""
    pytest.importorskip("pydantic")
    from prefect_emulator import Emulator, EmulatorConfig  # pylint: disable=import-outside-toplevel

    started = []

    def start(**overrides):
        options = {"api_key": OWNER_KEY, "account_id": ACCOUNT_ID, "workspaces": [WORKSPACE, "ws-two"], "port": 0}
        options.update(overrides)
        emulator = Emulator(EmulatorConfig(**options))
        emulator.start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture(name="emulator")
def emulator_fixture(emulator_factory):
    return emulator_factory()
