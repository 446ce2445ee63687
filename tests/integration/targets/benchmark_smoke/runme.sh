#!/usr/bin/env bash
# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Smoke test of tools/benchmark: runs it in --quick mode (small N, its own emulator on a random
# port with a random owner key) with the Python and ansible-core under test. It fails when a
# request budget is exceeded: a no-op with more than 2 requests (3 for an account with a grant in
# one task) or any write, a change without exactly the writes it needs (one; two for an account
# created with its grant), check mode writing, or a by-name lookup that lists everything. Times are
# only printed (as ratios), never asserted.
set -eu
cd "$(dirname "$0")"
root=$PWD
while [ "$root" != / ] && [ ! -f "$root/tools/benchmark.py" ]; do
    root=$(dirname "$root")
done
if [ ! -f "$root/tools/benchmark.py" ]; then
    echo "benchmark_smoke: tools/benchmark.py not found above $PWD" >&2
    exit 1
fi
venv=$(python -c 'import sys; print(sys.prefix)')
exec python "$root/tools/benchmark.py" --quick --venv "$venv"
