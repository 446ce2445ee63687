#!/usr/bin/env bash
# shellcheck disable=SC2154 # work, emu_url and skip_reason are set by harness_init (harness.sh)
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# prefect.cloud.agent_credentials end to end, against the emulator, with four "hosts"
# (agent1..agent4, local connection, each writing under its own root directory), and four more
# (agent5..agent8) for the job slicing steps:
#   0. --check before the service account exists: nothing written, no write request
#   1. three hosts: the account is created and every host gets its key (0600, same key)
#   2. re-run: changed=0, no write request, same key
#   3. a fourth host: it gets the existing key, no rotation, no write request
#   4. forced rotation with a grace period: all hosts get the new key; the old key works
#      until the emulator clock passes the grace period, then gets 401
#   4b. the active key expires within rotate_before_expiry: rotated
#   5. --check --diff after changing variables: nothing written, no write request
#   6. the real Prefect client reads the deployed profile (prefect installed in a cached venv)
#   7. AWX job slicing: three concurrent runs over disjoint hosts with allow_rotation false: no
#      rotation and no write request; new hosts and a host with a foreign key get the key; a slice
#      of new hosts only fails with the "run it without slicing" message
#   8. a slice whose hosts hold only the previous key reuses it with a warning; a host where the
#      env file cannot be written fails without printing the key; allow_rotation false with a
#      requested rotation or a missing service account fails before any write request
#   9. a run over the whole group reuses the active key that one host holds
#  10. --limit to a new host (and a play over part of the group) while no host of the play holds
#      the active key: fails before any write, naming the ways out
#  11. the key store: seeded with the active key (no rotation), encrypted with Ansible Vault
#      (ansible-vault reads it); 12. a --limit run to a new host gets the key from it, no
#      rotation; 13. a rotation updates the store before the hosts get the key (the deploy
#      fails, the store holds the new active key); 14. the store serves every host
#  14w. an AWX slice: a job inside an AWX workflow job (-e awx_workflow_job_id=42) whose inventory
#      holds only its own new host (the group looks complete; without the variable the run would
#      rotate): fails before any write, naming the ways out (also for a service account that does
#      not exist); with the key store it gets the key
#      from the store (no rotation); with agent_credentials_allow_rotation=true it rotates
#  14r. concurrent runs for the same service account (two creates, two rotations at once, made to
#      overlap with delayed responses): each run ends with its hosts holding the active key, or fails
#      before writing any key with a message about the concurrent run
#  15. no issued key in clear text under the controller's work and temporary directories
#  16. a key that comes back from the API with "\nLD_PRELOAD=evil.so" is refused before any file
#      is written
#  17. no issued key appears in anything the runs printed (-vvvv, --diff, check mode, failures)
# Also: bad input (bidi and C1 characters, one failing rule) and a bad workspace role fail before any
# write request (0a, 0b); a tampered profile fails with its reason, never the key (3t); a key store
# made 0644 is made 0600 again (11m).
# Every ansible-playbook run is logged to $work/logs/<step>.log (stdout and stderr).
set -euo pipefail
cd "$(dirname "$0")"

# shellcheck source=harness.sh
. ./harness.sh  # sets work, emu_url, config, PY, ... (harness_init)
harness_init role_agent_credentials

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

# More agents for the job slicing steps, added with a second -i (same group).
{
    echo "[agents]"
    for host in agent5 agent6 agent7 agent8; do
        echo "$host test_host_root=$work/hosts/$host"
    done
} > "$work/inventory-slices.ini"

# The inventory of the runs; the AWX workflow steps (14w) replace it with the inventory of one slice.
inventory=(-i "$work/inventory.ini")
common=(-e "@$config" -e "test_os_user=$(id -un)" -e "test_state_dir=$work/state")
slices=(-i "$work/inventory-slices.ini")
three=(--limit "agent1:agent2:agent3")

verify() {  # verify STEP LABEL HOSTS [PREVIOUS EXPECT]: HOSTS 3 = agent1..agent3, 4 = all
    local limit=(--limit "agents")
    [ "$3" = 3 ] && limit=("${three[@]}")
    run "$1" verify.yml "${limit[@]}" -e "verify_label=$2" -e "verify_hosts=$3" -e "verify_previous=${4:-}" -e "verify_expect=${5:-}"
}

run 00-setup setup.yml

expect "bad input: a one-line error that names only the failing rule, before any request"
"$PY" emu.py clear "$emu_url"
for name in bidi c1 rule; do
    case $name in
        bidi) extra='{"agent_credentials_profile_name": "prefect\u202ecloud"}'
              text='agent_credentials_profile_name must not contain control or invisible format characters such as a line break or U+202E, got U+202E' ;;
        c1) extra='{"agent_credentials_api_url": "http://127.0.0.1/api\u0085x"}'
            text='agent_credentials_api_url must not contain control or invisible format characters such as a line break or U+202E, got U+0085' ;;
        rule) extra='{"agent_credentials_rotate_before_expiry": -1}'
              text='agent_credentials_rotate_before_expiry must be >= 0, got -1' ;;
    esac
    run_fails "00-input-$name" deploy.yml "${three[@]}" -e "$extra"
    # one message per failed host, and only the failing rule in it
    count=$(grep -c -F "\"msg\": \"Invalid prefect.cloud.agent_credentials variables: $text\"" "$work/logs/00-input-$name.log" || true)
    [ "$count" = 3 ] || { echo "FAIL: expected the one-rule message for 3 hosts, found $count" >&2; exit 1; }
    if grep -q -e 'old_key_expires_in_seconds must' -e 'key_lifetime must' "$work/logs/00-input-$name.log"; then
        echo "FAIL: the message lists rules that did not fail" >&2
        exit 1
    fi
