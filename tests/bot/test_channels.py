"""The chat channels' guard: every message gets an answer, and none floods."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig

from bot import channels
from bot.channels import Guard, SlidingWindow
from tests.actions.conftest import HAUTES_TERRES, FakeDirectory

pytestmark = pytest.mark.asyncio
TERRITORY = {"territory": "hautes-terres"}


def make_guard(directory: Any = None, deadline_s: float = 5.0, per_sender: int = 20) -> Guard:
    return Guard(
        max_chars=1000,
        deadline_s=deadline_s,
        per_sender=SlidingWindow(per_sender),
        per_address=SlidingWindow(3),
        directory=directory or FakeDirectory(),
    )


async def say(guard: Guard, turn, text: str = "bonjour", sender: str = "s1") -> list[str]:
    """What the newcomer sees of one message handled by `turn` behind the guard."""
    output = CollectingOutputChannel()
    await guard.wrap(turn)(UserMessage(text, output, sender, metadata=TERRITORY))
    return [m.get("text", "") for m in output.messages]


async def answers(message: UserMessage) -> None:
    await message.output_channel.send_response(message.sender_id, {"text": "Réponse"})


async def says_nothing(message: UserMessage) -> None:
    """What Rasa does when the action server is down: it logs, predicts listen, says nothing."""


async def fails(message: UserMessage) -> None:
    raise ConnectionError("tracker store or lock store down")


async def test_an_answered_turn_passes_untouched():
    assert await say(make_guard(), answers) == ["Réponse"]


@pytest.mark.parametrize("turn", [says_nothing, fails], ids=["silent", "failing"])
async def test_a_silent_or_failing_turn_gets_an_apology_with_the_welcome_contact(turn):
    said = await say(make_guard(), turn)
    assert len(said) == 1
    assert said[0].startswith("Désolé, je ne peux pas vous répondre")
    assert HAUTES_TERRES.contact.phone in said[0]


async def test_with_the_directory_down_too_the_apology_still_names_a_contact():
    said = await say(make_guard(FakeDirectory(down=True)), says_nothing)
    assert "Réseau accueil du GIP Massif central" in said[0]


async def test_a_slow_turn_is_answered_at_the_deadline_and_its_late_answer_still_arrives():
    released = asyncio.Event()

    async def slow(message: UserMessage) -> None:
        await released.wait()
        await answers(message)

    guard = make_guard(deadline_s=0.2)
    output = CollectingOutputChannel()
    await asyncio.wait_for(
        guard.wrap(slow)(UserMessage("bonjour", output, "s1", metadata=TERRITORY)), 2
    )
    assert output.messages[0]["text"].startswith("Désolé")
    released.set()
    await asyncio.sleep(0.05)
    assert output.messages[-1]["text"] == "Réponse"


async def test_a_too_long_message_is_not_handed_to_the_dialogue():
    handled = []

    async def turn(message: UserMessage) -> None:
        handled.append(message)

    said = await say(make_guard(), turn, text="a" * 1001)
    assert handled == []
    assert "trop long" in said[0]


async def test_one_conversation_cannot_flood_others_can_still_talk():
    guard = make_guard(per_sender=2)
    assert await say(guard, answers) == ["Réponse"]
    assert await say(guard, answers) == ["Réponse"]
    assert "attendez une minute" in (await say(guard, answers))[0]
    assert await say(guard, answers, sender="s2") == ["Réponse"]


async def test_the_window_slides(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(channels.time, "monotonic", lambda: now[0])
    window = SlidingWindow(1, period_s=60)
    assert window.allow("k") and not window.allow("k")
    assert window.retry_after_s("k") == 60
    now[0] += 60
    assert window.allow("k")


def request(body: Any, address: str = "203.0.113.7") -> SimpleNamespace:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return SimpleNamespace(body=raw, remote_addr="", ip=address)


GOOD = {"sender": "s1", "message": "bonjour", "metadata": TERRITORY}


@pytest.mark.parametrize(
    "body, status",
    [
        ({**GOOD, "message": "x" * 70_000}, 413),
        (b"{not json", 400),
        ([GOOD], 400),
        ({"message": "bonjour"}, 400),
        ({**GOOD, "sender": "s" * 129}, 400),
        ({**GOOD, "message": 42}, 400),
        ({**GOOD, "metadata": "hautes-terres"}, 400),
    ],
    ids=["1 MB-ish", "not json", "a list", "no sender", "long sender", "number", "metadata"],
)
async def test_malformed_or_oversized_requests_get_a_json_error(body, status):
    refusal = make_guard().refusal(request(body))
    assert refusal is not None and refusal.status == status
    assert json.loads(refusal.body)["error"]["message"]


async def test_one_address_is_limited_with_retry_after():
    guard = make_guard()
    assert [guard.refusal(request(GOOD)) for _ in range(3)] == [None, None, None]
    refused = guard.refusal(request(GOOD))
    assert refused.status == 429 and int(refused.headers["Retry-After"]) > 0
    assert "attendez une minute" in json.loads(refused.body)[0]["text"]
    assert guard.refusal(request(GOOD, address="198.51.100.1")) is None


async def test_a_channel_closes_the_http_sessions_when_the_server_stops():
    closed = []

    class Directory(FakeDirectory):
        async def close(self) -> None:
            closed.append("directory")

    blueprint = channels.GuardedRestInput(make_guard(Directory())).blueprint(answers)
    async with EndpointConfig("http://127.0.0.1:5055/webhook").session() as kept:
        pass  # Rasa's `async with` leaves the endpoint's kept session open
    assert not kept.closed
    (stop,) = [f.listener for f in blueprint._future_listeners if f.event == "after_server_stop"]
    await stop(None, asyncio.get_running_loop())
    assert closed == ["directory"] and kept.closed


def nested(depth: int) -> dict[str, Any]:
    """Metadata nested `depth` objects deep, built without recursion."""
    metadata: dict[str, Any] = {"territory": "hautes-terres"}
    for _ in range(depth - 1):
        metadata = {"a": metadata}
    return metadata


def deep_body(depth: int) -> bytes:
    """A body whose metadata nests `depth` objects (json.dumps itself stops near 1000)."""
    return (
        b'{"sender": "s1", "message": "bonjour", "metadata": '
        + b'{"a": ' * (depth - 1) + b'{}' + b"}" * (depth - 1) + b"}"
    )


@pytest.mark.parametrize("depth", [40, 900, 9_000])
async def test_deeply_nested_json_gets_a_400_json_error(depth):
    body = deep_body(depth)
    assert len(body) <= channels.MAX_BODY_BYTES  # refused for its depth, not its size
    refusal = make_guard().refusal(request(body))
    assert refusal is not None and refusal.status == 400
    assert json.loads(refusal.body)["error"]["message"]


async def test_ordinary_nesting_passes():
    assert make_guard().refusal(request({**GOOD, "metadata": nested(10)})) is None


@pytest.mark.parametrize("depth", [40, 900])
async def test_socketio_drops_deeply_nested_messages_before_the_dialogue(depth):
    handled = []

    async def turn(message: UserMessage) -> None:
        handled.append(message)

    channel = channels.GuardedSocketIOInput.from_credentials(
        {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered"}
    )
    channel.guard = make_guard()
    channel.blueprint(turn)
    handler = channel.sio.handlers["/"]["user_uttered"]
    await handler("sid-1", {"message": "bonjour", "session_id": "s1", "metadata": nested(depth)})
    assert handled == []
