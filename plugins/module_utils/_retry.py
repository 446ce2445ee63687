# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""When and how long to wait before retrying a request (PRIVATE to this collection).

Pure Python, so it is unit-tested without a server. The HTTP layer asks two questions:
``RetryPolicy.retryable(...)`` and ``RetryPolicy.delay(...)``; it also stops when the total
time budget is spent, so no task waits forever.
"""

from __future__ import annotations

import random
import time

# Statuses that mean "not processed, try again later": 429 and 503 are what Prefect Cloud and its
# load balancer send under load. They are retried for every request.
RETRY_STATUSES = frozenset((429, 503))
# Statuses that may come AFTER the server applied a write (an error while answering, or a proxy
# that gave up waiting: 500, 502, 504). They are retried only for idempotent requests; for a
# create they mean "maybe applied", and the caller must read the state before sending it again.
AMBIGUOUS_STATUSES = frozenset((500, 502, 504))
RETRY_STATUSES_IDEMPOTENT = RETRY_STATUSES | AMBIGUOUS_STATUSES


class RetryPolicy:
    """Bounded exponential backoff with full jitter that honours ``Retry-After``."""

    def __init__(self, retries=5, backoff=0.5, max_backoff=30.0, max_total=120.0, rng=None):
        if retries < 0:
            raise ValueError("retries must be 0 or more")
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_total = max_total
        self._rng = rng or random.Random()

    def retryable_status(self, status, idempotent):
        """Return True when a response with this status should be retried."""
        return status in (RETRY_STATUSES_IDEMPOTENT if idempotent else RETRY_STATUSES)

    @staticmethod
    def ambiguous_status(status):
        """True when a failed non-idempotent write with this status may still have been applied."""
        return status in AMBIGUOUS_STATUSES

    def delay(self, attempt, retry_after=None, now=None):
        """Seconds to wait before retry number ``attempt`` (1-based).

        A server's ``Retry-After`` wins (capped at ``max_backoff``); otherwise a jittered
        exponential delay.
        """
        hinted = parse_retry_after(retry_after, now=now)
        if hinted is not None:
            return min(hinted, self.max_backoff)
        ceiling = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        return self._rng.uniform(ceiling / 2, ceiling)

    def allows(self, attempt, waited, wait):
        """True if retry number ``attempt`` may run after waiting ``wait`` more seconds."""
        return attempt <= self.retries and waited + wait <= self.max_total


def parse_retry_after(value, now=None):
    """Parse a ``Retry-After`` header (delta-seconds or HTTP-date) into seconds, or None."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        import email.utils  # pylint: disable=import-outside-toplevel  # rare: Retry-After as an HTTP date

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)
