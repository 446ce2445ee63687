# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of ``_secrets.redact``: whole secrets, prefixes left at the cut, several secrets."""

from __future__ import annotations

import pytest

from ansible_collections.prefect.cloud.plugins.module_utils._secrets import MASK, MIN_PARTIAL, mark_secret, redact

KEY = "pnu_" + "a1B2c3D4e5" * 3 + "f6G7H8"  # 40 characters
OTHER = "pnb_" + "Zy9Xw8Vu7T" * 3 + "s6R5Q4"


def windows(secret, size=MIN_PARTIAL):
    return [secret[start:start + size] for start in range(len(secret) - size + 1)]


def test_whole_secret_is_masked_everywhere():
    text = f"Bearer {KEY} and again {KEY}."
    assert redact(text, [KEY]) == f"Bearer {MASK} and again {MASK}."


def test_secret_is_masked_before_the_text_is_cut():
    text = "x" * 280 + KEY + " tail"
    shown = redact(text, [KEY], limit=300)
    assert len(shown) <= 300 and shown == "x" * 280 + MASK + " tail"


@pytest.mark.parametrize("kept", range(MIN_PARTIAL, len(KEY)))
def test_prefix_of_a_secret_left_at_the_cut_is_masked(kept):
    # the text holds only a prefix of the key (a server that shortened its own log line), and
    # the cut at 100 keeps ``kept`` characters of it
    text = "y" * (100 - kept) + KEY[:-1] + " more text"
    shown = redact(text, [KEY], limit=100)
    assert shown == "y" * (100 - kept) + MASK
    assert not any(part in shown for part in windows(KEY))


def test_a_short_prefix_tells_nothing_and_is_kept():
    text = "y" * 97 + KEY[:10]
    assert redact(text, [KEY], limit=100) == "y" * 97 + KEY[:3]  # "pnu" is how every user key starts


def test_several_secrets_are_all_masked():
    text = f"first {KEY} second {OTHER} third {KEY}"
    assert redact(text, [KEY, OTHER]) == f"first {MASK} second {MASK} third {MASK}"


def test_prefix_of_any_of_several_secrets_at_the_cut_is_masked():
    text = "z" * 90 + OTHER
    shown = redact(text, [KEY, OTHER], limit=100)
    assert shown == "z" * 90 + MASK
    assert not any(part in shown for part in windows(OTHER))


def test_empty_and_missing_secrets_are_ignored():
    assert redact("nothing secret here", ["", None, KEY]) == "nothing secret here"


def test_text_within_the_limit_is_not_cut():
    assert redact("short", [KEY], limit=300) == "short"


def test_mark_secret_returns_a_value_equal_to_the_key():
    assert mark_secret(KEY) == KEY
    assert mark_secret("") == "" and mark_secret(None) is None


def test_a_secret_inside_another_does_not_uncover_the_rest():
    """A shorter secret (a proxy password) inside a longer one (a key added later) uncovers none of it."""
    short = OTHER[10:16]
    shown = redact(f"rejected: Bearer {OTHER}", [KEY, short, OTHER])
    assert not any(part in shown for part in windows(OTHER))
