#!/usr/bin/env bash
# shellcheck disable=SC2034,SC2154 # inventory and common are used by, and work, emu_url and config set by harness.sh
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# prefect.cloud.agent_credentials with agent_credentials_state absent (decommission), against the
# emulator, with the play and helpers of ../role_agent_credentials (three "hosts", each writing under
# its own root directory) and a key store (an Ansible Vault file on the controller):
#   1. deploy to three hosts (agent1's profiles file holds two profiles of the user; a line is added
#      to agent2's env file afterwards)
#   2. bad input (an unknown state; deleting the service account in a --limit run or inside an AWX
#      workflow job): a one-line error, no request that writes, no file changed
#   3. --limit agent3 without deleting the service account: only agent3's files go, no request at all
#   4. --check --diff of the full decommission (delete the service account): no write request, no
#      file changed; 5. the real run reports the same changes and diffs (task results, summary,
#      recap), sends one write request (the DELETE of the service account), leaves agent1's profiles
#      file byte for byte as seeded (without the active line the role had set), keeps agent2's own
#      env line, removes the files that only the role wrote and the key store
#   6. a second decommission: changed=0, no write request
#   7. no issued key in anything printed
set -euo pipefail
cd "$(dirname "$0")"

roletarget=../role_agent_credentials
# shellcheck source=../role_agent_credentials/harness.sh
. "$roletarget/harness.sh"
harness_init role_agent_credentials_decommission
emu() { "$PY" "$roletarget/emu.py" "$@"; }

if ! emu health "$emu_url"; then
    echo "starting the emulator at $emu_url"
    PREFECT_EMULATOR_API_KEY=$(value prefect_api_key) PYTHONPATH=../../../emulator \
        "$PY" -m prefect_emulator --port "${emu_url##*:}" --account-id "$(value prefect_account_id)" \
        --workspace "$(value prefect_workspace_handle)" > "$work/emulator.log" 2>&1 &
    emu_pid=$!
    trap 'kill "$emu_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 100); do emu health "$emu_url" && break; sleep 0.2; done
fi

