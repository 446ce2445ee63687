# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stands in for a controller Python without httpx (PYTHONPATH=no_httpx): importing it fails."""

raise ImportError("No module named 'httpx' (the controller_path test hides it)")
