"""Review marks of conversations (flagged, reviewed), kept beside Rasa's `events` table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from .tracker import REVIEWS_TABLE, TrackerDB


@dataclass(frozen=True)
class Review:
    """How a conversation stands in the review queue."""

    flagged: bool = False
    reviewed: bool = False
    updated_at: str | None = None
    updated_by: str | None = None


async def reviews(tracker: TrackerDB) -> dict[str, Review]:
    """Every conversation's marks, by sender id (none before the first mark)."""
    if not await tracker.exists():
        return {}
    async with tracker.session() as db:
        await db.run(REVIEWS_TABLE)
        rows = await db.all(
            "SELECT sender_id, flagged, reviewed, updated_at, updated_by FROM analytics_reviews"
        )
    return {str(r[0]): Review(bool(r[1]), bool(r[2]), r[3], r[4]) for r in rows}


async def mark(
    tracker: TrackerDB, sender: str, by: str, flagged: bool | None = None,
    reviewed: bool | None = None,
) -> Review:  # fmt: skip
    """
    Set a conversation's flag or reviewed mark (None leaves it as it is).

    Args:
        tracker: the store holding the conversation.
        sender: the conversation's sender id.
        by: who marks it (the back-office user's e-mail).
        flagged: the new flag; None keeps it.
        reviewed: the new reviewed mark; None keeps it.
    """
    current = (await reviews(tracker)).get(sender, Review())
    new = Review(
        current.flagged if flagged is None else flagged,
        current.reviewed if reviewed is None else reviewed,
        datetime.now(timezone.utc).isoformat(timespec="seconds"),
        by,
    )
    async with tracker.session() as db:
        await db.run(REVIEWS_TABLE)
        await db.run(
            "INSERT INTO analytics_reviews (sender_id, flagged, reviewed, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (sender_id) DO UPDATE SET"
            " flagged = excluded.flagged, reviewed = excluded.reviewed,"
            " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            [sender, int(new.flagged), int(new.reviewed), new.updated_at, new.updated_by],
        )
    return new
