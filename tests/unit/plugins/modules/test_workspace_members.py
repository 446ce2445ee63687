# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workspace_members module: the HTTP conversation of each case."""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.module_utils._access import GrantOperation, next_batch
from ansible_collections.prefect.cloud.plugins.modules.workspace_members import WorkspaceMembers
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.test_workspace_access import (
    BOT, DEVELOPER, FIND_WS, GRANT, READ_ROLES, TEAM, USER, VIEWER, WS, bot, bot_grant, team_grant,
)

BOT2 = "5d6e7f80-9102-4b3c-8d4e-5f6a7b8c9d0e"
ACTOR2 = "6e7f8091-0213-4c4d-9e5f-6a7b8c9d0e1f"
GRANT2 = "8f9e0d1c-2b3a-4f4e-8d5c-6b7a8f9e0d1c"
USER_GRANT = "9a0b1c2d-3e4f-4a5b-9c6d-7e8f9a0b1c2d"
ME_ACTOR = "aa0b1c2d-3e4f-4a5b-9c6d-7e8f9a0b1c2d"
ME = Call("GET", "me/", {"id": ME_ACTOR, "handle": "me"})


def grants_of(kind, answer):
    return Call("POST", f"workspaces/{WS}/{kind}_access/filter", answer)


def bot2_grant(role=VIEWER):
    return {"id": GRANT2, "workspace_id": WS, "workspace_role_id": role, "actor_id": ACTOR2, "bot_id": BOT2,
            "bot_name": "old"}


def user_grant(actor="7f809102-1324-4d5e-8f60-7a8b9c0d1e2f"):
    return {"id": USER_GRANT, "workspace_id": WS, "workspace_role_id": VIEWER, "actor_id": actor, "user_id": USER,
            "email": "bob@example.com", "handle": "bob"}


MEMBERS = [{"accessor": "ci", "workspace_role": "Developer"},
           {"accessor_type": "team", "accessor": "platform", "workspace_role": "Viewer"}]
PARAMS = {"workspace": "production", "members": MEMBERS}


def test_no_change_lists_each_kind_once(run_module):
    result = run_module(WorkspaceMembers, PARAMS, [FIND_WS, grants_of("bot", [bot_grant(DEVELOPER)]), READ_ROLES,
                                                   grants_of("team", [team_grant()])])
    assert result["changed"] is False and result["removed"] == []
    assert [m["id"] for m in result["members"]] == [GRANT, GRANT]
    assert result["diff"] == {"before": {}, "after": {}}


@pytest.mark.parametrize("check_mode", [False, True])
def test_grants_in_one_request_per_kind_and_a_purge(run_module, check_mode):
    params = dict(PARAMS, purge=True)
    writes = [Call("POST", f"workspaces/{WS}/bot_access/", [bot_grant(DEVELOPER)],
                   body=[{"bot_id": BOT, "workspace_role_id": DEVELOPER}]),
              Call("PUT", f"workspaces/{WS}/team_access/", [team_grant()], body=[{"team_id": TEAM, "workspace_role_id": VIEWER}]),
              Call("DELETE", f"workspaces/{WS}/bot_access/{GRANT2}"),
              Call("DELETE", f"workspaces/{WS}/user_access/{USER_GRANT}")]
    reads = [FIND_WS, grants_of("bot", [bot_grant(), bot2_grant()]), READ_ROLES, grants_of("user", [user_grant(),
             user_grant(ME_ACTOR) | {"id": "b1b2c3d4-0000-4000-8000-000000000001"}]),
             grants_of("team", []), ME, Call("POST", "teams/filter", [{"id": TEAM, "name": "platform"}])]
    result = run_module(WorkspaceMembers, params, reads + ([] if check_mode else writes), check_mode=check_mode)
    assert result["changed"] is True
    assert [g["accessor_name"] for g in result["removed"]] == ["old", "bob@example.com"]  # never the caller's own
    assert result["members"][0]["workspace_role_name"] == "Developer"
    assert result["members"][1]["id"] == (None if check_mode else GRANT)
    assert result["diff"]["before"]["members"] == [
        {"workspace": "production", "accessor_type": "service_account", "accessor": "ci", "workspace_role": "Viewer"},
        {"workspace": "production", "accessor_type": "service_account", "accessor": "old", "workspace_role": "Viewer"},
        {"workspace": "production", "accessor_type": "user", "accessor": "bob@example.com", "workspace_role": "Viewer"}]
    assert [m["accessor"] for m in result["diff"]["after"]["members"]] == ["ci", "platform"]


def test_a_partial_purge_failure_lists_only_the_removals_applied(run_module):
    """Issue 28 item 5: ``removed`` named the deletions that never happened."""
    params = {"workspace": "production", "members": [{"accessor": "ci", "workspace_role": "Viewer"}], "purge": True,
              "purge_types": ["service_account", "user"], "retries": 0}
    result = run_module(WorkspaceMembers, params, [
        FIND_WS, grants_of("bot", [bot_grant(), bot2_grant()]), READ_ROLES, grants_of("user", [user_grant()]), ME,
        Call("DELETE", f"workspaces/{WS}/bot_access/{GRANT2}"),
        Call("DELETE", f"workspaces/{WS}/user_access/{USER_GRANT}", {"detail": "boom"}, status=500),
    ],
        check_mode=False)
    assert result["failed"] and result["changed"] is True
    assert [g["accessor_name"] for g in result["removed"]] == ["old"]
    assert result["applied"] == [{"operation": "revoke", "accessor_type": "service_account", "accessor": "old",
                                  "workspace": "production"}]
    assert result["not_applied"] == [{"operation": "revoke", "accessor_type": "user", "accessor": "bob@example.com",
                                      "workspace": "production"}]
    assert result["msg"].startswith("workspace_members: revoke of user 'bob@example.com' in workspace 'production' "
                                    "failed after 1 of 2 operations were applied")


