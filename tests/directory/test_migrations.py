"""Migrations bring any database to the latest schema, and only once."""

from collections.abc import Callable
from pathlib import Path

import aiosqlite
import pytest

from services_directory.migrations import latest_version, migrate, migrations, schema_version
from services_directory.models import Commune
from services_directory.pgmigrations import migrations as pg_migrations
from services_directory.postgres import PostgresStorage
from services_directory.sqlite import SQLiteStorage
from services_directory.storage import Storage


def test_migration_files_are_numbered_from_one_without_gaps() -> None:
    numbers = [number for number, _ in migrations()]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.asyncio
async def test_an_empty_database_is_brought_to_the_latest_version(tmp_path: Path) -> None:
    async with aiosqlite.connect(tmp_path / "db.sqlite3") as db:
        assert await schema_version(db) == 0
        assert await migrate(db) == [number for number, _ in migrations()]
        assert await schema_version(db) == latest_version()
        async with db.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
            tables = {row[0] for row in await cursor.fetchall()}
    assert {"territories", "communes", "territory_communes", "services", "service_changes",
            "organisations", "users", "api_tokens", "leads", "services_fts"} <= tables  # fmt: skip


@pytest.mark.asyncio
async def test_reopening_keeps_data_and_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "db.sqlite3"  # the folder is created on open
    storage = SQLiteStorage(path)
    await storage.open()
    await storage.close()
    async with aiosqlite.connect(path) as db:
        await db.execute("INSERT INTO communes VALUES ('15138', 'Murat', '15300', 45.1, 2.9)")
        await db.commit()
        assert await migrate(db) == []
    reopened = SQLiteStorage(path)
    await reopened.open()
    assert (await reopened.get_commune("15138")).name == "Murat"
    await reopened.close()


@pytest.mark.asyncio
async def test_a_database_from_newer_code_is_refused(tmp_path: Path) -> None:
    async with aiosqlite.connect(tmp_path / "db.sqlite3") as db:
        await db.execute(f"PRAGMA user_version = {latest_version() + 1}")
        with pytest.raises(RuntimeError, match="newer"):
            await migrate(db)


@pytest.mark.asyncio
async def test_reopening_applies_nothing_on_each_backend(
    make_storage: Callable[[], Storage],
) -> None:
    first = make_storage()
    await first.open()  # migrates (SQLite: PRAGMA user_version; PostgreSQL: schema_migrations)
    await first.put_communes(None, [Commune("15138", "Murat", "15300", 45.1, 2.9)])
    await first.close()
    again = make_storage()
    await again.open()
    assert (await again.get_commune("15138")).name == "Murat"
    if isinstance(again, PostgresStorage):
        rows = await again._all("SELECT version FROM schema_migrations ORDER BY version")
        assert [row["version"] for row in rows] == [n for n, _ in pg_migrations()]
    await again.close()
