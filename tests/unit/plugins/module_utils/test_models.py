# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the models: their hand-written pydantic-core schemas, results, and how the
engine is loaded (without pydantic_core.core_schema, which a module run does not need)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap

import pytest
from pydantic_core import SchemaSerializer, core_schema as cs

from ansible_collections.prefect.cloud.plugins.module_utils import _deps, _models
from ansible_collections.prefect.cloud.plugins.module_utils._models import APIKey, Bot, BotKeys

MODELS = [getattr(_models, name) for name in dir(_models)
          if isinstance(getattr(_models, name), type) and issubclass(getattr(_models, name), _models._Model)
          and getattr(_models, name) is not _models._Model]

KEY = {"id": "k1", "name": "sa-key", "created": "2026-11-23T03:19:07.293949Z", "expiration": None,
       "masked_key": "pnb_...abcd"}
BOT = {"id": "b1", "actor_id": "a1", "account_id": "acc", "name": "sa", "account_role_name": "Member",
       "created": "2026-11-23T03:19:07Z", "updated": "2026-11-23T03:19:07.1+02:00", "api_key": KEY}


def helper_schema(model):
    """The schema as pydantic_core.core_schema's helpers write it (what _models writes by hand)."""
    def datetime_schema():
        # newer helpers also write the default microseconds_precision ("truncate"), a key that
        # older pydantic-core versions do not know: _models leaves it out
        schema = cs.datetime_schema()
        assert schema.pop("microseconds_precision", "truncate") == "truncate"
        return schema

    scalars = {"str": cs.str_schema, "bool": cs.bool_schema, "int": cs.int_schema, "datetime.datetime": datetime_schema}

    def field(text):
        if text.startswith("Optional["):
            return cs.nullable_schema(field(text[len("Optional["):-1]))
        if text.startswith("List["):
            return cs.list_schema(field(text[len("List["):-1]))
        if text in scalars:
            return scalars[text]()
        return helper_schema(getattr(_models, text))

    fields = {}
    for name, text in model.__annotations__.items():
        if hasattr(model, name):
            fields[name] = cs.typed_dict_field(cs.with_default_schema(field(text), default=getattr(model, name)),
                                               required=False)
        else:
            fields[name] = cs.typed_dict_field(field(text), required=True)
    return cs.typed_dict_schema(fields, extra_behavior="ignore")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_schema_is_what_the_core_schema_helpers_write(model):
    assert model._core_schema()[0] == helper_schema(model)


@pytest.mark.parametrize("created", [
    "2026-11-23T03:19:07.293949Z", "2026-11-23T03:19:07Z", "2026-11-23T03:19:07.100000+00:00",
    "2026-11-23T03:19:07.1+02:00", "2026-11-23T03:19:07.000001-05:30", "2026-11-23T03:19:07", 1700000000,
])
def test_results_are_what_the_pydantic_core_serializer_writes(created):
    data = dict(BOT, created=created, api_key=dict(KEY, expiration=created))
    bot = Bot.model_validate(data)
    expected = SchemaSerializer(helper_schema(Bot)).to_python(bot._valid, mode="json")
    assert bot.to_result() == expected
    json.dumps(bot.to_result())  # JSON types only


def test_defaults_nested_lists_and_extra_fields():
    keys = BotKeys.model_validate({"active_key": KEY, "unknown": 1})
    assert keys.rotating_keys == [] and keys.active_key.name == "sa-key"
    keys = BotKeys.model_validate({"active_key": KEY, "rotating_keys": [KEY, dict(KEY, id="k2")]})
    assert [k.id for k in keys.rotating_keys] == ["k1", "k2"]
    assert isinstance(keys.rotating_keys[0], APIKey)
    assert keys.to_result()["rotating_keys"][1]["created"] == "2026-11-23T03:19:07.293949Z"


def test_invalid_data_raises_value_error_naming_the_field():
    with pytest.raises(ValueError, match="actor_id"):
        Bot.model_validate({k: v for k, v in BOT.items() if k != "actor_id"})
    with pytest.raises(ValueError, match="created"):
        Bot.model_validate(dict(BOT, created="yesterday"))


def test_models_are_frozen_and_compare_by_value():
    one, two = Bot.model_validate(BOT), Bot.model_validate(dict(BOT))
    assert one == two and hash(one) == hash(two)
    with pytest.raises(AttributeError):
        one.name = "other"


def test_module_run_loads_only_the_compiled_engine():
    """In a fresh interpreter (as in a module run), the models work without pydantic-core's
    Python part, and a later ``import pydantic_core`` reuses the engine they loaded."""
    script = textwrap.dedent("""
        import sys
        from ansible_collections.prefect.cloud.plugins.module_utils import _deps
        from ansible_collections.prefect.cloud.plugins.module_utils._models import Bot
        bot = Bot.model_validate(%r)
        result = bot.to_result()
        loaded = sorted(m for m in sys.modules if m.startswith(("pydantic", "pydantic_core")))
        try:
            Bot.model_validate({})
        except ValueError as exc:
            error = str(exc).splitlines()[0]
        import pydantic_core
        same = pydantic_core.SchemaValidator is _deps.pydantic_core.SchemaValidator
        print(repr((loaded, result["created"], error, same)))
    """) % (BOT,)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    loaded, created, error, same = ast.literal_eval(out)
    assert loaded == ["pydantic_core._pydantic_core"]
    assert created == "2026-11-23T03:19:07Z"
    assert error.startswith("5 validation errors")
    assert same


def test_engine_already_imported_is_reused():
    import pydantic_core  # pylint: disable=import-outside-toplevel
    engine = _deps._load_pydantic_core()
    assert engine.SchemaValidator is pydantic_core.SchemaValidator
