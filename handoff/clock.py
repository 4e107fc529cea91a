"""The service's clock: the one place that reads the time of day.

Everything that needs "now" takes a Clock (default: SYSTEM_CLOCK), so a test can set the time
and nothing in the code or the tests depends on the day it runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class Clock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def timestamp(self) -> float:
        return self.now().timestamp()


class FixedClock(Clock):
    """A clock that stands still until it is moved: for tests."""

    def __init__(self, at: datetime):
        self.set(at)

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a FixedClock needs a timezone-aware time")
        self._at = at.astimezone(timezone.utc)

    def advance(self, by: timedelta) -> None:
        self._at += by

    def now(self) -> datetime:
        return self._at


SYSTEM_CLOCK = Clock()