done
"$PY" emu.py writes "$emu_url"
test -z "$(find "$work/hosts" -type f)" || { echo "FAIL: files written for bad input" >&2; exit 1; }

expect "a workspace role that does not exist: fails before the service account is created (no write request)"
"$PY" emu.py clear "$emu_url"
run_fails 00-bad-role deploy.yml "${three[@]}" -e agent_credentials_service_account=role-it-bad-role \
    -e '{"agent_credentials_workspaces": [{"workspace": "'"$(value prefect_workspace_handle)"'", "role": "NoSuchWorkspaceRole"}]}'
"$PY" emu.py grep "$work/logs/00-bad-role.log" "NoSuchWorkspaceRole"
"$PY" emu.py writes "$emu_url"
test -z "$(find "$work/hosts" -type f)" || { echo "FAIL: files written for a bad workspace role" >&2; exit 1; }

expect "check mode before the account exists: no write, no file"
"$PY" emu.py clear "$emu_url"
run 00-check-new deploy.yml "${three[@]}" --check --diff -vvv
"$PY" emu.py writes "$emu_url"
"$PY" emu.py grep "$work/logs/00-check-new.log" "would be created"
"$PY" emu.py grep "$work/logs/00-check-new.log" '"account_created": "yes"'
test -z "$(find "$work/hosts" -type f)" || { echo "FAIL: files written in check mode" >&2; exit 1; }

expect "first run on three hosts: account created, same key everywhere, no rotation; agent1's other profiles are kept"
"$PY" emu.py seed-profiles "$work/hosts/agent1/home/.prefect/profiles.toml"
"$PY" emu.py clear "$emu_url"
run 01-create deploy.yml "${three[@]}" -vvvv --diff
if ! "$PY" emu.py writes "$emu_url" 'rotate_api_key'; then
    echo "FAIL: the key was rotated on creation" >&2
    exit 1
fi
"$PY" emu.py profiles-kept "$work/hosts/agent1/home/.prefect/profiles.toml" prefect-cloud
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

expect "a tampered key line in agent4's profile: the run fails on agent4 and says why, without the key"
cp -p "$work/hosts/agent4/home/.prefect/profiles.toml" "$work/state/agent4-profiles.toml"
"$PY" - "$work/hosts/agent4/home/.prefect/profiles.toml" <<'PY'
import re, sys
with open(sys.argv[1], encoding="utf-8") as handle:
    text = handle.read()
# an invalid escape after the key (the file is no longer valid TOML)
text, count = re.subn(r'(?m)^(PREFECT_API_KEY = "pnb_[^"]*)"', lambda m: m.group(1) + '\\q"', text)
assert count == 1, count
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    handle.write(text)
print("agent4's key line tampered with")
PY
"$PY" emu.py fingerprint "$work/hosts/agent4" "$work/state/before-tampered.txt"
"$PY" emu.py clear "$emu_url"
run_fails 03-tampered deploy.yml --limit agent4 -vvv
"$PY" emu.py grep "$work/logs/03-tampered.log" "agent_credentials: cannot use the deployed files of agent4"
"$PY" emu.py grep "$work/logs/03-tampered.log" "The key in the files is not shown. Fix or remove the file"
"$PY" emu.py writes "$emu_url"
"$PY" emu.py fingerprint "$work/hosts/agent4" "$work/state/after-tampered.txt"
cmp "$work/state/before-tampered.txt" "$work/state/after-tampered.txt" || { echo "FAIL: agent4's files changed" >&2; exit 1; }
cp -p "$work/state/agent4-profiles.toml" "$work/hosts/agent4/home/.prefect/profiles.toml"

expect "forced rotation with a 300 s grace period and 30-day keys: all hosts get the new key"
run 04-rotate deploy.yml -vvvv --diff -e '{"agent_credentials_rotate": true, "agent_credentials_old_key_expires_in_seconds": 300, "agent_credentials_key_lifetime": 2592000}'
verify 04-verify s4 4 s3 new
run 04-grace grace.yml -e grace_old=s3 -e grace_new=s4 -e grace_seconds=300

expect "the active key expires within rotate_before_expiry (35 days > 30): rotated"
run 04b-expiring deploy.yml -vvv -e '{"agent_credentials_rotate_before_expiry": 3024000, "agent_credentials_key_lifetime": 3456000}'
"$PY" emu.py grep "$work/logs/04b-expiring.log" "the active key expires in"
verify 04b-verify s4b 4 s4 new

expect "--check --diff after changing variables: nothing written, no write request"
"$PY" emu.py fingerprint "$work/hosts" "$work/state/before-check.txt"
"$PY" emu.py clear "$emu_url"
run 05-check-profile deploy.yml --check --diff -vvvv -e agent_credentials_profile_name=prefect-cloud-next
"$PY" emu.py grep "$work/logs/05-check-profile.log" '"profile_changed": "yes"'
"$PY" emu.py grep "$work/logs/05-check-profile.log" '"env_file_changed": "no"'
run 05-check-rotate deploy.yml --check --diff -vvvv -e '{"agent_credentials_rotate": true}'
"$PY" emu.py grep "$work/logs/05-check-rotate.log" "would get a new key"
"$PY" emu.py grep "$work/logs/05-check-rotate.log" '"key_rotated": "yes (rotation requested'
"$PY" emu.py writes "$emu_url"
"$PY" emu.py fingerprint "$work/hosts" "$work/state/after-check.txt"
cmp "$work/state/before-check.txt" "$work/state/after-check.txt" || { echo "FAIL: files changed in check mode" >&2; exit 1; }
verify 05-verify s5 4 s4b same

