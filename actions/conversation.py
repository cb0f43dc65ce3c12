"""Reading the conversation: which territory, topic, kind and commune a turn is about."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker

from actions import communes as commune_names
from actions.directory_client import Commune, DirectoryClient
from actions.names import (
    COMMUNE_ENTITY,
    JOB_KEYWORD_ENTITY,
    KIND_ENTITY,
    KINDS,
    TERRITORY,
    TOPIC_BY_INTENT,
)


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


def asked_kind(tracker: Tracker, topic: str) -> Optional[str]:
    """A kind named in this message, if it belongs to the topic."""
    kind = entity(tracker, KIND_ENTITY)
    return kind if kind in KINDS[topic] else None


def search_words(tracker: Tracker, topic: str) -> Optional[str]:
    """Free text to narrow a job search: the trade or sector the newcomer named."""
    return entity(tracker, JOB_KEYWORD_ENTITY) if topic == "jobs" else None


async def known_communes(client: DirectoryClient, territory: Optional[str]) -> list[Commune]:
    """The territory's communes; without a territory, those of every territory."""
    if territory:
        return await client.communes(territory)
    found: list[Commune] = []
    for each in await client.territories():
        found += await client.communes(each.slug)
    return found


def named_commune(
    tracker: Tracker, communes: list[Commune]
) -> tuple[Optional[Commune], Optional[str]]:
    """The commune this message names, and the mention when it matched no commune."""
    mentions = [m for m in tracker.get_latest_entity_values(COMMUNE_ENTITY) if isinstance(m, str)]
    return commune_names.pick(mentions, tracker.latest_message.get("text") or "", communes)
