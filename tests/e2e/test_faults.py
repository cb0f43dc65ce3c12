"""
Faults, injected into the running product: the newcomer always gets an answer (an apology and
the territory's welcome contact), and each part recovers when the other comes back, with no
restart of the rest.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.e2e.conftest import get_json

QUESTION = "je cherche une crèche à Murat"


@pytest.fixture
def welcome_phone(stack) -> str:
    return get_json(f"{stack.directory_url}/api/v1/territories/hautes-terres")["welcome_contact"][
        "phone"
    ]


@contextmanager
def halted(stack, name: str) -> Iterator[None]:
    """The process is stopped inside the block, started again (and healthy) after it."""
    stack.halt(name)
    try:
        yield
    finally:
        stack.launch(name)
        stack.wait_healthy(180, [name])


def texts(messages) -> list[str]:
    return [m.get("text") or "" for m in messages]


def has_results(messages) -> bool:
    return any((m.get("custom") or {}).get("type") == "directory_results" for m in messages)


def assert_apology(messages, phone: str) -> None:
    said = " ".join(texts(messages))
    assert said.startswith("Désolé"), messages
    assert phone in said, messages
    assert not has_results(messages)


def test_action_server_down_gets_an_apology_with_the_contact_then_recovers(
    stack, chat, welcome_phone
):
    conversation = chat()
    conversation.say("bonjour")
    with halted(stack, "actions"):
        assert_apology(conversation.say(QUESTION), welcome_phone)
    assert has_results(conversation.say(QUESTION)), "Rasa did not recover by itself"


def test_action_server_hanging_is_answered_at_the_deadline(stack, chat, welcome_phone):
    conversation = chat()
    conversation.say("bonjour")
    with halted(stack, "actions"), socket.socket() as hung:
        # Connections are accepted by the kernel and never answered: a frozen action server.
        hung.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        hung.bind(("127.0.0.1", stack.actions_port))
        hung.listen(16)
        assert_apology(conversation.say(QUESTION), welcome_phone)
    assert has_results(chat().say(QUESTION))


def test_directory_down_the_contact_kept_at_hand_is_given_then_recovers(stack, chat, welcome_phone):
    conversation = chat()
    conversation.say("bonjour")  # the session start reads the territory: now it is at hand
    with halted(stack, "directory"):
        assert_apology(conversation.say(QUESTION), welcome_phone)
    assert has_results(conversation.say(QUESTION)), "the actions did not recover by themselves"


def post_raw(stack, body: bytes) -> tuple[int, object]:
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.parametrize(
    "body, status",
    [
        (json.dumps({"sender": "big", "message": "a" * 1_000_000}).encode(), 413),
        (b"\x00\xff not json", 400),
        (json.dumps(["a list"]).encode(), 400),
        (json.dumps({"sender": "x", "message": {"text": "bonjour"}}).encode(), 400),
    ],
    ids=["1 MB message", "not JSON", "a list", "message not text"],
)
def test_hostile_chat_requests_get_a_clear_json_error(stack, body, status):
    got, answer = post_raw(stack, body)
    assert got == status
    assert answer["error"]["message"]


def test_long_messages_and_floods_are_answered_in_french_not_processed(chat):
    conversation = chat()
    assert "trop long" in texts(conversation.say("é" * 5000))[0]
    said = [texts(conversation.say("bonjour")) for _ in range(25)]
    assert any("attendez une minute" in " ".join(turn) for turn in said[-5:])


@pytest.mark.parametrize("text", ["\x00\x1b[31m\u202e", "'; DROP TABLE events; --", "<script>"])
def test_control_characters_and_injections_get_an_ordinary_answer(chat, text):
    messages = chat().say(text)
    assert messages and all(isinstance(m, dict) for m in messages)
