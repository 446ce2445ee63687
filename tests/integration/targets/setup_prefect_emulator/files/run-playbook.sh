#!/usr/bin/env bash
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a runme.sh target's playbook with the integration test variables: ansible-test copies
# tests/integration/integration_config.yml next to the targets directory but passes it only to
# role targets. Called from the target's directory as
#     bash ../setup_prefect_emulator/files/run-playbook.sh PLAYBOOK [ansible-playbook options]
# (the target needs needs/target/setup_prefect_emulator, whose role its playbook uses).
set -eu
config=../../integration_config.yml
if [ ! -f "$config" ]; then
    echo "$(basename "$PWD"): $config is missing (tools/test writes it; see README.md, Testing)" >&2
    exit 1
fi
playbook=$1
shift
ANSIBLE_ROLES_PATH=.. exec ansible-playbook -i "${INVENTORY_PATH}" -e "@$config" "$playbook" "$@"
