#!/usr/bin/env bash
# shellcheck disable=SC2034,SC2154 # work, emu_url, skip_reason are set by, and inventory, probe_python used by harness.sh
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# prefect.cloud.agent_credentials with the HashiCorp Vault key store (agent_credentials_key_store_type
# hashi_vault_kv2), against the Prefect Cloud emulator and the Vault KV v2 emulator
# (tests/emulator/vault_emulator), with the plays of ../role_agent_credentials:
#   0. community.hashi_vault is taken from the ansible package on PyPI (only its directory is kept)
#      and hvac is installed with pip --target, both cached under ~/.cache/prefect-cloud-tests
#   1. community.hashi_vault missing: one-line error, no write request (Prefect, Vault)
#   2. hvac missing: one-line error, no write request
#   3. a bad Vault token: fails before any Prefect Cloud write
#   3r. a first run (no secret yet) whose secret another writer creates in the meantime: the
#      check-and-set write (cas 0) is refused, no host gets the key
#   4. first deployment on three hosts: the store is written (other fields of the secret kept,
#      check-and-set) before the hosts get the key, no key in clear text on the controller
#   5. re-run: changed=0, no write request (Prefect, Vault)
#   6. --limit to a new host: served from the store, no rotation, no write request
#   7. a rotation updates the store before the hosts (the deploy of the host fails; the store holds
#      the new active key), then the store serves every host; 8. a full rotation: the Vault write
#      comes before every host's file; check mode writes nothing
#   9. decommission (agent_credentials_state absent) with the service account deleted: check mode
#      writes nothing; the real run deletes the account and writes a version of the secret without
#      its api_key field (owner kept); a second run changes nothing
#  10. no issued key in clear text on the controller or in anything printed
set -euo pipefail
cd "$(dirname "$0")"

roletarget=../role_agent_credentials
# shellcheck source=../role_agent_credentials/harness.sh
. "$roletarget/harness.sh"
harness_init role_agent_credentials_hashi_vault

# --- 0. community.hashi_vault and hvac (optional requirements), cached ------------------------
# The collection comes from the ansible package on PyPI (galaxy.ansible.com may be unreachable):
# ansible 11.13.0 bundles community.hashi_vault 6.2.1 (vault_kv2_write since 4.2.0; requires
# ansible-core >= 2.14, so it supports 2.16 to 2.22). Only its directory is kept.
ansible_pkg=ansible==11.13.0
hv_version=6.2.1
hvac_spec='hvac>=2.1,<3'
# The Python that runs ansible-playbook, hence the modules on localhost (ansible_playbook_python).
apy=$(ansible --version | sed -n 's/^ *python version = .*(\(\/[^()]*\))$/\1/p' | head -n1)
apy=${apy:-$PY}
pyver=$("$apy" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
cache="$HOME/.cache/prefect-cloud-tests"
hv_collections="$cache/community.hashi_vault-$hv_version"
hvac_dir="$cache/hvac-py$pyver-$(printf '%s' "$hvac_spec" | tr -c 'A-Za-z0-9.' '_')"
mkdir -p "$cache"
probe_python=$apy  # fetch_or_skip probes the package index with it
started=$SECONDS
if [ ! -f "$hv_collections/.complete" ]; then
    echo "downloading $ansible_pkg to extract community.hashi_vault $hv_version into $hv_collections (cached)"
    rm -rf "$hv_collections" "$hv_collections.tmp" "$work/ansible-wheel"
    if fetch_or_skip hashi-vault-download.txt timeout 300 "$apy" -m pip download --disable-pip-version-check -q --no-deps \
            -d "$work/ansible-wheel" "$ansible_pkg"; then
        "$apy" - "$work/ansible-wheel" "$hv_collections.tmp" "$hv_version" <<'PY'
import glob, json, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "ansible-*.whl"))[0]
prefix = "ansible_collections/community/hashi_vault/"
with zipfile.ZipFile(wheel) as archive:
    names = [name for name in archive.namelist() if name.startswith(prefix)]
    archive.extractall(sys.argv[2], names)
