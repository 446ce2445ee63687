# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of ``_api``'s recovery of a create or a key rotation after an ambiguous answer.

The API is the emulator's (``fakes.EmulatedCloud``: tests/emulator in process, behind an
a mock transport), with a fault on the create or the rotation: either applied and then its
answer lost, or never applied. Whatever happens, the create or rotation is sent exactly once.
"""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.module_utils._api import PrefectCloud
from ansible_collections.prefect.cloud.plugins.module_utils._errors import (
    PrefectAPIError, PrefectConflict, PrefectOutcomeUnknown, PrefectResponseLost,
)
from ansible_collections.prefect.cloud.plugins.module_utils._models import Bot
from ansible_collections.prefect.cloud.tests.unit.plugins.module_utils.fakes import (
    EmulatedCloud, Fault, connect_error, read_error, read_timeout, remote_protocol_error, respond,
)

CREATE_PATH = r"/bots/$"
ROTATE_PATH = r"/rotate_api_key$"
AMBIGUOUS = [
    {"status": 500}, {"status": 502}, {"status": 504}, {"error": read_timeout},
    {"error": remote_protocol_error}, {"error": read_error},
]
AMBIGUOUS_IDS = ["500", "502", "504", "ReadTimeout", "RemoteProtocolError", "ReadError"]


@pytest.fixture(name="cloud")
def cloud_fixture():
    return EmulatedCloud()


@pytest.fixture(name="api")
def api_fixture(cloud, clock):
    client = cloud.client(clock, retries=3)
    yield PrefectCloud(client)
    client.close()


def no_key_in(cloud, text):
    """No key the emulator issued (nor the owner's) is in ``text``."""
    assert not any(key in text for key in cloud.store.issued_keys())


def bots_named(cloud, name):
    return [bot for bot in cloud.store.data["bots"].values() if bot["name"] == name]


# -- create


@pytest.mark.parametrize("fault", AMBIGUOUS, ids=AMBIGUOUS_IDS)
def test_create_applied_but_answer_lost_raises_response_lost_with_the_account(cloud, api, fault):
    cloud.faults.append(Fault("POST", CREATE_PATH, applied=True, **fault))
    with pytest.raises(PrefectResponseLost) as info:
        api.create_bot("sa")
    assert isinstance(info.value.found, Bot) and info.value.found.name == "sa"
    assert info.value.found.id == bots_named(cloud, "sa")[0]["id"]
    assert cloud.count("POST", "/bots/") == 1
    text = str(info.value)
    assert "was applied, but the response with the new API key was lost" in text and "rotate: true" in text
    assert "\n" not in text
    no_key_in(cloud, text)


@pytest.mark.parametrize("fault", AMBIGUOUS, ids=AMBIGUOUS_IDS)
def test_create_not_visible_on_read_back_raises_outcome_unknown(cloud, api, fault):
    cloud.faults.append(Fault("POST", CREATE_PATH, applied=False, **fault))
    with pytest.raises(PrefectOutcomeUnknown) as info:
        api.create_bot("sa")
    assert cloud.count("POST", "/bots/") == 1
    assert cloud.count("POST", "/bots/filter") == 1  # read back once
    assert bots_named(cloud, "sa") == []
    text = str(info.value)
    assert "may still be applied" in text and "is not sent again" in text and "run the task again after 60" in text
    assert "\n" not in text
    no_key_in(cloud, text)


@pytest.mark.parametrize("status", [429, 503])
def test_create_refused_with_a_not_applied_status_is_sent_again(cloud, api, status):
    cloud.faults.append(Fault("POST", CREATE_PATH, status=status, times=2))
    bot, key = api.create_bot("sa")
    assert cloud.count("POST", "/bots/") == 3
    assert len(bots_named(cloud, "sa")) == 1 and bot.name == "sa"
    assert key in cloud.store.issued_keys() and bot.api_key.masked_key == f"{key[:4]}...{key[-4:]}"


def test_create_after_a_failed_connect_is_sent_again(cloud, api):
    cloud.faults.append(Fault("POST", CREATE_PATH, error=connect_error))
    bot, dummy = api.create_bot("sa")
    assert cloud.count("POST", "/bots/") == 2 and len(bots_named(cloud, "sa")) == 1 and bot.name == "sa"


def test_create_of_a_taken_name_is_a_conflict_and_not_read_back(cloud, api):
    api.create_bot("sa")
    with pytest.raises(PrefectConflict):
        api.create_bot("sa")
    assert cloud.count("POST", "/bots/") == 2 and cloud.count("POST", "/bots/filter") == 0


def test_create_answered_422_for_an_existing_name_is_a_conflict(make_client):
    existing = {"id": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "actor_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                "account_id": "0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e", "name": "sa", "account_role_name": "Member",
                "api_key": {"id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "name": "sa-key"}}
    client, script = make_client(respond(422, json={"detail": "A service account with this name exists."}),
                                 respond(200, json=[existing]))
    with pytest.raises(PrefectConflict) as info:
        PrefectCloud(client).create_bot("sa")
    assert info.value.status == 409 and script.sends == 2


def test_the_new_key_is_masked_in_later_error_text(make_client):
    key = "pnb_" + "R2d2C3po" * 4 + "Bb8x"
    created = {"id": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "actor_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
               "account_id": "0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e", "name": "sa", "account_role_name": "Member",
               "api_key": {"id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "name": "sa-key", "key": key}}
    client, dummy = make_client(respond(201, json=created), respond(400, text=f"rejected: Bearer {key}"))
    bot, returned = PrefectCloud(client).create_bot("sa")
    assert returned == key and key not in bot.to_result().values()
    with pytest.raises(PrefectAPIError) as info:
        client.request("GET", "me/")
    assert key not in str(info.value) and key[:8] not in str(info.value)


@pytest.mark.parametrize("bad", ["pnb_" + "a" * 36 + "\n", "pnb_" + "a" * 18 + " " + "a" * 18, "not-a-key"])
def test_a_created_key_of_another_shape_is_refused_without_showing_it(make_client, bad):
    """The account was created (201) but its key cannot be returned: read back, it is a lost answer."""
    account = {"id": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "actor_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
               "account_id": "0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e", "name": "sa", "account_role_name": "Member"}
    created = dict(account, api_key={"id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "name": "sa-key", "key": bad})
    listed = dict(account, api_key={"id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "name": "sa-key"})
    client, script = make_client(respond(201, json=created), respond(200, json=[listed]))
    with pytest.raises(PrefectResponseLost) as info:
        PrefectCloud(client).create_bot("sa")
    text = str(info.value)
    assert "api_key.key: not in the expected form" in text and bad.strip() not in text and "\n" not in text
    assert [request.method + " " + request.path.rsplit("/", 2)[-2] + "/" + request.path.rsplit("/", 1)[-1]
            for request in script.requests] == ["POST bots/", "POST bots/filter"]
    assert info.value.found.name == "sa"


# -- rotate


@pytest.fixture(name="bot")
def bot_fixture(cloud, api):
    bot, dummy = api.create_bot("sa")
    cloud.sent.clear()
    return bot


def active_key_id(cloud, bot):
    return next(key["id"] for key in cloud.store.data["api_keys"].values()
                if key["bot_id"] == bot.id and key["state"] == "active")


@pytest.mark.parametrize("fault", AMBIGUOUS, ids=AMBIGUOUS_IDS)
def test_rotation_applied_but_answer_lost_raises_response_lost(cloud, api, bot, fault):
    cloud.faults.append(Fault("POST", ROTATE_PATH, applied=True, **fault))
    with pytest.raises(PrefectResponseLost) as info:
        api.rotate_bot_key(bot)
    assert cloud.count("POST", "/rotate_api_key") == 1
    assert active_key_id(cloud, bot) != bot.api_key.id
    assert info.value.found.api_key.id == active_key_id(cloud, bot)
    no_key_in(cloud, str(info.value))


@pytest.mark.parametrize("fault", AMBIGUOUS, ids=AMBIGUOUS_IDS)
def test_rotation_not_visible_on_read_back_raises_outcome_unknown(cloud, api, bot, fault):
    cloud.faults.append(Fault("POST", ROTATE_PATH, applied=False, **fault))
    with pytest.raises(PrefectOutcomeUnknown) as info:
        api.rotate_bot_key(bot)
    assert cloud.count("POST", "/rotate_api_key") == 1
    assert cloud.count("GET", f"/bots/{bot.id}") == 1  # read back once
    assert active_key_id(cloud, bot) == bot.api_key.id
    assert "may still be applied" in str(info.value)
    no_key_in(cloud, str(info.value))


@pytest.mark.parametrize("status", [429, 503])
def test_rotation_refused_with_a_not_applied_status_is_sent_again(cloud, api, bot, status):
    cloud.faults.append(Fault("POST", ROTATE_PATH, status=status))
    rotated, key = api.rotate_bot_key(bot)
    assert cloud.count("POST", "/rotate_api_key") == 2
    assert rotated.api_key.id == active_key_id(cloud, bot) != bot.api_key.id
    assert key == cloud.store.issued_keys()[-1]


def test_rotation_keeps_the_old_key_for_the_grace_period(api, bot):
    rotated, dummy = api.rotate_bot_key(bot, old_key_expires_in_seconds=3600)
    keys = api.bot_keys(bot.id)
    assert keys.active_key.id == rotated.api_key.id
    assert [key.id for key in keys.rotating_keys] == [bot.api_key.id]


# -- the read-back itself fails


@pytest.mark.parametrize("faults", [
    [Fault("POST", CREATE_PATH, status=504), Fault("POST", r"/bots/filter$", status=500, times=-1)],
    [Fault("POST", CREATE_PATH, error=read_timeout, took=120.0)],  # the create's timeout spends the deadline
], ids=["read-back-fails", "deadline-spent"])
def test_create_whose_read_back_fails_still_says_it_may_be_applied(cloud, api, faults):
    cloud.faults.extend(faults)
    with pytest.raises(PrefectOutcomeUnknown) as info:
        api.create_bot("sa")
    assert str(info.value).startswith(f"POST /api/accounts/{cloud.ACCOUNT_ID}/bots/: ")
    assert "may still be applied" in str(info.value) and "\n" not in str(info.value)
    assert cloud.count("POST", "/bots/") == 1


def test_rotation_whose_read_back_fails_still_says_it_may_be_applied(cloud, api, bot):
    cloud.faults.extend([Fault("POST", ROTATE_PATH, status=502), Fault("GET", f"/bots/{bot.id}$", status=500, times=-1)])
    with pytest.raises(PrefectOutcomeUnknown) as info:
        api.rotate_bot_key(bot)
    assert "may still be applied" in str(info.value)
    assert cloud.count("POST", "/rotate_api_key") == 1


# -- a user's API key


USER = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
USER_KEY_META = {"id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "name": "ci", "created": "2026-11-23T03:19:07Z",
                 "expiration": None, "masked_key": "pnu_...Wxyz"}
USER_KEY_LOST = (f"POST /api/users/{USER}/api_keys: the API key 'ci' was created, but the response with the key was lost; "
                 "a key cannot be read back: delete it (state: absent) and run the task again to get a new one")


def test_a_user_key_is_returned_once_and_its_metadata_masked(make_client):
    key = "pnu_" + "N3wUs3rK3y" * 3 + "Wxyz"
    created = {k: USER_KEY_META[k] for k in ("id", "name", "created", "expiration")}
    client, script = make_client(respond(201, json=dict(created, key=key)))
    meta, returned = PrefectCloud(client).create_user_api_key(USER, "ci")
    assert returned == key and meta.masked_key == "pnu_...Wxyz" and meta.id == USER_KEY_META["id"]
    assert script.sends == 1


@pytest.mark.parametrize("answer", [respond(500, json={"detail": "boom"}),
                                    respond(201, json=dict(USER_KEY_META, key="pnu_short"))], ids=["500", "malformed-key"])
def test_a_user_key_created_but_not_received_is_read_back_and_names_the_remedy(make_client, answer):
    client, script = make_client(answer, respond(200, json=[USER_KEY_META]))
    with pytest.raises(PrefectResponseLost) as info:
        PrefectCloud(client).create_user_api_key(USER, "ci")
    assert str(info.value) == USER_KEY_LOST and info.value.found.name == "ci"
    assert [request.method for request in script.requests] == ["POST", "GET"]


def test_a_user_key_not_visible_on_read_back_is_an_unknown_outcome(make_client):
    client, dummy = make_client(respond(502, json={"detail": "bad gateway"}), respond(200, json=[]))
    with pytest.raises(PrefectOutcomeUnknown) as info:
        PrefectCloud(client).create_user_api_key(USER, "ci")
    assert "the creation of the API key 'ci' may still be applied" in str(info.value)
