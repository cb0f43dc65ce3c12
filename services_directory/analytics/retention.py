"""
Retention: old conversations are deleted, and each purge logged with what it removed.

Conversations are kept for a set period (default 183 days, about 6 months), then deleted from
Rasa's store with their review marks.

What is older than the period goes, event by event: a conversation entirely older disappears,
one that went on later loses its old part only (Rasa reads a conversation from its last
session start, so the rest still works).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from .tracker import REVIEWS_TABLE, TrackerDB

logger = logging.getLogger("services_directory.analytics")

DAY_S = 86400.0


@dataclass(frozen=True)
class PurgeReport:
    """What one purge removed."""

    cutoff: float
    events: int
    conversations_removed: int
    conversations_trimmed: int
    reviews: int

    def summary(self) -> str:
        """A sentence in French, for the log and the command line."""
        when = time.strftime("%d/%m/%Y %H:%M", time.localtime(self.cutoff))
        return (
            f"Purge des conversations antérieures au {when} : {self.events} événements "
            f"supprimés ; {self.conversations_removed} conversations supprimées entièrement, "
            f"{self.conversations_trimmed} raccourcies ; {self.reviews} marques de relecture "
            "supprimées."
        )


async def purge(tracker: TrackerDB, days: float, now: float | None = None) -> PurgeReport:
    """
    Delete every event older than `days` days, and the marks of conversations left empty.

    Args:
        tracker: Rasa's conversation store.
        days: the retention period.
        now: the current time (epoch seconds); tests pass their own.

    Returns:
        What was removed (also logged at INFO).
    """
    if days <= 0:
        raise ValueError("the retention period must be positive")
    cutoff = (time.time() if now is None else now) - days * DAY_S
    if not await tracker.exists():
        report = PurgeReport(cutoff, 0, 0, 0, 0)
        logger.info("%s (pas encore de conversations)", report.summary())
        return report
    async with tracker.session() as db:
        await db.run(REVIEWS_TABLE)
        rows = await db.all(
            "SELECT sender_id, SUM(CASE WHEN timestamp < ? THEN 1 ELSE 0 END), COUNT(*) "
            "FROM events GROUP BY sender_id HAVING MIN(timestamp) < ?",
            [cutoff, cutoff],
        )
        events = sum(int(r[1]) for r in rows)
        removed = [str(r[0]) for r in rows if int(r[1]) == int(r[2])]
        await db.run("DELETE FROM events WHERE timestamp < ?", [cutoff])
        marks = await db.all(
            "SELECT sender_id FROM analytics_reviews WHERE sender_id NOT IN "
            "(SELECT DISTINCT sender_id FROM events)"
        )
        await db.run(
            "DELETE FROM analytics_reviews WHERE sender_id NOT IN "
            "(SELECT DISTINCT sender_id FROM events)"
        )
    report = PurgeReport(cutoff, events, len(removed), len(rows) - len(removed), len(marks))
    logger.info("%s", report.summary())
    return report
