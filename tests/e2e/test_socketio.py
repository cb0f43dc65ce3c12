"""
The socket.io channel with a real client: python-socketio's, speaking as rasa-webchat and Rasa's
chat widget do (`session_request`, then `user_uttered` with `customData`, answers as
`bot_uttered`), over HTTP long-polling upgraded to a WebSocket like a browser.
"""

from __future__ import annotations

import time
import urllib.request
from typing import Any, Callable

import pytest
import socketio

from tests.e2e.conftest import get_json
from tests.e2e.test_faults import QUESTION, halted


class Webchat:
    """One browser's chat over socket.io, as rasa-webchat opens it."""

    def __init__(self, rasa_url: str, territory: str = "hautes-terres"):
        self.territory = territory
        self.client = socketio.SimpleClient()
        self.client.connect(rasa_url, socketio_path="socket.io", wait_timeout=20)
        self.client.emit("session_request", {"session_id": None})
        event, self.session_id = self.client.receive(timeout=20)
        assert event == "session_confirm" and self.session_id, (event, self.session_id)

    def say(self, text: str, until: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        """Send a message; the bot's messages up to the one `until` accepts."""
        self.client.emit("user_uttered", {
            "message": text, "session_id": self.session_id,
            "customData": {"territory": self.territory},
        })
        received: list[dict[str, Any]] = []
        deadline = time.monotonic() + 60
        while not (received and until(received[-1])):
            received.append(self.bot_uttered(deadline - time.monotonic()))
        return received

    def bot_uttered(self, timeout_s: float) -> dict[str, Any]:
        event, data = self.client.receive(timeout=max(timeout_s, 0.1))
        assert event == "bot_uttered", (event, data)
        return data

    def drain(self, quiet_s: float = 3.0) -> list[Any]:
        """Whatever else arrives until the connection has been quiet for `quiet_s`."""
        arrived = []
        try:
            while True:
                arrived.append(self.client.receive(timeout=quiet_s))
        except socketio.exceptions.TimeoutError:
            return arrived

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def webchat(stack):
    opened: list[Webchat] = []

    def open_chat(territory: str = "hautes-terres") -> Webchat:
        opened.append(Webchat(stack.rasa_url, territory))
        return opened[-1]

    yield open_chat
    for chat in opened:
        chat.close()


def is_results(message: dict[str, Any]) -> bool:
    return (message.get("custom") or {}).get("type") == "directory_results"


def is_apology(message: dict[str, Any]) -> bool:
    return (message.get("text") or "").startswith("Désolé")


def test_socketio_topic_question_gets_text_buttons_and_directory_results(webchat):
    messages = webchat().say(QUESTION, until=is_results)
    results = messages[-1]["custom"]
    assert set(messages[-1]) == {"custom"}
    assert results["territory"] == "hautes-terres" and results["topic"] == "childcare"
    assert results["near"] == {"insee": "15138", "name": "Murat"} and results["results"]
    (answer,) = [m for m in messages if results["results"][0]["name"] in (m.get("text") or "")]
    assert answer["quick_replies"], answer
    for reply in answer["quick_replies"]:
        assert reply["content_type"] == "text" and reply["title"] and reply["payload"]


def test_socketio_action_server_down_gets_the_apology_with_the_contact(stack, webchat):
    welcome = get_json(f"{stack.directory_url}/api/v1/territories/hautes-terres")
    chat = webchat()
    chat.say("bonjour", until=lambda message: True)
    chat.drain()  # the rest of the greeting
    with halted(stack, "actions"):
        messages = chat.say(QUESTION, until=is_apology)
    assert messages == [messages[-1]], messages
    assert welcome["welcome_contact"]["phone"] in messages[-1]["text"]


def test_two_socketio_sessions_never_see_each_others_messages(webchat):
    alice, bob = webchat(), webchat()
    assert alice.session_id != bob.session_id
    alice.say(QUESTION, until=is_results)
    assert bob.drain() == [], "Bob received Alice's answer"
    bob.say("une crèche à Condat ?", until=is_results)
    assert alice.drain() == [], "Alice received Bob's answer"



def test_socketio_polling_answers_cors_for_the_allowed_origins_only(stack):
    # A browser on a territory's site opens socket.io by long-polling: cross-origin, like REST.
    def allowed_origin(origin: str) -> Any:
        request = urllib.request.Request(
            f"{stack.rasa_url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.headers.get("Access-Control-Allow-Origin")

    assert allowed_origin(stack.directory_url) == stack.directory_url
    assert allowed_origin("https://elsewhere.example.org") is None
