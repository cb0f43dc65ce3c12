"""A person is always reachable: the territory's welcome contact, and what it offers."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, callback_reading, limits_texts
from actions.conversation import intent_name, territory_slug, text
from actions.directory_client import (
    Contact,
    DirectoryUnavailable,
    Territory,
    directory,
)
from actions.names import CHOSEN_RESULT, KIND, LAST_RESULTS, LAST_SEARCH, TOPIC

# Said when the territory is unknown or the directory is down: still a way to reach people.
NETWORK_CONTACT = Contact(name="Réseau accueil du GIP Massif central")


async def territory_of(slug: Optional[str], client: Any = None) -> Optional[Territory]:
    """The territory with this slug (the last one seen if the directory is down), else None."""
    if not slug:
        return None
    try:
        return await (client or directory()).territory(slug)
    except DirectoryUnavailable:
        return None


def contact_of(territory: Optional[Territory]) -> Contact:
    """Whom to reach: the territory's welcome contact, else the network's."""
    return territory.contact if territory else NETWORK_CONTACT


async def _territory(tracker: Tracker) -> Optional[Territory]:
    return await territory_of(territory_slug(tracker))


async def welcome_contact(tracker: Tracker) -> Contact:
    """The territory's welcome contact (the last one seen if the directory is down)."""
    return contact_of(await _territory(tracker))


async def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Say the welcome contact, send the `handoff` payload, then offer a call back."""
    territory = await _territory(tracker)
    contact = contact_of(territory)
    dispatcher.utter_message(
        text="Le service d'accueil peut vous répondre personnellement. "
        f"{answers.contact_text(contact)}"
    )
    dispatcher.utter_message(
        json_message=answers.handoff_payload(territory.slug if territory else None, contact)
    )
    asked_for_call_back = intent_name(tracker) == "request_callback" or call_back_with_details(
        tracker
    )
    if territory and not asked_for_call_back:  # else the form starts at once
        dispatcher.utter_message(
            text="Vous pouvez aussi laisser vos coordonnées pour qu'un agent vous rappelle.",
            buttons=[
                {"title": "Être rappelé·e", "payload": "/request_callback"},
                {"title": "Non merci", "payload": "/deny"},
            ],
        )


# After an answer at the limits, no earlier topic or list is the subject of the next turn:
# "et à Murat ?" then asks what is wanted there.
FORGET_TOPIC = [SlotSet(TOPIC, None), SlotSet(KIND, None)]
FORGET_LIST = [
    SlotSet(LAST_RESULTS, None), SlotSet(LAST_SEARCH, None), SlotSet(CHOSEN_RESULT, None)
]


async def answer_need(
    dispatcher: CollectingDispatcher, tracker: Tracker, need: Optional[str]
) -> list[EventType]:
    """A need outside the four topics: what is covered, the welcome contact, a call back."""
    territory = await _territory(tracker)
    contact = contact_of(territory)
    dispatcher.utter_message(text=limits_texts.need_text(need, contact))
    dispatcher.utter_message(
        json_message=answers.handoff_payload(territory.slug if territory else None, contact)
    )
    if territory:
        dispatcher.utter_message(
            text=limits_texts.CALL_BACK_OFFER, buttons=limits_texts.CALL_BACK_BUTTONS
        )
    return FORGET_TOPIC + FORGET_LIST


def call_back_with_details(tracker: Tracker) -> bool:
    """A call back asked with a name or a contact ("Anne Leroy, anne.leroy@…, contactez-moi")."""
    return callback_reading.asks_call_back_with_details(text(tracker))


class ActionHandoff(Action):
    """Put the newcomer in touch with the territory's welcome service."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        await hand_off(dispatcher, tracker)
        if intent_name(tracker) != "request_callback" and call_back_with_details(tracker):
            # The details fill the call-back form at once (its rule covers request_callback).
            return [FollowupAction("callback_form")]
        return []


class ActionTerritoryInfo(Action):
    """Say what the territory is and what its welcome service does."""

    def name(self) -> str:
        return "action_territory_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # "c'est gratuit ?" about the last results reaches this action today.
        from actions import last_results  # imported here: last_results needs this module

        followed = await last_results.answer(dispatcher, tracker, short_only=True)
        if followed is not None:
            return followed
        territory = await _territory(tracker)
        if territory is None:
            dispatcher.utter_message(
                text="Le GIP Massif central met en réseau les territoires qui accueillent "
                "les nouveaux habitants. Je peux vous renseigner sur l'emploi, le télétravail, "
                "la garde d'enfants et les transports."
            )
            return []
        try:
            communes = await directory().communes(territory.slug)
        except DirectoryUnavailable:
            communes = []
        size = f" ({len(communes)} communes)" if communes else ""
        dispatcher.utter_message(
            text=f"{territory.name}{size} accueille les nouveaux habitants : son service "
            "d'accueil vous aide à trouver un emploi, un lieu pour télétravailler, une garde "
            "pour vos enfants et des solutions de transport, et à vous installer. "
            f"Pour le joindre : {answers.contact_text(territory.contact)}",
            buttons=[*answers.TOPIC_BUTTONS, answers.HUMAN_BUTTON],
        )
        return []
