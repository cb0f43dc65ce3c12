"""
bot/tracker_store.py writes the rows Rasa's own SQL tracker store writes and reads back the
same trackers, on SQLite and on the machine's PostgreSQL (README, "Scale mode").
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import LeanSQLTrackerStore
from scripts.stack import scale_setting

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def _said(text: str, intent: str, at: float, entities: list | None = None) -> UserUttered:
    parse = {"intent": {"name": intent, "confidence": 0.98}, "entities": entities or []}
    return UserUttered(text, parse["intent"], parse["entities"], parse, timestamp=at)


def _session(at: float) -> list:
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
            ActionExecuted("action_listen", timestamp=at)]  # fmt: skip


def _answer(action: str, text: str, at: float) -> list:
    return [ActionExecuted(action, timestamp=at), BotUttered(text, {"n": 3}, timestamp=at + 0.1),
            ActionExecuted("action_listen", timestamp=at + 0.2)]  # fmt: skip


MURAT = [{"entity": "commune", "value": "murat", "start": 13, "end": 18}]
FOUND = [SlotSet("topic", "childcare", timestamp=1010.1),
         SlotSet("commune_name", "Murat", timestamp=1010.1)]
# Three turns over two sessions: the second session starts an hour after the first.
TURNS = [
    _session(1000.0) + [_said("bonjour", "greet", 1001.0)]
    + _answer("utter_greet", "Bonjour !", 1001.1),
    [_said("une crèche à Murat", "ask_childcare", 1010.0, MURAT), *FOUND]
    + _answer("action_search_directory", "Voici les crèches près de Murat.", 1010.2),
    _session(4600.0) + [_said("merci", "thank", 4601.0)]
    + _answer("utter_thank", "Avec plaisir.", 4601.1),
]  # fmt: skip


def _chat(store: SQLTrackerStore, sender: str) -> list[list[dict]]:
    """Play the turns as Rasa does; what the store gave back before each turn."""

    async def play() -> list[list[dict]]:
        seen = []
        for turn in TURNS:
            tracker = await store.retrieve(sender)
            seen.append([] if tracker is None else [e.as_dict() for e in tracker.events])
            tracker = tracker or DialogueStateTracker(sender, DOMAIN.slots)
            tracker.update_with_events(turn, DOMAIN, override_timestamp=False)
            await store.save(tracker)
        full = await store.retrieve_full_tracker(sender)
        seen.append([e.as_dict() for e in full.events])
        return seen

    return asyncio.run(play())


def _rows(store: SQLTrackerStore, sender: str) -> list[tuple]:
    with store.engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT type_name, timestamp, intent_name, action_name, data FROM events "
                    "WHERE sender_id = :sender ORDER BY id"),
            {"sender": sender},
        ).fetchall()  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def store_settings(request, tmp_path):
    if request.param == "sqlite":
        yield {"dialect": "sqlite", "db": str(tmp_path / "conversations.sqlite3")}
        return
    settings = {
        "dialect": "postgresql", "host": scale_setting("RASA_TRACKER_HOST"),
        "port": scale_setting("RASA_TRACKER_PORT"), "username": scale_setting("RASA_TRACKER_USER"),
        "password": scale_setting("RASA_TRACKER_PASSWORD"),
        "login_db": scale_setting("RASA_TRACKER_LOGIN_DB"),
        "db": f"accueil_trackertest_{uuid.uuid4().hex[:12]}",
    }  # fmt: skip
    yield settings
    admin = sa.engine.URL.create(
        "postgresql", settings["username"], settings["password"] or None, settings["host"],
        int(settings["port"]), settings["login_db"],
    )  # fmt: skip
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{settings["db"]}" WITH (FORCE)'))
    engine.dispose()


def test_the_same_rows_and_trackers_as_rasas_store(store_settings):
    rasas = SQLTrackerStore(domain=DOMAIN, **store_settings)
    ours = LeanSQLTrackerStore(domain=DOMAIN, **store_settings)
    seen_by_rasas, seen_by_ours = _chat(rasas, "rasa"), _chat(ours, "lean")
    assert seen_by_ours == seen_by_rasas
    assert len(seen_by_ours[2]) == len(TURNS[0]) + len(TURNS[1])  # both turns of session one
    assert len(seen_by_ours[-1]) > len(seen_by_ours[2])  # the full tracker spans both sessions
    assert _rows(ours, "lean") == _rows(rasas, "rasa")
    assert len(_rows(ours, "lean")) == sum(len(turn) for turn in TURNS)
    assert asyncio.run(ours.retrieve("nobody")) is None


def test_the_session_filter_reads_only_the_latest_session(store_settings):
    ours = LeanSQLTrackerStore(domain=DOMAIN, **store_settings)
    _chat(ours, "lean")
    tracker = asyncio.run(ours.retrieve("lean"))
    types = [event["event"] for event in (e.as_dict() for e in tracker.events)]
    assert types.count("session_started") == 1
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["merci"]


def test_sqlite_conversations_are_in_wal_mode(tmp_path):
    path = tmp_path / "conversations.sqlite3"
    store = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path))
    _chat(store, "lean")
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_other_databases_are_refused_before_connecting():
    with pytest.raises(ValueError, match="supports sqlite and postgresql, not 'mysql'"):
        LeanSQLTrackerStore(domain=DOMAIN, dialect="mysql", host="127.0.0.1", db="x")