manifest = os.path.join(sys.argv[2], prefix, "MANIFEST.json")
with open(manifest, encoding="utf-8") as handle:
    version = json.load(handle)["collection_info"]["version"]
if version != sys.argv[3]:
    sys.exit("community.hashi_vault %s in %s, expected %s" % (version, os.path.basename(wheel), sys.argv[3]))
print("community.hashi_vault %s extracted from %s (%d files)" % (version, os.path.basename(wheel), len(names)))
PY
        mv "$hv_collections.tmp" "$hv_collections"
        touch "$hv_collections/.complete"
        rm -rf "$work/ansible-wheel"
    fi
fi
if [ -z "$skip_reason" ] && [ ! -f "$hvac_dir/.complete" ]; then
    echo "installing $hvac_spec into $hvac_dir (pip --target, cached; not into the test venv)"
    rm -rf "$hvac_dir" "$hvac_dir.tmp"
    if fetch_or_skip hvac-install.txt timeout 300 "$apy" -m pip install --disable-pip-version-check -q --no-compile \
            --target "$hvac_dir.tmp" "$hvac_spec"; then
        mv "$hvac_dir.tmp" "$hvac_dir"
        touch "$hvac_dir/.complete"
    fi
fi
if [ -n "$skip_reason" ]; then
    echo "##########################################################################"
    echo "SKIPPED: role_agent_credentials_hashi_vault did not run: $skip_reason"
    echo "##########################################################################"
    exit 0
fi
echo "optional requirements ready in $((SECONDS - started))s (community.hashi_vault $hv_version, $hvac_spec for Python $pyver)"

# Collection paths: the collection under test (ansible-test's, or the ansible_collections tree
# this target sits in), with or without community.hashi_vault. Python's sys.path is not scanned,
# so a community.hashi_vault installed with the ansible package does not count.
base_collections=${ANSIBLE_COLLECTIONS_PATH:-${ANSIBLE_COLLECTIONS_PATHS:-$(cd ../../../../../.. && pwd)}}
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
with_hv=(env "ANSIBLE_COLLECTIONS_PATH=$base_collections:$hv_collections" "PYTHONPATH=$hvac_dir${PYTHONPATH:+:$PYTHONPATH}")
without_hv=(env "ANSIBLE_COLLECTIONS_PATH=$base_collections")
without_hvac=(env "ANSIBLE_COLLECTIONS_PATH=$base_collections:$hv_collections")

# --- The emulators --------------------------------------------------------------------------
if ! "$PY" "$roletarget/emu.py" health "$emu_url"; then
    echo "FAIL: the Prefect Cloud emulator does not answer at $emu_url (tools/test starts it)" >&2
    exit 1
fi
# ansible-test runs a copy of this target: find tests/emulator in the collection under test.
emulator_dir=''
IFS=: read -r -a collection_dirs <<< "$base_collections"
for dir in "${collection_dirs[@]}" ../../../../../..; do
    if [ -d "$dir/ansible_collections/prefect/cloud/tests/emulator/vault_emulator" ]; then
        emulator_dir=$(cd "$dir/ansible_collections/prefect/cloud/tests/emulator" && pwd)
        break
    fi
done
[ -n "$emulator_dir" ] || { echo "FAIL: tests/emulator/vault_emulator not found under $base_collections" >&2; exit 1; }
mount=kv
secret=prefect/role-it-agents
vault_token=$("$PY" -c 'import secrets; print("hvs." + secrets.token_urlsafe(24))')
VAULT_EMULATOR_TOKEN=$vault_token PYTHONPATH=$emulator_dir "$PY" -m vault_emulator --port 0 --mount "$mount" \
    --ready-file "$work/vault.ready" > "$work/vault-emulator.log" 2>&1 &
vault_pid=$!
trap 'kill "$vault_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$work/vault.ready" ] && break; sleep 0.1; done
[ -s "$work/vault.ready" ] || { cat "$work/vault-emulator.log" >&2; echo "FAIL: the Vault emulator did not start" >&2; exit 1; }
vault_url=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["url"])' "$work/vault.ready")
"$PY" vault.py health "$vault_url"
echo "Vault emulator at $vault_url"

