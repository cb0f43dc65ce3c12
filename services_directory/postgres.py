"""
PostgreSQL storage, through an asyncpg pool; the same SQL as SQLite (sqlstore.py), numbered.

Chosen by DIRECTORY_DATABASE_URL. `schema` (tests use one per test) isolates a directory in
its own PostgreSQL schema. Free text uses a generated `tsvector` column with a GIN index.
"""

import contextvars
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from functools import lru_cache
from typing import Any

import asyncpg

from .errors import InvalidInput
from .pgmigrations import migrate
from .sqlbase import Row
from .sqlstore import SQLStore
from .textsearch import Group, tsquery

_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@lru_cache(maxsize=512)
def numbered(sql: str) -> str:
    """`?` placeholders -> `$1`, `$2`... (the shared SQL never has `?` inside literals)."""
    parts = sql.split("?")
    return "".join(part + (f"${i}" if i < len(parts) else "") for i, part in enumerate(parts, 1))


class PostgresStorage(SQLStore):
    """The directory in a PostgreSQL database (or one schema of it)."""

    dialect = "postgres"

    def __init__(self, url: str, schema: str | None = None, pool_size: int = 10) -> None:
        """Remember where the database lives; nothing is opened before `open()`."""
        if schema is not None and not _SCHEMA.match(schema):
            raise ValueError(f"invalid schema name: {schema!r}")
        self.url = url
        self.schema = schema
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._connection = contextvars.ContextVar[asyncpg.Connection | None](
            f"pg-tx-{id(self)}", default=None
        )

    @property
    def _db(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("storage is not open")
        return self._pool

    async def open(self) -> None:
        settings = {"search_path": f"{self.schema}, public"} if self.schema else {}
        if self.schema:
            connection = await asyncpg.connect(self.url)
            try:
                await connection.execute(f"CREATE SCHEMA IF NOT EXISTS {self.schema}")
            finally:
                await connection.close()
        self._pool = await asyncpg.create_pool(
            self.url, min_size=1, max_size=self.pool_size, server_settings=settings
        )
        async with self._db.acquire() as connection:
            await migrate(connection)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self._connection.get() is not None:
            yield  # joins the transaction this task already holds
            return
        async with self._db.acquire() as connection, connection.transaction():
            token = self._connection.set(connection)
            try:
                yield
            finally:
                self._connection.reset(token)

    def _executor(self) -> asyncpg.Connection | asyncpg.Pool:
        return self._connection.get() or self._db

    async def _one(self, sql: str, *params: Any) -> Row | None:
        with _refusing_nul():
            return await self._executor().fetchrow(numbered(sql), *params)

    async def _all(self, sql: str, *params: Any) -> list[Row]:
        with _refusing_nul():
            return list(await self._executor().fetch(numbered(sql), *params))

    async def _run(self, sql: str, *params: Any) -> None:
        with _refusing_nul():
            await self._executor().execute(numbered(sql), *params)

    async def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with _refusing_nul():
                await self._executor().executemany(numbered(sql), rows)

    def _text_search(
        self, groups: list[Group], ranked: bool
    ) -> tuple[str, list[Any], str, list[Any], str]:
        join = "CROSS JOIN to_tsquery('simple', ?) AS tq"
        return join, [tsquery(groups)], "s.search_vector @@ tq", [], "-ts_rank(s.search_vector, tq)"


@contextmanager
def _refusing_nul() -> Iterator[None]:
    """
    Refuse as bad input (400) the NUL that PostgreSQL text cannot hold (SQLite can).

    A key from a URL such as `/services/%00` would otherwise be a 500; validation already
    refuses NUL in every written field. The statement failed, so the caller's transaction
    is rolled back.
    """
    try:
        yield
    except (asyncpg.CharacterNotInRepertoireError, asyncpg.UntranslatableCharacterError):
        raise InvalidInput("text", "Caractère nul ou invalide dans la demande.") from None
