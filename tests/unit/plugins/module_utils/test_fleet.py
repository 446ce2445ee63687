# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The pure parts of service_accounts: entry checks, the guard, the batches of
the writes, the caller, and the shared report of a failure in the middle of the writes (write_all)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectAPIError, PrefectResponseLost
from ansible_collections.prefect.cloud.plugins.module_utils._fleet import (
    Fleet, Operation, check_entries, check_purge, is_caller, write_all,
)

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


def entry(name, **options):
    base = {"name": name, "state": "present", "account_role": None, "api_key_expiration": None, "rotate": False,
            "old_key_expires_in_seconds": None, "workspace_access": None}
    return dict(base, **options)


def test_entries_are_checked_with_the_single_account_messages_prefixed():
    with pytest.raises(ValueError, match=r"^service_accounts\[1\]\.api_key_expiration '2001-01-01T00:00:00Z' is in the past"):
        check_entries([entry("a"), entry("b", api_key_expiration="2001-01-01T00:00:00Z")], NOW)
    with pytest.raises(ValueError, match=r"^service_accounts\[0\]\.old_key_expires_in_seconds must be between 0 and 172800"):
        check_entries([entry("a", old_key_expires_in_seconds=-1)], NOW)
    with pytest.raises(ValueError, match=r"^service_accounts\[0\]\.workspace_access applies only to state=present"):
        check_entries([entry("a", state="absent", workspace_access=[])], NOW)
    twice = [{"workspace": "w", "workspace_role": "Viewer"}] * 2
    with pytest.raises(ValueError, match=r"^service_accounts\[0\]\.workspace_access lists the workspace 'w' more than once"):
        check_entries([entry("a", workspace_access=twice)], NOW)


def test_a_name_listed_twice_names_both_entries():
    with pytest.raises(ValueError, match=r"^service_accounts\[2\]\.name 'a' is listed more than once \(also service_accounts\[0\]\)"):
        check_entries([entry("a"), entry("b"), entry("a")], NOW)


def test_expirations_are_parsed_per_entry():
    parsed = check_entries([entry("a"), entry("b", api_key_expiration="2030-01-31T01:00:00+01:00"),
                            entry("c", api_key_expiration="never")], NOW)
    assert parsed == [None, datetime.datetime(2030, 1, 31, tzinfo=datetime.timezone.utc), None]


@pytest.mark.parametrize("purge", ["purge_service_accounts", "purge_workspace_access"])
def test_the_empty_list_guard(purge):
    params = {"service_accounts": [], "purge_service_accounts": False, "purge_workspace_access": False,
              "allow_empty_purge": False}
    check_purge(params)  # no purge: an empty list is fine
    with pytest.raises(ValueError, match="allow_empty_purge"):
        check_purge(dict(params, **{purge: True}))
    check_purge(dict(params, **{purge: True, "allow_empty_purge": True}))
    check_purge(dict(params, **{purge: True, "service_accounts": [entry("a")]}))


def test_account_writes_are_pages_of_200_grants_per_workspace():
    pending = ([Operation("create", "a")] + [Operation("grant", f"b{i}", "w1", workspace_id="1") for i in range(201)] +
               [Operation("grant", "c", "w2", workspace_id="2")])
    assert [op.name for op in Fleet.next_batch(pending)] == ["a"]
    assert len(Fleet.next_batch(pending[1:])) == 200
    assert [op.name for op in Fleet.next_batch(pending[201:])] == ["b200"]
    assert [op.name for op in Fleet.next_batch(pending[202:])] == ["c"]


def test_the_caller_is_matched_by_bot_id_or_actor_id():
    bot = SimpleNamespace(id="b", actor_id="a")
    assert is_caller(SimpleNamespace(id="a"), bot)
    assert is_caller(SimpleNamespace(id="b"), bot)
    assert not is_caller(SimpleNamespace(id="x"), bot)
    assert not is_caller(None, bot)
    assert not is_caller(SimpleNamespace(id=None), bot)


class Failed(Exception):
    pass


def fleet_module():
    def fail_json(**result):
        raise Failed(result)
    return SimpleNamespace(result={"changed": False, "api_keys": {}}, module=SimpleNamespace(fail_json=fail_json))


OPERATIONS = [Operation("create", "a"), Operation("grant", "a", "ws"), Operation("grant", "b", "ws"), Operation("delete", "c")]


def batches(pending):
    return [op for op in pending if op.kind == pending[0].kind] if pending[0].kind == "grant" else pending[:1]


def failing_on(kind, exc):
    def apply(batch):
        if batch[0].kind == kind:
            raise exc
    return apply


def test_write_all_applies_every_batch_in_order():
    module, sent = fleet_module(), []
    write_all(module, "service_accounts", OPERATIONS, batches, sent.append)
    assert [[op.name for op in batch] for batch in sent] == [["a"], ["a", "b"], ["c"]]
    assert module.result == {"changed": False, "api_keys": {}}  # nothing reported: the caller sets changed


def test_a_failed_batch_reports_applied_and_not_applied_on_one_line():
    module = fleet_module()
    error = PrefectAPIError("POST", "/api/x/bot_access/", 500, "boom")
    with pytest.raises(Failed) as caught:
        write_all(module, "service_accounts", OPERATIONS, batches, failing_on("grant", error))
    result = caught.value.args[0]
    assert result["msg"] == ("service_accounts: grant of 'a' in workspace 'ws' (and 1 more in the same request) failed after 1 "
                             "of 4 operations were applied (see applied and not_applied; run the task again to converge): "
                             "POST /api/x/bot_access/ failed with HTTP 500: boom (a Prefect Cloud or proxy error; re-run the "
                             "task later, it reads the current state first)")
    assert result["changed"] and result["applied"] == [{"operation": "create", "service_account": "a"}]
    assert result["not_applied"] == [{"operation": "grant", "service_account": "a", "workspace": "ws"},
                                     {"operation": "grant", "service_account": "b", "workspace": "ws"},
                                     {"operation": "delete", "service_account": "c"}]
    assert (result["method"], result["path"], result["status"]) == ("POST", "/api/x/bot_access/", 500)
    assert result["api_keys"] == {}  # the rest of the result is kept


def test_a_first_write_that_fails_is_no_change_and_a_lost_answer_counts_as_applied():
    module = fleet_module()
    with pytest.raises(Failed) as caught:
        write_all(module, "workspace_members", OPERATIONS, batches, failing_on("create", PrefectAPIError("POST", "/p", 403, "no")))
    assert not caught.value.args[0]["changed"] and caught.value.args[0]["applied"] == []
    assert caught.value.args[0]["msg"].startswith("workspace_members: create of 'a' failed after 0 of 4 operations")
    lost = PrefectResponseLost(PrefectAPIError("POST", "/p", 502, "gateway"), "the create", found=None)
    with pytest.raises(Failed) as caught:
        write_all(fleet_module(), "service_accounts", OPERATIONS, batches, failing_on("create", lost))
    result = caught.value.args[0]
    assert result["changed"] and result["applied"] == [{"operation": "create", "service_account": "a"}]
    assert len(result["not_applied"]) == 3 and "failed after 1 of 4 operations were applied" in result["msg"]
