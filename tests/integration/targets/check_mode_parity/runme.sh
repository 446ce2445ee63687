#!/usr/bin/env bash
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Check-mode parity on a random (seeded) sequence of desired states. The seed is printed; to run
# the same sequence again, write it to a file `seed` in this directory (see plan.py), or pass
# `-e parity_seed=N` to this script.
set -eu
cd "$(dirname "$0")"
exec bash ../setup_prefect_emulator/files/run-playbook.sh parity.yml "$@"
