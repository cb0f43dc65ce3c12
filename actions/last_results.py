"""
The last results are the conversation's subject: details, the n-th, more, nearer.

A search keeps its results (ids, in order) in `last_results` and how it was made in
`last_search`; "le 2" keeps the one picked in `chosen_result`. The actions that messages about
them reach today (action_search_directory, action_fallback, action_territory_info) call
`answer` first: it answers from the entries' own fields, or returns None for a new question.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from typing import Any, Optional
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, follow_up, kinds, places
from actions import communes as commune_names
from actions import follow_up_texts as say
from actions.contact import welcome_contact
from actions.conversation import known_communes, text
from actions.directory_client import (
    Commune,
    Contact,
    DirectoryClient,
    DirectoryUnavailable,
    SearchPage,
    Service,
    directory,
)
from actions.names import (
    CHOSEN_RESULT,
    COMMUNE_ENTITY,
    COMMUNE_INSEE,
    COMMUNE_NAME,
    KINDS,
    LAST_RESULTS,
    LAST_SEARCH,
    TOPIC_LABELS,
)

LOCAL_TIME = ZoneInfo("Europe/Paris")
SHORT_WORDS = 4
ANSWERED_MARKS = (LAST_RESULTS, CHOSEN_RESULT)
LONG_WORDS = 10  # follow-ups are short; a longer message is a new question
# Words the model sometimes takes for a place in a follow-up ("celle de Condat").
NOT_PLACES = frozenset({"celle", "celui", "celles", "ceux", "premiere", "premier", "deuxieme",
                        "derniere", "dernier", "autres", "d autres"})


def kept_search(
    topic: str, kind: Optional[str], territory: Optional[str], near: Optional[Commune],
    trade: Optional[str], page: SearchPage, per_page: int,
) -> list[EventType]:
    """The slots that make these results the subject of the next turns."""
    search = {"topic": topic, "kind": kind, "territory": territory,
              "near": near.insee if near else None, "near_name": near.name if near else None,
              "q": trade, "page": page.page, "per_page": per_page, "total": page.total}
    return [SlotSet(LAST_RESULTS, [s.id for s in page.items]), SlotSet(LAST_SEARCH, search),
            SlotSet(CHOSEN_RESULT, None)]


def same_as_before(tracker: Tracker, kept: list[EventType]) -> bool:
    """Whether a search found the very results the last one showed, the same way."""
    before = tracker.get_slot(LAST_RESULTS)
    search = tracker.get_slot(LAST_SEARCH)
    now = {e["name"]: e["value"] for e in kept}
    if not before or not isinstance(search, dict):
        return False
    same_search = all(search.get(k) == now[LAST_SEARCH].get(k) for k in ("topic", "near", "q"))
    return same_search and before == now[LAST_RESULTS]


async def answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, short_only: bool = False
) -> Optional[list[EventType]]:
    """Answer a follow-up about the last results; None when the message is something else.

    `short_only`: only a short message ("c'est gratuit ?"), for an action whose own
    questions are longer ("c'est quoi Hautes Terres ?"). Every answer sets `last_results` or
    `chosen_result`: the mark that a message the model did not understand was answered all
    the same (the fallback's count of failed turns, the analytics' "not understood").
    """
    events = await _answer(dispatcher, tracker, short_only)
    if events is not None and not any(e.get("name") in ANSWERED_MARKS for e in events):
        events.append(SlotSet(LAST_RESULTS, tracker.get_slot(LAST_RESULTS)))
    return events


async def _answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, short_only: bool
) -> Optional[list[EventType]]:
    ids = [i for i in tracker.get_slot(LAST_RESULTS) or [] if isinstance(i, str)]
    search = tracker.get_slot(LAST_SEARCH) or {}
    if not ids or not isinstance(search, dict):
        return None
    words = len(commune_names.fold(text(tracker)).split())
    if words > (SHORT_WORDS if short_only else LONG_WORDS):
        return None
    client = directory()
    try:
        found = await asyncio.gather(*(client.service(i) for i in ids))
        results = [s for s in found if s is not None]
        asked = follow_up.read(text(tracker), results)
        if asked is None or _names_another_subject(text(tracker), search, results):
            return None
        asked = _about_the_kind_named(asked, text(tracker), results)
        communes = await known_communes(client, search.get("territory"))
        elsewhere = _names_another_place(tracker, communes, search, results)
        about_a_place = asked.act == follow_up.NEARER or asked.place  # "celle de Condat"
        if elsewhere and not about_a_place:
            return None
        contact = await welcome_contact(tracker)
        if asked.act == follow_up.MORE:
            return await _more(dispatcher, client, search)
        if asked.act == follow_up.NEARER:
            return await _nearer(dispatcher, client, search, asked.place or "", communes)
    except DirectoryUnavailable:
        return None  # the action goes on and apologises as it does for any question
    if not results:
        dispatcher.utter_message(text=say.no_entry_text())
        return [SlotSet(LAST_RESULTS, None), SlotSet(CHOSEN_RESULT, None)]
    if asked.act == follow_up.CHOOSE and asked.chosen is None:
        dispatcher.utter_message(text=say.no_match_text(asked.place or ""))
        return []
    if asked.act == follow_up.CHOOSE and asked.chosen is not None:
        service = results[asked.chosen]
        dispatcher.utter_message(text=say.card_text(service, contact))
        return [SlotSet(CHOSEN_RESULT, service.id)]
    return _details(dispatcher, tracker, asked, results, contact)


def _names_another_subject(
    message: str, search: dict[str, Any], results: list[Service]
) -> bool:
    """"et une crèche ?" after bus lines is a new question, and so is another kind.

    Another kind: one none of the results is, or one asked for anew ("un centre de loisirs
    pour le mercredi ?", not "le centre").
    """
    topic = search.get("topic")
    named = kinds.kinds_named(message)
    shown = {service.kind for service in results} | {search.get("kind")}
    return (
        any(kind not in KINDS.get(topic, {}) or kind not in shown for kind in named)
        or bool(kinds.kinds_sought(message))
        or any(t != topic for t in kinds.topics_named(message))
    )


def _about_the_kind_named(
    asked: follow_up.FollowUp, message: str, results: list[Service]
) -> follow_up.FollowUp:
    """"le relais, c'est où ?": the question is about the first result of the kind named."""
    if asked.act != follow_up.DETAIL or asked.chosen is not None:
        return asked
    named = kinds.kinds_named(message)
    chosen = next((i for i, service in enumerate(results) if service.kind in named), None)
    return replace(asked, chosen=chosen) if chosen is not None else asked


def _names_another_place(
    tracker: Tracker, communes: list[Commune], search: dict[str, Any], results: list[Service]
) -> bool:
    """"et à Condat ?" is a new search, unless Condat is where the search or a result is.

    A place outside the territory ("la crèche d'Aubusson") is another place too.
    """
    message = text(tracker)
    found = places.places_in(message, communes)
    named = [p.commune for p in found] + [commune_names.find_in_text(message, communes)]
    outside = any(p.commune is None for p in found)
    for mention in tracker.get_latest_entity_values(COMMUNE_ENTITY):  # the model's places
        if not isinstance(mention, str) or commune_names.fold(mention) in NOT_PLACES:
            continue
        commune = commune_names.resolve(mention, communes, partial=True)
        outside = outside or commune is None
        named.append(commune)
    known = {search.get("near_name")} | {s.commune_name for s in results}
    return outside or any(c is not None and c.name not in known for c in named)


def _details(
    dispatcher: CollectingDispatcher, tracker: Tracker, asked: follow_up.FollowUp,
    results: list[Service], contact: Contact,
) -> list[EventType]:
    """One answer about the chosen result, else one line for each of the results."""
    chosen_id = tracker.get_slot(CHOSEN_RESULT)
    if asked.chosen is not None:
        targets = [results[asked.chosen]]
    else:
        targets = [s for s in results if s.id == chosen_id] or results
    texts = [_detail_text(asked, s, contact) for s in targets]
    dispatcher.utter_message(text=texts[0] if len(texts) == 1 else say.numbered(texts))
    return [SlotSet(CHOSEN_RESULT, targets[0].id)] if len(targets) == 1 else []


def _detail_text(asked: follow_up.FollowUp, service: Service, contact: Contact) -> str:
    if asked.detail == follow_up.DAY and asked.weekday is not None:
        return say.day_text(service, asked.weekday, contact)
    if asked.detail == follow_up.NOW:
        now = datetime.now(LOCAL_TIME)
        return say.now_text(service, now.weekday(), now.hour * 60 + now.minute, contact)
    by_detail = {
        follow_up.HOURS: say.hours_text, follow_up.DAY: say.hours_text,
        follow_up.FEES: say.fees_text, follow_up.ADDRESS: say.address_text,
        follow_up.BOOKING: say.booking_text, follow_up.PLACES: say.places_text,
        follow_up.CONTACT: say.contact_text, follow_up.DESCRIPTION: say.description_text,
    }
    return by_detail.get(asked.detail or "", say.card_text)(service, contact)


def _what(search: dict[str, Any]) -> str:
    topic, kind = search.get("topic"), search.get("kind")
    if search.get("q"):
        return search["q"]
    return KINDS.get(topic, {}).get(kind or "", TOPIC_LABELS.get(topic, "")).lower()


async def _more(
    dispatcher: CollectingDispatcher, client: DirectoryClient, search: dict[str, Any]
) -> list[EventType]:
    """The next page of the same search; none left is said."""
    per_page = int(search.get("per_page") or 3)
    page_number = int(search.get("page") or 1) + 1
    total = int(search.get("total") or 0)
    if (page_number - 1) * per_page >= total:
        dispatcher.utter_message(text=say.no_more_text(_what(search), total))
        return []
    near = _near(search)
    page = await client.search(
        search["topic"], territory=search.get("territory"), near=search.get("near"),
        per_page=per_page, q=search.get("q"), prefer_kind=search.get("kind"), page=page_number,
    )
    if not page.items:
        dispatcher.utter_message(text=say.no_more_text(_what(search), total))
        return []
    first = (page_number - 1) * per_page + 1
    last = first + len(page.items) - 1
    what = search.get("q") or TOPIC_LABELS.get(search["topic"], "")  # the page mixes kinds
    lines = [say.more_heading(what, search.get("near_name"), first, last, page.total)]
    lines += [f"{n}. {answers.result_line(s)}" for n, s in enumerate(page.items, start=1)]
    buttons = answers.refinement_buttons(search["topic"], search.get("kind"))
    dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
    more_url = (client.services_page_url(search["territory"], search["topic"])
                if search.get("territory") else None)
    dispatcher.utter_message(json_message=answers.results_payload(
        search["topic"], search.get("territory"), near, page, more_url, search.get("kind")))
    return kept_search(search["topic"], search.get("kind"), search.get("territory"), near,
                       search.get("q"), page, per_page)


async def _nearer(
    dispatcher: CollectingDispatcher, client: DirectoryClient, search: dict[str, Any],
    typed: str, communes: list[Commune],
) -> list[EventType]:
    """The same search again, nearest first around another commune."""
    near = commune_names.resolve(typed, communes, partial=True) or commune_names.find_in_text(
        typed, communes)
    if near is None:
        dispatcher.utter_message(text=say.unknown_place_text(typed))
        return []
    per_page = int(search.get("per_page") or 3)
    territory = search.get("territory")
    page = await client.search(
        search["topic"], territory=territory, near=near.insee, per_page=per_page,
        q=search.get("q"), prefer_kind=search.get("kind"),
    )
    more_url = client.services_page_url(territory, search["topic"]) if territory else None
    dispatcher.utter_message(
        text=answers.results_text(search["topic"], search.get("kind"), near, page, None,
                                  more_url, search.get("q")),
        buttons=answers.refinement_buttons(search["topic"], search.get("kind")),
    )
    dispatcher.utter_message(json_message=answers.results_payload(
        search["topic"], territory, near, page, more_url, search.get("kind")))
    return [SlotSet(COMMUNE_INSEE, near.insee), SlotSet(COMMUNE_NAME, near.name),
            *kept_search(search["topic"], search.get("kind"), territory, near, search.get("q"),
                         page, per_page)]


def _near(search: dict[str, Any]) -> Optional[Commune]:
    insee, name = search.get("near"), search.get("near_name")
    return Commune(insee=insee, name=name) if insee and name else None
