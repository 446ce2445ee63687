# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""workspace_members (_members.Members) against the emulator in process (fakes.EmulatedCloud): bad
members fail before any write; a write failing in the middle reports what was applied and what was
not, as service_accounts does; the re-run converges."""

from __future__ import annotations

import pytest

pytest.importorskip("httpx")
pytest.importorskip("pydantic")

# pylint: disable=wrong-import-position
from ansible_collections.prefect.cloud.plugins.module_utils._api import PrefectCloud
from ansible_collections.prefect.cloud.plugins.module_utils._base import PrefectModule
from ansible_collections.prefect.cloud.plugins.module_utils._errors import PrefectError
from ansible_collections.prefect.cloud.plugins.module_utils._members import Members
from ansible_collections.prefect.cloud.tests.unit.plugins.module_utils.fakes import EmulatedCloud, Fault


class Failed(Exception):
    """fail_json was called; ``args[0]`` is the result."""


class FakeAnsibleModule:
    no_log = True

    @staticmethod
    def fail_json(**result):
        raise Failed(result)

    @staticmethod
    def warn(message):
        raise AssertionError(f"unexpected warning: {message}")


class FakeModule(PrefectModule):
    """A PrefectModule (its result, changed and fail) around a client of the in-process emulator."""

    def __init__(self, client, params, check_mode=False):  # pylint: disable=super-init-not-called
        self.module = FakeAnsibleModule()
        self.params = dict({"workspace": "ws", "members": [], "purge": False, "purge_types": ["service_account", "user", "team"],
                            "allow_empty_purge": False}, **params)
        self.check_mode = check_mode
        self.diff_mode = True
        self.result = {"changed": False}
        self.client = client
        self.api = PrefectCloud(client)


@pytest.fixture(name="setup")
def setup_fixture(clock):
    """(emulator, client): the emulator's seed (with the team platform) and service accounts bot-0 .. bot-2;
    bot-2 and bob have grants."""
    cloud = EmulatedCloud()
    client = cloud.client(clock, retries=0)
    api = PrefectCloud(client)
    for name in ("bot-0", "bot-1", "bot-2"):
        api.create_bot(name)
    workspace = api.workspaces(handles=["ws"])[0].id
    roles = {role.name: role.id for role in api.workspace_roles()}
    api.upsert_bot_accesses(workspace, [(api.bot_by_name("bot-2").id, roles["Viewer"])])
    bob = [m for m in api.user_memberships() if m.email == "bob@example.com"][0]
    api.upsert_user_accesses(workspace, [(bob.user_id, roles["Viewer"])])
    cloud.sent.clear()
    yield cloud, client
    client.close()


MEMBERS = [
    {"accessor_type": "service_account", "accessor": "bot-0", "workspace_role": "Runner"},
    {"accessor_type": "service_account", "accessor": "bot-1", "workspace_role": "Viewer"},
    {"accessor_type": "user", "accessor": "Alice@Example.com", "workspace_role": "Developer"},
    {"accessor_type": "team", "accessor": "platform", "workspace_role": "Viewer"},
]
# With purge of service accounts and users: the grants of bot-2 and bob go.
PARAMS = {"members": MEMBERS, "purge": True, "purge_types": ["service_account", "user"]}


def converge(setup, params, check_mode=False):
    """Run the task; return (result, failed, writes sent)."""
    cloud, client = setup
    cloud.sent.clear()
    module = FakeModule(client, params, check_mode)
    failed = False
    try:
        Members(module).converge()
        result = module.result
    except Failed as exc:
        result, failed = exc.args[0], True
    return result, failed, writes_of(cloud)


def writes_of(cloud):
    return [(method, path) for method, path in cloud.sent if method != "GET" and not path.endswith("/filter")]


def view(operation, accessor_type, accessor):
    return {"operation": operation, "accessor_type": accessor_type, "accessor": accessor, "workspace": "ws"}


@pytest.mark.parametrize("member, message", [
    ({"accessor": "nobody", "workspace_role": "Viewer"}, r"^members\[4\]\.accessor: no service account 'nobody'"),
    ({"accessor_type": "team", "accessor": "nobody", "workspace_role": "Viewer"}, r"^members\[4\]\.accessor: no team 'nobody'"),
    ({"accessor": "bot-2", "workspace_role": "Boss"}, r"^members\[4\]\.workspace_role"),
])
def test_one_bad_member_fails_before_any_write(setup, member, message):
    with pytest.raises(PrefectError, match=message):
        converge(setup, dict(PARAMS, members=MEMBERS + [dict({"accessor_type": "service_account"}, **member)]))
    assert writes_of(setup[0]) == []


def test_an_unknown_workspace_fails_before_any_write(setup):
    with pytest.raises(PrefectError, match=r"workspace.*'nowhere'"):
        converge(setup, dict(PARAMS, workspace="nowhere"))
    assert writes_of(setup[0]) == []


def test_a_failure_in_the_middle_reports_applied_and_not_applied_and_the_rerun_converges(setup):
    setup[0].faults.append(Fault("POST", r"/user_access/$", status=500))
    result, failed, writes = converge(setup, PARAMS)
    assert failed and result["changed"]
    assert result["msg"].startswith(
        "workspace_members: grant of user 'alice@example.com' in workspace 'ws' failed after 2 of 6 operations were "
        "applied (see applied and not_applied; run the task again to converge): POST /api/accounts/")
    assert result["msg"].endswith("/user_access/ failed with HTTP 500: Emulated fault: HTTP 500 (a Prefect Cloud or proxy "
                                  "error; re-run the task later, it reads the current state first)")
    assert "\n" not in result["msg"]
    assert result["method"] == "POST" and result["status"] == 500 and result["path"].endswith("/user_access/")
    assert result["applied"] == [view("grant", "service_account", "bot-0"), view("grant", "service_account", "bot-1")]
    assert result["not_applied"] == [view("grant", "user", "alice@example.com"), view("grant", "team", "platform"),
                                     view("revoke", "service_account", "bot-2"), view("revoke", "user", "bob@example.com")]
    assert [path.rsplit("/", 2)[-2] for _m, path in writes] == ["bot_access", "user_access"]
    # The re-run: check mode predicts it exactly, without a write; then it converges.
    check, failed, writes = converge(setup, PARAMS, check_mode=True)
    assert not failed and writes == [] and check["changed"]
    real, failed, writes = converge(setup, PARAMS)
    assert not failed and real["changed"] and "applied" not in real and "not_applied" not in real
    assert (check["diff"], check["removed"]) == (real["diff"], real["removed"])
    assert [r["accessor_name"] for r in real["removed"]] == ["bot-2", "bob@example.com"]
    assert [method for method, _path in writes] == ["POST", "PUT", "DELETE", "DELETE"]
    assert writes[0][1].endswith("/user_access/") and writes[1][1].endswith("/team_access/")
    again, failed, writes = converge(setup, PARAMS)
    assert not failed and not again["changed"] and writes == []


def test_a_failed_first_write_is_not_a_change(setup):
    setup[0].faults.append(Fault("POST", r"/bot_access/$", status=403))
    result, failed, _writes = converge(setup, PARAMS)
    assert failed and not result["changed"] and result["applied"] == []
    assert result["msg"].startswith("workspace_members: grant of service account 'bot-0' in workspace 'ws' (and 1 more in "
                                    "the same request) failed after 0 of 6 operations were applied")
    assert [op["accessor"] for op in result["not_applied"]][:2] == ["bot-0", "bot-1"]


def test_a_failed_removal_lists_the_removals_left(setup):
    setup[0].faults.append(Fault("DELETE", r"/bot_access/", status=500))
    result, failed, _writes = converge(setup, PARAMS)
    assert failed and result["changed"]
    assert "revoke of service account 'bot-2' in workspace 'ws' failed after 4 of 6 operations" in result["msg"]
    assert result["not_applied"] == [view("revoke", "service_account", "bot-2"), view("revoke", "user", "bob@example.com")]
