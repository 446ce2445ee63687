# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print (as JSON) a random sequence of desired states for service_account and workspace_access.

The sequence is drawn from a seed, printed by the target, so that a failing run can be repeated
exactly: ``--seed``, else ``$PARITY_SEED``, else the number in a file ``seed`` next to this script
(ansible-test passes no environment variable to the target, but tools/test copies such a file),
else a new random seed. Steps refer to two service accounts that come and go, a
user and a team, so that a step may create, change, rotate, delete, grant, change a grant,
revoke, do nothing, or fail (a grant to a service account that does not exist): check mode must
predict every one of these.
"""

from __future__ import annotations

import argparse
import json
import os
import random

ACCOUNTS = ('parity-a', 'parity-b')
EXPIRATIONS = (None, None, 'never', '2091-01-01T00:00:00Z', '2092-06-30T12:00:00+02:00')


def service_account_step(rng):
    args = {'name': rng.choice(ACCOUNTS)}
    if rng.random() < 0.2:
        args['state'] = 'absent'
        return args
    role = rng.choice((None, 'Member', 'Admin'))
    if role:
        args['account_role'] = role
    expiration = rng.choice(EXPIRATIONS)
    if expiration:
        args['api_key_expiration'] = expiration
    if rng.random() < 0.15:
        args['rotate'] = True
        if rng.random() < 0.5:
            args['old_key_expires_in_seconds'] = rng.choice((0, 60, 3600))
    return args


def workspace_access_step(rng):
    accessor_type, accessor = rng.choice((('service_account', ACCOUNTS[0]), ('service_account', ACCOUNTS[1]),
                                          ('user', 'bob@example.com'), ('team', 'data-eng')))
    args = {'accessor_type': accessor_type, 'accessor': accessor}
    if rng.random() < 0.25:
        args['state'] = 'absent'
    else:
        args['workspace_role'] = rng.choice(('Developer', 'Viewer', 'Runner'))
    return args


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--seed', type=int, default=None)
    parser.add_argument('--steps', type=int, default=int(os.environ.get('PARITY_STEPS', '16')))
    args = parser.parse_args()
    seed = args.seed
    seed_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'seed')
    if seed is None and os.environ.get('PARITY_SEED'):
        seed = int(os.environ['PARITY_SEED'])
    if seed is None and os.path.exists(seed_file):
        with open(seed_file, encoding='utf-8') as handle:
            seed = int(handle.read().strip())
    if seed is None:
        seed = random.SystemRandom().randrange(10 ** 6)
    rng = random.Random(seed)
    steps = []
    for number in range(1, args.steps + 1):
        if rng.random() < 0.5:
            steps.append({'number': number, 'module': 'service_account', 'args': service_account_step(rng)})
        else:
            steps.append({'number': number, 'module': 'workspace_access', 'args': workspace_access_step(rng)})
    print(json.dumps({'parity_seed': seed, 'parity_steps': steps}))


if __name__ == '__main__':
    main()
