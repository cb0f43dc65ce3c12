"""
Scale mode's stores fail: PostgreSQL drops every connection (as in a restart), Redis goes
down. The newcomer always gets an answer, and each part recovers by itself when the store is
back, with nothing restarted.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator

import asyncpg
import pytest

from scripts.run_scale import tracker_admin_url
from scripts.stack import free_port
from tests.scale.conftest import TERRITORY, running_scale_stack, say, stored_events

QUESTION = "je cherche une crèche à Murat"


def has_results(messages) -> bool:
    return any((m.get("custom") or {}).get("type") == "directory_results" for m in messages)


def said(messages) -> str:
    return " ".join(m.get("text") or "" for m in messages)


def welcome_phone(stack) -> str:
    url = f"{stack.directory_url}/api/v1/territories/{TERRITORY}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)["welcome_contact"]["phone"]


def drop_connections(databases: list[str]) -> int:
    """What a PostgreSQL restart does to clients: every connection to these databases ends."""

    async def terminate() -> int:
        connection = await asyncpg.connect(tracker_admin_url())
        try:
            rows = await connection.fetch(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = ANY($1::text[]) AND pid <> pg_backend_pid()",
                databases,
            )
            return sum(1 for row in rows if row[0])
        finally:
            await connection.close()

    return asyncio.run(terminate())


def test_postgresql_connections_dropped_no_turn_lost(scale_stack):
    sender = f"pg-{uuid.uuid4().hex}"
    for instance, rasa_url in enumerate(scale_stack.rasa_urls):  # each holds connections now
        assert has_results(say(rasa_url, sender, QUESTION, f"before-{instance}"))
    databases = [
        u.rsplit("/", 1)[1] for u in (scale_stack.tracker_url, scale_stack.directory_db_url)
    ]
    assert drop_connections(databases) > 0  # the stores were connected: now they are not
    # Both instances take a fresh connection for their next turn: no turn is lost.
    for instance, rasa_url in enumerate(scale_stack.rasa_urls):
        assert has_results(say(rasa_url, sender, QUESTION, f"after-{instance}"))
    events = stored_events(scale_stack.tracker_url, [sender])[sender]
    stored = [e["data"]["metadata"]["turn"] for e in events if e["type_name"] == "user"]
    assert stored == ["before-0", "before-1", "after-0", "after-1"]


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    """A Redis of this test's own, on a free port, that the test can stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not redis_answers(self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


def test_redis_down_an_apology_with_the_contact_then_recovery(tmp_path_factory, private_redis):
    with running_scale_stack(
        tmp_path_factory, rasa_instances=1, REDIS_PORT=str(private_redis.port)
    ) as stack:
        url, sender = stack.rasa_urls[0], f"redis-{uuid.uuid4().hex}"
        phone = welcome_phone(stack)
        assert has_results(say(url, sender, QUESTION, "before"))
        private_redis.stop()
        during = say(url, sender, QUESTION, "during")
        assert said(during).startswith("Désolé") and phone in said(during), during
        private_redis.start()
        assert has_results(say(url, sender, QUESTION, "after")), "no recovery without a restart"
