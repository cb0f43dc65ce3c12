"""
SQLite storage, through aiosqlite: every query runs on aiosqlite's thread, off the event loop.

One connection in autocommit mode; `transaction()` takes a lock and opens `BEGIN IMMEDIATE`, so
writes of concurrent requests never mix with an import in progress. Free text goes through an
FTS5 index (migration 0004) kept by triggers.
"""

import asyncio
import contextvars
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from .migrations import migrate
from .sqlbase import Row
from .sqlstore import SQLStore
from .textsearch import Group, fts5_query

# Name weighs four times the rest of the text in the ranking (bm25: lower is better).
_FTS_JOIN = (
    "JOIN (SELECT rowid AS fts_rowid, bm25(services_fts, 4.0, 1.0) AS fts_rank"
    " FROM services_fts WHERE services_fts MATCH ?) f ON f.fts_rowid = s.rowid"
)


_FTS_ROWIDS = "s.rowid IN (SELECT rowid FROM services_fts WHERE services_fts MATCH ?)"


class SQLiteStorage(SQLStore):
    """The directory in one SQLite file (or `:memory:`), over a single connection."""

    dialect = "sqlite"

    def __init__(self, path: Path | str) -> None:
        """Remember where the database lives; nothing is opened before `open()`."""
        self.path = path
        self._connection: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._in_transaction = contextvars.ContextVar(f"sqlite-tx-{id(self)}", default=False)

    @property
    def _db(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise RuntimeError("storage is not open")
        return self._connection

    async def open(self) -> None:
        if str(self.path) != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._connection = await aiosqlite.connect(self.path, isolation_level=None)
        self._connection.row_factory = aiosqlite.Row
        await self._db.execute("PRAGMA foreign_keys = ON")
        await self._db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
        await self._db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, faster commits
        await migrate(self._db)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self._in_transaction.get():
            yield  # joins the transaction this task already holds
            return
        async with self._lock:
            token = self._in_transaction.set(True)
            try:
                await self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    await self._db.execute("ROLLBACK")
                    raise
                await self._db.execute("COMMIT")
            finally:
                self._in_transaction.reset(token)

    async def _one(self, sql: str, *params: Any) -> Row | None:
        async with self._db.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def _all(self, sql: str, *params: Any) -> list[Row]:
        async with self._db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def _run(self, sql: str, *params: Any) -> None:
        await self._db.execute(sql, params)

    async def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            await self._db.executemany(sql, rows)

    def _text_search(
        self, groups: list[Group], ranked: bool
    ) -> tuple[str, list[Any], str, list[Any], str]:
        if ranked:
            return _FTS_JOIN, [fts5_query(groups)], "", [], "f.fts_rank"
        # Without ranking, skip bm25: a plain rowid set is much cheaper on common words.
        return "", [], _FTS_ROWIDS, [fts5_query(groups)], ""
