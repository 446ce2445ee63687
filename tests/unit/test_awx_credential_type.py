# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The AWX credential type injects exactly the environment variables the modules read."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.prefect.cloud.plugins.module_utils import _argspec

# tests/unit/test_awx_credential_type.py -> collection root
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIAL_TYPE = os.path.join(ROOT, 'awx', 'credential_type.yml')
CREATE_PLAYBOOK = os.path.join(ROOT, 'awx', 'create_credential_type.yml')

ENV_BY_OPTION = {
    'api_key': _argspec.ENV_API_KEY,
    'account_id': _argspec.ENV_ACCOUNT_ID,
    'api_url': _argspec.ENV_API_URL,
}


class _UnsafeLoader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
    """SafeLoader that reads Ansible's ``!unsafe`` tag as a plain string."""


_UnsafeLoader.add_constructor('!unsafe', lambda loader, node: loader.construct_scalar(node))


def _load(path):
    with open(path, encoding='utf-8') as handle:
        return yaml.load(handle, Loader=_UnsafeLoader)  # nosec - SafeLoader subclass


@pytest.fixture(name='credential_type', scope='module')
def credential_type_fixture():
    return _load(CREDENTIAL_TYPE)


@pytest.fixture(name='playbook_args', scope='module')
def playbook_args_fixture():
    plays = _load(CREATE_PLAYBOOK)
    tasks = [task for play in plays for task in play.get('tasks', []) if 'awx.awx.credential_type' in task]
    assert len(tasks) == 1, 'expected exactly one awx.awx.credential_type task'
    return tasks[0]['awx.awx.credential_type']


def test_injector_env_names_are_the_module_env_fallbacks(credential_type):
    assert sorted(credential_type['injectors']['env']) == sorted(ENV_BY_OPTION.values())


def test_argspec_fallbacks_use_the_same_names():
    spec = _argspec.auth_argument_spec()
    for option, env_name in ENV_BY_OPTION.items():
        fallback = spec[option]['fallback']
        assert list(fallback[1]) == [env_name], option


def test_each_variable_injects_its_own_input(credential_type):
    env = credential_type['injectors']['env']
    for option, env_name in ENV_BY_OPTION.items():
        if option == 'api_url':
            continue  # test_api_url_falls_back_to_the_default
        assert re.fullmatch(r'\{\{\s*%s\s*\}\}' % option, env[env_name]), env_name


def _render(credential_type, inputs):
    """Render the env injectors as AWX does: sandboxed Jinja2, inputs as given (AWX applies no defaults)."""
    jinja2_sandbox = pytest.importorskip('jinja2.sandbox')
    jinja2 = pytest.importorskip('jinja2')
    env = jinja2_sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    return {name: env.from_string(template).render(**inputs)
            for name, template in credential_type['injectors']['env'].items()}


@pytest.mark.parametrize('inputs', [
    {'api_key': 'pnu_x', 'account_id': 'a'},                  # created through the API without api_url
    {'api_key': 'pnu_x', 'account_id': 'a', 'api_url': ''},   # AWX injects an empty string
])
def test_api_url_falls_back_to_the_default(credential_type, inputs):
    env = _render(credential_type, inputs)
    assert env[_argspec.ENV_API_URL] == _argspec.DEFAULT_API_URL == 'https://api.prefect.cloud/api'
    assert env[_argspec.ENV_API_KEY] == 'pnu_x' and env[_argspec.ENV_ACCOUNT_ID] == 'a'


def test_api_url_given_is_injected(credential_type):
    env = _render(credential_type, {'api_key': 'k', 'account_id': 'a', 'api_url': 'http://127.0.0.1:4280/api'})
    assert env[_argspec.ENV_API_URL] == 'http://127.0.0.1:4280/api'


def test_inputs(credential_type):
    fields = {field['id']: field for field in credential_type['inputs']['fields']}
    assert sorted(fields) == sorted(ENV_BY_OPTION)
    assert fields['api_key'].get('secret') is True
    assert not fields['account_id'].get('secret')
    assert fields['api_url'].get('default') == _argspec.DEFAULT_API_URL
    assert sorted(credential_type['inputs']['required']) == ['account_id', 'api_key']
    assert credential_type['kind'] == 'cloud'
    assert not [name for name in credential_type['injectors']['env'] if name.startswith('ANSIBLE_')]


def test_playbook_creates_the_same_type(credential_type, playbook_args):
    for key in ('name', 'description', 'kind', 'inputs', 'injectors'):
        assert playbook_args[key] == credential_type[key], key


def test_playbook_protects_the_injector_templates():
    with open(CREATE_PLAYBOOK, encoding='utf-8') as handle:
        text = handle.read()
    templates = re.findall(r'^\s*(PREFECT_[A-Z_]+):\s*(.*)$', text, re.MULTILINE)
    assert sorted(name for name, dummy in templates) == sorted(ENV_BY_OPTION.values())
    for name, value in templates:
        assert value.startswith('!unsafe '), name
