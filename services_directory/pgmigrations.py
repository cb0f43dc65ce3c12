"""
PostgreSQL schema migrations: numbered SQL files in `migrations/postgres/`, applied in order.

The table `schema_migrations` records the versions applied; an advisory lock keeps two
processes starting together from migrating twice. Never edit a released file: add the next.
"""

import re
from pathlib import Path

import asyncpg

_FOLDER = Path(__file__).parent / "migrations" / "postgres"
_NAME = re.compile(r"^(\d{4})_\w+\.sql$")
_LOCK_KEY = 15138_48_23  # any constant: the advisory lock of this application's migrations


def migrations() -> list[tuple[int, Path]]:
    """The migration files, as (number, path), in order."""
    found = [(int(m.group(1)), path) for path in _FOLDER.iterdir() if (m := _NAME.match(path.name))]
    return sorted(found)


async def migrate(connection: asyncpg.Connection) -> list[int]:
    """
    Apply the migrations the schema lacks, each in its own transaction.

    Returns:
        The numbers applied (empty when already up to date).

    Raises:
        RuntimeError: the database comes from a newer version of the code.
    """
    await connection.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"
        )
        current = await connection.fetchval(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
        )
        latest = migrations()[-1][0]
        if current > latest:
            raise RuntimeError(
                f"database schema version {current} is newer than this code ({latest})"
            )
        applied = []
        for number, path in migrations():
            if number <= current:
                continue
            async with connection.transaction():
                await connection.execute(path.read_text(encoding="utf-8"))
                await connection.execute("INSERT INTO schema_migrations VALUES ($1)", number)
            applied.append(number)
        return applied
    finally:
        await connection.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
