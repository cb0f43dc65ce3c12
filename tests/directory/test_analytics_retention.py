"""The purge removes exactly what is older than the period, on SQLite and PostgreSQL."""

import asyncio
import logging
import subprocess
import sys
import uuid

import asyncpg
import pytest

from services_directory.analytics.retention import DAY_S, purge
from services_directory.analytics.reviews import mark, reviews
from services_directory.analytics.tracker import TrackerDB
from tests.directory.analytics_events import (
    EVENTS_DDL,
    ROOT,
    Conversation,
    callback_form,
    rows_of,
    write_sqlite,
)

NOW = 1_800_000_000.0


def conversations() -> list[Conversation]:
    """Old (200 days), straddling the cut (from 184 days ago to yesterday), recent (1 day)."""
    old = Conversation("old", "hautes-terres", NOW - 200 * DAY_S)
    old.user("une crèche", "ask_childcare", "action_search_directory").lookup("childcare", None, 0)
    callback_form(old, "Marie Dupont", "06 12 34 56 78", "un logement")
    straddling = Conversation("straddling", "creuse-grand-sud", NOW - 184 * DAY_S)
    straddling.user("bonjour", "greet", "utter_greet")
    straddling.at = NOW - DAY_S
    straddling.user("un bus", "ask_transport", "action_search_directory")
    recent = Conversation("recent", "coeur-de-lozere", NOW - DAY_S)
    recent.user("blorp", "nlu_fallback", "action_fallback")
    return [old, straddling, recent]


def expected_left(days: float) -> set[int]:
    cutoff = NOW - days * DAY_S
    return {row[0] for row in rows_of(conversations()) if row[3] >= cutoff}


@pytest.fixture(params=["sqlite", "postgres"])
def tracker(request, tmp_path):
    """A conversation store holding the three conversations, on each dialect."""
    if request.param == "sqlite":
        yield TrackerDB(write_sqlite(tmp_path / "conversations.sqlite3", conversations()))
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"tracker_{uuid.uuid4().hex[:12]}"

    async def create() -> None:
        db = await asyncpg.connect(url)
        try:
            await db.execute(f"CREATE SCHEMA {schema}")
            await db.execute(f"SET search_path TO {schema}")
            await db.execute(EVENTS_DDL.format(id="INTEGER"))
            await db.executemany("INSERT INTO events VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                 rows_of(conversations()))  # fmt: skip
        finally:
            await db.close()

    async def drop() -> None:
        db = await asyncpg.connect(url)
        try:
            await db.execute(f"DROP SCHEMA {schema} CASCADE")
        finally:
            await db.close()

    asyncio.run(create())
    yield TrackerDB(url, schema=schema)
    asyncio.run(drop())


def ids_left(tracker: TrackerDB) -> set[int]:
    async def read() -> set[int]:
        async with tracker.session() as db:
            return {int(row[0]) for row in await db.all("SELECT id FROM events")}

    return asyncio.run(read())


def test_purge_removes_exactly_what_is_older(tracker, caplog):
    asyncio.run(mark(tracker, "old", "admin@gip.example.org", flagged=True))
    asyncio.run(mark(tracker, "straddling", "admin@gip.example.org", reviewed=True))
    before = len(ids_left(tracker))
    with caplog.at_level(logging.INFO, logger="services_directory.analytics"):
        report = asyncio.run(purge(tracker, 183, now=NOW))
    assert ids_left(tracker) == expected_left(183)
    assert report.events == before - len(expected_left(183))
    assert (report.conversations_removed, report.conversations_trimmed, report.reviews) == (1, 1, 1)
    assert set(asyncio.run(reviews(tracker))) == {"straddling"}
    assert f"{report.events} événements supprimés" in caplog.text
    again = asyncio.run(purge(tracker, 183, now=NOW))
    assert (again.events, again.conversations_removed) == (0, 0)


def test_a_shorter_period_removes_more(tracker):
    asyncio.run(purge(tracker, 0.5, now=NOW))
    assert ids_left(tracker) == expected_left(0.5) == set()


def test_purge_of_a_store_rasa_has_not_created(tmp_path):
    report = asyncio.run(purge(TrackerDB(tmp_path / "none.sqlite3"), 183))
    assert report.events == 0 and not (tmp_path / "none.sqlite3").exists()


def test_purge_command(tmp_path):
    store = write_sqlite(tmp_path / "conversations.sqlite3", conversations())
    env = {"RASA_TRACKER_DB": str(store), "DIRECTORY_DATABASE": str(tmp_path / "d.sqlite3"),
           "DIRECTORY_SEED": "none", "PATH": "/usr/bin:/bin"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "services_directory", "analytics", "purge", "--days", "30"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    assert "événements supprimés" in done.stdout
    assert "1 conversations supprimées entièrement, 1 raccourcies" in done.stdout  # now: before NOW
