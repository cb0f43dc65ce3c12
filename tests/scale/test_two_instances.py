"""
Two Rasa instances share one tracker store (PostgreSQL) and one lock store (Redis).

A conversation's turns go to either instance, alternating, sometimes two at once; afterwards
the `events` table must hold every user message exactly once, in order, each followed by the
bot messages its HTTP answer carried and nothing of another turn.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from tests.scale.conftest import say, stored_events


@dataclass
class Turn:
    tag: str
    text: str
    answer: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Conversation:
    """One sender; `steps` lists what was sent, a step being one turn or two sent at once."""

    urls: list[str]
    sender: str = field(default_factory=lambda: f"scale-{uuid.uuid4().hex}")
    steps: list[list[Turn]] = field(default_factory=list)

    def _send(self, instance: int, text: str) -> Turn:
        turn = Turn(f"{self.sender}:{sum(map(len, self.steps))}:{instance}:{text}", text)
        turn.answer = say(self.urls[instance % len(self.urls)], self.sender, text, turn.tag)
        return turn

    def say(self, instance: int, text: str) -> list[dict[str, Any]]:
        turn = self._send(instance, text)
        self.steps.append([turn])
        return turn.answer

    def say_together(self, first: str, second: str) -> None:
        """Two messages of this conversation at the same moment, one to each instance."""
        with ThreadPoolExecutor(2) as pool:
            self.steps.append(list(pool.map(self._send, [0, 1], [first, second])))


def bot_texts(events: list[dict[str, Any]]) -> list[Any]:
    return [event["data"].get("text") for event in events if event["type_name"] == "bot"]


def assert_intact(conversation: Conversation, events: list[dict[str, Any]]) -> None:
    """No event lost, none duplicated, no turn interleaved with another."""
    keys = [(e["type_name"], e["timestamp"], str(e["data"])) for e in events]
    assert len(keys) == len(set(keys)), "an event is stored twice"
    users = [i for i, event in enumerate(events) if event["type_name"] == "user"]
    tags = [events[i]["data"].get("metadata", {}).get("turn") for i in users]
    expected = [turn.tag for step in conversation.steps for turn in step]
    assert sorted(tags) == sorted(expected), "a user message is lost or stored twice"
    # In the order sent; two messages sent together may be stored either way round.
    position = 0
    for step in conversation.steps:
        assert set(tags[position:position + len(step)]) == {turn.tag for turn in step}, tags
        position += len(step)
    turns = {turn.tag: turn for step in conversation.steps for turn in step}
    for n, start in enumerate(users):
        end = users[n + 1] if n + 1 < len(users) else len(events)
        segment = events[start + 1:end]
        assert segment and segment[-1]["action_name"] == "action_listen", segment
        before = bot_texts(events[:start]) if n == 0 else []  # the session-start notice
        answer = [message.get("text") for message in turns[tags[n]].answer]
        assert before + bot_texts(segment) == answer, f"turn {tags[n]} stored differently"


def directory_results(messages: list[dict[str, Any]]) -> dict[str, Any]:
    customs = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
    [found] = [custom for custom in customs if custom.get("type") == "directory_results"]
    return found


def test_one_conversation_alternates_between_the_instances(scale_stack):
    chat = Conversation(scale_stack.rasa_urls)
    chat.say(0, "bonjour")
    assert directory_results(chat.say(1, "je cherche une crèche à Murat"))["topic"] == "childcare"
    # The other instance knows the topic asked on the first one: the tracker is shared.
    place = directory_results(chat.say(0, "et à Condat ?"))
    assert place["topic"] == "childcare" and place["near"]["name"] == "Condat"
    assert directory_results(chat.say(1, "et pour les bus ?"))["near"]["name"] == "Condat"
    chat.say(0, "merci")
    chat.say(1, "au revoir")
    assert_intact(chat, stored_events(scale_stack.tracker_url, [chat.sender])[chat.sender])


def _script(chat: Conversation, start: int) -> Conversation:
    chat.say(start, "bonjour")
    chat.say(start + 1, "je cherche une crèche à Murat")
    chat.say_together("et à Condat ?", "merci")  # the Redis lock orders these two
    chat.say(start, "je cherche du travail vers Murat")
    chat.say_together("merci beaucoup", "y a t il un espace de coworking a murat ?")
    chat.say(start + 1, "au revoir")
    return chat


def test_concurrent_conversations_lose_and_duplicate_nothing(scale_stack):
    chats = [Conversation(scale_stack.rasa_urls) for _ in range(6)]
    with ThreadPoolExecutor(len(chats)) as pool:
        list(pool.map(_script, chats, range(len(chats))))
    stored = stored_events(scale_stack.tracker_url, [chat.sender for chat in chats])
    for chat in chats:
        assert_intact(chat, stored[chat.sender])
