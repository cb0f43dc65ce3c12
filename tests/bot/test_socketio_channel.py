"""
The socket.io channel as real clients use it (rasa-webchat, Rasa's chat widget): sessions join
their room, every message arrives as one `bot_uttered` the client can read, and the guard holds.

Each test drives the channel's real socket.io server; only the last hop (the Engine.IO socket)
is replaced by a recorder of what each browser would receive.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from socketio import packet

from bot import channels
from bot.channels import GuardedSocketIOInput
from tests.actions.conftest import HAUTES_TERRES
from tests.bot.test_channels import answers, fails, make_guard, says_nothing

pytestmark = pytest.mark.asyncio

CREDENTIALS = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "session_persistence": True,
}
RESULTS = {
    "type": "directory_results",
    "topic": "childcare",
    "territory": "hautes-terres",
    "near": {"insee": "15138", "name": "Murat"},
    "results": [{"id": "e1", "name": "Crèche Les Lutins", "distance_km": 0.4}],
    "more_url": "http://127.0.0.1:8080/t/hautes-terres/services?topic=childcare",
}
HANDOFF = {"type": "handoff", "territory": "hautes-terres", "contact": {"name": "Accueil"}}
BUTTONS = [
    {"title": "Crèches", "payload": '/ask_childcare{"kind": "creche"}'},
    {"title": "Parler à une personne", "payload": "/ask_human"},
]
_eio_ids = itertools.count()


def open_channel(turn, guard=None) -> GuardedSocketIOInput:
    """The channel as Rasa builds it from bot/credentials.yml, `turn` playing the dialogue."""
    channel = GuardedSocketIOInput.from_credentials(CREDENTIALS)
    channel.guard = guard or make_guard()
    channel.blueprint(turn)
    channel.browsers = {}

    async def send_packet(eio_sid: str, eio_packet: Any) -> None:
        event, *data = packet.Packet(encoded_packet=eio_packet.data).data
        channel.browsers[eio_sid].received.append((event, *data))

    channel.sio.eio.send_packet = send_packet
    return channel


class Browser:
    """One connected socket.io client, as the server sees it, and what it received."""

    def __init__(self, channel: GuardedSocketIOInput):
        self.channel, self.sio = channel, channel.sio
        self.eio_sid = f"eio-{next(_eio_ids)}"
        self.received: list[tuple[Any, ...]] = []
        channel.browsers[self.eio_sid] = self

    async def connect(self) -> Browser:
        self.sid = await self.sio.manager.connect(self.eio_sid, "/")
        return self

    async def request_session(self, session_id: Any = None) -> Browser:
        await self.sio._trigger_event("session_request", "/", self.sid, {"session_id": session_id})
        return self

    async def say(self, text: str, **data: Any) -> None:
        await self.sio._trigger_event("user_uttered", "/", self.sid, {"message": text, **data})

    def bot_uttered(self) -> list[Any]:
        return [data for event, data in self.received if event == "bot_uttered"]


async def browser(channel: GuardedSocketIOInput, session_id: Any = "session-a") -> Browser:
    return await (await Browser(channel).connect()).request_session(session_id)


def answering(*messages: dict[str, Any]):
    async def turn(message: UserMessage) -> None:
        for bot_message in messages:
            await message.output_channel.send_response(message.sender_id, dict(bot_message))

    return turn


async def test_a_session_request_joins_the_session_room_and_is_confirmed():
    channel = open_channel(answers)
    client = await browser(channel, "session-a")
    assert "session-a" in channel.sio.rooms(client.sid)
    assert client.received == [("session_confirm", "session-a")]


@pytest.mark.parametrize(
    "asked", [None, "", 42, "s" * 129], ids=["none", "empty", "number", "long"]
)
async def test_a_session_request_without_a_usable_id_gets_a_new_one(asked):
    channel = open_channel(answers)
    client = await browser(channel, asked)
    ((event, session_id),) = client.received
    assert event == "session_confirm" and len(session_id) == 32
    assert session_id in channel.sio.rooms(client.sid)


async def test_a_topic_turn_reaches_the_browser_as_rasa_webchat_reads_it():
    image = "http://127.0.0.1:8080/static/carte.png"
    turn = answering(
        {"text": "Voici les crèches près de Murat.", "buttons": BUTTONS},
        {"custom": RESULTS},
        {"image": image},
    )
    client = await browser(open_channel(turn))
    await client.say("je cherche une crèche à Murat")
    assert client.bot_uttered() == [
        {
            "text": "Voici les crèches près de Murat.",
            "quick_replies": [
                {"content_type": "text", "title": b["title"], "payload": b["payload"]}
                for b in BUTTONS
            ],
        },
        {"custom": RESULTS},
        {"attachment": {"type": "image", "payload": {"src": image}}},
    ]


async def test_the_output_channel_emits_each_kind_of_message_to_the_session_room():
    channel = open_channel(answers)
    client = await browser(channel, "session-a")
    output = channel.get_output_channel()
    await output.send_text_message("session-a", "Bonjour !\n\nJe suis l'assistant.")
    await output.send_custom_json("session-a", HANDOFF)
    await output.send_text_with_buttons("session-a", "Et maintenant ?", [
        {"title": "Le site", "url": "https://example.org", "type": "web_url"},
    ])
    await output.send_attachment("session-a", {"type": "video", "payload": {"src": "v.mp4"}})
    assert client.bot_uttered() == [
        {"text": "Bonjour !\n\nJe suis l'assistant."},  # one bubble per message, as over REST
        {"custom": HANDOFF},
        {
            "text": "Et maintenant ?",
            "quick_replies": [{"type": "web_url", "title": "Le site", "url": "https://example.org"}],
        },
        {"attachment": {"type": "video", "payload": {"src": "v.mp4"}}},
    ]


async def test_a_message_is_handled_as_the_sessions_with_the_widgets_metadata():
    handled: list[UserMessage] = []

    async def turn(message: UserMessage) -> None:
        handled.append(message)
        await answers(message)

    client = await browser(open_channel(turn), "session-a")
    await client.say("bonjour", session_id="session-a", customData={"territory": "hautes-terres"})
    await client.say("bonjour", session_id="session-a", metadata={"territory": "hautes-terres"})
    assert [(m.sender_id, m.metadata, m.input_channel) for m in handled] == [
        ("session-a", {"territory": "hautes-terres"}, "socketio")
    ] * 2
    assert client.bot_uttered() == [{"text": "Réponse"}] * 2


async def test_metadata_sent_as_a_json_string_is_not_read():
    # The guard checks the depth of objects; a string would be parsed after it.
    handled: list[UserMessage] = []

    async def turn(message: UserMessage) -> None:
        handled.append(message)
        await answers(message)

    client = await browser(open_channel(turn), "session-a")
    await client.say("bonjour", customData='{"territory": "hautes-terres"}')
    assert handled[0].metadata == {}
    assert client.bot_uttered() == [{"text": "Réponse"}]


async def test_two_browsers_never_see_each_others_messages():
    channel = open_channel(answering({"text": "Réponse"}, {"custom": RESULTS}))
    alice = await browser(channel, "session-a")
    bob = await browser(channel, "session-b")
    await alice.say("je cherche une crèche à Murat", session_id="session-a")
    await bob.say("et pour moi ?", session_id="session-a")  # another session's id: not his
    assert alice.bot_uttered() == [{"text": "Réponse"}, {"custom": RESULTS}]
    assert bob.bot_uttered() == [{"text": "Réponse"}, {"custom": RESULTS}]


async def test_a_message_before_any_session_request_is_answered_on_its_socket():
    channel = open_channel(answers)
    client = await Browser(channel).connect()
    await client.say("bonjour")
    assert client.bot_uttered() == [{"text": "Réponse"}]


@pytest.mark.parametrize("turn", [says_nothing, fails], ids=["silent", "failing"])
async def test_a_silent_or_failing_turn_gets_the_apology_with_the_welcome_contact(turn):
    client = await browser(open_channel(turn))
    await client.say("je cherche une crèche à Murat", customData={"territory": "hautes-terres"})
    (apology,) = client.bot_uttered()
    assert apology["text"].startswith("Désolé, je ne peux pas vous répondre")
    assert HAUTES_TERRES.contact.phone in apology["text"]


async def test_a_turn_whose_payload_cannot_be_sent_still_gets_an_answer():
    # Rasa's own socket.io output raised on every custom payload, after nothing was said.
    client = await browser(open_channel(answering({"custom": HANDOFF})))
    await client.say("je voudrais parler à quelqu'un")
    assert client.bot_uttered() == [{"custom": HANDOFF}]


async def test_the_guard_limits_size_and_rate_over_socketio():
    channel = open_channel(answers)  # make_guard: 3 messages per address
    assert channel.sio.eio.max_http_buffer_size == channels.MAX_BODY_BYTES
    client = await browser(channel)
    await client.say("a" * 1001)
    for _ in range(3):
        await client.say("bonjour")
    said = [m["text"] for m in client.bot_uttered()]
    assert "trop long" in said[0]
    assert said[1:3] == ["Réponse", "Réponse"]
    assert "attendez une minute" in said[3]
