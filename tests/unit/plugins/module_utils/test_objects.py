# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The pure ACL functions of _objects that other planners (a scoped service account's) build on."""

from __future__ import annotations

from ansible_collections.prefect.cloud.plugins.module_utils._objects import (
    EVERYONE, Entry, empty_levels, label, place, replace, reset, same,
)

CI = Entry("service_account", "2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e", "ci")
ALICE = Entry("user", "0e4d3b46-8c6a-4c4f-9a57-35a2f37a6a11", "alice@example.com")
TEAM = Entry("team", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "platform")


def test_place_puts_an_actor_at_exactly_the_levels_given():
    acl = {"manage": (CI,), "run": (EVERYONE,), "view": (ALICE, CI)}
    assert place(acl, CI, ("run",)) == {"manage": (), "run": (EVERYONE, CI), "view": (ALICE,)}
    assert place(acl, CI, ()) == {"manage": (), "run": (EVERYONE,), "view": (ALICE,)}


def test_replace_is_exact_or_appends_for_the_levels_named_only():
    acl = {"manage": (CI,), "view": (EVERYONE,)}
    assert replace(acl, {"view": [TEAM, TEAM]}) == {"manage": (CI,), "view": (TEAM,)}
    assert replace(acl, {"view": [ALICE]}, append=True) == {"manage": (CI,), "view": (EVERYONE, ALICE)}


def test_same_compares_type_and_id_not_names_or_order():
    renamed = Entry("service_account", CI.id, "ci-renamed")
    assert same({"view": (CI, ALICE)}, {"view": (ALICE, renamed)})
    assert not same({"view": (CI,)}, {"view": (CI, EVERYONE)})


def test_reset_empty_levels_and_labels():
    assert reset("block") == {"manage": (EVERYONE,), "view": (EVERYONE,)}
    assert empty_levels({"manage": (), "run": (CI,), "view": ()}, ["run", "view"]) == ["view"]
    assert [label(entry) for entry in (EVERYONE, CI, ALICE, TEAM)] == [
        "everyone", "service_account:ci", "user:alice@example.com", "team:platform"]
