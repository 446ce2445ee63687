# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The indexes that let the emulator serve thousands of bots stay right (names, keys, bulk upserts)."""
from __future__ import annotations

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("pydantic")


@pytest.fixture(name="http")
def http_fixture(emulator):
    client = httpx.Client(base_url=f"{emulator.url}/api/accounts/{emulator.config.account_id}",
                          headers={"Authorization": f"Bearer {emulator.config.api_key}"}, timeout=10)
    yield client
    client.close()


def test_the_name_index_follows_creates_renames_deletes_and_resets(emulator, http):
    first = http.post("/bots/", json={"name": "a"}).json()
    assert http.post("/bots/", json={"name": "a"}).status_code == 409
    assert http.patch(f"/bots/{first['id']}", json={"name": "b"}).status_code == 204
    assert http.post("/bots/", json={"name": "b"}).status_code == 409  # the renamed bot holds the name
    assert http.post("/bots/", json={"name": "a"}).status_code == 201  # and the old name is free
    assert http.delete(f"/bots/{first['id']}").status_code == 204
    assert http.post("/bots/", json={"name": "b"}).status_code == 201
    emulator.store.seed()
    assert http.post("/bots/", json={"name": "b"}).status_code == 201


def test_a_listing_shows_each_bots_own_active_key_after_rotations(http):
    bots = [http.post("/bots/", json={"name": f"k-{i}"}).json() for i in range(5)]
    rotated = http.post(f"/bots/{bots[2]['id']}/rotate_api_key", json={"old_key_expires_in_seconds": 60}).json()
    listed = {bot["id"]: bot["api_key"]["id"] for bot in http.post("/bots/filter", json={"limit": 2, "offset": 1}).json()}
    listed.update({bot["id"]: bot["api_key"]["id"] for bot in http.post("/bots/filter", json={"offset": 3}).json()})
    assert listed[bots[2]["id"]] == rotated["api_key"]["id"]
    assert listed[bots[1]["id"]] == bots[1]["api_key"]["id"]
    assert listed[bots[4]["id"]] == bots[4]["api_key"]["id"]


def test_a_bulk_upsert_updates_in_place_and_creates_once(http):
    bots = [http.post("/bots/", json={"name": f"g-{i}"}).json()["id"] for i in range(3)]
    workspace = http.post("/workspaces/filter", json={}).json()[0]["id"]
    roles = {role["name"]: role["id"] for role in http.post("/workspace_roles/filter", json={}).json()}
    first = http.post(f"/workspaces/{workspace}/bot_access/", json=[
        {"bot_id": bots[0], "workspace_role_id": roles["Viewer"]}, {"bot_id": bots[1], "workspace_role_id": roles["Viewer"]}]).json()
    second = http.post(f"/workspaces/{workspace}/bot_access/", json=[
        {"bot_id": bots[1], "workspace_role_id": roles["Runner"]}, {"bot_id": bots[2], "workspace_role_id": roles["Viewer"]},
        {"bot_id": bots[2], "workspace_role_id": roles["Owner"]}]).json()
    assert second[0]["id"] == first[1]["id"] and second[0]["workspace_role_id"] == roles["Runner"]
    assert second[1]["id"] == second[2]["id"]  # the same bot twice in one array: one row
    listed = http.post(f"/workspaces/{workspace}/bot_access/filter", json={}).json()
    assert sorted((row["bot_id"], row["workspace_role_id"]) for row in listed) == sorted(
        [(bots[0], roles["Viewer"]), (bots[1], roles["Runner"]), (bots[2], roles["Owner"])])
