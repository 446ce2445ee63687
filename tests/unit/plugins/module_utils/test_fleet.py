# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The pure parts of service_accounts and workspace_members: entry checks, the guard, chunks, the caller."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils._fleet import check_entries, check_purge, chunks, is_caller
from ansible_collections.prefect.cloud.plugins.module_utils._members import check_members, member_key

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


def test_chunks_are_pages_of_200():
    assert [len(c) for c in chunks(list(range(401)))] == [200, 200, 1]
    assert chunks([]) == []


def test_the_caller_is_matched_by_bot_id_or_actor_id():
    bot = SimpleNamespace(id="b", actor_id="a")
    assert is_caller(SimpleNamespace(id="a"), bot)
    assert is_caller(SimpleNamespace(id="b"), bot)
    assert not is_caller(SimpleNamespace(id="x"), bot)
    assert not is_caller(None, bot)
    assert not is_caller(SimpleNamespace(id=None), bot)


def test_members_are_matched_by_id_email_without_case_or_name():
    uid = "0E4D3B46-8C6A-4C4F-9A57-35A2F37A6A11"
    assert member_key("user", uid) == ("user", "id", uid.lower())
    assert member_key("user", "Alice@Example.com") == ("user", "email", "alice@example.com")
    assert member_key("user", "alice") == ("user", "name", "alice")
    assert member_key("team", "Platform") == ("team", "name", "Platform")


def test_members_listed_twice_and_the_guard():
    params = {"members": [{"accessor_type": "user", "accessor": "A@x.io"}, {"accessor_type": "user", "accessor": "a@X.io"}],
              "purge": False, "allow_empty_purge": False}
    with pytest.raises(ValueError, match=r"^members\[1\]\.accessor 'a@X.io' is listed more than once \(also members\[0\]\)"):
        check_members(params)
    check_members(dict(params, members=[{"accessor_type": "user", "accessor": "a"}, {"accessor_type": "team", "accessor": "a"}]))
    with pytest.raises(ValueError, match="allow_empty_purge"):
        check_members(dict(params, members=[], purge=True))
    check_members(dict(params, members=[], purge=True, allow_empty_purge=True))