{
    echo "[agents]"
    for host in agent1 agent2 agent3; do
        echo "$host test_host_root=$work/hosts/$host"
    done
    echo "[agents:vars]"
    echo "ansible_connection=local"
    echo "ansible_python_interpreter={{ ansible_playbook_python }}"
} > "$work/inventory.ini"
controller="$work/controller"
mkdir -p "$controller/store"
chmod 700 "$controller" "$controller/store"
store="$controller/store/role-it-decom.vault"
(umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$controller/vault-pass")
cat > "$controller/vars.yml" <<VARS
agent_credentials_service_account: role-it-decom
agent_credentials_key_store: $store
agent_credentials_key_store_vault_password: "{{ lookup('ansible.builtin.file', '$controller/vault-pass') }}"
VARS
inventory=(-i "$work/inventory.ini")
common=(-e "@$config" -e "test_os_user=$(id -un)" -e "test_state_dir=$work/state" -e "@$controller/vars.yml")
play=$roletarget/deploy.yml
absent=(-e agent_credentials_state=absent)
delete=(-e agent_credentials_delete_service_account=true)
fingerprint() { emu fingerprint "$work/hosts" "$work/state/$1.txt" && emu fingerprint "$controller/store" "$work/state/$1-store.txt"; }
unchanged() {  # unchanged BEFORE AFTER: the hosts' files and the key store are as they were
    cmp "$work/state/$1.txt" "$work/state/$2.txt" || { echo "FAIL: files on the hosts changed" >&2; exit 1; }
    cmp "$work/state/$1-store.txt" "$work/state/$2-store.txt" || { echo "FAIL: the key store changed" >&2; exit 1; }
}
profile=home/.prefect/profiles.toml
envfile=etc/prefect/worker.env

expect "deploy to three hosts (agent1 has two profiles of its user)"
emu seed-profiles "$work/hosts/agent1/$profile"
run 01-deploy "$play"
test -f "$store" || { echo "FAIL: no key store" >&2; exit 1; }
echo "EXTRA_SETTING_OF_THE_USER=1" >> "$work/hosts/agent2/$envfile"

expect "bad input: a one-line error naming the option and its values, no write request, no file changed"
fingerprint before-bad
emu clear "$emu_url"
run_fails 02-bad-state "$play" -e agent_credentials_state=gone
# ansible-core's validation of the role's argument specification (its one line names the values)
emu grep "$work/logs/02-bad-state.log" "value of agent_credentials_state must be one of: present, absent, got: gone"
run_fails 02-delete-present "$play" "${delete[@]}"
emu grep "$work/logs/02-delete-present.log" \
    '"msg": "Invalid prefect.cloud.agent_credentials variables: agent_credentials_delete_service_account is only used with agent_credentials_state absent"'
run_fails 02-delete-limited "$play" "${absent[@]}" "${delete[@]}" --limit agent1
emu grep "$work/logs/02-delete-limited.log" \
    "agent_credentials_delete_service_account is true but the play has 1 of the 3 hosts of the group agents (not in the play: agent2, agent3); the run is limited (--limit agent1), so hosts outside the play may still use the key of role-it-decom"
emu grep "$work/logs/02-delete-limited.log" "set agent_credentials_delete_service_account_limited: true if no other host uses it. Nothing was changed."
# every host of the group, but inside an AWX workflow job (it may be one slice of a sliced job)
run_fails 02-delete-workflow "$play" "${absent[@]}" "${delete[@]}" -e awx_workflow_job_id=42
emu grep "$work/logs/02-delete-workflow.log" \
    "agent_credentials_delete_service_account is true but this job runs in the AWX workflow job 42 and may be one slice of a sliced job template"
emu writes "$emu_url"
fingerprint after-bad
unchanged before-bad after-bad

expect "--limit agent3 without deleting the service account: agent3's files go, no request to Prefect Cloud"
emu clear "$emu_url"
run 03-limit-agent3 "$play" "${absent[@]}" --limit agent3 --diff
"$PY" -c 'import json, sys
sys.path.insert(0, sys.argv[1])
import emulator_admin
entries = emulator_admin.Admin(sys.argv[2], timeout=10).requests()
print("%d requests to the emulator" % len(entries))
sys.exit(1 if entries else 0)' ../setup_prefect_faults/files "$emu_url" || { echo "FAIL: requests sent" >&2; exit 1; }
for file in "$profile" "$envfile"; do
    test ! -e "$work/hosts/agent3/$file" || { echo "FAIL: agent3's $file is still there" >&2; exit 1; }
    test -f "$work/hosts/agent1/$file" || { echo "FAIL: agent1's $file is gone" >&2; exit 1; }
done
emu grep "$work/logs/03-limit-agent3.log" '"service_account_deleted": "not requested"'
emu grep "$work/logs/03-limit-agent3.log" '"key_store_changed": "no (kept: the service account is not deleted)"'

expect "check mode of the full decommission: no write request, no file changed"
fingerprint before-check
emu clear "$emu_url"
run 04-check "$play" "${absent[@]}" "${delete[@]}" --check --diff
emu writes "$emu_url"
fingerprint after-check
unchanged before-check after-check

expect "the real run: the same changes and diffs as check mode; one write request, the DELETE of the service account"
run 05-decommission "$play" "${absent[@]}" "${delete[@]}" --diff
"$PY" decom.py same-report "$work/logs/04-check.log" "$work/logs/05-decommission.log"
emu count "$emu_url" '^DELETE .*/bots/[0-9a-f-]+$' 1
emu count "$emu_url" '.' 1
emu grep "$work/logs/05-decommission.log" '"service_account_deleted": "yes"'
"$PY" decom.py seeded-without-active "$work/hosts/agent1/$profile"
"$PY" decom.py equals "$work/hosts/agent2/$envfile" $'EXTRA_SETTING_OF_THE_USER=1\n'
test ! -e "$work/hosts/agent1/$envfile" || { echo "FAIL: agent1's env file is still there" >&2; exit 1; }
test ! -e "$work/hosts/agent2/$profile" || { echo "FAIL: agent2's profiles file is still there" >&2; exit 1; }
test ! -e "$store" || { echo "FAIL: the key store is still there" >&2; exit 1; }

expect "decommission again: changed=0, no write request"
emu clear "$emu_url"
run 06-again "$play" "${absent[@]}" "${delete[@]}"
emu recap-unchanged "$work/logs/06-again.log"
emu writes "$emu_url"
emu grep "$work/logs/06-again.log" '"service_account_deleted": "no (it does not exist)"'

expect "no issued key in anything printed"
emu leak-scan "$emu_url" "$work"/logs/*.log
echo "role_agent_credentials_decommission: all checks passed in ${SECONDS}s"
