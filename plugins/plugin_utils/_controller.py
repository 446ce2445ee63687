# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the collection's modules in the controller (PRIVATE to this collection).

Every module of the collection talks to the Prefect Cloud API, never to the host it runs for, so
its action plugin runs the module's class in the controller's worker process instead of shipping
it to the target: no Python process per task, and httpx, pydantic and the models are imported
once per playbook (the strategy loads the action plugin before it forks the workers). The options,
their validation, ``module_defaults``, environment fallbacks, check mode, diff, ``no_log`` of the
secret options, warnings and the result are the module's.

A task runs as a module process, as before, where the controller cannot give module semantics:
with ``async``, and when its connection is not the local one (a task for, or delegated to, a
remote host calls the API from that host). The variable ``prefect_cloud_run_on_controller:
false`` asks for the module process for local tasks too.
"""

from __future__ import annotations

import contextlib
import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

from ansible_collections.prefect.cloud.plugins.module_utils._base import PLANNED_FACT, PrefectModule, TaskFailed

_NO_LOG_PLACEHOLDER = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
RUN_ON_CONTROLLER = "prefect_cloud_run_on_controller"


def hide(value, secrets):
    """``value`` with every secret string replaced, in every string it holds (keys and values)."""
    if isinstance(value, dict):
        return {hide(key, secrets): hide(item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [hide(item, secrets) for item in value]
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, "********")
    return value


@contextlib.contextmanager
def environment(variables):
    """The task's ``environment:`` applied to ``os.environ`` (of this worker process) for the run."""
    saved = dict(os.environ)
    os.environ.update({name: str(value) for name, value in variables.items()})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class ControllerRunner:
    """Drives a module class in the controller: what ``ModuleRunner`` gives from AnsibleModule."""

    def __init__(self, action, args, task_vars):
        self.raw_params = dict(args)
        self.params = None
        self.check_mode = bool(action._play_context.check_mode)  # pylint: disable=protected-access
        self.diff_mode = bool(action._play_context.diff)  # pylint: disable=protected-access
        self.no_log = bool(action._play_context.no_log)  # pylint: disable=protected-access
        facts = task_vars.get("ansible_facts") or {}
        self.planned = dict(facts.get(PLANNED_FACT) or {})
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)


class ControllerAction(ActionBase):
    """The action plugin of a module of this collection; ``module_class`` is the module's class."""

    module_class = PrefectModule
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        on_controller = self._templar.template(task_vars.get(RUN_ON_CONTROLLER, True))
        if self._task.async_val or self._connection.transport != "local" or not boolean(on_controller, strict=False):
            result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=self._task.async_val))
            if not self._task.async_val:
                self._remove_tmp_path(self._connection._shell.tmpdir)  # pylint: disable=protected-access
            return result
        variables = {}
        self._compute_environment_string(variables)
        with environment(variables):
            result.update(self.run_in_controller(self._task.args, task_vars))
        return result

    def run_in_controller(self, args, task_vars):
        """The module's result, as the module would return it."""
        module_class = self.module_class
        spec = module_class.spec()
        runner = ControllerRunner(self, args, task_vars)
        validation = ArgumentSpecValidator(spec, **module_class.module_kwargs).validate(args)
        params = validation.validated_parameters
        hidden = {name for name, value in params.items() if value and spec.get(name, {}).get("no_log")}
        secrets = sorted({str(params[name]) for name in hidden}, key=len, reverse=True)
        invocation = {"module_args": {name: _NO_LOG_PLACEHOLDER if name in hidden else value for name, value in params.items()}}
        if validation.error_messages:
            msg = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
                msg = f"Unsupported parameters for ({self._task.action}) module: {msg}"
            return hide({"failed": True, "msg": msg, "invocation": invocation}, secrets)
        runner.params = params
        try:
            outcome = module_class(runner).execute()
        except TaskFailed as failed:
            outcome = dict(failed.result, failed=True, msg=failed.msg)
        if runner.warnings:
            outcome["warnings"] = runner.warnings
        outcome["invocation"] = invocation
        return hide(outcome, secrets)
