# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one retry policy of the collection (PRIVATE to this collection).

Pure Python, so it is unit-tested without a server. The rules, as ``docs/reliability.md`` states
them:

- one request is sent at most ``retries + 1`` times; nothing else in the collection sends it again;
- one monotonic deadline per task, ``max(60, 4 * timeout)`` seconds: every request and every wait
  shares it, and each socket timeout is at most the time left;
- a request that is safe to repeat (reads, updates, deletes, upserts) is sent again after 429,
  500, 502, 503, 504 or a broken connection;
- a request that is not (a create, a key rotation) is sent again only after an answer that proves
  it was not applied: 429, 503, or a connection that failed before anything was sent. Anything
  else (500, 502, 504, a reset after sending, a timeout) leaves it "maybe applied", and the caller
  reads the state back instead (``_api``);
- a failed certificate check is never retried.
"""

from __future__ import annotations

import math
import random
import time

# "Not processed, try again later": what Prefect Cloud and its load balancer send under load.
NOT_APPLIED_STATUSES = frozenset((429, 503))
# May come after the server applied a write: an error while answering, or a gateway that gave up.
AMBIGUOUS_STATUSES = frozenset((500, 502, 504))
MIN_DEADLINE = 60.0


class Deadline:
    """The time budget of one task, on the monotonic clock."""

    def __init__(self, seconds, clock=time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds

    @classmethod
    def for_timeout(cls, timeout, clock=time.monotonic):
        """The documented task deadline for a ``timeout`` option: max(60, 4 x timeout) seconds."""
        return cls(max(MIN_DEADLINE, 4 * timeout), clock)

    def extend(self, seconds):
        """Give the task ``seconds`` more (once its planned work is known)."""
        self.seconds += seconds
        self._end += seconds

    def left(self):
        """Seconds left (0 when spent)."""
        return max(0.0, self._end - self._clock())


class RetryPolicy:
    """Bounded exponential backoff with full jitter that honours ``Retry-After``."""

    def __init__(self, retries=5, backoff=0.5, max_backoff=30.0, rng=None):
        if retries < 0:
            raise ValueError("retries must be 0 or more")
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._rng = rng or random.Random()

    @property
    def max_sends(self):
        return self.retries + 1

    @staticmethod
    def resend_status(status, idempotent):
        """True when an answer with this status may be followed by sending the request again."""
        return status in NOT_APPLIED_STATUSES or (idempotent and status in AMBIGUOUS_STATUSES)

    @staticmethod
    def ambiguous_status(status):
        """True when a failed write that is not safe to repeat may still have been applied."""
        return status in AMBIGUOUS_STATUSES

    def delay(self, sends, retry_after=None, now=None):
        """Seconds to wait after the ``sends``-th send: the server's ``Retry-After`` (capped at
        ``max_backoff``), or a jittered exponential delay."""
        hinted = parse_retry_after(retry_after, now=now)
        if hinted is not None:
            return min(hinted, self.max_backoff)
        ceiling = min(self.max_backoff, self.backoff * (2 ** (sends - 1)))
        return self._rng.uniform(ceiling / 2, ceiling)

    def may_resend(self, sends, wait, deadline):
        """True if a request sent ``sends`` times may be sent again after waiting ``wait`` seconds."""
        return sends < self.max_sends and wait < deadline.left()


def parse_retry_after(value, now=None):
    """Parse a ``Retry-After`` header (delta-seconds or HTTP-date) into seconds, or None."""
    value = "" if value is None else str(value).strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return None if math.isnan(seconds) else max(0.0, seconds)
    try:
        import email.utils  # pylint: disable=import-outside-toplevel  # rare: Retry-After as an HTTP date

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)
