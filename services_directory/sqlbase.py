"""
The primitives every SQL backend supplies, and small SQL helpers the mixins share.

Statements use `?` placeholders (the PostgreSQL backend numbers them) and portable SQL:
`ON CONFLICT`, `RETURNING`, `NULLS LAST`.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timezone
from typing import Any

Row = Mapping[str, Any]


class SQLBase(ABC):
    """Connection primitives, implemented by sqlite.py and postgres.py."""

    dialect = "sql"

    @abstractmethod
    async def _one(self, sql: str, *params: Any) -> Row | None:
        """First row of a query, or None."""

    @abstractmethod
    async def _all(self, sql: str, *params: Any) -> list[Row]:
        """Every row of a query."""

    @abstractmethod
    async def _run(self, sql: str, *params: Any) -> None:
        """Run a statement (inside the current transaction, if any)."""

    @abstractmethod
    async def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run a statement once per row of parameters."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[None]:
        """All writes inside are kept or none; nested uses join the outer transaction."""

    @abstractmethod
    def _text_search(
        self, groups: list[Any], ranked: bool
    ) -> tuple[str, list[Any], str, list[Any], str]:
        """
        The dialect's full-text part of a search (`ranked`: the order needs relevance).

        Returns:
            (join, join params, condition, condition params, rank expression: lower is better).
        """


def now() -> str:
    """The current UTC time, ISO 8601 to the second (how every timestamp is stored)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def insert(table: str, columns: Sequence[str]) -> str:
    """INSERT with one `?` per column, in order."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


def upsert(table: str, columns: Sequence[str], key: str) -> str:
    """INSERT that updates every other column when the key exists."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    return f"{insert(table, columns)} ON CONFLICT ({key}) DO UPDATE SET {updates}"
