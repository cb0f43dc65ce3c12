"""Two-stage fallback: likely topics as readable buttons, then a person."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from tests.actions.conftest import make_tracker

pytestmark = pytest.mark.asyncio


def user(intent):
    return {"event": "user", "text": "…", "parse_data": {"intent": {"name": intent}}}


async def run(events, ranking=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "xqzt", "nlu_fallback", slots={"territory": "hautes-terres"},
        events=events, intent_ranking=ranking,
    )
    await ActionFallback().run(dispatcher, tracker, {})
    return dispatcher.messages


async def test_first_failure_offers_the_likely_topics_best_first(fake_directory):
    ranking = [{"name": "nlu_fallback"}, {"name": "ask_transport"}, {"name": "greet"},
               {"name": "ask_childcare"}]
    messages = await run([user("ask_jobs"), user("nlu_fallback")], ranking)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[:2] == ["/ask_transport", "/ask_childcare"]
    assert payloads[-1] == "/ask_human"
    assert messages[0]["buttons"][0]["title"] == "Je cherche comment me déplacer"
    assert not any(m.get("custom") for m in messages)


async def test_second_failure_in_a_row_hands_off(fake_directory):
    messages = await run([user("out_of_scope"), user("nlu_fallback")])
    handoff = next(m["custom"] for m in messages if m.get("custom"))
    assert handoff["type"] == "handoff" and handoff["contact"]["phone"] == "04 65 71 00 01"


async def test_understood_turn_in_between_resets_the_count(fake_directory):
    messages = await run([user("nlu_fallback"), user("ask_jobs"), user("nlu_fallback")])
    assert not any(m.get("custom") for m in messages)


async def test_a_follow_up_answered_about_the_last_results_was_understood(fake_directory):
    answered = {"event": "slot", "name": "last_results", "value": ["1", "2"]}
    said = {"event": "bot", "text": "Crèche Les Marmottes : ouvert le mercredi, de 8 h à 18 h."}
    messages = await run([user("nlu_fallback"), said, answered, user("nlu_fallback")])
    assert not any(m.get("custom") for m in messages)  # the likely topics, not a hand-off
    not_understood = {"event": "bot", "text": "Je n'ai pas bien compris. Votre question…"}
    messages = await run([user("nlu_fallback"), not_understood, user("nlu_fallback")])
    assert any(m.get("custom", {}).get("type") == "handoff" for m in messages)
