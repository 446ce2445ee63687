# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The declared requirements have lower bounds only (issue 29; the certified-collection rule):
requirements.txt, the execution environment's, the test requirements, the modules' documented
requirements and ``requires_ansible``."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.prefect.cloud.plugins.doc_fragments.auth import ModuleDocFragment

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir)
REQUIREMENT_FILES = ["requirements.txt", "tests/unit/requirements.txt",
                     "tests/integration/requirements.txt", "test-requirements.txt"]
UPPER = re.compile(r"<|~=|==|!=")


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return handle.read()


def requirement_lines(path):
    lines = (line.split("#", 1)[0].strip() for line in read(path).splitlines())
    return [line for line in lines if line and not line.startswith("-")]


@pytest.mark.parametrize("path", REQUIREMENT_FILES)
def test_requirement_files_have_lower_bounds_only(path):
    assert [line for line in requirement_lines(path) if UPPER.search(line)] == []


def test_the_requirements_are_httpx_pydantic_and_tomlkit_with_their_tested_lower_bounds():
    assert requirement_lines("requirements.txt") == ["httpx>=0.27", "pydantic>=2.7", "tomlkit>=0.13.2"]


def test_the_execution_environment_declares_requirements_txt():
    assert yaml.safe_load(read("meta/execution-environment.yml"))["dependencies"]["python"] == "requirements.txt"


def test_requires_ansible_is_a_lower_bound_only():
    assert yaml.safe_load(read("meta/runtime.yml"))["requires_ansible"] == ">=2.16.0"


def test_the_documented_module_requirements_have_no_upper_bound():
    requirements = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["requirements"]
    assert requirements and not any("<" in requirement for requirement in requirements)
