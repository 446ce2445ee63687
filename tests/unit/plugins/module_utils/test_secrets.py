# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of ``_secrets.redact``: whole secrets, prefixes left at the cut, several secrets, and a key
echoed in another shape (broken by a space, cut short, escaped, in another case, base64 or hex)."""

from __future__ import annotations

import base64
import html
import json
import re
import urllib.parse

import pytest

from ansible_collections.prefect.cloud.plugins.module_utils._secrets import MASK, MIN_RUN, mark_secret, redact

KEY = "pnu_" + "a1B2c3D4e5" * 3 + "f6G7H8"  # 40 characters
OTHER = "pnb_" + "Zy9Xw8Vu7T" * 3 + "s6R5Q4"
# No 4 characters of a key in a row may be left in a shown text (the rule before MIN_RUN, kept as
# the tests' stricter check of what a cut leaves).
MIN_PARTIAL = 4


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
    # the cut at 100 falls ``kept`` characters into it: the run is masked before the cut, and the
    # cut leaves no part of the mask nor of the key
    text = "y" * (100 - kept) + KEY[:-1] + " more text"
    shown = redact(text, [KEY], limit=100)
    assert len(shown) <= 100 and shown.startswith("y" * (100 - kept))
    assert not any(part in shown for part in windows(KEY))
    assert shown.rstrip("*") == "y" * (100 - kept) or shown.startswith("y" * (100 - kept) + MASK)


def test_a_run_shorter_than_min_run_tells_nothing_and_is_kept():
    text = "y" * 90 + KEY[:MIN_RUN - 1]
    assert redact(text, [KEY], limit=100) == text  # 7 characters, "pnu_" and 3 more, are no usable part of a key


def test_a_prefix_of_min_run_characters_is_masked():
    assert redact("y" * 90 + KEY[:MIN_RUN], [KEY], limit=100) == "y" * 90 + MASK


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


# -- a key echoed in another shape (issue 28): no run of MIN_RUN characters of it may pass

def leaks(shown, secret=KEY):
    """The runs of MIN_RUN characters of ``secret`` in ``shown``, read as a person would: any case,
    white space and escapes removed, and base64 or hex decoded where the text is such."""
    readable = urllib.parse.unquote(html.unescape(shown)).encode().decode("unicode_escape", "replace")
    readable = "".join(readable.split()).lower()
    found = [part for part in windows(secret.lower(), MIN_RUN) if part in readable]
    for word in re.findall(r"[A-Za-z0-9+/=_-]+", shown):
        for offset in range(4):
            try:
                decoded = base64.b64decode(word[offset:] + "===", validate=False).decode("latin-1").lower()
            except ValueError:
                continue
            found += [part for part in windows(secret.lower(), MIN_RUN) if part in decoded]
        try:
            found += [part for part in windows(secret.lower(), MIN_RUN) if part in bytes.fromhex(word).decode("latin-1").lower()]
        except ValueError:
            pass
    return found


def _b64(data):
    return base64.b64encode(data.encode()).decode()


SHAPES = {
    "exact": KEY,
    "space-in-the-middle": KEY[:20] + " " + KEY[20:],
    "line-breaks": KEY[:10] + "\r\n" + KEY[10:30] + "\n\t" + KEY[30:],
    "zero-width-space": KEY[:15] + "\u200b" + KEY[15:],
    "truncated-24": KEY[:24],
    "truncated-8": KEY[5:13],
    "underscore-as-%5F": KEY.replace("_", "%5F"),
    "every-character-percent-encoded": "".join("%%%02X" % ord(char) for char in KEY),
    "upper-case": KEY.upper(),
    "lower-case": KEY.lower(),
    "base64": _b64(KEY),
    "base64-after-1-byte": _b64("x" + KEY),
    "base64-after-2-bytes": _b64("xy" + KEY),
    "base64-of-a-substring": _b64(KEY[7:31]),
    "base64-url-safe": base64.urlsafe_b64encode(("??" + KEY).encode()).decode(),
    "basic-auth-header": "Basic " + _b64("user:" + KEY),
    "json-escaped": json.dumps(KEY).replace("_", "\\u005f").replace("a", "\\u0061"),
    "json-ascii-escaped-everywhere": "".join("\\u%04x" % ord(char) for char in KEY),
    "html-entities": "".join("&#%d;" % ord(char) for char in KEY[:20]) + "".join("&#x%x;" % ord(char) for char in KEY[20:]),
    "hex": KEY.encode().hex(),
    "hex-upper": KEY.encode().hex().upper(),
    "x-escapes": "".join("\\x%02x" % ord(char) for char in KEY),
    "upper-case-with-spaces-every-4": " ".join(KEY.upper()[i:i + 4] for i in range(0, len(KEY), 4)),
}


@pytest.mark.parametrize("echo", list(SHAPES.values()), ids=list(SHAPES))
def test_an_echoed_key_in_any_shape_leaks_no_run(echo):
    text = f"invalid credentials for token {echo}; see the documentation"
    shown = redact(text, [KEY], limit=300)
    assert MASK in shown and not leaks(shown)
    assert shown.startswith("invalid credentials for token ") and shown.endswith("; see the documentation")


@pytest.mark.parametrize("echo", list(SHAPES.values()), ids=list(SHAPES))
def test_an_echoed_key_in_any_shape_at_the_cut_leaks_no_run(echo):
    text = "z" * 280 + echo
    shown = redact(text, [KEY], limit=300)
    assert len(shown) <= 300 and not leaks(shown)


def test_the_leak_check_itself_finds_each_shape():
    """Without redaction every shape above leaks: the check is not vacuous."""
    assert all(leaks(f"token {echo} end") for echo in SHAPES.values())


def test_text_without_a_secret_is_unchanged():
    text = "name: String should have at most 5000 characters; id 0b5f1c9e-3a52-4c55-9a5c-0f1f2b3c4d5e %20 &amp; \\u0041"
    assert redact(text, [KEY, OTHER]) == text


def test_a_short_secret_is_masked_whole_in_any_case():
    assert redact("proxy said: PassW0rd and passw0rd", ["PassW0rd"[:6]]) == "proxy said: ********rd and ********rd"
