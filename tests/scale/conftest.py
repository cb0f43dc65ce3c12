"""Scale mode on the machine's PostgreSQL and Redis: two Rasa instances, fresh stores per run."""

from __future__ import annotations

import asyncio
import json
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.run_scale import (  # noqa: E402
    check_services,
    drop_database,
    ensure_database,
    tracker_admin_url,
)
from scripts.stack import ScaleStack, free_port  # noqa: E402

TERRITORY = "hautes-terres"


# Every test chats from 127.0.0.1, many turns a minute: the chat limits must not trip them
# (their own test is tests/bot/test_channels.py).
TEST_CHAT_LIMITS = {
    "CHAT_MESSAGES_PER_MINUTE": "100000",
    "CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS": "100000",
}


@contextmanager
def running_scale_stack(
    tmp_path_factory, rasa_instances: int = 2, **settings: str
) -> Iterator[ScaleStack]:
    """Scale mode on fresh PostgreSQL databases; `settings` override its defaults."""
    run = uuid.uuid4().hex[:10]
    tracker_url = tracker_admin_url(f"accueil_scaletest_{run}")
    directory_url = tracker_admin_url(f"accueil_scaletest_{run}_directory")
    for url in (tracker_url, directory_url):
        ensure_database(url)
    running = ScaleStack(
        directory_port=free_port(),
        actions_port=free_port(),
        rasa_ports=[free_port() for _ in range(rasa_instances)],
        var_dir=tmp_path_factory.mktemp("var"),
        log_dir=tmp_path_factory.mktemp("logs"),
        directory_database_url=directory_url,
        settings={
            "RASA_TRACKER_DB": f"accueil_scaletest_{run}",
            "RASA_LOCK_KEY_PREFIX": f"scaletest{run}",
            "SANIC_WORKERS": "1",
            "ACTION_SERVER_SANIC_WORKERS": "2",
            **TEST_CHAT_LIMITS,
            **settings,
        },
    )
    running.tracker_url = tracker_url
    running.directory_db_url = directory_url
    try:
        try:
            running.start(timeout_s=300)
        except Exception:
            for log in sorted(running.log_dir.glob("*.log")):
                print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
            raise
        yield running
    finally:
        running.stop()
        for url in (tracker_url, directory_url):
            drop_database(url)


@pytest.fixture(scope="session")
def scale_stack(tmp_path_factory):
    try:
        check_services()
    except ConnectionError as error:
        pytest.fail(
            f"The scale test runs against the machine's PostgreSQL and Redis: {error}. Start "
            "them (README, 'Scale mode') or set RASA_TRACKER_HOST/PORT/USER, REDIS_HOST/PORT.",
            pytrace=False,
        )
    with running_scale_stack(tmp_path_factory) as running:
        yield running


def say(rasa_url: str, sender: str, text: str, tag: str) -> list[dict[str, Any]]:
    """One turn through the REST webhook; `tag` travels in the metadata to find it again."""
    body = {"sender": sender, "message": text, "metadata": {"territory": TERRITORY, "turn": tag}}
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def stored_events(tracker_url: str, senders: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every row of Rasa's `events` table for these senders, in the order Rasa reads them."""

    async def fetch() -> list[asyncpg.Record]:
        connection = await asyncpg.connect(tracker_url)
        try:
            return await connection.fetch(
                "SELECT sender_id, type_name, timestamp, action_name, data FROM events"
                " WHERE sender_id = ANY($1::text[]) ORDER BY id",
                senders,
            )
        finally:
            await connection.close()

    events: dict[str, list[dict[str, Any]]] = {sender: [] for sender in senders}
    for row in asyncio.run(fetch()):
        events[row["sender_id"]].append({**dict(row), "data": json.loads(row["data"])})
    return events
