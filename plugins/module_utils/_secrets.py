# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets: redaction of error text, and masking of returned keys (PRIVATE to this collection).

ansible-core 2.22 adds a secret masking API (``ansible.module_utils.secrets.register_secret``):
a value registered by a module is redacted from all output. On older cores there is no such API,
so users must set ``no_log: true`` on tasks that register a new key (the modules warn otherwise).

``redact`` does not look for the exact secret only. A server or a proxy that echoes a key may
change it on the way: cut it short, break it with a space or a line, percent-encode, JSON-escape
or HTML-escape some of its characters, change its case, or base64- or hex-encode it. The text is
read through all of these at once (escapes decoded, white space and invisible characters
skipped, case folded), and every run of ``MIN_RUN`` or more characters of a secret, or of one of
its encodings, is replaced by ``MASK`` together with whatever the run spans in the original
text (escapes, spaces). Runs shorter than that are not a usable part of a key.
"""

from __future__ import annotations

import base64
import binascii
import re

try:
    from ansible.module_utils.secrets import register_secret as _register_secret
except ImportError:
    _register_secret = None

MASK = "********"
# The shortest run of a secret's characters that is redacted (a secret shorter than this, such as
# a short proxy password, is redacted whole).  8 characters of a key are 48 bits of it, more than
# anything useful; 7 and fewer are left, which keeps ordinary words and ids readable.
MIN_RUN = 8
# At most this many characters of a text are read when only ``limit`` of them are shown; the
# masks shorten the text, never by more than this factor in practice.
SCAN_FACTOR = 16

# One character of the text as read: an escape of one character, white space or an invisible
# format character (skipped), or any single character.
_TOKEN = re.compile(
    r"%(?P<pct>[0-9A-Fa-f]{2})"
    r"|\\u(?P<u>[0-9A-Fa-f]{4})"
    r"|\\x(?P<x>[0-9A-Fa-f]{2})"
    r"|&#(?P<dec>[0-9]{1,7});"
    r"|&#[xX](?P<hex>[0-9A-Fa-f]{1,6});"
    r"|(?P<skip>[\s\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+)"
    r"|(?P<char>.)",
    re.DOTALL,
)


def mark_secret(value):
    """Return ``value`` registered as a secret when the core supports it, else unchanged."""
    if _register_secret is None or not value:
        return value
    return _register_secret(value)


def _fold(char):
    lower = char.lower()
    return lower if len(lower) == 1 else char


def _read(text):
    """The text as read: a list of (folded character, start, end) of its spans; skipped spans omitted."""
    read = []
    for match in _TOKEN.finditer(text):
        name = match.lastgroup  # the one group of the alternative that matched
        if name == "skip":
            continue
        if name == "char":
            char = match.group(name)
        else:
            code = int(match.group(name), 10 if name == "dec" else 16)
            char = chr(code) if code <= 0x10FFFF else "\ufffd"
        read.append((_fold(char), match.start(), match.end()))
    return read


def encodings(secret):
    """``secret`` and the forms an echo may carry it in, folded: base64 (standard and URL-safe)
    of the secret from each of its first three bytes (so any run of it whatever the alignment in
    the encoded text) and hex."""
    raw = secret.encode("utf-8", "surrogatepass")
    forms = [secret]
    for start in range(3):
        part = raw[start:]
        part = part[:len(part) - len(part) % 3]  # whole 3-byte groups only: their characters are exact
        if part:
            forms.append(base64.b64encode(part).decode("ascii"))
            forms.append(base64.urlsafe_b64encode(part).decode("ascii"))
    forms.append(binascii.hexlify(raw).decode("ascii"))
    return ["".join(_fold(char) for char in form) for form in forms]


def _windows(secrets):
    """{window size: set of folded runs of that size} over every secret and its encodings."""
    found = {}
    for secret in secrets:
        for form in encodings(secret):
            size = min(MIN_RUN, len(form))
            found.setdefault(size, set()).update(form[i:i + size] for i in range(len(form) - size + 1))
    return found


def _covered(read, windows):
    """Flags: True for each character read that lies in a run of a secret."""
    folded = "".join(char for char, dummy, dummy2 in read)
    covered = [False] * len(folded)
    for size, runs in windows.items():
        for start in range(len(folded) - size + 1):
            if folded[start:start + size] in runs:
                covered[start:start + size] = [True] * size
    return covered


def redact(text, secrets, limit=None):
    """``text`` with every run of a secret (in any of the forms above) replaced by ``MASK``, then
    shortened to ``limit`` characters.

    Secrets are replaced before the text is cut (a run cut in two by a shortened echo is found
    whole), and a cut never leaves part of a ``MASK``.
    """
    secrets = [secret for secret in secrets if secret]
    if not secrets or not text:
        return text[:limit] if limit is not None and text else text
    if limit is not None:
        text = text[:max(limit, 1) * SCAN_FACTOR]
    read = _read(text)
    covered = _covered(read, _windows(secrets))
    parts, position = [], 0
    for index, (dummy, start, end) in enumerate(read):
        if covered[index]:
            if not index or not covered[index - 1]:  # a run starts: the text before it, and one MASK
                parts += [text[position:start], MASK]
            position = end
    parts.append(text[position:])
    shown = "".join(parts)
    if limit is None or len(shown) <= limit:
        return shown
    mask_at = shown.rfind(MASK, max(0, limit - len(MASK) + 1), limit + len(MASK) - 1)
    if mask_at != -1 and mask_at < limit < mask_at + len(MASK):
        return shown[:mask_at]  # the cut would leave part of a mask, which tells a key was there
    return shown[:limit]
