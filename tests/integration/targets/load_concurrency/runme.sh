#!/usr/bin/env bash
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Five concurrent ansible-playbook runs (load.py). driver.yml loads the integration test variables,
# starts or resets the emulator and runs load.py, which runs ensure.yml five times at once.
set -eu
cd "$(dirname "$0")"
exec bash ../setup_prefect_emulator/files/run-playbook.sh driver.yml "$@"
