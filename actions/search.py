"""Answer a topic question at once from the directory (PRODUCT.md, principle 1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, callback_reading, follow_up_texts, last_results, limits_texts, needs
from actions import communes as commune_names
from actions.communes import fold
from actions.contact import FORGET_TOPIC, answer_need, welcome_contact
from actions.conversation import (
    asked_kind,
    asked_topic,
    asked_topics,
    known_communes,
    search_words,
    territory_slug,
    text,
    whereabouts,
)
from actions.directory_client import (
    Commune,
    DirectoryClient,
    DirectoryUnavailable,
    SearchPage,
    directory,
)
from actions.french import a
from actions.kinds import kind_named
from actions.names import (
    COMMUNE_ENTITY,
    COMMUNE_INSEE,
    COMMUNE_NAME,
    HOME_INSEE,
    HOME_NAME,
    KIND,
    TOPIC,
)

RESULTS_SHOWN = 3
RESULTS_SHOWN_PER_NEED = 2  # several needs in one message: a short list for each


@dataclass(frozen=True)
class Found:
    """What one topic's look-up found, and what was asked."""

    topic: str
    kind: Optional[str]
    page: SearchPage
    trade: Optional[str] = None
    trade_found: bool = True


class ActionSearchDirectory(Action):
    """
    Search the directory for the topic, kind and commune the conversation is about.

    A follow-up keeps what it does not change: "et à Condat ?" keeps the topic and kind,
    "et pour la garde ?" keeps the commune. A message naming several needs gets a short
    list for each.
    """

    def name(self) -> str:
        return "action_search_directory"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if callback_reading.asks_call_back_with_details(text(tracker)):
            # "Rappelez-moi, je m'appelle Paul Girard, 06…" is no place: the contact, then
            # the call-back form with these details.
            return [FollowupAction("action_handoff")]
        # "un médecin à Murat", "une maison à louer": no topic's list (honest limits).
        need = needs.outside_need(text(tracker))
        if need is not None:
            return await answer_need(dispatcher, tracker, need)
        # "le 2", "d'autres ?", "il reste des places ?" often reach this action today.
        followed = await last_results.answer(dispatcher, tracker)
        if followed is not None:
            return followed
        client = directory()
        new_topic = asked_topic(tracker)
        if new_topic and needs.unsure(tracker.latest_message, _names_a_place(tracker)):
            return _ask_unsure(dispatcher, tracker)
        topic = new_topic or tracker.get_slot(TOPIC)
        try:
            # An unknown territory is no territory: answer for the whole Massif central.
            slug = territory_slug(tracker)
            place = await client.territory(slug) if slug else None
            territory = place.slug if place else None
            communes = await known_communes(client, territory)
            where = whereabouts(tracker, communes, topic)
            commune = where.near
            home_events = _home_events(where.home)
            if topic is None:
                return _ask_topic(dispatcher, commune) + home_events
            topics = asked_topics(tracker, topic)
            per_page = RESULTS_SHOWN if len(topics) == 1 else RESULTS_SHOWN_PER_NEED
            found = []
            for each in topics:
                if each == topic:
                    kind = asked_kind(tracker, topic) or (
                        None if new_topic else tracker.get_slot(KIND)
                    )
                else:
                    kind = kind_named(text(tracker), each)
                wanted = {"territory": territory, "near": commune.insee if commune else None,
                          "per_page": per_page}
                trade = _not_a_place(search_words(tracker, each), communes, where.outside)
                found.append(await _look_up(client, each, kind, trade, wanted))
        except DirectoryUnavailable:
            dispatcher.utter_message(text=answers.unavailable_text(await welcome_contact(tracker)))
            return []

        kept = last_results.kept_search(
            topic, found[0].kind, territory, commune,
            found[0].trade if found[0].trade_found else None, found[0].page, per_page,
        )
        if len(found) == 1 and not where.outside and last_results.same_as_before(tracker, kept):
            # The same list again would read as a new answer: say it is the same, then give it
            # all the same (the previous answer may never have reached the person).
            dispatcher.utter_message(
                text=follow_up_texts.same_results_text(len(found[0].page.items))
            )
        if where.outside:
            dispatcher.utter_message(
                text=answers.outside_text(where.outside, place.name if place else None, commune)
            )
        for each in found:
            more_url = client.services_page_url(territory, each.topic) if territory else None
            dispatcher.utter_message(
                text=answers.results_text(
                    each.topic, each.kind, commune, each.page, place.name if place else None,
                    more_url, each.trade, each.trade_found,
                ),
                buttons=answers.refinement_buttons(each.topic, each.kind),
            )
            dispatcher.utter_message(
                json_message=answers.results_payload(
                    each.topic, territory, commune, each.page, more_url, each.kind
                )
            )
        return [
            SlotSet(TOPIC, topic),
            SlotSet(KIND, found[0].kind),
            SlotSet(COMMUNE_INSEE, commune.insee if commune else None),
            SlotSet(COMMUNE_NAME, commune.name if commune else None),
            *home_events,
            *kept,
        ]


async def _look_up(
    client: DirectoryClient,
    topic: str,
    kind: Optional[str],
    trade: Optional[str],
    wanted: dict[str, Any],
) -> Found:
    """Look one topic up in one call (two when a trade matches no offer).

    The kind asked comes first (nearest first, however far), then the topic's other nearest
    entries, since few of a kind is the rule in rural territories. A trade narrows the
    offers; none matching, employment support comes first, then the other offers.
    """
    page = await client.search(topic, q=trade, prefer_kind=kind, **wanted)
    if page.items or not trade:
        return Found(topic, kind, page, trade)
    page = await client.search(topic, prefer_kind="employment_support", **wanted)
    return Found(topic, kind, page, trade, trade_found=False)


def _not_a_place(
    trade: Optional[str], communes: list[Commune], outside: Optional[str]
) -> Optional[str]:
    """The trade, unless it is a place ("secteur Massiac" names no trade)."""
    if trade is None or commune_names.exact(trade, communes):
        return None
    return None if outside and fold(trade) == fold(outside) else trade


def _names_a_place(tracker: Tracker) -> bool:
    """Whether the model found a place in this message (a follow-up such as "et à Murat ?")."""
    return any(isinstance(v, str) and v.strip() for v in tracker.get_latest_entity_values(
        COMMUNE_ENTITY))


def _ask_unsure(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """A low-confidence guess is no answer: say so and offer the likely topics."""
    from actions.fallback import likely_buttons  # imported here: fallback needs this module

    dispatcher.utter_message(text=limits_texts.UNSURE_TEXT, buttons=likely_buttons(tracker))
    return list(FORGET_TOPIC)


def _home_events(home: Optional[Commune]) -> list[EventType]:
    """Keep where the newcomer lives (or leaves from) for the rest of the conversation."""
    if home is None:
        return []
    return [SlotSet(HOME_INSEE, home.insee), SlotSet(HOME_NAME, home.name)]


def _ask_topic(dispatcher: CollectingDispatcher, commune: Optional[Commune]) -> list[EventType]:
    """A place without a topic yet: keep the place and ask what is wanted there."""
    where = f" {a(commune.name)}" if commune else ""
    dispatcher.utter_message(
        text=f"Que cherchez-vous{where} ?",
        buttons=answers.TOPIC_BUTTONS,
    )
    if commune is None:
        return []
    return [SlotSet(COMMUNE_INSEE, commune.insee), SlotSet(COMMUNE_NAME, commune.name)]
