# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the option checks of every module (``_base``, ``_argspec``): each bad input is
one line naming the option (and never a password in it), found before any request is sent."""

from __future__ import annotations

import contextlib
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes
from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.prefect.cloud.plugins.module_utils import _base
from ansible_collections.prefect.cloud.plugins.module_utils._argspec import ENV_VARIABLES, env_fallback
from ansible_collections.prefect.cloud.plugins.module_utils._base import (
    PrefectModule, ca_problem, check_url, is_uuid, proxy_problem, proxy_secrets,
)
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectAPIError, PrefectResponseLost
from ansible_collections.prefect.cloud.plugins.module_utils._values import invisible

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
KEY = "pnu_" + "Kx7" * 12 + "wxyz"
PASSWORD = "s3cretPW"
ENVIRONMENT = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR",
               "PREFECT_CLOUD_API_URL", "PREFECT_API_KEY", "PREFECT_CLOUD_ACCOUNT_ID")


# -- ids


@pytest.mark.parametrize("value", [UUID, UUID.upper()])
def test_canonical_uuids(value):
    assert is_uuid(value)


@pytest.mark.parametrize("value", [
    " " + UUID, UUID + " ", UUID + "\n", "{" + UUID + "}", "urn:uuid:" + UUID, UUID.replace("-", ""), UUID[:-1],
    UUID[:-1] + "g", "", None, 12,
], ids=["leading-space", "trailing-space", "newline", "braces", "urn", "hex-only", "short", "not-hex", "empty",
        "none", "int"])
def test_not_uuids(value):
    assert not is_uuid(value)


# -- api_url


@pytest.mark.parametrize("url", ["https://api.prefect.cloud/api", "http://127.0.0.1:4200/api", "http://[::1]:8080/api",
                                 "https://cloud.test"])
def test_good_api_urls(url):
    assert check_url(url, "api_url") is None


@pytest.mark.parametrize("url", [
    "https://api.prefect.cloud:99999/api", "https://api.prefect.cloud:abc/api", "http://[::1/api", "http://::1]/api",
    "https://api.prefect.cloud/api?x=1", "https://api.prefect.cloud/api?", "https://api.prefect.cloud/api#frag",
    f"https://user:{PASSWORD}@api.prefect.cloud/api", "https://user@api.prefect.cloud/api", "https:///api",
    "https://api.prefect.cloud:0/api", "ftp://api.prefect.cloud/api", "https://api.prefect .cloud/api",
], ids=["port-99999", "port-abc", "ipv6-open", "ipv6-close", "query", "empty-query", "fragment", "user-password",
        "user", "no-host", "port-0", "ftp", "blank"])
def test_bad_api_urls_are_one_line_naming_api_url(url):
    message = check_url(url, "api_url")
    assert message is not None and message.startswith("api_url ")
    assert "api_url must be an http:// or https:// URL" in message
    assert "\n" not in message and PASSWORD not in message


# -- proxies and CA bundles from the environment


@pytest.mark.parametrize("variable, value", [
    ("HTTPS_PROXY", "http://proxy:abc"), ("HTTPS_PROXY", "ftp://x"), ("https_proxy", "http://proxy:99999"),
    ("HTTP_PROXY", f"http://user:{PASSWORD}@proxy:abc"), ("ALL_PROXY", "socks4://proxy:1080"),
    ("HTTPS_PROXY", f"http://user:{PASSWORD}@pro xy:3128"), ("HTTPS_PROXY", "http://:3128"),
    ("HTTPS_PROXY", f"http://user:{PASSWORD}@[::1:3128"),
])
def test_a_malformed_proxy_variable_is_named_without_its_password(variable, value):
    message = proxy_problem({variable: value})
    assert message is not None and f"the environment variable {variable} " in message
    assert PASSWORD not in message and value not in message and "\n" not in message


@pytest.mark.parametrize("value", ["http://proxy.example:3128", "proxy.example:3128", "https://proxy:443",
                                   f"http://user:{PASSWORD}@proxy:3128", "socks5://proxy:1080", "socks5h://proxy:1080"])
def test_good_proxy_variables(value):
    assert proxy_problem({"HTTPS_PROXY": value}) is None


def test_empty_proxy_variables_are_unset():
    assert proxy_problem({"HTTPS_PROXY": "", "http_proxy": ""}) is None


def test_proxy_passwords_are_collected_as_secrets():
    assert PASSWORD in proxy_secrets({"HTTPS_PROXY": f"http://someone:{PASSWORD}@proxy:3128"})


def test_ssl_cert_file_naming_a_missing_file_names_ssl_cert_file(tmp_path):
    message = ca_problem({"SSL_CERT_FILE": str(tmp_path / "missing.pem")})
    assert message is not None and "SSL_CERT_FILE" in message and "\n" not in message


def test_ssl_cert_dir_naming_a_missing_directory_names_ssl_cert_dir(tmp_path):
    message = ca_problem({"SSL_CERT_DIR": str(tmp_path / "missing")})
    assert message is not None and "SSL_CERT_DIR" in message


def test_existing_ca_bundle_and_directory_are_fine(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    assert ca_problem({"SSL_CERT_FILE": str(bundle), "SSL_CERT_DIR": str(tmp_path)}) is None
    assert ca_problem({}) is None


# -- names


@pytest.mark.parametrize("char", ["\u0085", "\u2028", "\u2029", "\u202e", "\u200b", "\n", "\t", "\x00", "\ufeff"],
                         ids=["NEL", "LINE-SEPARATOR", "PARAGRAPH-SEPARATOR", "RLO", "ZWSP", "LF", "TAB", "NUL", "BOM"])
def test_invisible_characters_are_caught(char):
    assert invisible(f"deploy{char}bot") == char


@pytest.mark.parametrize("name", ["deploy-bot", "déploiement", "名前", "team with spaces", "a_b.c@example.com"])
def test_ordinary_names_pass(name):
    assert invisible(name) is None


# -- environment fallback


def test_env_fallback_skips_an_empty_variable(monkeypatch):
    monkeypatch.setenv("PREFECT_CLOUD_API_URL", "")
    monkeypatch.setenv("FALLBACK_URL", "https://cloud.test/api")
    assert env_fallback("PREFECT_CLOUD_API_URL", "FALLBACK_URL") == "https://cloud.test/api"


def test_env_fallback_skips_a_blank_variable_and_raises_when_none_is_set(monkeypatch):
    monkeypatch.setenv("PREFECT_CLOUD_API_URL", "  ")
    monkeypatch.delenv("FALLBACK_URL", raising=False)
    with pytest.raises(AnsibleFallbackNotFound):
        env_fallback("PREFECT_CLOUD_API_URL", "FALLBACK_URL")


def test_env_fallback_returns_a_set_variable(monkeypatch):
    monkeypatch.setenv("PREFECT_API_KEY", KEY)
    assert env_fallback("PREFECT_API_KEY") == KEY


# -- PrefectModule: the checks as a task meets them


class Exit(Exception):
    pass


class Fail(Exception):
    pass


class Probe(PrefectModule):
    """A module on the engine whose ``converge`` runs ``action(module)``, run as a module process."""

    argument_spec = {"name": {"type": "str"}}
    action = None

    def converge(self):
        if self.action is not None:
            type(self).action(self)  # pylint: disable=not-callable


@pytest.fixture(name="module")
def module_fixture(monkeypatch):
    """``module(action=None, **args)`` runs Probe through ``ModuleRunner`` (AnsibleModule) and
    raises Fail(result) / Exit(result); warnings in ``.warnings``; the module in ``.last``."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    warnings = []

    def exit_json(_self, **result):
        raise Exit(result)

    def fail_json(_self, **result):
        raise Fail(result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda _self, warning: warnings.append(warning))
    sent = []
    monkeypatch.setattr(_base.PrefectClient, "request", lambda *args, **kwargs: sent.append(args))

    def make(action=None, **args):
        full = dict(api_url="https://cloud.test/api", api_key=KEY, account_id=UUID)
        full.update(args)
        full = {name: value for name, value in full.items() if value is not None}  # None: not given

        def keep(prefect):
            make.last = prefect
            if action is not None:
                action(prefect)
        monkeypatch.setattr(Probe, "action", keep)
        with patch_module_args(full):
            Probe.main()

    make.warnings = warnings
    make.sent = sent
    yield make
    assert not sent  # no test here may reach the API


