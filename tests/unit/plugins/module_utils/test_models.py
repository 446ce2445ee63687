# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the pydantic models (``_models``): responses accept extra fields and refuse
malformed ids and keys with a one-line message that never holds the value; request bodies dump
only the fields that were set, in JSON form; everything is frozen."""

from __future__ import annotations

import datetime
import json

import pytest

pydantic = pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils import _models
from ansible_collections.prefect.cloud.plugins.module_utils._models import (
    Bot, BotCreate, BotCreated, BotKeys, BotRotateAPIKey, BotUpdate, Criteria, Filter, Match,
    WorkspaceTeamAccessCreate, describe_invalid,
)

UTC = datetime.timezone.utc
BOT_ID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
ACTOR_ID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
ACCOUNT_ID = "0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e"
KEY_ID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
NEW_KEY = "pnb_" + "Q7w3" * 9  # pnb_ and 36 letters and digits, as the examples of real keys
API_KEY = {"id": KEY_ID, "name": "sa-key", "created": "2026-11-23T03:19:07.293949Z", "expiration": None,
           "masked_key": "pnb_...Q7w3"}
BOT = {"id": BOT_ID, "actor_id": ACTOR_ID, "account_id": ACCOUNT_ID, "name": "sa", "account_role_name": "Member",
       "created": "2026-11-23T03:19:07Z", "updated": "2026-11-23T03:19:07.1+02:00", "api_key": API_KEY}
CREATED = dict(BOT, api_key={"id": KEY_ID, "name": "sa-key", "created": "2026-11-23T03:19:07Z", "expiration": None,
                             "key": NEW_KEY})


def refused(model, data):
    """describe_invalid's text for ``data``, which ``model`` must refuse."""
    with pytest.raises(pydantic.ValidationError) as info:
        model.model_validate(data)
    text = describe_invalid(info.value)
    assert "\n" not in text
    return text


# -- responses


def test_a_response_with_extra_fields_is_accepted_and_they_are_dropped():
    bot = Bot.model_validate(dict(BOT, new_field={"x": 1}, api_key=dict(API_KEY, also_new=True)))
    assert bot.name == "sa" and bot.api_key.id == KEY_ID
    assert "new_field" not in bot.to_result() and "also_new" not in bot.to_result()["api_key"]


def test_results_are_json_data_with_rfc3339_datetimes():
    result = Bot.model_validate(BOT).to_result()
    json.dumps(result)
    assert result["created"] == "2026-11-23T03:19:07Z"
    assert result["updated"] == "2026-11-23T03:19:07.100000+02:00"


def test_nested_lists_and_defaults():
    keys = BotKeys.model_validate({"active_key": API_KEY})
    assert keys.rotating_keys == []
    keys = BotKeys.model_validate({"active_key": API_KEY, "rotating_keys": [API_KEY, dict(API_KEY, name="old")]})
    assert [key.name for key in keys.rotating_keys] == ["sa-key", "old"]


@pytest.mark.parametrize("bad", [
    " " + BOT_ID, BOT_ID + " ", "{" + BOT_ID + "}", "urn:uuid:" + BOT_ID, BOT_ID.replace("-", ""), BOT_ID + "\n",
    BOT_ID[:-1] + "g", "b1",
], ids=["leading-space", "trailing-space", "braces", "urn", "no-hyphens", "newline", "not-hex", "short"])
@pytest.mark.parametrize("field", ["id", "actor_id", "account_id"])
def test_ids_not_in_canonical_uuid_form_are_refused_without_the_value(bad, field):
    text = refused(Bot, dict(BOT, **{field: bad}))
    assert text == f"{field}: not in the expected form"
    assert bad.strip() not in text


def test_nested_id_is_named_by_its_path():
    text = refused(BotKeys, {"active_key": API_KEY, "rotating_keys": [dict(API_KEY, id="{" + KEY_ID + "}")]})
    assert text == "rotating_keys.0.id: not in the expected form"


def test_canonical_uuids_in_upper_case_are_accepted():
    assert Bot.model_validate(dict(BOT, id=BOT_ID.upper())).id == BOT_ID.upper()


