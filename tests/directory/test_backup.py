"""`backup` then `restore` into an empty instance finds everything: SQLite and PostgreSQL."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest

from services_directory.models import NewLead
from services_directory.postgres import PostgresStorage
from services_directory.seed import load_seed
from services_directory.sqlite import SQLiteStorage
from services_directory.storage import Storage

pytestmark = pytest.mark.asyncio
ROOT = Path(__file__).resolve().parents[2]
EMAILS = ("gip@example.org", "agent@ht.example.org")
EVENTS = "CREATE TABLE events (id {id} PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, data TEXT)"


def cli(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services_directory", *args], cwd=ROOT,
        env={**os.environ, "DIRECTORY_DATABASE_URL": "", "ANALYTICS_TRACKER_URL": "", **environ},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


async def fill(storage: Storage) -> None:
    """The demo directory, two accounts and a call-back request."""
    await load_seed(storage)
    await storage.create_user(EMAILS[0], "gip", [])
    await storage.create_user(EMAILS[1], "agent", ["hautes-terres"])
    await storage.add_lead(NewLead("hautes-terres", "Alex", "alex@example.org", None, "Crèche ?"))


async def everything(storage: Storage) -> str:
    """Every territory, entry, organisation, lead and account, as text."""
    territories = await storage.list_territories()
    parts: list[object] = [territories, [await storage.get_user(e) for e in EMAILS]]
    for territory in territories:
        parts += [
            await storage.list_services(territory.slug),
            await storage.list_organisations(territory.slug),
            await storage.list_leads(territory.slug),
        ]
    return repr(parts)


async def opened(storage: Storage, read: Callable[[Storage], Awaitable[str]]) -> str:
    await storage.open()
    try:
        return await read(storage)
    finally:
        await storage.close()


async def test_sqlite_backup_restores_into_an_empty_instance(tmp_path: Path) -> None:
    source = {"DIRECTORY_DATABASE": str(tmp_path / "a" / "directory.sqlite3"),
              "RASA_TRACKER_DB": str(tmp_path / "a" / "conversations.sqlite3")}  # fmt: skip
    (tmp_path / "a").mkdir()
    before = await opened(SQLiteStorage(Path(source["DIRECTORY_DATABASE"])), _filled)
    with sqlite3.connect(source["RASA_TRACKER_DB"]) as db:
        db.execute(EVENTS.format(id="INTEGER"))
        rows = [(i, f"sender-{i % 3}", json.dumps({"n": i})) for i in range(1, 50)]
        db.executemany("INSERT INTO events VALUES (?, ?, ?)", rows)
    db.close()

    saved = cli(source, "backup", "--out", str(tmp_path / "backup"))
    assert saved.returncode == 0, saved.stdout + saved.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["files"] == {
        "directory": "directory.sqlite3", "conversations": "conversations.sqlite3"
    }  # fmt: skip
    assert cli(source, "backup", "--out", str(tmp_path / "backup")).returncode == 1  # not empty

    target = {"DIRECTORY_DATABASE": str(tmp_path / "b" / "directory.sqlite3"),
              "RASA_TRACKER_DB": str(tmp_path / "b" / "conversations.sqlite3")}  # fmt: skip
    restored = cli(target, "restore", "--from", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert await opened(SQLiteStorage(Path(target["DIRECTORY_DATABASE"])), everything) == before
    with sqlite3.connect(target["RASA_TRACKER_DB"]) as db:
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT sender_id) FROM events").fetchone() == (
            49, 3,
        )  # fmt: skip
    db.close()
    again = cli(target, "restore", "--from", str(tmp_path / "backup"))
    assert again.returncode == 1 and "--force" in again.stdout  # data there: refused
    assert cli(target, "restore", "--from", str(tmp_path / "backup"), "--force").returncode == 0


async def _filled(storage: Storage) -> str:
    await fill(storage)
    return await everything(storage)


async def test_postgres_backup_restores_into_an_empty_database(
    postgres_url: str, tmp_path: Path
) -> None:
    base, _, _ = postgres_url.rpartition("/")
    names = {key: f"backup_{key}_{uuid.uuid4().hex[:10]}" for key in ("dir_a", "conv_a", "dir_b",
                                                                      "conv_b")}  # fmt: skip
    admin = await asyncpg.connect(postgres_url)
    try:
        for name in names.values():
            await admin.execute(f'CREATE DATABASE "{name}"')
        url = {key: f"{base}/{name}" for key, name in names.items()}
        before = await opened(PostgresStorage(url["dir_a"]), _filled)
        conversations = await asyncpg.connect(url["conv_a"])
        await conversations.execute(EVENTS.format(id="SERIAL"))
        await conversations.executemany(
            "INSERT INTO events (sender_id, data) VALUES ($1, $2)",
            [(f"sender-{i % 3}", json.dumps({"n": i})) for i in range(49)],
        )
        await conversations.close()

        source = {"DIRECTORY_DATABASE_URL": url["dir_a"], "ANALYTICS_TRACKER_URL": url["conv_a"]}
        saved = cli(source, "backup", "--out", str(tmp_path / "backup"))
        assert saved.returncode == 0, saved.stdout + saved.stderr
        target = {"DIRECTORY_DATABASE_URL": url["dir_b"], "ANALYTICS_TRACKER_URL": url["conv_b"]}
        restored = cli(target, "restore", "--from", str(tmp_path / "backup"))
        assert restored.returncode == 0, restored.stdout + restored.stderr

        assert await opened(PostgresStorage(url["dir_b"]), everything) == before
        conversations = await asyncpg.connect(url["conv_b"])
        counted = await conversations.fetchrow(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT sender_id) AS senders FROM events"
        )
        await conversations.close()
        assert (counted["n"], counted["senders"]) == (49, 3)
        # restoring over data replaces it (pg_restore --clean): the same again, no duplicate
        assert cli(target, "restore", "--from", str(tmp_path / "backup")).returncode == 0
        assert await opened(PostgresStorage(url["dir_b"]), everything) == before
    finally:
        for name in names.values():
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_pg_dump_is_installed() -> None:
    assert shutil.which("pg_dump") and shutil.which("pg_restore")
