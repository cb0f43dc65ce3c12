"""
Rasa processes draw conversation tickets from Redis one at a time (bot/lock_store.py).

Runs in Rasa's environment (`make scale` runs it with `--noconftest`; elsewhere it skips).
With Rasa's own `RedisLockStore`, 8 processes drawing 20 tickets each got 35 distinct
tickets out of 160 on this machine: turns of one conversation would run at once.
"""

from __future__ import annotations

import sys
import threading
import uuid
from pathlib import Path

import pytest

pytest.importorskip("rasa.core.lock_store", reason="runs in Rasa's environment")

import redis  # noqa: E402
from rasa.utils.endpoints import EndpointConfig  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.lock_store import AtomicRedisLockStore  # noqa: E402
from scripts.stack import scale_setting  # noqa: E402

PROCESSES, TICKETS = 8, 20


@pytest.fixture
def stores():
    host, port = scale_setting("REDIS_HOST"), int(scale_setting("REDIS_PORT"))
    try:
        redis.Redis(host=host, port=port, socket_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f"The lock store test needs Redis at {host}:{port}: {error}", pytrace=False)
    config = EndpointConfig(
        url=host, port=port, db=scale_setting("REDIS_DB"), key_prefix=f"locktest{uuid.uuid4().hex}"
    )
    return [AtomicRedisLockStore(config) for _ in range(PROCESSES)]


def _at_once(stores, work) -> None:
    start = threading.Barrier(len(stores))

    def run(store):
        start.wait()
        for _ in range(TICKETS):
            work(store)

    threads = [threading.Thread(target=run, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_tickets_drawn_at_once_are_all_distinct(stores):
    conversation, drawn = uuid.uuid4().hex, []
    _at_once(stores, lambda store: drawn.append(store.issue_ticket(conversation)))
    assert sorted(drawn) == list(range(PROCESSES * TICKETS))
    stores[0].delete_lock(conversation)


def test_the_lock_is_gone_once_every_ticket_is_returned(stores):
    conversation = uuid.uuid4().hex

    def draw_and_return(store):
        store.cleanup(conversation, store.issue_ticket(conversation))

    _at_once(stores, draw_and_return)
    assert stores[0].get_lock(conversation) is None