{
    echo "[agents]"
    for host in agent1 agent2 agent3 agent4; do
        echo "$host test_host_root=$work/hosts/$host"
    done
    echo "[agents:vars]"
    echo "ansible_connection=local"
    echo "ansible_python_interpreter={{ ansible_playbook_python }}"
} > "$work/inventory.ini"

(umask 077 && printf '%s\n' "$vault_token" > "$work/vault-token")
cat > "$work/store-vars.yml" <<EOF
agent_credentials_key_store_type: hashi_vault_kv2
agent_credentials_key_store: $secret
agent_credentials_key_store_hashi_vault:
  url: $vault_url
  engine_mount_point: $mount
  token: "{{ lookup('ansible.builtin.file', '$work/vault-token') }}"
EOF
inventory=(-i "$work/inventory.ini")
common=(-e "@$config" -e "test_os_user=$(id -un)" -e "test_state_dir=$work/state"
    -e "@$work/store-vars.yml")
three=(--limit "agent1:agent2:agent3")
one_line() {  # one_line STEP TEXT: one failed task of STEP has a one-line message with TEXT
    local count
    count=$(grep -c -F "\"msg\": \"$2" "$work/logs/$1.log" || true)
    echo "$count failed task(s) of $1 say: $2"
    [ "$count" = 1 ] || { echo "FAIL: expected one failure with that message" >&2; exit 1; }
    "$PY" "$roletarget/emu.py" recap "$work/logs/$1.log" agent1 "failed=1"
}
verify() {  # verify STEP LABEL HOSTS [PREVIOUS EXPECT]: HOSTS 3 = agent1..agent3, 4 = all
    local limit=(--limit agents)
    [ "$3" = 3 ] && limit=("${three[@]}")
    run "$1" "${with_hv[@]}" -- "$roletarget/verify.yml" "${limit[@]}" -e "verify_label=$2" -e "verify_hosts=$3" \
        -e "verify_previous=${4:-}" -e "verify_expect=${5:-}"
}
no_writes() {  # no Prefect Cloud write request and no Vault write request since the last clear
    "$PY" "$roletarget/emu.py" writes "$emu_url"
    "$PY" vault.py writes "$vault_url" 0
}
clear_logs() { "$PY" "$roletarget/emu.py" clear "$emu_url"; "$PY" vault.py clear "$vault_url"; }

run 00-setup "${with_hv[@]}" -- "$roletarget/setup.yml"
"$PY" vault.py seed "$vault_url" "$vault_token" "$mount" "$secret"

expect "community.hashi_vault missing: a one-line error, no write request"
# ansible-doc exits 0 with a warning when the module is not found
if ! "${without_hv[@]}" ansible-doc -t module community.hashi_vault.vault_kv2_get 2>&1 | grep -q 'was not found'; then
    echo "FAIL: community.hashi_vault is found without $hv_collections: the missing case cannot be tested" >&2
    exit 1
fi
clear_logs
run_fails 01-no-collection "${without_hv[@]}" -- "$roletarget/deploy.yml" "${three[@]}" -vvv
one_line 01-no-collection "agent_credentials_key_store_type hashi_vault_kv2 needs the collection community.hashi_vault"
no_writes

expect "hvac missing: a one-line error, no write request"
if "$apy" -c 'import hvac' > /dev/null 2>&1; then
    echo "NOTE: $apy imports hvac by itself: the missing hvac case is not tested"
else
    clear_logs
    run_fails 02-no-hvac "${without_hvac[@]}" -- "$roletarget/deploy.yml" "${three[@]}" -vvv
    one_line 02-no-hvac "agent_credentials_key_store: cannot read the secret $secret of the KV v2 mount $mount from HashiCorp Vault at $vault_url: the Python library hvac is missing on the controller"
    no_writes
fi

expect "a bad Vault token: fails before any Prefect Cloud write"
clear_logs
run_fails 03-bad-token "${with_hv[@]}" -- "$roletarget/deploy.yml" "${three[@]}" -vvvv \
    -e '{"agent_credentials_key_store_hashi_vault": {"url": "'"$vault_url"'", "engine_mount_point": "'"$mount"'", "token": "hvs.not-the-token"}}'
