"""Answer a topic question at once from the directory (PRODUCT.md, principle 1)."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers
from actions.contact import welcome_contact
from actions.conversation import (
    asked_kind,
    asked_topic,
    known_communes,
    named_commune,
    search_words,
    territory_slug,
)
from actions.directory_client import Commune, DirectoryUnavailable, SearchPage, directory
from actions.names import COMMUNE_INSEE, COMMUNE_NAME, KIND, TOPIC

RESULTS_SHOWN = 3


class ActionSearchDirectory(Action):
    """
    Search the directory for the topic, kind and commune the conversation is about.

    A follow-up keeps what it does not change: "et à Condat ?" keeps the topic and kind,
    "et pour la garde ?" keeps the commune.
    """

    def name(self) -> str:
        return "action_search_directory"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        client = directory()
        new_topic = asked_topic(tracker)
        topic = new_topic or tracker.get_slot(TOPIC)
        try:
            # An unknown territory is no territory: answer for the whole Massif central.
            slug = territory_slug(tracker)
            place = await client.territory(slug) if slug else None
            territory = place.slug if place else None
            communes = await known_communes(client, territory)
            commune, unknown_mention = named_commune(tracker, communes)
            if commune is None and not unknown_mention:
                commune = _remembered_commune(tracker)
            if topic is None:
                return _ask_topic(dispatcher, commune)
            kind = asked_kind(tracker, topic) or (None if new_topic else tracker.get_slot(KIND))
            near = commune.insee if commune else None
            words = search_words(tracker, topic)
            # One call: the kind asked for first, then the topic's other nearest entries, since
            # few of a kind is the rule in rural territories.
            wanted = {"territory": territory, "near": near, "per_page": RESULTS_SHOWN,
                      "prefer_kind": kind}
            page = await client.search(topic, q=words, **wanted)
            if not page.items and words:
                # Nothing for that trade: the other offers are the next best.
                page = await client.search(topic, **wanted)
            page = _nearest_first(page)
            kind = kind if any(s.kind == kind for s in page.items) else None
        except DirectoryUnavailable:
            dispatcher.utter_message(text=answers.unavailable_text(await welcome_contact(tracker)))
            return []

        more_url = client.services_page_url(territory, topic) if territory else None
        if unknown_mention:
            dispatcher.utter_message(
                text=f"Je ne trouve pas « {unknown_mention} » parmi les communes "
                f"{'du territoire ' + place.name if place else 'que je connais'}."
            )
        dispatcher.utter_message(
            text=answers.results_text(
                topic, kind, commune, page, place.name if place else None, more_url
            ),
            buttons=answers.refinement_buttons(topic, kind),
        )
        dispatcher.utter_message(
            json_message=answers.results_payload(topic, territory, commune, page, more_url, kind)
        )
        return [
            SlotSet(TOPIC, topic),
            SlotSet(KIND, kind),
            SlotSet(COMMUNE_INSEE, commune.insee if commune else None),
            SlotSet(COMMUNE_NAME, commune.name if commune else None),
        ]


def _nearest_first(page: SearchPage) -> SearchPage:
    """The page in distance order (the directory put the asked kind first)."""
    far = float("inf")
    items = sorted(page.items, key=lambda s: far if s.distance_km is None else s.distance_km)
    return SearchPage(items=items, total=page.total)


def _remembered_commune(tracker: Tracker) -> Optional[Commune]:
    insee, name = tracker.get_slot(COMMUNE_INSEE), tracker.get_slot(COMMUNE_NAME)
    return Commune(insee=insee, name=name) if insee and name else None


def _ask_topic(dispatcher: CollectingDispatcher, commune: Optional[Commune]) -> list[EventType]:
    """A place without a topic yet: keep the place and ask what is wanted there."""
    where = f" à {commune.name}" if commune else ""
    dispatcher.utter_message(
        text=f"Que cherchez-vous{where} ?",
        buttons=answers.TOPIC_BUTTONS,
    )
    if commune is None:
        return []
    return [SlotSet(COMMUNE_INSEE, commune.insee), SlotSet(COMMUNE_NAME, commune.name)]
