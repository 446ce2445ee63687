# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workspace_invitation module: the HTTP conversation of each case (invite, keep, replace, revoke)."""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.modules.workspace_invitation import WorkspaceInvitation
from ansible_collections.prefect.cloud.tests.unit.plugins.modules.conftest import ACCOUNT, Call

WS = "5c0f8d4e-3b2a-4f1e-9d8c-7b6a5f4e3d2c"
VIEWER = "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f"
DEVELOPER = "3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d"
MEMBER_ROLE = "3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9"
INVITE = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
OLD_INVITE = "4a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
ROLES = Call("POST", "workspace_roles/filter", [{"id": VIEWER, "name": "Viewer"}, {"id": DEVELOPER, "name": "Developer"}])
NO_MEMBER = Call("POST", "account_memberships/filter", [])


def workspace(default=None):
    return Call("POST", "workspaces/filter", [{"id": WS, "name": "Staging", "handle": "staging", "account_id": ACCOUNT,
                                               "default_workspace_role_id": default}])


def invitation(role=VIEWER, invitation_id=INVITE, email="dora@example.com"):
    return {"id": invitation_id, "email": email, "account_id": ACCOUNT, "account_role_id": MEMBER_ROLE, "workspace_id": WS,
            "workspace_role_id": role, "status": "PENDING", "expiration": "2026-12-08T10:00:00Z"}


def pending(*found, email="dora@example.com"):
    return Call("POST", f"workspaces/{WS}/invitations/filter", list(found),
                body={"workspace_invitations": {"email": {"like_": email}, "status": {"any_": ["PENDING"]}},
                      "limit": 200, "offset": 0})


def diff(role="Viewer"):
    return {"email": "dora@example.com", "workspace": "staging", "workspace_role": role}


@pytest.mark.parametrize("check_mode", [False, True])
def test_invite(run_module, check_mode):
    write = Call("POST", f"workspaces/{WS}/invitations/", invitation(), body={"email": "dora@example.com"})
    result = run_module(WorkspaceInvitation, {"email": "dora@example.com", "workspace": "staging"},
                        [workspace(), ROLES, pending(), NO_MEMBER] + ([] if check_mode else [write]), check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"] == {"before": {}, "after": diff()}
    assert result["invitation"]["id"] == (None if check_mode else INVITE)
    assert result["invitation"]["workspace_role_name"] == "Viewer" and result["invitation"]["workspace_handle"] == "staging"


def test_invite_predicts_the_workspace_default_role(run_module):
    result = run_module(WorkspaceInvitation, {"email": "dora@example.com", "workspace": "staging", "workspace_role": "Developer"},
                        [workspace(DEVELOPER), ROLES, pending(), NO_MEMBER], check_mode=True)
    assert result["changed"] is True and result["diff"]["after"] == diff("Developer")


def test_pending_invitation_is_no_change_whatever_its_role(run_module):
    result = run_module(WorkspaceInvitation, {"email": "Dora@Example.com", "workspace": "staging"},
                        [workspace(DEVELOPER), ROLES, pending(invitation(), email="Dora@Example.com")])
    assert result["changed"] is False and result["diff"]["before"] == result["diff"]["after"] == diff()
    assert result["invitation"]["id"] == INVITE


def test_an_address_of_an_account_member_needs_no_invitation(run_module):
    member = {"id": OLD_INVITE, "actor_id": OLD_INVITE, "user_id": INVITE, "handle": "dora", "email": "dora@example.com",
              "account_role_name": "Member", "account_role_id": MEMBER_ROLE, "active": True}
    result = run_module(WorkspaceInvitation, {"email": "dora@example.com", "workspace": "staging"},
                        [workspace(), ROLES, pending(), Call("POST", "account_memberships/filter", [member])])
    assert result["changed"] is False and "invitation" not in result


def test_an_invitation_with_another_role_is_replaced_when_the_default_role_is_wanted(run_module):
    write = Call("POST", f"workspaces/{WS}/invitations/", invitation(DEVELOPER))
    result = run_module(WorkspaceInvitation, {"email": "dora@example.com", "workspace": "staging", "role": "Developer"},
                        [workspace(DEVELOPER), ROLES, pending(invitation()), write])
    assert result["changed"] is True
    assert result["diff"] == {"before": diff(), "after": diff("Developer")}


def test_a_role_that_is_not_the_default_fails_before_any_write(run_module):
    result = run_module(WorkspaceInvitation, {"email": "dora@example.com", "workspace": "staging", "role": "Developer"},
                        [workspace(), ROLES, pending(invitation()), ])
    assert result["failed"] and result["changed"] is False
    assert result["msg"].startswith("workspace_role: the API invites to workspace 'staging' with its default role 'Viewer' only")


@pytest.mark.parametrize("params, calls, msg", [
    ({"email": "dora@example", "workspace": "staging"}, [],
     "email must be an e-mail address such as dora@example.com, got 'dora@example'"),
    ({"email": "dora@example.com", "workspace": "nope"}, [Call("POST", "workspaces/filter", []), workspace()],
     "workspace: no workspace with handle 'nope' in this account, or the API key has no access to it (valid handles: staging)"),
    ({"email": "dora@example.com", "workspace": "staging", "role": "developer"}, [workspace(), ROLES],
     "workspace_role: no workspace role with name or id 'developer' (did you mean 'Developer'?); valid names are: "
     "Developer, Viewer"),
])
def test_bad_input_is_one_line_before_any_write(run_module, params, calls, msg):
    result = run_module(WorkspaceInvitation, params, calls)
    assert result["failed"] and result["changed"] is False and result["msg"] == msg


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_revokes_every_pending_invitation_and_ignores_the_role(run_module, check_mode):
    writes = [Call("POST", f"workspaces/{WS}/invitations/{OLD_INVITE}/revoke"), Call("POST", f"workspaces/{WS}/invitations/{INVITE}/revoke")]
    result = run_module(WorkspaceInvitation, {"email": "dora@example.com", "workspace": "staging", "state": "absent", "role": "Nope"},
                        [workspace(), ROLES, pending(invitation(DEVELOPER, OLD_INVITE), invitation())] + ([] if check_mode else writes),
                        check_mode=check_mode)
    assert result["changed"] is True and result["diff"] == {"before": diff(), "after": {}}
    assert "invitation" not in result


def test_absent_again_is_no_change(run_module):
    result = run_module(WorkspaceInvitation, {"email": "dora@example.com", "workspace": "staging", "state": "absent"},
                        [workspace(), ROLES, pending()])
    assert result["changed"] is False and result["diff"] == {"before": {}, "after": {}}


def test_a_refused_invitation_names_the_request(run_module):
    refused = Call("POST", f"workspaces/{WS}/invitations/", {"detail": "Not allowed"}, status=403)
    result = run_module(WorkspaceInvitation, {"email": "dora@example.com", "workspace": "staging"},
                        [workspace(), ROLES, pending(), NO_MEMBER, refused])
    assert result["failed"] and result["changed"] is False
    assert result["method"] == "POST" and result["path"].endswith(f"/workspaces/{WS}/invitations/") and result["status"] == 403
