"""
Short replies that give way to a follow-up on the last results.

With the model of 2026-12-04, "d'autres ?" and "autre chose ?" are read as bot_challenge and
"ils ouvrent à quelle heure ?" as out_of_scope: after a list, they are about that list.
Otherwise the usual response is said.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, last_results, limits_texts, needs
from actions.contact import FORGET_TOPIC, answer_need, welcome_contact


async def follow_up_or(
    response: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    """Answer about the last results if the message is about them, else say `response`."""
    followed = await last_results.answer(dispatcher, tracker)
    if followed is not None:
        return followed
    dispatcher.utter_message(response=response)
    return []


class ActionBotChallenge(Action):
    def name(self) -> str:
        return "action_bot_challenge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return await follow_up_or("utter_bot_challenge", dispatcher, tracker)


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        followed = await last_results.answer(dispatcher, tracker)
        if followed is not None:
            return followed
        need = needs.outside_need(tracker.latest_message.get("text") or "")
        if need is not None:  # a need outside the four topics: whom to ask for it
            return await answer_need(dispatcher, tracker, need)
        dispatcher.utter_message(response="utter_out_of_scope")
        contact = answers.contact_text(await welcome_contact(tracker))
        dispatcher.utter_message(text=limits_texts.OUT_OF_SCOPE_CONTACT.format(contact=contact))
        return list(FORGET_TOPIC)
