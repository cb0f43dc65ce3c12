"""Two-stage fallback: first the likely topics as buttons, then a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions import callback_reading, last_results, limits_texts, needs
from actions.contact import FORGET_TOPIC, answer_need, hand_off
from actions.last_results import ANSWERED_MARKS

FAILED_INTENTS = {"nlu_fallback", "out_of_scope"}

# Buttons read like what the newcomer would have said (rasa-demo's intent descriptions).
SUGGESTIONS = {
    "ask_jobs": "Je cherche un emploi ou une activité",
    "ask_telework": "Je cherche un lieu pour télétravailler",
    "ask_childcare": "Je cherche une garde pour mon enfant",
    "ask_transport": "Je cherche comment me déplacer",
    "ask_territory": "Je veux en savoir plus sur le territoire",
}
SHOWN = 3


def failed_turns(tracker: Tracker) -> int:
    """How many of the last user messages in a row were not understood.

    A message answered all the same ("c'est ouvert le mercredi ?" about the last results,
    marked by setting `last_results` or `chosen_result`) was understood.
    """
    count = 0
    answered = False  # what followed the user message being looked at
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") in ANSWERED_MARKS:
            answered = True
            continue
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in FAILED_INTENTS or answered:
            break
        count += 1
    return count


def likely_topics(tracker: Tracker) -> list[str]:
    """The intents the model hesitated between, best first, among those worth offering."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    likely = [r["name"] for r in ranking if r.get("name") in SUGGESTIONS]
    return (likely + [i for i in SUGGESTIONS if i not in likely])[:SHOWN]


def likely_buttons(tracker: Tracker) -> list[dict[str, str]]:
    """The likely topics as buttons, then a person."""
    buttons = [{"title": SUGGESTIONS[i], "payload": f"/{i}"} for i in likely_topics(tracker)]
    buttons.append({"title": "Parler à une personne", "payload": "/ask_human"})
    return buttons


class ActionFallback(Action):
    """Offer the likely topics; after a second failed turn in a row, a person."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if callback_reading.asks_call_back_with_details(tracker.latest_message.get("text") or ""):
            return [FollowupAction("action_handoff")]  # the contact, then the call-back form
        # A question about the last results the model has no intent for ("c'est où ?").
        followed = await last_results.answer(dispatcher, tracker)
        if followed is not None:
            return followed
        need = needs.outside_need(tracker.latest_message.get("text") or "")
        if need is not None:  # "un médecin à Murat ?": what is covered, and whom to ask
            return await answer_need(dispatcher, tracker, need)
        if failed_turns(tracker) >= 2:
            dispatcher.utter_message(
                text="Je n'arrive pas à vous comprendre : le mieux est d'en parler à une personne."
            )
            await hand_off(dispatcher, tracker)
            return list(FORGET_TOPIC)
        dispatcher.utter_message(text=limits_texts.NOT_UNDERSTOOD, buttons=likely_buttons(tracker))
        return list(FORGET_TOPIC)  # no stale topic for "et à Murat ?" after a fallback
