#!/usr/bin/env bash
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Secret leak scan (secret_scan.py). driver.yml loads the integration test variables, starts or
# resets the emulator and runs secret_scan.py, which runs exercise.yml at -vvvv with --diff, in
# check mode and for real, captures all output in files and scans it (and the emulator's request
# log) for every key the emulator issued. Nothing it scans is printed.
set -eu
cd "$(dirname "$0")"
exec bash ../setup_prefect_emulator/files/run-playbook.sh driver.yml "$@"
