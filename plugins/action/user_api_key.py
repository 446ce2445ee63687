# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs prefect.cloud.user_api_key in the controller (see plugin_utils/_controller.py)."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.modules.user_api_key import UserAPIKey
from ansible_collections.prefect.cloud.plugins.plugin_utils._controller import ControllerAction


class ActionModule(ControllerAction):
    module_class = UserAPIKey
