#!/usr/bin/env bash
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The --check --diff preview of a realistic playbook (play.yml) that creates objects and refers to
# them in later tasks: see preview.py.
set -eu
cd "$(dirname "$0")"
exec bash ../setup_prefect_emulator/files/run-playbook.sh driver.yml "$@"
