#!/usr/bin/env bash
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The controller path (action plugins) against the module path: parity, environment:, async,
# no key at -vvv, and a missing httpx in the controller's Python.
set -eu
cd "$(dirname "$0")"
out=${OUTPUT_DIR:-$(mktemp -d)}/controller_path
mkdir -p "$out"
bash ../setup_prefect_emulator/files/run-playbook.sh paths.yml -vvv "$@" > "$out/paths.log" 2>&1 || {
    tail -n 60 "$out/paths.log"; exit 1; }
grep -E '^(ok|changed|fatal|PLAY RECAP)|controller_path:' "$out/paths.log" || true
# The owner key, whole or without its prefix, must not appear anywhere in the -vvv output.
key=$(sed -n 's/^prefect_api_key: *//p' ../../integration_config.yml | tr -d "\"'")
if [ -z "$key" ] || grep -qF -- "${key:4}" "$out/paths.log"; then
    echo "controller_path: the API key appears in the -vvv output (or the config has none)" >&2
    exit 1
fi
echo "controller_path: no key in $(wc -l < "$out/paths.log") lines of -vvv output"
PYTHONPATH="$PWD/no_httpx${PYTHONPATH:+:$PYTHONPATH}" \
    bash ../setup_prefect_emulator/files/run-playbook.sh missing_httpx.yml "$@"
