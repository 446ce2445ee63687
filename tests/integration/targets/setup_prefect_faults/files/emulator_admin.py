# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Client of the Prefect Cloud emulator's admin API, for the reliability tests (standard library only).

Used by ``action_plugins/prefect_emulator_admin.py`` (in the controller process) and imported by
the Python drivers of the runme.sh targets. Nothing here reads or prints an API key, except
``issued_keys()``, whose result the leak scanners only compare with output and never print.
"""

from __future__ import annotations

import json
import re
import urllib.request

KEY_PATTERN = re.compile(r'pn[ub]_[A-Za-z0-9]{36}')


class Admin:
    """``/_emulator/`` of one emulator (``url`` is ``http://127.0.0.1:PORT``)."""

    def __init__(self, url, timeout=30):
        self.url = url.rstrip('/')
        self.timeout = timeout

    def call(self, method, route, body=None):
        """Send one admin request and return the decoded JSON answer."""
        data = json.dumps(body).encode('utf-8') if body is not None else None
        request = urllib.request.Request('%s/_emulator/%s' % (self.url, route), data=data, method=method)
        if data is not None:
            request.add_header('Content-Type', 'application/json')
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # nosec - local emulator only
            raw = response.read()
        return json.loads(raw) if raw else None

    def set_faults(self, faults):
        """Replace the fault rules (an empty list clears them)."""
        return self.call('PUT', 'faults', {'faults': list(faults)})['faults']

    def clear_log(self):
        self.call('DELETE', 'requests')

    def requests(self):
        """The request log: [{seq, method, path, status, write}]."""
        return self.call('GET', 'requests')

    def state(self):
        return self.call('GET', 'state')

    def reset(self):
        self.call('POST', 'reset')

    def issued_keys(self):
        """Every key the emulator knows (owner key included). For leak scans only: never print them."""
        return [key for key in self.call('GET', 'issued-keys')['keys'] if key]


def summarize_state(state):
    """The parts of ``GET /_emulator/state`` the tests assert on, by name rather than by id.

    ``bots``: {name: [{id, role, active_key_id, live_keys}]} (a list, so that a duplicate shows);
    ``grants``: [{workspace, accessor_type, accessor, role}] with the role NAME.
    """
    roles = {role['id']: role['name'] for role in state['workspace_roles']}
    workspaces = {ws['id']: ws['handle'] for ws in state['workspaces']}
    users = {user['id']: user['email'] for user in state['users']}
    teams = {team['id']: team['name'] for team in state['teams']}
    bots = {}
    bot_names = {}
    for bot in state['bots']:
        live = [key for key in bot['keys'] if key['live']]
        active = [key['id'] for key in live if key['state'] == 'active']
        bot_names[bot['id']] = bot['name']
        bots.setdefault(bot['name'], []).append({
            'id': bot['id'], 'role': bot['account_role_name'], 'active_key_id': active[0] if active else None,
            'live_keys': len(live),
        })
    grants = []
    for kind, accessor_type, field, names in (('bot_access', 'service_account', 'bot_id', bot_names),
                                              ('user_access', 'user', 'user_id', users),
                                              ('team_access', 'team', 'team_id', teams)):
        for row in state['access'][kind]:
            grants.append({
                'workspace': workspaces.get(row['workspace_id'], row['workspace_id']),
                'accessor_type': accessor_type,
                'accessor': names.get(row[field], row[field]),
                'role': roles.get(row['workspace_role_id'], row['workspace_role_id']),
            })
    return {'bots': bots, 'grants': grants}


def state_view(summary, view):
    """One object of a ``summarize_state`` summary, as a list (one item per copy, so duplicates show).

    ``view``: ``{kind: role, name}`` (the account roles of the service accounts called ``name``),
    ``{kind: key, name}`` (their active key ids and live key counts, as ``id/count``), or
    ``{kind: grant, workspace, accessor_type, accessor}`` (the role names of those grants).
    """
    if view['kind'] == 'grant':
        return [grant['role'] for grant in summary['grants']
                if (grant['workspace'], grant['accessor_type'], grant['accessor'])
                == (view['workspace'], view['accessor_type'], view['accessor'])]
    bots = summary['bots'].get(view['name'], [])
    if view['kind'] == 'role':
        return [bot['role'] for bot in bots]
    return ['%s/%d' % (bot['active_key_id'], bot['live_keys']) for bot in bots]


def converged(view, after, before):
    """Whether a ``state_view`` is the wanted one: ``after`` (a list), or for ``after == 'rotated'``
    one service account whose active key is not the one in ``before`` and that has exactly one
    live key."""
    if after == 'rotated':
        return len(view) == 1 and view != before and view[0].endswith('/1')
    return view == after


def summarize_requests(entries):
    """Counts over a request log: requests, writes, and the most attempts of one write."""
    writes = [entry for entry in entries if entry['write']]
    same = {}
    for entry in writes:
        key = (entry['method'], entry['path'])
        same[key] = same.get(key, 0) + 1
    return {
        'request_count': len(entries),
        'write_count': len(writes),
        'writes': ['%s %s %s' % (entry['method'], entry['path'], entry['status']) for entry in writes],
        'max_attempts_of_one_write': max(same.values()) if same else 0,
    }
