"""The call-back form: validation with helpful re-asks, consent before anything is sent."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.callback import ActionSubmitLead, ValidateCallbackForm, parse_contact
from tests.actions.conftest import make_tracker

FILLED = {
    "territory": "hautes-terres",
    "callback_name": "Marie Dupont",
    "callback_contact": "06 12 34 56 78",
    "callback_question": "Je cherche une maison et une crèche",
}


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("marie.dupont@exemple.fr", ("marie.dupont@exemple.fr", None)),
        (" Marie@Exemple.FR ", ("marie@exemple.fr", None)),
        ("06 12 34 56 78", (None, "0612345678")),
        ("06.12.34.56.78", (None, "0612345678")),
        ("+33 6 12 34 56 78", (None, "+33612345678")),
        ("+44 7700 900123", (None, "+447700900123")),
        ("demain matin", (None, None)),
        ("06 12 34", (None, None)),
        ("marie@", (None, None)),
    ],
)
def test_parse_contact(typed, expected):
    assert parse_contact(typed) == expected


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "method, value, accepted",
    [
        ("validate_callback_name", "  Marie   Dupont ", "Marie Dupont"),
        ("validate_callback_name", "06 12 34 56 78", None),
        ("validate_callback_name", "x", None),
        ("validate_callback_contact", "marie@exemple.fr", "marie@exemple.fr"),
        ("validate_callback_contact", "je sais pas", None),
        ("validate_callback_question", "Une crèche à Murat ?", "Une crèche à Murat ?"),
        ("validate_callback_question", "a" * 1001, None),
    ],
)
async def test_validation_accepts_or_explains(method, value, accepted):
    dispatcher = CollectingDispatcher()
    slot = method.removeprefix("validate_")
    result = await getattr(ValidateCallbackForm(), method)(value, dispatcher, make_tracker(), {})
    assert result == {slot: accepted}
    assert bool(dispatcher.messages) == (accepted is None)  # a re-ask says what is expected


@pytest.mark.asyncio
async def test_lead_sent_with_consent_then_details_cleared(fake_directory):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**FILLED, "callback_consent": True})
    events = await ActionSubmitLead().run(dispatcher, tracker, {})
    assert fake_directory.leads == [{
        "territory": "hautes-terres", "name": "Marie Dupont",
        "question": "Je cherche une maison et une crèche", "email": None, "phone": "0612345678",
    }]
    assert "transmis" in dispatcher.messages[0]["text"]
    assert {e["name"]: e["value"] for e in events} == {
        "callback_name": None, "callback_contact": None,
        "callback_question": None, "callback_consent": None,
    }


@pytest.mark.asyncio
@pytest.mark.parametrize("consent", [False, None])
async def test_nothing_sent_without_consent(fake_directory, consent):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**FILLED, "callback_consent": consent})
    await ActionSubmitLead().run(dispatcher, tracker, {})
    assert fake_directory.leads == []
    assert "rien enregistré" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_directory_down_says_nothing_was_recorded(fake_directory):
    fake_directory.down = True
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**FILLED, "callback_consent": True})
    await ActionSubmitLead().run(dispatcher, tracker, {})
    assert "rien n'a été enregistré" in dispatcher.messages[0]["text"]
