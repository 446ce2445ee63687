# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only action: drive the Prefect Cloud emulator's admin API from the controller process.

Options: ``url`` (the emulator, required); ``read`` (a list of ``log`` and ``state``); ``view``
(what ``state_view`` of the helper returns for one service account or grant; implies reading
the state); ``want`` (``{after, before}``: also return ``converged``, see the helper);
``clear_log`` (bool); ``faults`` (a list of fault rules: replaces the rules, ``[]`` clears
them); ``reset`` (bool); ``sleep`` (seconds to wait first, so that a request the emulator holds
back has finished). In that order: sleep, reset, read, clear the log, set the faults.
Returns ``now`` (epoch seconds), ``requests`` and the counts of ``summarize_requests`` when the
log is read, ``state`` (``summarize_state``) and ``view`` when the state is read, and ``faults``
(the rules now armed).
It never changes anything but the emulator, and never returns a key.
"""

from __future__ import annotations

import importlib.util
import os
import time
import urllib.error

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

_HELPER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'files', 'emulator_admin.py')


def _load_helper():
    spec = importlib.util.spec_from_file_location('prefect_emulator_admin_helper', _HELPER)
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper


class ActionModule(ActionBase):
    """See the module docstring."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(('url', 'read', 'view', 'clear_log', 'faults', 'reset', 'sleep', 'want'))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        if not args.get('url'):
            raise AnsibleActionFail('url (the emulator, http://127.0.0.1:PORT) is required')
        helper = _load_helper()
        admin = helper.Admin(args['url'])
        read = args.get('read') or []
        if args.get('sleep'):
            time.sleep(min(60.0, float(args['sleep'])))
        try:
            if args.get('reset'):
                admin.reset()
            if 'log' in read:
                entries = admin.requests()
                result['requests'] = entries
                result.update(helper.summarize_requests(entries))
            if 'state' in read or args.get('view'):
                result['state'] = helper.summarize_state(admin.state())
                if args.get('view'):
                    result['view'] = helper.state_view(result['state'], args['view'])
                    if args.get('want'):
                        result['converged'] = helper.converged(result['view'], args['want']['after'], args['want'].get('before'))
            if args.get('clear_log'):
                admin.clear_log()
            if args.get('faults') is not None:
                result['faults'] = admin.set_faults(args['faults'])
        except (OSError, ValueError, KeyError, urllib.error.URLError) as exc:
            raise AnsibleActionFail('emulator admin API at %s: %s' % (args['url'], exc)) from None
        result['now'] = time.time()
        result['changed'] = False
        return result
