"""
Reading Rasa's conversation store (SQLTrackerStore's `events` table), on SQLite or PostgreSQL.

The store is Rasa's: analytics read it, the retention purge deletes from it, and the review
marks live beside it in a small table of their own (`analytics_reviews`), so that a purged
conversation takes its marks with it. A connection is opened per call: the pages are few and
the store may be written by Rasa at the same time.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

# The event types the figures need; the others (featurization, rewinds...) are skipped.
EVENT_TYPES = ("user", "bot", "action", "slot", "active_loop")
_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

REVIEWS_TABLE = """
CREATE TABLE IF NOT EXISTS analytics_reviews (
    sender_id VARCHAR(255) PRIMARY KEY,
    flagged INTEGER NOT NULL DEFAULT 0,
    reviewed INTEGER NOT NULL DEFAULT 0,
    updated_at VARCHAR(32),
    updated_by VARCHAR(255)
)"""


@dataclass(frozen=True)
class RawEvent:
    """One row of `events`, its JSON decoded."""

    id: int
    sender: str
    type: str
    at: float
    data: dict[str, Any]


def numbered(sql: str) -> str:
    """`?` placeholders -> `$1`, `$2`... for asyncpg."""
    parts = sql.split("?")
    return "".join(part + (f"${i}" if i < len(parts) else "") for i, part in enumerate(parts, 1))


class TrackerDB:
    """
    Rasa's conversation store.

    Args:
        location: a `postgresql://` URL, or the path of the SQLite file.
        schema: PostgreSQL only: the schema holding `events` (tests use one per test).
    """

    def __init__(self, location: str | Path, schema: str | None = None) -> None:
        if schema is not None and not _SCHEMA.match(schema):
            raise ValueError(f"invalid schema name: {schema!r}")
        text = str(location)
        self.postgres = text.startswith(("postgresql://", "postgres://"))
        self.location = text
        self.schema = schema

    def describe(self) -> str:
        """Where the store is, without any password."""
        return re.sub(r"//[^@/]*@", "//", self.location)

    @asynccontextmanager
    async def _connect(self) -> AsyncIterator[_Connection]:
        if self.postgres:
            import asyncpg  # only needed with PostgreSQL

            settings = {"search_path": f"{self.schema}, public"} if self.schema else {}
            pg = await asyncpg.connect(self.location, server_settings=settings)
            try:
                yield _Connection(pg=pg)
            finally:
                await pg.close()
            return
        lite = await aiosqlite.connect(self.location, timeout=30)
        try:
            yield _Connection(lite=lite)
        finally:
            await lite.close()

    async def exists(self) -> bool:
        """Whether the store has an `events` table yet (Rasa creates it on its first start)."""
        if not self.postgres and not Path(self.location).is_file():
            return False
        async with self._connect() as db:
            return await db.has_events()

    async def events(
        self, since: float | None = None, until: float | None = None, sender: str | None = None
    ) -> list[RawEvent]:
        """Events of the useful types, by conversation then order, optionally in a window."""
        if not await self.exists():
            return []
        where, params = [f"type_name IN ({', '.join('?' for _ in EVENT_TYPES)})"], [*EVENT_TYPES]
        for clause, value in (("timestamp >= ?", since), ("timestamp < ?", until)):
            if value is not None:
                where.append(clause)
                params.append(value)
        if sender is not None:
            where.append("sender_id = ?")
            params.append(sender)
        sql = (
            "SELECT id, sender_id, type_name, timestamp, data FROM events "
            f"WHERE {' AND '.join(where)} ORDER BY sender_id, id"
        )
        async with self._connect() as db:
            rows = await db.all(sql, params)
        return [
            RawEvent(int(r[0]), str(r[1]), str(r[2]), float(r[3] or 0), _decode(r[4]))
            for r in rows
        ]

    @asynccontextmanager
    async def session(self) -> AsyncIterator[_Connection]:
        """A connection inside one transaction, for the purge and the review marks."""
        async with self._connect() as db, db.transaction():
            yield db


def _decode(data: Any) -> dict[str, Any]:
    try:
        value = json.loads(data) if data else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class _Connection:
    """The few calls the analytics make, the same on both dialects (`?` placeholders)."""

    def __init__(self, lite: aiosqlite.Connection | None = None, pg: Any = None) -> None:
        self.lite, self.pg = lite, pg

    async def all(self, sql: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        if self.pg is not None:
            return list(await self.pg.fetch(numbered(sql), *params))
        assert self.lite is not None
        async with self.lite.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        if self.pg is not None:
            await self.pg.execute(numbered(sql), *params)
            return
        assert self.lite is not None
        await self.lite.execute(sql, tuple(params))

    async def has_events(self) -> bool:
        if self.pg is not None:
            found = await self.pg.fetchval("SELECT to_regclass('events')")
            return found is not None
        rows = await self.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
                              ["events"])  # fmt: skip
        return bool(rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self.pg is not None:
            async with self.pg.transaction():
                yield
            return
        assert self.lite is not None
        await self.lite.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            await self.lite.rollback()
            raise
        await self.lite.commit()
