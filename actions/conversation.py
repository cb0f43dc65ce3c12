"""Reading the conversation: which territory, topic, kind and commune a turn is about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from rasa_sdk import Tracker

from actions import communes as commune_names
from actions import kinds, places, trades
from actions.directory_client import Commune, DirectoryClient
from actions.names import (
    COMMUNE_ENTITY,
    COMMUNE_INSEE,
    COMMUNE_NAME,
    HOME_INSEE,
    HOME_NAME,
    JOB_KEYWORD_ENTITY,
    KIND_ENTITY,
    KINDS,
    TERRITORY,
    TOPIC_BY_INTENT,
)

MAX_TOPICS = 4


def territory_slug(tracker: Tracker) -> Optional[str]:
    """The territory kept for the conversation, else the one this message came with."""
    metadata = tracker.latest_message.get("metadata") or {}
    return tracker.get_slot(TERRITORY) or _clean_slug(metadata.get("territory"))


def _clean_slug(value: Any) -> Optional[str]:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def intent_name(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def asked_topic(tracker: Tracker) -> Optional[str]:
    """The topic this very message asks about, if it asks about one."""
    return TOPIC_BY_INTENT.get(intent_name(tracker) or "")


def entity(tracker: Tracker, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return value if isinstance(value, str) and value.strip() else None


def text(tracker: Tracker) -> str:
    value = tracker.latest_message.get("text")
    return value if isinstance(value, str) else ""


def asked_kind(tracker: Tracker, topic: str) -> Optional[str]:
    """A kind named in this message, if it belongs to the topic.

    The model's entity first (a kind code, or a word the lexicon knows), then the words of
    the message: the lexicon knows words the model was not trained on.
    """
    value = entity(tracker, KIND_ENTITY)
    if value in KINDS[topic]:
        return value
    return (value and kinds.kind_named(value, topic)) or kinds.kind_named(text(tracker), topic)


def search_words(tracker: Tracker, topic: str) -> Optional[str]:
    """Free text to narrow a job search: the trade or sector the newcomer named."""
    if topic != "jobs":
        return None
    return entity(tracker, JOB_KEYWORD_ENTITY) or trades.trade_named(text(tracker))


def asked_topics(tracker: Tracker, topic: str) -> list[str]:
    """The topic asked, then the other needs the same message names, up to the four topics.

    "du travail de charpentier et une crèche" asks for jobs and childcare.
    """
    if asked_topic(tracker) is None:  # a follow-up ("et à Condat ?") stays on its topic
        return [topic]
    named = kinds.topics_named(text(tracker))
    if "jobs" not in named and trades.trade_named(text(tracker)):
        named.append("jobs")
    return ([topic] + [t for t in named if t != topic])[:MAX_TOPICS]


async def known_communes(client: DirectoryClient, territory: Optional[str]) -> list[Commune]:
    """The territory's communes; without a territory, those of every territory."""
    if territory:
        return await client.communes(territory)
    found: list[Commune] = []
    for each in await client.territories():
        found += await client.communes(each.slug)
    return found


@dataclass(frozen=True)
class Whereabouts:
    """Where to search, the home this message names, and a place named outside the territory."""

    near: Optional[Commune]
    home: Optional[Commune]
    outside: Optional[str]


# Which named place a search is about, by topic: a trip starts where one lives or leaves
# from ("ramassage scolaire pour Murat depuis Allanche" is near Allanche); anything else is
# about the place asked ("une crèche à Murat, j'habite à Allanche" is near Murat).
ROLES_BY_TOPIC = {
    "transport": (places.ORIGIN, places.HOME, "kept_home", places.DESTINATION, places.PLACE),
}
DEFAULT_ROLES = (places.PLACE, places.DESTINATION, places.HOME, places.ORIGIN)


def whereabouts(
    tracker: Tracker, communes: list[Commune], topic: Optional[str]
) -> Whereabouts:
    """Where this message asks about, the home it names, and a place outside the territory.

    Without a place in the message: the commune of the conversation, else the home kept.
    A place outside the territory is said, and the search looks near the home kept, never
    near the commune of an earlier turn.
    """
    named = places.places_in(text(tracker), communes)
    mentions = [m for m in tracker.get_latest_entity_values(COMMUNE_ENTITY) if isinstance(m, str)]
    for mention in mentions:  # the model's places the phrasing did not show
        commune = commune_names.resolve(mention, communes)
        if commune is None and not any(p.commune for p in named):  # "mura" for Murat
            commune = commune_names.resolve(mention, communes, partial=True)
        if commune is None and _already_named(mention, named):
            continue
        if commune is None or all(p.commune != commune for p in named):
            named.append(places.Place(places.PLACE, mention, commune))
    by_role: dict[str, Commune] = {}
    for place in named:
        if place.commune is not None:
            by_role.setdefault(place.role, place.commune)
    home = by_role.get(places.HOME) or by_role.get(places.ORIGIN)
    kept_home = remembered(tracker, HOME_INSEE, HOME_NAME)
    if kept_home and places.DESTINATION in by_role:  # "pour aller à Murat": from home
        by_role["kept_home"] = kept_home
    roles = ROLES_BY_TOPIC.get(topic or "", DEFAULT_ROLES)
    near = next((by_role[r] for r in roles if r in by_role), None)
    near = near or commune_names.find_in_text(text(tracker), communes)
    outside = next((p.typed for p in named if p.commune is None), None)
    if near is None and outside is not None:  # said outside; the home, if known, is inside
        return Whereabouts(near=kept_home, home=home, outside=outside)
    if near is None:
        near = remembered(tracker, COMMUNE_INSEE, COMMUNE_NAME) or kept_home
    return Whereabouts(near=near, home=home, outside=None)


def _already_named(mention: str, named: list[places.Place]) -> bool:
    """A mention the phrasing already placed ("neussargues" of Neussargues en Pinatelle)."""
    folded = commune_names.fold(mention)
    return any(
        folded in commune_names.fold(p.typed)
        or (p.commune is not None and folded in commune_names.fold(p.commune.name))
        for p in named
    )


def remembered(tracker: Tracker, insee_slot: str, name_slot: str) -> Optional[Commune]:
    insee, name = tracker.get_slot(insee_slot), tracker.get_slot(name_slot)
    return Commune(insee=insee, name=name) if insee and name else None