one_line 03-bad-token "agent_credentials_key_store: cannot read the secret $secret of the KV v2 mount $mount from HashiCorp Vault at $vault_url: Forbidden: Permission Denied to path"
no_writes
test -z "$(find "$work/hosts" -type f)" || { echo "FAIL: files written on a host" >&2; exit 1; }

expect "a first run whose secret is created by another writer after the run read it (absent): the"
expect "check-and-set write (cas 0) is refused, no host gets the key, the message names the concurrent run"
# The run reads the missing secret, then its Prefect Cloud create is delayed 8 s; meanwhile the
# secret is written (as a concurrent first run would). Without cas 0 the run would write version 2.
{
    echo "[agents]"
    echo "raceV test_host_root=$work/hosts/raceV"
    echo "[agents:vars]"
    echo "ansible_connection=local"
    echo "ansible_python_interpreter={{ ansible_playbook_python }}"
} > "$work/inventory-race.ini"
race_secret=prefect/role-it-vault-race
clear_logs
"$PY" "$roletarget/emu.py" faults "$emu_url" '[{"method": "POST", "path": "/bots/$", "times": 1, "latency": 8}]'
"${with_hv[@]}" ansible-playbook -i "$work/inventory-race.ini" "${common[@]}" "$roletarget/deploy.yml" -vvv \
    -e agent_credentials_service_account=role-it-vault-race -e "agent_credentials_key_store=$race_secret" \
    > "$work/logs/03r-first-write.log" 2>&1 &
race_pid=$!
"$PY" vault.py wait-read "$vault_url" "$mount" "$race_secret" 120
"$PY" vault.py seed "$vault_url" "$vault_token" "$mount" "$race_secret"
race_rc=0
wait "$race_pid" || race_rc=$?
"$PY" "$roletarget/emu.py" faults "$emu_url" '[]'
cat "$work/logs/03r-first-write.log"
[ "$race_rc" != 0 ] || { echo "FAIL: the run succeeded although the secret was created after it read it" >&2; exit 1; }
"$PY" "$roletarget/emu.py" grep "$work/logs/03r-first-write.log" \
    "concurrent run: the secret was created by another writer since this run read it, so the check-and-set write was refused"
"$PY" vault.py versions "$vault_url" "$mount" "$race_secret" 1
test -z "$(find "$work/hosts/raceV" -type f 2>/dev/null)" || { echo "FAIL: files written for raceV" >&2; exit 1; }

expect "first deployment: account created, the store written (owner field kept), then the hosts"
clear_logs
run 04-create "${with_hv[@]}" -- "$roletarget/deploy.yml" "${three[@]}" -vvvv --diff
"$PY" "$roletarget/emu.py" grep "$work/logs/04-create.log" '"key_store_changed": "yes"'
if ! "$PY" "$roletarget/emu.py" writes "$emu_url" 'rotate_api_key'; then
    echo "FAIL: the key was rotated on creation" >&2
    exit 1
fi
"$PY" vault.py writes "$vault_url" 1
"$PY" vault.py holds "$vault_url" "$emu_url" "$mount" "$secret" 2
"$PY" vault.py written-before "$vault_url" "$work"/hosts/agent[123]/etc/prefect/worker.env
verify 04-verify s4 3
"$PY" vault.py same-as "$vault_url" "$mount" "$secret" "$work/state/s4.json"

expect "re-run: changed=0, no write request"
clear_logs
run 05-rerun "${with_hv[@]}" -- "$roletarget/deploy.yml" "${three[@]}" -vvv
"$PY" "$roletarget/emu.py" recap-unchanged "$work/logs/05-rerun.log"
"$PY" "$roletarget/emu.py" grep "$work/logs/05-rerun.log" '"key_store_changed": "no"'
no_writes

expect "--limit to a new host: the key comes from the store, no rotation, no write request"
clear_logs
run 06-limit-new-host "${with_hv[@]}" -- "$roletarget/deploy.yml" --limit agent4 -vvv
"$PY" "$roletarget/emu.py" grep "$work/logs/06-limit-new-host.log" '"key_rotated": "no"'
no_writes
verify 06-verify s6 4 s4 same