def test_a_new_member_is_found_in_one_listing_of_its_kind(run_module):
    params = {"workspace": "production", "members": [{"accessor": "ci", "workspace_role": "Viewer"},
                                                     {"accessor": "old", "workspace_role": "Viewer"}]}
    bots = [bot(), dict(bot("old"), id=BOT2, actor_id=ACTOR2)]
    result = run_module(WorkspaceMembers, params, [
        FIND_WS, grants_of("bot", []), READ_ROLES, Call("POST", "bots/filter", bots),
        Call("POST", f"workspaces/{WS}/bot_access/", [bot_grant(), bot2_grant()],
             body=[{"bot_id": BOT, "workspace_role_id": VIEWER}, {"bot_id": BOT2, "workspace_role_id": VIEWER}])])
    assert result["changed"] is True and [m["id"] for m in result["members"]] == [GRANT, GRANT2]


def test_planned_accessors_and_roles_of_earlier_check_mode_tasks(run_module):
    planned = {ACCOUNT: {"service_account": {"new": {"name": "new", "actor_id": None, "account_role_name": "Member"}},
                         "workspace_role": {"operator": {"name": "operator", "account_id": ACCOUNT, "scopes": [],
                                                         "description": "", "inherited_role_id": None}}}}
    params = {"workspace": "production", "members": [{"accessor": "new", "workspace_role": "operator"}]}
    result = run_module(WorkspaceMembers, params, [FIND_WS, grants_of("bot", []), READ_ROLES,
                                                   Call("POST", "bots/filter", [bot()])],
                        check_mode=True, planned=planned)
    assert result["changed"] is True
    assert result["members"][0]["accessor_id"] is None and result["members"][0]["workspace_role_id"] is None
    assert result["diff"]["after"]["members"] == [{"workspace": "production", "accessor_type": "service_account",
                                                   "accessor": "new", "workspace_role": "operator"}]


@pytest.mark.parametrize("member, message", [
    ({"accessor": "nobody", "workspace_role": "Viewer"}, "members[2].accessor: no service account 'nobody' in this account"),
    ({"accessor": "ci", "accessor_type": "user", "workspace_role": "Boss"}, "members[2].workspace_role: no workspace role"),
])
def test_one_bad_member_fails_before_any_write(run_module, member, message):
    params = dict(PARAMS, members=MEMBERS + [member])
    reads = [FIND_WS, grants_of("bot", [bot_grant(DEVELOPER)])]
    if member.get("accessor_type") == "user":
        reads.append(READ_ROLES)
        reads.append(grants_of("user", []))
        reads.append(grants_of("team", [team_grant()]))
    else:
        reads += [READ_ROLES, grants_of("team", [team_grant()]), Call("POST", "bots/filter", [bot()])]
    result = run_module(WorkspaceMembers, params, reads)
    assert result["failed"] and result["msg"].startswith(message)


def test_an_accessor_listed_twice_fails_before_any_request(run_module):
    params = dict(PARAMS, members=MEMBERS + [{"accessor": "ci", "workspace_role": "Viewer"}])
    result = run_module(WorkspaceMembers, params, [])
    assert result["msg"] == ("members[2].accessor 'ci' is listed more than once (also members[0]); give each accessor "
                             "once")


def test_an_empty_purge_needs_allow_empty_purge(run_module):
    result = run_module(WorkspaceMembers, {"workspace": "production", "purge": True}, [])
    assert "allow_empty_purge" in result["msg"]


def test_an_unknown_workspace_fails(run_module):
    result = run_module(WorkspaceMembers, dict(PARAMS, workspace="nowhere"),
                        [Call("POST", "workspaces/filter", []), Call("POST", "workspaces/filter", [])])
    assert result["msg"].startswith("workspace: no workspace with handle 'nowhere'")


def test_writes_are_pages_of_200_per_kind_one_team_put_and_one_removal_each():
    def op(kind, accessor_type, name):
        return GrantOperation(kind, "ws", {"accessor_type": accessor_type, "accessor_name": name, "accessor_id": name})
    pending = ([op("grant", "service_account", f"b{i}") for i in range(401)] + [op("grant", "user", "u")] +
               [op("grant", "team", f"t{i}") for i in range(250)] + [op("revoke", "user", "v"), op("revoke", "team", "w")])
    sizes = []
    while pending:
        batch = next_batch(pending)
        assert len({(o.kind, o.accessor_type) for o in batch}) == 1
        sizes.append(len(batch))
        pending = [o for o in pending if o not in batch]
    assert sizes == [200, 200, 1, 1, 250, 1, 1]


def test_a_user_is_the_same_member_by_email_in_any_case_and_kinds_differ(run_module):
    members = [{"accessor_type": "user", "accessor": "A@x.io", "workspace_role": "Viewer"},
               {"accessor_type": "user", "accessor": "a@X.io", "workspace_role": "Viewer"}]
    result = run_module(WorkspaceMembers, {"workspace": "production", "members": members}, [])
    assert result["msg"].startswith("members[1].accessor 'a@X.io' is listed more than once (also members[0])")
    members = [{"accessor_type": "user", "accessor": "a", "workspace_role": "Viewer"},
               {"accessor_type": "team", "accessor": "a", "workspace_role": "Viewer"}]
    result = run_module(WorkspaceMembers, {"workspace": "nowhere", "members": members},
                        [Call("POST", "workspaces/filter", []), Call("POST", "workspaces/filter", [])])
    assert "listed more than once" not in result["msg"]