@pytest.mark.parametrize("bad", [
    NEW_KEY + "\n", NEW_KEY[:20] + " " + NEW_KEY[20:], " " + NEW_KEY, NEW_KEY + "\t", "pnu_" + NEW_KEY[4:],
    "Bearer " + NEW_KEY, NEW_KEY + "\x00", "pnb_short", "pnb_" + "é" * 36,
], ids=["newline", "space", "leading-space", "tab", "user-prefix", "bearer", "nul", "too-short", "non-ascii"])
def test_a_created_key_of_another_shape_is_refused_without_the_value(bad):
    text = refused(BotCreated, dict(CREATED, api_key=dict(CREATED["api_key"], key=bad)))
    assert text == "api_key.key: not in the expected form"
    assert NEW_KEY[4:12] not in text and "pnb_" not in text


def test_a_created_key_of_the_right_shape_is_accepted():
    assert BotCreated.model_validate(CREATED).api_key.key == NEW_KEY


def test_describe_invalid_names_missing_fields_and_counts_the_rest():
    text = refused(Bot, {"api_key": {}})
    assert text.startswith("id: Field required; actor_id: Field required; account_id: Field required")
    assert text.endswith(" more)")


def test_describe_invalid_never_shows_a_secret_given_for_a_field_of_another_type():
    text = refused(Bot, dict(BOT, name=NEW_KEY.encode(), account_role_name={"key": NEW_KEY}))
    assert "account_role_name" in text and NEW_KEY not in text


# -- request bodies


def test_a_body_dumps_only_the_fields_that_were_set():
    assert BotCreate(name="sa").to_json() == {"name": "sa"}
    assert BotUpdate(account_role_id=ACCOUNT_ID).to_json() == {"account_role_id": ACCOUNT_ID}
    assert Filter(service_accounts=Criteria(name=Match(any_=["sa"]))).to_json() == {
        "service_accounts": {"name": {"any_": ["sa"]}}}


def test_explicit_none_is_dumped_as_null():
    """Rotation sends old_key_expires_in_seconds: null to delete the old key at once."""
    body = BotRotateAPIKey(api_key_expiration=None, old_key_expires_in_seconds=None)
    assert body.to_json() == {"api_key_expiration": None, "old_key_expires_in_seconds": None}


def test_datetimes_are_dumped_as_rfc3339_with_z():
    when = datetime.datetime(2030, 1, 31, 12, 0, 0, tzinfo=UTC)
    assert BotCreate(name="sa", api_key_expiration=when).to_json() == {"name": "sa",
                                                                       "api_key_expiration": "2030-01-31T12:00:00Z"}
    with_micro = when.replace(microsecond=250000)
    assert BotRotateAPIKey(api_key_expiration=with_micro).to_json() == {"api_key_expiration": "2030-01-31T12:00:00.250000Z"}
    json.dumps(BotCreate(name="sa", api_key_expiration=when).to_json())


def test_a_body_with_an_unknown_field_is_refused():
    with pytest.raises(pydantic.ValidationError) as info:
        BotCreate(name="sa", account_role="Admin")
    assert describe_invalid(info.value) == "account_role: Extra inputs are not permitted"


def test_a_body_with_an_id_not_in_uuid_form_is_refused():
    with pytest.raises(pydantic.ValidationError) as info:
        WorkspaceTeamAccessCreate(team_id="{" + BOT_ID + "}", workspace_role_id=BOT_ID)
    assert describe_invalid(info.value) == "team_id: not in the expected form"


# -- frozen


def test_responses_are_frozen_and_compare_by_value():
    one, two = Bot.model_validate(BOT), Bot.model_validate(dict(BOT))
    assert one == two and hash(one) == hash(two)
    with pytest.raises(pydantic.ValidationError):
        one.name = "other"
    assert one.name == "sa"


def test_bodies_are_frozen():
    body = BotCreate(name="sa")
    with pytest.raises(pydantic.ValidationError):
        body.name = "other"


def test_every_model_is_frozen_and_builds_on_first_use():
    models = [value for value in vars(_models).values()
              if isinstance(value, type) and issubclass(value, (_models._Response, _models._Body))]  # pylint: disable=protected-access
    assert len(models) > 20
    for model in models:
        assert model.model_config["frozen"] is True and model.model_config["defer_build"] is True, model.__name__
