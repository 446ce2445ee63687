# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of what a module says about its connection before any request (issue 28): the
warning for ``validate_certs: false``, and the environment variable named in every error about
``api_url``, ``api_key`` and ``account_id``."""

from __future__ import annotations

import contextlib
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.prefect.cloud.plugins.module_utils import _base
from ansible_collections.prefect.cloud.plugins.module_utils._argspec import ENV_VARIABLES
from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule


class Probe(PrefectModule):
    """A module on the engine that sends nothing."""

    def converge(self):
        pass


try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args):
        previous = basic._ANSIBLE_ARGS  # pylint: disable=protected-access
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))  # pylint: disable=protected-access
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = previous  # pylint: disable=protected-access

UUID = "0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e"
KEY = "pnu_" + "Qm4" * 12 + "wxyz"
ENVIRONMENT = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR") + tuple(
    ENV_VARIABLES.values())


class Fail(Exception):
    pass


class Exit(Exception):
    pass


@pytest.fixture(name="module")
def module_fixture(monkeypatch):
    """``module(**args)`` runs a module with the connection options (a default set, None: not given)."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    warnings = []

    def fail_json(_self, **result):
        raise Fail(result)

    def exit_json(_self, **result):
        raise Exit(result)

    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda _self, warning: warnings.append(warning))
    sent = []
    monkeypatch.setattr(_base.PrefectClient, "request", lambda *args, **kwargs: sent.append(args))

    def make(**args):
        """Run Probe as a module process; a failure raises Fail."""
        full = dict(api_url="https://cloud.test/api", api_key=KEY, account_id=UUID)
        full.update(args)
        full = {name: value for name, value in full.items() if value is not None}
        with patch_module_args(full):
            try:
                Probe.main()
            except Exit:
                pass

    make.warnings = warnings
    yield make
    assert not sent


def failure(module, **args):
    with pytest.raises(Fail) as info:
        module(**args)
    message = info.value.args[0]["msg"]
    assert "\n" not in message and KEY not in message
    return message


def test_validate_certs_false_warns_once_naming_the_option(module):
    module(validate_certs=False)
    assert len(module.warnings) == 1
    assert module.warnings[0].startswith("validate_certs is false: the API key is sent")
    assert KEY[4:12] not in module.warnings[0]


@pytest.mark.parametrize("args", [{}, {"validate_certs": True}, {"validate_certs": False, "api_url": "http://127.0.0.1:4200/api"}],
                         ids=["default", "true", "plain-http"])
def test_no_certificate_warning_otherwise(module, args):
    module(**args)
    assert module.warnings == []


@pytest.mark.parametrize("option, variable", sorted(ENV_VARIABLES.items()))
def test_an_empty_connection_option_names_its_variable(module, option, variable):
    assert failure(module, **{option: "  "}) == f"{option} must not be empty (set it or {variable})"


@pytest.mark.parametrize("args, variable", [
    ({"account_id": "my-account"}, "PREFECT_CLOUD_ACCOUNT_ID"),
    ({"api_key": "pnu_with space"}, "PREFECT_API_KEY"),
    ({"api_url": "ftp://cloud.test/api"}, "PREFECT_CLOUD_API_URL"),
    ({"api_url": "https://cloud.test/api?x=1"}, "PREFECT_CLOUD_API_URL"),
], ids=["account_id", "api_key", "api_url-scheme", "api_url-query"])
def test_a_bad_connection_option_names_its_variable(module, args, variable):
    message = failure(module, **args)
    assert message.startswith(next(iter(args))) and variable in message


def test_a_bad_account_id_from_the_environment_names_the_variable(module, monkeypatch):
    monkeypatch.setenv("PREFECT_CLOUD_ACCOUNT_ID", "not-a-uuid")
    message = failure(module, account_id=None)
    assert message.startswith("account_id must be a UUID") and "PREFECT_CLOUD_ACCOUNT_ID" in message


@pytest.mark.parametrize("option, variable", [("account_id", "PREFECT_CLOUD_ACCOUNT_ID"), ("api_key", "PREFECT_API_KEY")])
def test_a_missing_connection_option_names_its_variable(module, option, variable):
    message = failure(module, **{option: None})
    assert message.startswith(f"{option} is required: set the option") and message.endswith(variable)
