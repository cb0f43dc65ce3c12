"""
An import killed halfway (`kill -9`, no chance to clean up) leaves the directory exactly as it
was: the command-line import writes in one transaction (importers/report.py, `apply`).

The kill comes once the import is known to be writing, not after a blind sleep: on SQLite
when the write-ahead log grows (uncommitted pages spill into it), on PostgreSQL when the
import's session holds a transaction id (PostgreSQL assigns one at the first write).

Checked to fail without its protection: with `apply` committing every row on its own
(`storage.batch()` replaced by a no-op context, each write then autocommits), the rows
written before the kill stay and the dumps differ.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import asyncpg
import pytest
from conftest import _in_thread

from services_directory.postgres import PostgresStorage
from services_directory.seed import load_seed

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("territories", "communes", "territory_communes", "organisations", "services",
          "service_changes", "search_terms")  # fmt: skip
ROWS = 20_000  # minutes of writing on either backend: the kill always comes first


def _sheet(path: Path) -> Path:
    """A valid template sheet: every row would be a new entry of Hautes Terres."""
    with path.open("w", encoding="utf-8") as out:
        out.write("territory,topic,kind,name,commune,description\n")
        for n in range(ROWS):
            out.write(f"hautes-terres,transport,covoiturage,Aire n° {n},15138,Entrée {n}\n")
    return path


def _start_import(sheet: Path, environ: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "services_directory", "import", "services", str(sheet),
               "--apply"]  # fmt: skip
    return subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **environ},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _kill_when(process: subprocess.Popen, writing: Callable[[], bool], timeout: float = 60) -> None:
    """SIGKILL the import as soon as `writing()` says so; fail if it ended first."""
    deadline = time.monotonic() + timeout
    while not writing():
        assert process.poll() is None, process.communicate()[0].decode()[-2000:]
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL  # killed, not finished


def _sqlite_dump(database: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(database)) as db:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in TABLES}  # fmt: skip


def test_a_killed_import_leaves_sqlite_as_it_was(demo_database: Path, tmp_path: Path) -> None:
    database = tmp_path / "directory.sqlite3"
    shutil.copyfile(demo_database, database)
    before = _sqlite_dump(database)
    wal = database.with_name(database.name + "-wal")
    start = wal.stat().st_size if wal.exists() else 0
    process = _start_import(
        _sheet(tmp_path / "sheet.csv"),
        {"DIRECTORY_DATABASE": str(database), "DIRECTORY_DATABASE_URL": ""},
    )
    # Opening the database writes nothing; 1 MB of log is the import's uncommitted pages.
    _kill_when(process, lambda: wal.exists() and wal.stat().st_size > start + 1024 * 1024)
    with closing(sqlite3.connect(database)) as db:  # recovery: the log's tail is discarded
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert _sqlite_dump(database) == before


@pytest.fixture
def pg_schema(postgres_url: str) -> Iterator[str]:
    """A fresh schema holding the demo data, dropped afterwards."""
    schema = f"test_{uuid.uuid4().hex[:16]}"

    async def seed() -> None:
        storage = PostgresStorage(postgres_url, schema=schema)
        await storage.open()
        await load_seed(storage)
        await storage.close()

    _in_thread(seed())
    yield schema
    _in_thread(_execute(postgres_url, f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


async def _execute(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _pg_dump(url: str, schema: str) -> dict[str, list[tuple]]:
    connection = await asyncpg.connect(url)
    try:
        return {table: [tuple(row) for row in await connection.fetch(
                    f"SELECT * FROM {schema}.{table} ORDER BY 1")]
                for table in TABLES}  # fmt: skip
    finally:
        await connection.close()


async def _sessions(url: str, application: str) -> list[tuple]:
    """The import's sessions: (pid, its transaction id, state)."""
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT pid, backend_xid::text AS xid, state FROM pg_stat_activity"
            " WHERE application_name = $1",
            application,
        )
        return [tuple(row) for row in rows]
    finally:
        await connection.close()


def test_a_killed_import_leaves_postgresql_as_it_was(
    postgres_url: str, pg_schema: str, tmp_path: Path
) -> None:
    before = _in_thread(_pg_dump(postgres_url, pg_schema))
    assert before["services"]  # the demo data
    application = f"import-kill-{pg_schema}"
    url = f"{postgres_url}?search_path={pg_schema}&application_name={application}"
    process = _start_import(_sheet(tmp_path / "sheet.csv"), {"DIRECTORY_DATABASE_URL": url})

    def writing() -> bool:
        return any(xid for _, xid, _ in _in_thread(_sessions(postgres_url, application)))

    _kill_when(process, writing)
    # The server notices the closed connection and rolls the transaction back.
    deadline = time.monotonic() + 30
    while _in_thread(_sessions(postgres_url, application)):
        assert time.monotonic() < deadline, "the killed import's session stayed"
        time.sleep(0.05)
    assert _in_thread(_pg_dump(postgres_url, pg_schema)) == before