expect "the real Prefect client reads the deployed profile"
# prefect is installed once per Python version and version range in a venv cached under
# ~/.cache/prefect-cloud-tests (PREFECT_PYTHON=/path/to/python with prefect skips the install).
# When it cannot be installed the check is SKIPPED, loudly, with the reason.
prefect_spec='prefect>=3.1,<3.10'
prefect_python=${PREFECT_PYTHON:-}
prefect_skip=''
if [ -z "$prefect_python" ]; then
    pyver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    cache="$HOME/.cache/prefect-cloud-tests"
    venv="$cache/venv-py$pyver-$(printf '%s' "$prefect_spec" | tr -c 'A-Za-z0-9.' '_')"
    prefect_python="$venv/bin/python"
    if [ ! -f "$venv/.complete" ] || ! "$prefect_python" -c 'import prefect' > /dev/null 2>&1; then
        echo "installing $prefect_spec into $venv (cached for the next runs)"
        mkdir -p "$cache"
        rm -rf "$venv" "$venv.tmp"
        install_prefect() {
            "$PY" -m venv "$venv.tmp" &&
                timeout 300 "$venv.tmp/bin/python" -m pip install --disable-pip-version-check -q "$prefect_spec" &&
                "$venv.tmp/bin/python" -c 'import prefect'
        }
        if fetch_or_skip prefect-venv.txt install_prefect; then
            # venvs are not relocatable: recreate the scripts for the final path, keep the packages
            mv "$venv.tmp" "$venv"
            "$PY" -m venv --upgrade "$venv" >> "$work/logs/prefect-venv.txt" 2>&1 || true
            touch "$venv/.complete"
        else
            rm -rf "$venv.tmp"
            prefect_skip=$skip_reason
        fi
    fi
fi
if [ -z "$prefect_skip" ] && ! "$prefect_python" -c 'import prefect' > /dev/null 2>&1; then
    prefect_skip="$prefect_python cannot import prefect"
fi
if [ -n "$prefect_skip" ]; then
    echo "##########################################################################"
    echo "SKIPPED: the real Prefect client check did not run: $prefect_skip"
    echo "##########################################################################"
else
    echo "prefect $("$prefect_python" -c 'import prefect; print(prefect.__version__)') from $prefect_python"
    for host in agent1 agent4; do
        root="$work/hosts/$host"
        # Only the deployed profile: no PREFECT_* variable of this environment reaches the client.
        # shellcheck disable=SC2046 # one "-u NAME" word pair per PREFECT_ variable, split on purpose
        env $(env | sed -n 's/^\(PREFECT_[A-Z_]*\)=.*/-u \1/p') \
            PREFECT_HOME="$root/home/.prefect" PREFECT_PROFILES_PATH="$root/home/.prefect/profiles.toml" \
            "$prefect_python" - "$root/etc/prefect/worker.env" "$(value prefect_workspace_handle)" <<'PY' 2>&1 | tee "$work/logs/06-prefect-$host.log"
import asyncio
import sys

from prefect.client.cloud import get_cloud_client
from prefect.settings import get_current_settings

settings = get_current_settings()
print(settings.api.url)
with open(sys.argv[1], encoding="utf-8") as handle:
    expected = dict(line.split("=", 1) for line in handle.read().splitlines() if "=" in line and not line.startswith("#"))
assert settings.api.url == expected["PREFECT_API_URL"], "PREFECT_API_URL read by Prefect differs from the deployed one"
assert settings.api.key is not None, "Prefect read no API key"
assert settings.api.key.get_secret_value() == expected["PREFECT_API_KEY"], "the API key read by Prefect differs from the deployed one"
print("OK: the Prefect client reads the profile written by the role")


async def current_workspace():
    async with get_cloud_client() as client:
        return await client.read_current_workspace()


workspace = asyncio.run(current_workspace())
assert workspace.workspace_handle == sys.argv[2], "CloudClient found another workspace"
print("OK: CloudClient (prefect.client.cloud.get_cloud_client) reads the current workspace %s" % workspace.workspace_handle)
PY
        [ "${PIPESTATUS[0]}" = 0 ] || { echo "FAIL: the Prefect client check failed on $host" >&2; exit 1; }
    done
fi

