"""
Rasa's Redis lock store with each read-modify-write step made atomic (scale mode).

Rasa 3.6's `RedisLockStore` reads a conversation's ticket lock, changes it and writes it back
in separate commands. When two Rasa instances receive messages of one conversation at the
same moment, both can draw ticket 0, process the two turns at once, and one turn's events are
lost in the tracker store (tests/scale/test_two_instances.py caught it). Here those steps run
under a short per-conversation mutex in Redis (redis-py's `Lock`: `SET NX PX`, released by a
script that checks its token), so tickets are issued and returned one at a time.

`bot/endpoints.scale.yml` names this class as the lock store's `type`; Rasa puts its working
folder on `sys.path`, so it imports as `bot.lock_store`.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

MUTEX_TIMEOUT_S = 5.0  # a mutex left by a crashed process expires by itself


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket issuing, refreshing and clean-up are atomic."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    @contextmanager
    def _mutex(self, conversation_id: str) -> Iterator[None]:
        with self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex",
            timeout=MUTEX_TIMEOUT_S, sleep=0.005, blocking_timeout=MUTEX_TIMEOUT_S,
        ):
            yield

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # One step: another instance must not draw a ticket between the check and the delete.
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
