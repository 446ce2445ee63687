# shellcheck shell=bash
# shellcheck disable=SC2034 # emu_url, skip_reason, ... are used by the scripts that source this file
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The harness of the role_agent_credentials* targets, sourced by their runme.sh (after cd to the
# target's directory):
#   harness_init NAME            the integration config, $PY, $emu_url, the work directory
#                                $work = $OUTPUT_DIR/NAME (hosts/, state/, logs/), ANSIBLE_ROLES_PATH and
#                                the controller's temporary directories (scanned for keys later)
#   value NAME                   a value of the integration config
#   expect TEXT                  print what the next step checks
#   run STEP [PREFIX... --] ARGS...
#                                ansible-playbook "${inventory[@]}" "${common[@]}" ARGS, run by the
#                                command PREFIX (such as env VAR=...), output to the terminal and to
#                                $work/logs/STEP.log; the script fails when it fails
#   run_fails STEP [PREFIX... --] ARGS...
#                                the same, but the run must fail
#   fetch_or_skip LOG CMD...     run CMD (a download or an install from the package index), output
#                                to $work/logs/LOG: fail the script when CMD fails although the index
#                                answers, or set $skip_reason and return 1 when it is unreachable
# The caller sets the arrays inventory and common before it runs a playbook.

value() { sed -n "s/^$1: *['\"]\{0,1\}\([^'\"]*\)['\"]\{0,1\} *\$/\1/p" "$config" | head -n1; }

harness_init() {
    local name=$1
    config=../../integration_config.yml
    if [ ! -f "$config" ]; then
        echo "$name: $config is missing (tools/test writes it; see README.md, Testing)" >&2
        exit 1
    fi
    config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
    PY=$(command -v python3 || command -v python)
    emu_url=$(value prefect_emulator_url)
    out=${OUTPUT_DIR:-$(mktemp -d)}
    work="$out/$name"
    rm -rf "$work"
    mkdir -p "$work/hosts" "$work/state" "$work/logs"
    export ANSIBLE_ROLES_PATH=..
    export ANSIBLE_LOCAL_TEMP="$work/controller-tmp" ANSIBLE_REMOTE_TMP="$work/remote-tmp"
    inventory=()
    common=()
    skip_reason=''
}

expect() { echo "--- expect (at ${SECONDS}s): $*"; }

_split_prefix() {  # sets _prefix (the words before --, if there is a --) and _args (the rest)
    _prefix=()
    _args=("$@")
    local index
    for index in "${!_args[@]}"; do
        if [ "${_args[$index]}" = -- ]; then
            _prefix=("${_args[@]:0:$index}")
            _args=("${_args[@]:$((index + 1))}")
            return
        fi
    done
}

run() {
    local step=$1
    shift
    _split_prefix "$@"
    echo "=== $step: ansible-playbook ${_args[*]}"
    "${_prefix[@]}" ansible-playbook "${inventory[@]}" "${common[@]}" "${_args[@]}" 2>&1 | tee "$work/logs/$step.log"
    [ "${PIPESTATUS[0]}" = 0 ] || { echo "FAIL: $step failed" >&2; exit 1; }
}

run_fails() {
    local step=$1 rc=0
    shift
    _split_prefix "$@"
    echo "=== $step (must fail): ansible-playbook ${_args[*]}"
    "${_prefix[@]}" ansible-playbook "${inventory[@]}" "${common[@]}" "${_args[@]}" > "$work/logs/$step.log" 2>&1 || rc=$?
    cat "$work/logs/$step.log"
    if [ "$rc" = 0 ]; then
        echo "FAIL: $step succeeded" >&2
        exit 1
    fi
    echo "--- $step failed as expected (exit code $rc)"
}

fetch_or_skip() {
    local log=$1
    shift
    if "$@" > "$work/logs/$log" 2>&1; then
        return 0
    fi
    # Skip only when the package index cannot be reached; any other failure fails the test.
    if "${probe_python:-$PY}" -m pip download --disable-pip-version-check -q --no-deps -d "$work/pip-probe" six \
            > "$work/logs/pip-probe.txt" 2>&1; then
        echo "FAIL: $* failed although the package index answers:" >&2
        tail -n 5 "$work/logs/$log" >&2
        exit 1
    fi
    skip_reason="the package index is unreachable ($(tail -n 1 "$work/logs/pip-probe.txt"))"
    return 1
}
