#!/usr/bin/env bash
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# prefect.cloud.agent_credentials end to end, against the emulator, with four "hosts"
# (agent1..agent4, local connection, each writing under its own root directory):
#   0. --check before the service account exists: nothing written, no write request
#   1. three hosts: the account is created and every host gets its key (0600, same key)
#   2. re-run: changed=0, no write request, same key
#   3. a fourth host: it gets the existing key, no rotation, no write request
#   4. forced rotation with a grace period: all hosts get the new key; the old key works
#      until the emulator clock passes the grace period, then gets 401
#   4b. the active key expires within rotate_before_expiry: rotated
#   5. --check --diff after changing variables: nothing written, no write request
#   6. the real Prefect client reads the deployed profile ($PREFECT_PYTHON with prefect)
#   7. no issued key appears in anything the runs printed
# Every ansible-playbook run is logged to $work/logs/<step>.log (stdout and stderr).
set -euo pipefail
cd "$(dirname "$0")"

config=../../integration_config.yml
if [ ! -f "$config" ]; then
    echo "role_agent_credentials: $config is missing (tools/test writes it; see README.md, Testing)" >&2
    exit 1
fi
config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
PY=$(command -v python3 || command -v python)
value() { sed -n "s/^$1: *['\"]\{0,1\}\([^'\"]*\)['\"]\{0,1\} *\$/\1/p" "$config" | head -n1; }
emu_url=$(value prefect_emulator_url)

out=${OUTPUT_DIR:-$(mktemp -d)}
work="$out/role_agent_credentials"
rm -rf "$work"
mkdir -p "$work/hosts" "$work/state" "$work/logs"
export ANSIBLE_ROLES_PATH=..

# The emulator normally runs already (tools/test). Otherwise start it for this script.
if ! "$PY" emu.py health "$emu_url"; then
    echo "starting the emulator at $emu_url"
    PREFECT_EMULATOR_API_KEY=$(value prefect_api_key) PYTHONPATH=../../../emulator \
        "$PY" -m prefect_emulator --port "${emu_url##*:}" --account-id "$(value prefect_account_id)" \
        --workspace "$(value prefect_workspace_handle)" > "$work/emulator.log" 2>&1 &
    emu_pid=$!
    trap 'kill "$emu_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 100); do "$PY" emu.py health "$emu_url" && break; sleep 0.2; done
fi

{
    echo "[agents]"
    for host in agent1 agent2 agent3 agent4; do
        echo "$host test_host_root=$work/hosts/$host"
    done
    echo "[agents:vars]"
    echo "ansible_connection=local"
    echo "ansible_python_interpreter={{ ansible_playbook_python }}"
} > "$work/inventory.ini"

common=(-i "$work/inventory.ini" -e "@$config" -e "test_os_user=$(id -un)" -e "test_state_dir=$work/state")
three=(--limit "agent1:agent2:agent3")

run() {  # run STEP ARGS...: ansible-playbook, output to the terminal and to $work/logs/STEP.log
    local step=$1
    shift
    echo "=== $step: ansible-playbook $*"
    ansible-playbook "${common[@]}" "$@" 2>&1 | tee "$work/logs/$step.log"
}
verify() {  # verify STEP LABEL HOSTS [PREVIOUS EXPECT]: HOSTS 3 = agent1..agent3, 4 = all
    local limit=(--limit "agents")
    [ "$3" = 3 ] && limit=("${three[@]}")
    run "$1" verify.yml "${limit[@]}" -e "verify_label=$2" -e "verify_hosts=$3" -e "verify_previous=${4:-}" -e "verify_expect=${5:-}"
}
expect() { echo "--- expect: $*"; }

run 00-setup setup.yml

expect "check mode before the account exists: no write, no file"
"$PY" emu.py clear "$emu_url"
run 00-check-new deploy.yml "${three[@]}" --check --diff -vvv
"$PY" emu.py writes "$emu_url"
"$PY" emu.py grep "$work/logs/00-check-new.log" "would be created"
"$PY" emu.py grep "$work/logs/00-check-new.log" '"account_created": "yes"'
test -z "$(find "$work/hosts" -type f)" || { echo "FAIL: files written in check mode" >&2; exit 1; }

expect "first run on three hosts: account created, same key everywhere, no rotation"
"$PY" emu.py clear "$emu_url"
run 01-create deploy.yml "${three[@]}" -vvv
if ! "$PY" emu.py writes "$emu_url" 'rotate_api_key'; then
    echo "FAIL: the key was rotated on creation" >&2
    exit 1