def failure(module, **args):
    with pytest.raises(Fail) as info:
        module(**args)
    message = info.value.args[0]["msg"]
    assert "\n" not in message
    return message


def params(module, **args):
    with pytest.raises(Exit):
        module(**args)
    return module.last.params


@pytest.mark.parametrize("url", [
    "https://cloud.test:99999/api", "https://cloud.test:abc/api", "https://cloud.test/api?x=1",
    "https://cloud.test/api#frag", f"https://user:{PASSWORD}@cloud.test/api", "ftp://cloud.test/api",
    "http://[::1/api",
])
def test_module_refuses_a_bad_api_url_in_one_line(module, url):
    message = failure(module, api_url=url)
    assert message.startswith("api_url ") and PASSWORD not in message


@pytest.mark.parametrize("account_id", [" " + UUID, "{" + UUID + "}", "urn:uuid:" + UUID])
def test_module_refuses_an_account_id_not_in_canonical_form(module, account_id):
    assert failure(module, account_id=account_id).startswith("account_id must be a UUID")


def test_module_lower_cases_a_canonical_id(module):
    assert params(module, account_id=UUID.upper())["account_id"] == UUID


def test_module_names_a_malformed_proxy_variable_without_its_password(module, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", f"http://user:{PASSWORD}@proxy:abc")
    message = failure(module)
    assert "HTTPS_PROXY" in message and PASSWORD not in message


def test_module_names_a_missing_ssl_cert_file(module, monkeypatch, tmp_path):
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "nope.pem"))
    assert "SSL_CERT_FILE" in failure(module)


