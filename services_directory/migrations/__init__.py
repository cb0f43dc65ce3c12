"""
Schema migrations: numbered SQL files (`0001_initial.sql`, ...) applied in order.

The database's `PRAGMA user_version` records the last one applied, so opening an up-to-date
database changes nothing. Never edit a released file: add the next number.
"""

import re
from pathlib import Path

import aiosqlite

_FOLDER = Path(__file__).parent
_NAME = re.compile(r"^(\d{4})_\w+\.sql$")


def migrations() -> list[tuple[int, Path]]:
    """The migration files, as (number, path), in order."""
    found = [(int(m.group(1)), path) for path in _FOLDER.iterdir() if (m := _NAME.match(path.name))]
    return sorted(found)


def latest_version() -> int:
    """The version a fully migrated database has."""
    return migrations()[-1][0]


async def schema_version(connection: aiosqlite.Connection) -> int:
    """The database's current version (0 when empty)."""
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(connection: aiosqlite.Connection) -> list[int]:
    """
    Apply the migrations the database lacks, each in its own transaction.

    Args:
        connection: an open connection.

    Returns:
        The numbers applied (empty when already up to date).

    Raises:
        RuntimeError: the database comes from a newer version of the code.
    """
    current = await schema_version(connection)
    if current > latest_version():
        raise RuntimeError(
            f"database schema version {current} is newer than this code ({latest_version()})"
        )
    applied = []
    for number, path in migrations():
        if number <= current:
            continue
        script = (
            f"BEGIN;\n{path.read_text(encoding='utf-8')}\nPRAGMA user_version = {number};\nCOMMIT;"
        )
        try:
            await connection.executescript(script)
        except Exception:
            await connection.rollback()
            raise
        applied.append(number)
    return applied
