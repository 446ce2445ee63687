# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The public filter plugins are the ones a user should call; the role's internal ones are marked as such.

A role inside a collection cannot bring its own filter_plugins/ (ansible-core loads those only for
roles outside collections), so the agent_credentials role's helpers are filter plugins of the
collection whose names start with an underscore and whose documentation says they are internal.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[4]
FILTERS = ROOT / 'plugins' / 'filter'
PUBLIC = {'env_file', 'loaded_vault_encrypt', 'profile_settings', 'profiles_toml'}


def plugin_files():
    return sorted(path.stem for path in FILTERS.glob('*.py') if path.stem != '__init__')


def load(stem):
    module = importlib.import_module('ansible_collections.prefect.cloud.plugins.filter.%s' % stem)
    return module, yaml.safe_load(module.DOCUMENTATION)


def test_the_public_filters_are_exactly_the_ones_a_user_should_call():
    assert {stem for stem in plugin_files() if not stem.startswith('_')} == PUBLIC


@pytest.mark.parametrize('stem', plugin_files())
def test_each_file_documents_the_one_filter_it_registers(stem):
    module, doc = load(stem)
    assert list(module.FilterModule().filters()) == [stem]
    assert doc['name'] == stem
    for key in ('EXAMPLES', 'RETURN'):
        assert getattr(module, key).strip()
    internal = stem.startswith('_')
    assert doc['short_description'].startswith('[INTERNAL] ') is internal
    assert doc['description'][0].startswith('B(Internal.) Only for the P(prefect.cloud.agent_credentials#role) role') is internal


def role_filter_references():
    pattern = re.compile(r'\bprefect\.cloud\.(_?[a-z][a-z0-9_]*)\b')
    modules = {path.stem for path in (ROOT / 'plugins' / 'modules').glob('*.py')}
    found = set()
    for path in sorted((ROOT / 'roles').rglob('*.yml')) + sorted((ROOT / 'roles').rglob('*.md')):
        for name in pattern.findall(path.read_text(encoding='utf-8')):
            if name not in modules and name not in ('cloud', 'agent_credentials'):
                found.add((path.relative_to(ROOT).as_posix(), name))
    return sorted(found)


def test_the_role_names_only_filters_that_exist():
    existing = set(plugin_files())
    references = role_filter_references()
    assert references, 'the role uses filters of the collection'
    assert [ref for ref in references if ref[1] not in existing] == []