expect "job slicing: concurrent slices with allow_rotation false: no rotation, no write request, one key"
# agent1..agent4 hold the active key (state s5, it expires in 40 days), agent3's key is replaced
# by a foreign one, and agent5..agent7 are new. Three slices run at the same time, as AWX runs
# the jobs of a sliced job template; the slice of agent7 alone has no key to reuse and must fail
# before any write. The first slice rotates 60 days before expiry: it only warns. Variables are
# given as -e name=value (strings), as on a command line.
"$PY" emu.py foreign-key "$work/hosts/agent3"
"$PY" emu.py clear "$emu_url"
slice_limits=("agent1:agent4:agent5" "agent2:agent3:agent6" "agent7")
pids=()
for index in 0 1 2; do
    extra=(-e agent_credentials_allow_rotation=false)
    if [ "$index" = 0 ]; then
        extra+=(-e agent_credentials_rotate_before_expiry=5184000)
    fi
    echo "=== 07-slice$index: ansible-playbook deploy.yml --limit ${slice_limits[$index]} ${extra[*]} (in the background)"
    ansible-playbook "${inventory[@]}" "${common[@]}" "${slices[@]}" deploy.yml --limit "${slice_limits[$index]}" -vvvv --diff \
        "${extra[@]}" > "$work/logs/07-slice$index.log" 2>&1 &
    pids+=($!)
done
codes=()
for index in 0 1 2; do
    rc=0
    wait "${pids[$index]}" || rc=$?
    codes+=("$rc")
done
for index in 0 1 2; do
    echo "=== 07-slice$index (--limit ${slice_limits[$index]}) exit code ${codes[$index]}"
    cat "$work/logs/07-slice$index.log"
done
[ "${codes[*]}" = "0 0 2" ] || { echo "FAIL: slice exit codes ${codes[*]}, expected 0 0 2" >&2; exit 1; }
"$PY" emu.py writes "$emu_url"
for index in 0 1; do
    "$PY" emu.py grep "$work/logs/07-slice$index.log" '"key_rotated": "no"'
done
"$PY" emu.py grep "$work/logs/07-slice0.log" "WARNING: the active key of the service account role-it-agents expires in"
"$PY" emu.py grep "$work/logs/07-slice2.log" "agent_credentials_allow_rotation is false but no host of this play (agent7) holds a key"
"$PY" emu.py grep "$work/logs/07-slice2.log" "run the role once without job slicing (agent_credentials_allow_rotation true)"
test -z "$(find "$work/hosts/agent7" -type f 2>/dev/null)" || { echo "FAIL: files written for agent7" >&2; exit 1; }
run 07-verify verify.yml "${slices[@]}" --limit 'agents:!agent7:!agent8' -e verify_label=s7 -e verify_hosts=6 -e verify_previous=s5 -e verify_expect=same

expect "a slice whose hosts hold only the previous key reuses it (warning); a failed write prints no key"
# A non-sliced rotation reaches agent1 only, so agent2 keeps the previous key (now rotating, in
# its grace period). agent8 is new, and its env file cannot be written: its directory is a
# dangling symlink, so the task that holds the key fails.
run 08-rotate-agent1 deploy.yml --limit agent1 -e agent_credentials_rotate=true -e agent_credentials_old_key_expires_in_seconds=600
"$PY" emu.py grep "$work/logs/08-rotate-agent1.log" '"key_rotated": "yes (rotation requested'
mkdir -p "$work/hosts/agent8/etc"
ln -s "$work/hosts/agent8/missing" "$work/hosts/agent8/etc/prefect"
"$PY" emu.py clear "$emu_url"
run_fails 08-slice-previous deploy.yml "${slices[@]}" --limit agent2:agent8 -vvvv --diff -e agent_credentials_allow_rotation=false
"$PY" emu.py writes "$emu_url"
"$PY" emu.py grep "$work/logs/08-slice-previous.log" "WARNING: no host of this play holds the active key of the service account role-it-agents"
"$PY" emu.py recap "$work/logs/08-slice-previous.log" agent2 "failed=0"
"$PY" emu.py recap "$work/logs/08-slice-previous.log" agent8 "failed=1"
"$PY" emu.py grep "$work/logs/08-slice-previous.log" "the output has been hidden"
# ... and the role says what failed, without the key
"$PY" emu.py grep "$work/logs/08-slice-previous.log" "agent_credentials: writing the key of role-it-agents on agent8 failed (Write the env file)"

expect "a run that may not rotate: a requested rotation and a missing service account fail, no write request"
"$PY" emu.py clear "$emu_url"
run_fails 08-rotate-refused deploy.yml --limit agent4 -e '{"agent_credentials_rotate": true, "agent_credentials_allow_rotation": false}'
"$PY" emu.py grep "$work/logs/08-rotate-refused.log" "agent_credentials_rotate is true but agent_credentials_allow_rotation is false"
run_fails 08-missing-account deploy.yml --limit agent4 -e agent_credentials_allow_rotation=false -e agent_credentials_service_account=role-it-missing
"$PY" emu.py grep "$work/logs/08-missing-account.log" "agent_credentials_allow_rotation is false but the service account role-it-missing does not exist"
"$PY" emu.py writes "$emu_url"

expect "a run over the whole group reuses the active key that agent1 holds"
"$PY" emu.py clear "$emu_url"
run 09-full deploy.yml -vvv
"$PY" emu.py writes "$emu_url"
"$PY" emu.py grep "$work/logs/09-full.log" '"key_rotated": "no"'
verify 09-verify s9 4

expect "--limit to a new host while no host of the play holds the active key: fails before any write"
{
    echo "[agents]"
    echo "agent9 test_host_root=$work/hosts/agent9"
} > "$work/inventory-new.ini"
new=(-i "$work/inventory-new.ini")
"$PY" emu.py clear "$emu_url"
run_fails 10-limit-new-host deploy.yml "${new[@]}" --limit agent9 -vvv
"$PY" emu.py writes "$emu_url"
for text in "No host of this play holds the active key of role-it-agents" "the run is limited (--limit agent9)" \
        "nothing was changed" "run over the whole group agents" "set agent_credentials_rotate: true" \
        "use the key store (agent_credentials_key_store)"; do
    "$PY" emu.py grep "$work/logs/10-limit-new-host.log" "$text"
