"""
What the pages, the exports and the command line ask of analytics.

Where the conversation store is, which period and territories, and the conversations in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..settings import Settings
from .conversations import Conversation, conversations
from .figures import PARIS
from .tracker import TrackerDB

DEFAULT_DAYS = 30
MAX_DAYS = 731


def tracker_for(settings: Settings) -> TrackerDB | None:
    """
    Rasa's conversation store, as the settings locate it.

    ANALYTICS_TRACKER_URL wins; otherwise the SQLite file Rasa is told to use
    (RASA_TRACKER_DB, when RASA_TRACKER_DIALECT is sqlite). None: PostgreSQL without a URL.
    """
    if settings.analytics_tracker_url:
        return TrackerDB(settings.analytics_tracker_url)
    if settings.tracker_dialect == "sqlite":
        return TrackerDB(settings.tracker_db)
    return None


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both included, in days of France."""

    start: date
    end: date

    @classmethod
    def parse(cls, start: str | None, end: str | None, today: date | None = None) -> Period:
        """The period asked in a query string (`du`, `au`: YYYY-MM-DD); default: 30 days."""
        today = today or datetime.now(PARIS).date()
        last = _day(end) or today
        first = _day(start) or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            first, last = last, first
        return cls(max(first, last - timedelta(days=MAX_DAYS - 1)), last)

    def window(self) -> tuple[float, float]:
        """Epoch seconds: midnight (France) of the first day, midnight after the last."""
        since = datetime.combine(self.start, time(), PARIS)
        until = datetime.combine(self.end + timedelta(days=1), time(), PARIS)
        return since.timestamp(), until.timestamp()

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


async def load(
    tracker: TrackerDB, period: Period, territories: set[str] | None = None
) -> list[Conversation]:
    """
    The conversations with a message in the period, masked.

    Args:
        tracker: Rasa's conversation store.
        period: the days to read.
        territories: keep only conversations of these territories; None keeps every one.
    """
    since, until = period.window()
    found = conversations(await tracker.events(since, until))
    if territories is None:
        return found
    return [c for c in found if c.territory in territories]


async def load_one(tracker: TrackerDB, sender: str) -> Conversation | None:
    """One conversation, whole, masked; None when the store has no message of it."""
    found = conversations(await tracker.events(sender=sender))
    return found[0] if found else None