def test_module_refuses_a_name_with_an_invisible_character(module):
    message = failure(module, name="bot\u202e")
    assert message.startswith("name must not contain control or invisible format characters")
    assert "U+202E" in message


def test_module_takes_the_api_url_from_the_environment_unless_empty(module, monkeypatch):
    monkeypatch.setenv("PREFECT_CLOUD_API_URL", "")
    assert params(module, api_url=None)["api_url"] == "https://api.prefect.cloud/api"
    monkeypatch.setenv("PREFECT_CLOUD_API_URL", "https://other.test/api")
    assert params(module, api_url=None)["api_url"] == "https://other.test/api"


@pytest.mark.parametrize("args, message", [
    ({"timeout": 0}, "timeout must be a number of seconds greater than 0"),
    ({"timeout": float("nan")}, "timeout must be a number of seconds greater than 0"),
    ({"retries": 11}, "retries must be between 0 and 10"),
    ({"api_key": "pnu_abc def"}, "api_key must be a Prefect API key"),
])
def test_module_refuses_bad_connection_options(module, args, message):
    assert failure(module, **args).startswith(message)


def test_return_key_warns_without_no_log(module):
    with pytest.raises(Exit) as info:
        module(lambda prefect: prefect.return_key("pnb_" + "x" * 36))
    assert info.value.args[0]["api_key"] == "pnb_" + "x" * 36
    assert len(module.warnings) == 1 and "no_log: true" in module.warnings[0]
    assert "pnb_" not in module.warnings[0]


def test_return_key_does_not_warn_with_no_log(module):
    with pytest.raises(Exit):
        module(lambda prefect: prefect.return_key("pnb_" + "x" * 36), _ansible_no_log=True)
    assert module.warnings == []


def raises(exc):
    def action(_prefect):
        raise exc
    return action


def test_a_client_error_is_one_line_with_details(module):
    with pytest.raises(Fail) as info:
        module(raises(PrefectAPIError("PATCH", "/api/accounts/x/bots/y", 403, "forbidden")))
    result = info.value.args[0]
    assert result["msg"].startswith("PATCH /api/accounts/x/bots/y failed with HTTP 403")
    assert (result["method"], result["path"], result["status"], result["changed"]) == (
        "PATCH", "/api/accounts/x/bots/y", 403, False)


def test_changed_when_a_write_was_applied_before_the_failure(module):
    def action(prefect):
        prefect.client.applied += 1
        raise PrefectAPIError("DELETE", "/api/x", 500, "boom")

    with pytest.raises(Fail) as info:
        module(action)
    assert info.value.args[0]["changed"] is True


def test_changed_when_a_create_was_applied_and_its_answer_lost(module):
    cause = PrefectAPIError("POST", "/api/accounts/x/bots/", 504, "gateway timeout", maybe_applied=True)
    with pytest.raises(Fail) as info:
        module(raises(PrefectResponseLost(cause, "the creation of service account 'sa'", found=None)))
    assert info.value.args[0]["changed"] is True


def test_the_module_exits_with_the_result(module):
    with pytest.raises(Exit) as info:
        module(lambda prefect: prefect.set_changed())
    assert info.value.args[0]["changed"] is True


# -- what a module says about its connection before any request: the warning for
# validate_certs: false, and the environment variable named in every error about api_url,
# api_key and account_id


def test_validate_certs_false_warns_once_naming_the_option(module):
    params(module, validate_certs=False)
    assert len(module.warnings) == 1
    assert module.warnings[0].startswith("validate_certs is false: the API key is sent")
    assert KEY[4:12] not in module.warnings[0]


@pytest.mark.parametrize("args", [{}, {"validate_certs": True}, {"validate_certs": False, "api_url": "http://127.0.0.1:4200/api"}],
                         ids=["default", "true", "plain-http"])
def test_no_certificate_warning_otherwise(module, args):
    params(module, **args)
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