done
expect "a play over part of the group (no --limit) is limited too"
run_fails 10-subset-new-host deploy.yml "${new[@]}" -e deploy_hosts=agent9
"$PY" emu.py grep "$work/logs/10-subset-new-host.log" "the play has 1 of the 5 hosts of the group agents"
"$PY" emu.py writes "$emu_url"
test -z "$(find "$work/hosts/agent9" -type f 2>/dev/null)" || { echo "FAIL: files written for agent9" >&2; exit 1; }

expect "key store: seeded with the active key held by the hosts (no rotation, no write request)"
controller="$work/controller"
mkdir -p "$controller/store"
chmod 700 "$controller" "$controller/store"
store="$controller/store/role-it-agents.vault"
(umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$controller/vault-pass")
cat > "$controller/store-vars.yml" <<EOF
agent_credentials_key_store: $store
agent_credentials_key_store_vault_id: role-it
agent_credentials_key_store_vault_password: "{{ lookup('ansible.builtin.file', '$controller/vault-pass') }}"
store_vault_pass_file: $controller/vault-pass
EOF
storevars=(-e "@$controller/store-vars.yml")
store_matches() {  # store_matches LABEL: ansible-vault (the user's view) decrypts the store to the key of state LABEL
    ansible-vault view --vault-id "role-it@$controller/vault-pass" "$store" | "$PY" -c '
import hashlib, json, sys
key = sys.stdin.read().strip()
with open(sys.argv[1], encoding="utf-8") as handle:
    expected = json.load(handle)["key_sha256"]
same = hashlib.sha256(key.encode()).hexdigest() == expected
print("ansible-vault view: the store holds the key of state %s: %s" % (sys.argv[2], same))
sys.exit(0 if same else 1)' "$work/state/$1.json" "$1"
}
"$PY" emu.py clear "$emu_url"
run 11-store-seed deploy.yml "${storevars[@]}" -vvv
"$PY" emu.py writes "$emu_url"
"$PY" emu.py grep "$work/logs/11-store-seed.log" '"key_store_changed": "yes"'
"$PY" emu.py grep "$work/logs/11-store-seed.log" '"key_rotated": "no"'
# shellcheck disable=SC2016 # the literal vault header, not a variable
head -n 1 "$store" | grep -qxF '$ANSIBLE_VAULT;1.2;AES256;role-it' || { echo "FAIL: the store is not an Ansible Vault file of the vault id role-it" >&2; exit 1; }
[ "$(stat -c %a "$store")" = 600 ] || { echo "FAIL: the store's mode is $(stat -c %a "$store")" >&2; exit 1; }
store_matches s9
run 11-store-rerun deploy.yml "${storevars[@]}"
"$PY" emu.py recap-unchanged "$work/logs/11-store-rerun.log"
"$PY" emu.py grep "$work/logs/11-store-rerun.log" '"key_store_changed": "no"'

expect "key store: a store made 0644 outside the role is made 0600 again by the next run (no rewrite)"
chmod 0644 "$store"
run 11-store-mode deploy.yml "${storevars[@]}"
[ "$(stat -c %a "$store")" = 600 ] || { echo "FAIL: the store's mode is still $(stat -c %a "$store")" >&2; exit 1; }
"$PY" emu.py grep "$work/logs/11-store-mode.log" '"key_store_changed": "no"'
store_matches s9

expect "key store: --limit to the new host gets the key from the store, no rotation, no write request"
"$PY" emu.py clear "$emu_url"
run 12-store-new-host deploy.yml "${new[@]}" "${storevars[@]}" --limit agent9 -vvv
"$PY" emu.py writes "$emu_url"
"$PY" emu.py grep "$work/logs/12-store-new-host.log" '"key_rotated": "no"'
run 12-verify verify.yml "${new[@]}" --limit agents -e verify_label=s12 -e verify_hosts=5 -e verify_previous=s9 -e verify_expect=same

expect "key store: a rotation is stored before any host gets the key (here the deploy fails)"
rm -rf "$work/hosts/agent9/etc/prefect"
ln -s "$work/hosts/agent9/missing" "$work/hosts/agent9/etc/prefect"
run_fails 13-store-rotate deploy.yml "${new[@]}" "${storevars[@]}" --limit agent9 -e agent_credentials_rotate=true
"$PY" emu.py recap "$work/logs/13-store-rotate.log" agent9 "failed=1"
run 13-verify-store verify_store.yml -e "@$controller/store-vars.yml" -e store_label=s13 -e store_previous=s9 -e store_expect=new
store_matches s13
rm "$work/hosts/agent9/etc/prefect"

expect "key store: the store serves every host (they hold only the previous key), no rotation, no write request"
"$PY" emu.py clear "$emu_url"
run 14-store-all deploy.yml "${new[@]}" "${storevars[@]}" -vvv
"$PY" emu.py writes "$emu_url"
"$PY" emu.py grep "$work/logs/14-store-all.log" '"key_rotated": "no"'
run 14-verify verify.yml "${new[@]}" --limit agents -e verify_label=s14 -e verify_hosts=5 -e verify_previous=s13 -e verify_expect=same

expect "key store encrypted with the user's vault id (--vault-id store@FILE, no password variable)"
# ansible-core 2.19+: the store is written with the secret given to ansible-playbook, read back with
# it, and a --limit run to a host without a key is served from it (no rotation, no write request).
# Older versions: the run fails before any write with the message that names the variable.
store2="$controller/store/role-it-agents-vaultid.vault"
(umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$controller/vault-pass-store")
(umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$controller/vault-pass-other")
vaultid=(-e "agent_credentials_key_store=$store2" -e agent_credentials_key_store_vault_id=store)
core_version=$("$PY" -c 'from ansible.release import __version__; print(__version__)')
if "$PY" -c 'import sys; from ansible.parsing.vault import VaultSecretsContext' 2>/dev/null; then
    echo "ansible-core $core_version has ansible.parsing.vault.VaultSecretsContext: the store uses the vault id"
    "$PY" emu.py clear "$emu_url"
    expect "no vault id loaded: fails before any write, names the option"
    run_fails 14b-vaultid-none deploy.yml "${new[@]}" "${vaultid[@]}" --limit agent9
    "$PY" emu.py grep "$work/logs/14b-vaultid-none.log" "no vault secret was given to ansible-playbook"
    expect "agent_credentials_key_store_vault_id not loaded: fails before any write, names the loaded vault ids"
    run_fails 14b-vaultid-wrong deploy.yml "${new[@]}" "${vaultid[@]}" --limit agent9 --vault-id "other@$controller/vault-pass-other"
    "$PY" emu.py grep "$work/logs/14b-vaultid-wrong.log" "the vault id store (agent_credentials_key_store_vault_id) is not among the vault ids given to ansible-playbook: other."
    "$PY" emu.py writes "$emu_url"
    test ! -e "$store2" || { echo "FAIL: the store was written by a failed run" >&2; exit 1; }
    expect "seeded with the active key held by the hosts, encrypted with the vault id store (another id loaded first)"
    run 14b-vaultid-seed deploy.yml "${new[@]}" "${vaultid[@]}" -vvvv \
        --vault-id "other@$controller/vault-pass-other" --vault-id "store@$controller/vault-pass-store"
    "$PY" emu.py writes "$emu_url"
    "$PY" emu.py grep "$work/logs/14b-vaultid-seed.log" '"key_store_changed": "yes"'
    "$PY" emu.py grep "$work/logs/14b-vaultid-seed.log" '"key_rotated": "no"'
    # shellcheck disable=SC2016 # the literal vault header, not a variable
    head -n 1 "$store2" | grep -qxF '$ANSIBLE_VAULT;1.2;AES256;store' || { echo "FAIL: the store is not an Ansible Vault file of the vault id store" >&2; exit 1; }
    [ "$(stat -c %a "$store2")" = 600 ] || { echo "FAIL: the store's mode is $(stat -c %a "$store2")" >&2; exit 1; }
    ansible-vault view --vault-id "store@$controller/vault-pass-store" "$store2" | "$PY" -c '
import hashlib, json, sys
key = sys.stdin.read().strip()
with open(sys.argv[1], encoding="utf-8") as handle:
    expected = json.load(handle)["key_sha256"]
same = hashlib.sha256(key.encode()).hexdigest() == expected
print("ansible-vault view --vault-id store@...: the store holds the key of state s14: %s" % same)
sys.exit(0 if same else 1)' "$work/state/s14.json"
    if ansible-vault view --vault-id "other@$controller/vault-pass-other" "$store2" > /dev/null 2>&1; then
        echo "FAIL: the store decrypts with the other vault id" >&2
        exit 1
    fi
    expect "--limit to a host without a key: served from the store (read with the loaded vault id), no rotation, no write request"
    rm -rf "$work/hosts/agent9"
    "$PY" emu.py clear "$emu_url"
    run 14b-vaultid-limit deploy.yml "${new[@]}" "${vaultid[@]}" --limit agent9 -vvv --vault-id "store@$controller/vault-pass-store"
    "$PY" emu.py writes "$emu_url"
    "$PY" emu.py grep "$work/logs/14b-vaultid-limit.log" '"key_rotated": "no"'
    "$PY" emu.py grep "$work/logs/14b-vaultid-limit.log" '"key_store_changed": "no"'
    run 14b-verify verify.yml "${new[@]}" --limit agents -e verify_label=s14b -e verify_hosts=5 -e verify_previous=s14 -e verify_expect=same
else
    echo "ansible-core $core_version has no ansible.parsing.vault.VaultSecretsContext (2.19+): the store needs"
    echo "agent_credentials_key_store_vault_password; checking that the role says so before any write"
    "$PY" emu.py clear "$emu_url"
    run_fails 14b-vaultid-old-core deploy.yml "${new[@]}" "${vaultid[@]}" --limit agent9 --vault-id "store@$controller/vault-pass-store"
    "$PY" emu.py grep "$work/logs/14b-vaultid-old-core.log" "agent_credentials_key_store_vault_password is required on ansible-core $core_version"
    "$PY" emu.py grep "$work/logs/14b-vaultid-old-core.log" "needs ansible-core 2.19 or later"
    "$PY" emu.py writes "$emu_url"
    test ! -e "$store2" || { echo "FAIL: the store was written by a failed run" >&2; exit 1; }
fi

expect "an AWX slice: its inventory holds only agent10, so the group looks complete and the run would rotate (check mode)"
# An AWX slice job gets an inventory of its slice's hosts only, and the extra variables
# awx_workflow_job_id / tower_workflow_job_id of the slice workflow job (AWX sets them for every
# job that a workflow job spawns; nothing says "slice").
{
    echo "[agents]"
    echo "agent10 test_host_root=$work/hosts/agent10"
    echo "[agents:vars]"
    echo "ansible_connection=local"
    echo "ansible_python_interpreter={{ ansible_playbook_python }}"
} > "$work/inventory-slice.ini"
inventory=(-i "$work/inventory-slice.ini")
workflow=(-e awx_workflow_job_id=42 -e '{"awx_workflow_job_name": "deploy agents - slice"}')
"$PY" emu.py clear "$emu_url"
run 14w-slice-check deploy.yml --check -vvv
"$PY" emu.py grep "$work/logs/14w-slice-check.log" '"key_rotated": "yes (no host of the play holds the active key'
"$PY" emu.py writes "$emu_url"

expect "the same slice inside an AWX workflow job: fails before any write (check mode and real run), naming the ways out"
"$PY" emu.py fingerprint "$work/hosts" "$work/state/before-workflow.txt"
run_fails 14w-workflow-check deploy.yml "${workflow[@]}" --check --diff -vvv
run_fails 14w-workflow-refused deploy.yml "${workflow[@]}" -vvvv --diff
run_fails 14w-tower-refused deploy.yml -e tower_workflow_job_id=42 -e awx_workflow_job_id=
run_fails 14w-workflow-missing deploy.yml "${workflow[@]}" -e agent_credentials_service_account=role-it-wf-missing
"$PY" emu.py writes "$emu_url"
"$PY" emu.py grep "$work/logs/14w-workflow-missing.log" "nor rotates its key, but the service account role-it-wf-missing does not exist"
for log in 14w-workflow-check 14w-workflow-refused; do
    for text in "This job runs in the AWX workflow job 42 ('deploy agents - slice') and may be one slice of a sliced job template" \
            "but no host of this play (agent10) holds a key that authenticates as the service account role-it-agents" \
            "run the role in a job that is neither part of a workflow nor sliced" \
            "set agent_credentials_rotate: true if a rotation is really wanted" \
            "use the key store (agent_credentials_key_store)" \
            "if this workflow job is not sliced, set agent_credentials_allow_rotation: true explicitly. Nothing was changed."; do
        "$PY" emu.py grep "$work/logs/$log.log" "$text"
    done
done
"$PY" emu.py grep "$work/logs/14w-tower-refused.log" "This job runs in the AWX workflow job 42 and may be one slice"
"$PY" emu.py fingerprint "$work/hosts" "$work/state/after-workflow.txt"
cmp "$work/state/before-workflow.txt" "$work/state/after-workflow.txt" || { echo "FAIL: files changed by the refused runs" >&2; exit 1; }
test -z "$(find "$work/hosts/agent10" -type f 2>/dev/null)" || { echo "FAIL: files written for agent10" >&2; exit 1; }

expect "the slice inside an AWX workflow job with the key store: gets the active key from it, no rotation, no write request"
run 14w-workflow-store deploy.yml "${workflow[@]}" "${storevars[@]}" -vvv
"$PY" emu.py writes "$emu_url"
"$PY" emu.py grep "$work/logs/14w-workflow-store.log" '"key_rotated": "no"'
"$PY" emu.py grep "$work/logs/14w-workflow-store.log" '"key_store_changed": "no"'
run 14w-verify-store verify.yml -e verify_label=s14w -e verify_hosts=1 -e verify_previous=s14 -e verify_expect=same

expect "the slice inside an AWX workflow job with agent_credentials_allow_rotation=true (not sliced, stated): rotates"
rm -rf "$work/hosts/agent10"
run 14w-workflow-allowed deploy.yml "${workflow[@]}" -e agent_credentials_allow_rotation=true -vvv
"$PY" emu.py grep "$work/logs/14w-workflow-allowed.log" '"key_rotated": "yes (no host of the play holds the active key'
if "$PY" emu.py writes "$emu_url" 'rotate_api_key'; then
    echo "FAIL: agent_credentials_allow_rotation=true in a workflow job did not rotate" >&2
    exit 1
fi
run 14w-verify-allowed verify.yml -e verify_label=s14x -e verify_hosts=1 -e verify_previous=s14w -e verify_expect=new
inventory=(-i "$work/inventory.ini")

race() {  # race STEP EXTRA_JSON FAULTS_JSON HOST_A HOST_B: two runs at once for role-it-race, one new host each
    local step=$1 race_extra=$2 faults=$3 hosts=("$4" "$5") pids=() codes=() index rc saved=("${inventory[@]}")
    for index in 0 1; do
        {
            echo "[agents]"
            echo "${hosts[$index]} test_host_root=$work/hosts/${hosts[$index]}"
            echo "[agents:vars]"
            echo "ansible_connection=local"
            echo "ansible_python_interpreter={{ ansible_playbook_python }}"
        } > "$work/inventory-${hosts[$index]}.ini"
    done
    "$PY" emu.py clear "$emu_url"
    "$PY" emu.py faults "$emu_url" "$faults"
    for index in 0 1; do
        echo "=== $step-${hosts[$index]}: ansible-playbook deploy.yml (host ${hosts[$index]}, in the background) $race_extra"
        ansible-playbook -i "$work/inventory-${hosts[$index]}.ini" "${common[@]}" deploy.yml -vvv \
            -e agent_credentials_service_account=role-it-race -e "$race_extra" > "$work/logs/$step-${hosts[$index]}.log" 2>&1 &
        pids+=($!)
    done
    for index in 0 1; do
        rc=0
        wait "${pids[$index]}" || rc=$?
        codes+=("$rc")
    done
    "$PY" emu.py faults "$emu_url" '[]'
    for index in 0 1; do
        echo "=== $step-${hosts[$index]} exit code ${codes[$index]}"
        cat "$work/logs/$step-${hosts[$index]}.log"
    done
    inventory=(-i "$work/inventory-${hosts[0]}.ini" -i "$work/inventory-${hosts[1]}.ini")
    run "$step-verify" race_verify.yml -e race_service_account=role-it-race
    inventory=("${saved[@]}")
    # Each run either succeeded and its host holds the ACTIVE key, or failed before writing any
    # file and said that a concurrent run changed the service account; at least one succeeded.
    "$PY" - "$work/state" "$work/logs/$step" "${hosts[0]}" "${codes[0]}" "${hosts[1]}" "${codes[1]}" <<'PY'
import json
import sys

state, logs = sys.argv[1], sys.argv[2]
runs = list(zip(sys.argv[3::2], sys.argv[4::2]))
ok, won = True, 0
for host, code in runs:
    with open(f"{state}/race-{host}.json", encoding="utf-8") as handle:
        held = json.load(handle)
    with open(f"{logs}-{host}.log", encoding="utf-8", errors="replace") as handle:
        said = "Concurrent run: another run changed the service account role-it-race" in handle.read()
    if code == "0":
        won += 1
        good = held["state"] == "active"
        print(f"{host}: the run succeeded and its host holds the {held['state']} key: {'OK' if good else 'FAIL'}")
    else:
        good = held["files"] == 0 and said
        print(f"{host}: the run failed (exit code {code}), {held['files']} files on its host, "
              f"concurrent-run message: {said}: {'OK' if good else 'FAIL'}")
    ok = ok and good
if not won:
    print("FAIL: neither run succeeded")
print("concurrent runs: " + ("every host holds the active key, or its run failed before writing and said why" if ok and won else "FAIL"))
sys.exit(0 if ok and won else 1)
PY
}

expect "two first runs at once (both creates delayed 10 s, so both start before the account exists): one creates"
expect "and deploys; the other gets HTTP 409 and fails before writing any key, naming the concurrent run"
race 14r-create '{"agent_credentials_settle_seconds": 1}' \
    '[{"method": "POST", "path": "/bots/$", "times": 2, "latency": 10}]' raceA raceB
# both runs sent their create: the runs really overlapped
"$PY" emu.py count "$emu_url" '^POST .*/bots/$' 2

expect "two forced rotations at once (both delayed 5 s, so both pass the check before either is applied):"
expect "the run whose key was replaced sees it after agent_credentials_settle_seconds and fails before writing"
race 14r-rotate '{"agent_credentials_rotate": true, "agent_credentials_settle_seconds": 15}' \
    '[{"method": "POST", "path": "/rotate_api_key$", "times": 2, "latency": 5}]' raceC raceD

expect "no issued key in clear text on the controller (work and temporary directories, the key store)"
# Excluded: the agent hosts' files (they hold the key by design) and this test's own state
# directory (verify.yml keeps keys there for the grace period check).
"$PY" emu.py leak-scan-dirs "$emu_url" "$work" "$ANSIBLE_LOCAL_TEMP" "$ANSIBLE_REMOTE_TMP" "$HOME/.ansible/tmp" \
    --exclude "$work/hosts" --exclude "$work/state"

expect "a key returned by the API with a line break (env file injection) is refused before any file is written"
"$PY" emu.py faults "$emu_url" '[{"method": "POST", "key_suffix": "\nLD_PRELOAD=evil.so", "times": -1}]'
"$PY" emu.py fingerprint "$work/hosts/agent4" "$work/state/before-evil.txt"
run_fails 16-injection deploy.yml --limit agent4 -e agent_credentials_service_account=role-it-evil
"$PY" emu.py faults "$emu_url" '[]'
"$PY" emu.py fingerprint "$work/hosts/agent4" "$work/state/after-evil.txt"
cmp "$work/state/before-evil.txt" "$work/state/after-evil.txt" || { echo "FAIL: files changed by the refused run" >&2; exit 1; }
if grep -rl 'LD_PRELOAD' "$work/hosts"; then echo "FAIL: LD_PRELOAD written to a host file" >&2; exit 1; fi
# The role refuses it (this message); the modules may refuse such a key on receipt already.
if ! "$PY" emu.py grep "$work/logs/16-injection.log" "PREFECT_API_KEY contains a control character"; then
    "$PY" emu.py grep "$work/logs/16-injection.log" "TASK [prefect.cloud.agent_credentials : Ensure the service account exists]"
    grep -A3 'Ensure the service account exists' "$work/logs/16-injection.log" | grep -q 'FAILED' \
        || { echo "FAIL: the run did not fail where the key was refused" >&2; exit 1; }
    echo "the module refused the key on receipt"
fi

expect "no issued key in anything printed"
"$PY" emu.py leak-scan "$emu_url" "$work"/logs/*.log
echo "role_agent_credentials: all checks passed in ${SECONDS}s"