fi
verify 01-verify s1 3

expect "re-run: changed=0, no write request, same key"
"$PY" emu.py clear "$emu_url"
run 02-rerun deploy.yml "${three[@]}" -vvv
"$PY" emu.py recap-unchanged "$work/logs/02-rerun.log"
"$PY" emu.py writes "$emu_url"
verify 02-verify s2 3 s1 same

expect "a fourth host gets the existing key, no rotation, no write request"
"$PY" emu.py clear "$emu_url"
run 03-new-host deploy.yml -vvv
"$PY" emu.py writes "$emu_url"
"$PY" emu.py grep "$work/logs/03-new-host.log" '"key_rotated": "no"'
verify 03-verify s3 4 s1 same

expect "forced rotation with a 300 s grace period and 30-day keys: all hosts get the new key"
run 04-rotate deploy.yml -vvv -e '{"agent_credentials_rotate": true, "agent_credentials_old_key_expires_in_seconds": 300, "agent_credentials_key_lifetime": 2592000}'
verify 04-verify s4 4 s3 new
run 04-grace grace.yml -e grace_old=s3 -e grace_new=s4 -e grace_seconds=300

expect "the active key expires within rotate_before_expiry (35 days > 30): rotated"
run 04b-expiring deploy.yml -vvv -e '{"agent_credentials_rotate_before_expiry": 3024000, "agent_credentials_key_lifetime": 3456000}'
"$PY" emu.py grep "$work/logs/04b-expiring.log" "the active key expires in"
verify 04b-verify s4b 4 s4 new

expect "--check --diff after changing variables: nothing written, no write request"
"$PY" emu.py fingerprint "$work/hosts" "$work/state/before-check.txt"
"$PY" emu.py clear "$emu_url"
run 05-check-profile deploy.yml --check --diff -vvv -e agent_credentials_profile_name=prefect-cloud-next
"$PY" emu.py grep "$work/logs/05-check-profile.log" '"profile_changed": "yes"'
"$PY" emu.py grep "$work/logs/05-check-profile.log" '"env_file_changed": "no"'
run 05-check-rotate deploy.yml --check --diff -vvv -e '{"agent_credentials_rotate": true}'
"$PY" emu.py grep "$work/logs/05-check-rotate.log" "would get a new key"
"$PY" emu.py grep "$work/logs/05-check-rotate.log" '"key_rotated": "yes (rotation requested'
"$PY" emu.py writes "$emu_url"
"$PY" emu.py fingerprint "$work/hosts" "$work/state/after-check.txt"
cmp "$work/state/before-check.txt" "$work/state/after-check.txt" || { echo "FAIL: files changed in check mode" >&2; exit 1; }
verify 05-verify s5 4 s4b same

expect "the real Prefect client reads the deployed profile"
if [ -n "${PREFECT_PYTHON:-}" ] && "$PREFECT_PYTHON" -c 'import prefect' > /dev/null 2>&1; then
    for host in agent1 agent4; do
        root="$work/hosts/$host"
        env -u PREFECT_API_KEY -u PREFECT_API_URL -u PREFECT_PROFILE \
            PREFECT_HOME="$root/home/.prefect" PREFECT_PROFILES_PATH="$root/home/.prefect/profiles.toml" \
            "$PREFECT_PYTHON" - "$root/etc/prefect/worker.env" <<'PY' 2>&1 | tee "$work/logs/06-prefect-$host.log"
import sys

from prefect.settings import get_current_settings

settings = get_current_settings()
print(settings.api.url)
with open(sys.argv[1], encoding="utf-8") as handle:
    expected = dict(line.split("=", 1) for line in handle.read().splitlines() if "=" in line and not line.startswith("#"))
assert settings.api.url == expected["PREFECT_API_URL"], "PREFECT_API_URL read by Prefect differs from the deployed one"
assert settings.api.key is not None, "Prefect read no API key"
assert settings.api.key.get_secret_value() == expected["PREFECT_API_KEY"], "the API key read by Prefect differs from the deployed one"
print("OK: the Prefect client reads the profile written by the role")
PY
    done
else
    echo "SKIPPED: prefect not installed (set PREFECT_PYTHON to a Python interpreter that can import prefect)"
fi

expect "no issued key in anything printed"
"$PY" emu.py leak-scan "$emu_url" "$work"/logs/*.log
echo "role_agent_credentials: all checks passed"
