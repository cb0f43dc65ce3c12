"""
Rasa's SQL tracker store: same table, rows and answers, less work per turn.

Every Rasa process uses it (bot/endpoints.yml on SQLite, bot/endpoints.scale.yml on
PostgreSQL); Rasa puts its working folder on `sys.path`, so it imports as `bot.tracker_store`.

What differs from Rasa 3.6's `SQLTrackerStore`, each measured (docs/benchmarks.md):
- a turn's three statements are built once: reading the conversation and counting what is
  stored as SQL text, inserting the new events as one batch. Rasa builds ORM queries on every
  turn and SQLAlchemy spent more time on their cache keys and unit of work than the database
  on running them (8 ms of CPU per turn against 1.8 ms, replaying real conversations);
- SQLite: connections are kept in a pool (SQLAlchemy 1.4 opens the file anew for every
  session) and the file is in WAL mode, so the analytics can read while Rasa writes;
- PostgreSQL: each pooled connection is checked (`SELECT 1`) when taken and replaced if dead,
  so a restart costs no turn once the database is back (tests/scale/test_faults.py); and
  `SQL_POOL_SIZE` / `SQL_MAX_OVERFLOW` apply with `login_db`, which Rasa ignores.
"""

from __future__ import annotations

import itertools
import json
from typing import Any, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

# Rasa's query: the events after the conversation's last `session_started`, or all of them.
_SESSION = """
    FROM events e, (SELECT max(timestamp) AS session_start FROM events
                    WHERE sender_id = :sender_id AND type_name = 'session_started') s
    WHERE e.sender_id = :sender_id
      AND (e.timestamp >= s.session_start OR s.session_start IS NULL)
"""
_READ_SESSION = sa.text(f"SELECT e.data {_SESSION} ORDER BY e.id")
_COUNT_SESSION = sa.text(f"SELECT count(*) {_SESSION}")
_READ_ALL = sa.text("SELECT data FROM events WHERE sender_id = :sender_id ORDER BY id")
# A Core insert, not text: with several rows, PostgreSQL's driver sends them as one statement.
_INSERT = SQLTrackerStore.SQLEvent.__table__.insert()


class LeanSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` for SQLite and PostgreSQL, with less work per turn."""

    def __init__(self, *args: Any, dialect: str = "sqlite", **kwargs: Any) -> None:
        if dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"LeanSQLTrackerStore supports sqlite and postgresql, not {dialect!r}")
        # Rasa's constructor creates the database and the table when missing.
        super().__init__(*args, dialect=dialect, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        if dialect == "sqlite":
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", _sqlite_settings)
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)  # Rasa's other uses

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        query = _READ_ALL if fetch_events_from_all_sessions else _READ_SESSION
        with self.engine.connect() as connection:
            rows = connection.execute(query, {"sender_id": sender_id}).fetchall()
        if not self.domain or not rows:
            return None
        events = [json.loads(data) for (data,) in rows]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.engine.begin() as connection:
            stored = connection.execute(_COUNT_SESSION, {"sender_id": tracker.sender_id}).scalar()
            new = [_row(tracker.sender_id, event.type_name, event.as_dict())
                   for event in itertools.islice(tracker.events, stored, None)]  # fmt: skip
            if new:
                connection.execute(_INSERT, new)


def _row(sender_id: str, type_name: str, data: dict[str, Any]) -> dict[str, Any]:
    """The columns Rasa fills for an event."""
    return {
        "sender_id": sender_id,
        "type_name": type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _sqlite_settings(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
