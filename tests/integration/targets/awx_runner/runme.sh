#!/usr/bin/env bash
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# AWX path proof. ansible-test copies tests/integration/integration_config.yml next to the
# targets directory (it does not pass it to runme.sh targets by itself); driver.yml loads it,
# starts or resets the emulator (setup_prefect_emulator) and hands the credential to awx_jobs.py
# through that process's environment, so the key is never written to another file or shown on a
# command line.
set -eu
cd "$(dirname "$0")"
exec bash ../setup_prefect_emulator/files/run-playbook.sh driver.yml "$@"