expect "a rotation updates the store before the hosts (the deploy of agent4 fails, the store holds the new key)"
rm -rf "$work/hosts/agent4/etc/prefect"
ln -s "$work/hosts/agent4/missing" "$work/hosts/agent4/etc/prefect"
clear_logs
run_fails 07-rotate-store-first "${with_hv[@]}" -- "$roletarget/deploy.yml" --limit agent4 -vvvv -e agent_credentials_rotate=true
"$PY" "$roletarget/emu.py" recap "$work/logs/07-rotate-store-first.log" agent4 "failed=1"
"$PY" vault.py writes "$vault_url" 1
"$PY" vault.py holds "$vault_url" "$emu_url" "$mount" "$secret" 3
rm "$work/hosts/agent4/etc/prefect"

expect "the store serves every host (they hold only the previous key): no rotation, no write request"
clear_logs
run 07-store-all "${with_hv[@]}" -- "$roletarget/deploy.yml" -vvv
"$PY" "$roletarget/emu.py" grep "$work/logs/07-store-all.log" '"key_rotated": "no"'
no_writes
verify 07-verify s7 4 s6 new
"$PY" vault.py same-as "$vault_url" "$mount" "$secret" "$work/state/s7.json"

expect "check mode with a rotation: nothing written in Vault"
clear_logs
run 08-check-rotate "${with_hv[@]}" -- "$roletarget/deploy.yml" --check --diff -vvvv -e agent_credentials_rotate=true
"$PY" "$roletarget/emu.py" grep "$work/logs/08-check-rotate.log" '"key_store_changed": "yes (new key)"'
no_writes

expect "a full rotation: the Vault write comes before every host's files"
clear_logs
run 08-rotate "${with_hv[@]}" -- "$roletarget/deploy.yml" -vvv --diff -e agent_credentials_rotate=true
"$PY" vault.py writes "$vault_url" 1
"$PY" vault.py holds "$vault_url" "$emu_url" "$mount" "$secret" 4
"$PY" vault.py written-before "$vault_url" "$work"/hosts/agent[1234]/etc/prefect/worker.env \
    "$work"/hosts/agent[1234]/home/.prefect/profiles.toml
verify 08-verify s8 4 s7 new

expect "decommission with the service account deleted: check mode writes nothing; the real run deletes the account,"
expect "then writes a version of the secret without api_key (owner kept); a second run changes nothing"
decom=(-e agent_credentials_state=absent -e agent_credentials_delete_service_account=true)
clear_logs
run 09-decommission-check "${with_hv[@]}" -- "$roletarget/deploy.yml" "${decom[@]}" --check
"$PY" "$roletarget/emu.py" grep "$work/logs/09-decommission-check.log" '"key_store_changed": "yes"'
no_writes
run 09-decommission "${with_hv[@]}" -- "$roletarget/deploy.yml" "${decom[@]}"
"$PY" "$roletarget/emu.py" count "$emu_url" '^DELETE .*/bots/[0-9a-f-]+$' 1
"$PY" vault.py writes "$vault_url" 1
"$PY" vault.py key-removed "$vault_url" "$mount" "$secret" 5
clear_logs
run 09-decommission-again "${with_hv[@]}" -- "$roletarget/deploy.yml" "${decom[@]}"
"$PY" "$roletarget/emu.py" recap-unchanged "$work/logs/09-decommission-again.log"
no_writes

expect "no issued key in clear text on the controller, nor in anything printed"
"$PY" "$roletarget/emu.py" leak-scan-dirs "$emu_url" "$work" "$ANSIBLE_LOCAL_TEMP" "$ANSIBLE_REMOTE_TMP" "$HOME/.ansible/tmp" \
    --exclude "$work/hosts" --exclude "$work/state"
"$PY" "$roletarget/emu.py" leak-scan "$emu_url" "$work"/logs/*.log
if grep -l -F "$vault_token" "$work"/logs/*.log; then
    echo "FAIL: the Vault token was printed" >&2
    exit 1
fi
echo "role_agent_credentials_hashi_vault: all checks passed in ${SECONDS}s"
