"""Session start: take the territory from the widget's metadata and show the notice."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import notice_text
from actions.directory_client import DirectoryUnavailable, directory
from actions.names import TERRITORY

SESSION_METADATA_SLOT = "session_started_metadata"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class ActionSessionStart(Action):
    """Start a session with the territory the message came from, kept in a slot."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        # A custom session start must carry the slots over itself (domain's session_config).
        events += [
            SlotSet(name, value)
            for name, value in tracker.current_slot_values().items()
            if value is not None and name != SESSION_METADATA_SLOT
        ]
        metadata = tracker.get_slot(SESSION_METADATA_SLOT) or {}
        wanted = metadata.get("territory") if isinstance(metadata, dict) else None
        slug, name = tracker.get_slot(TERRITORY), None
        if isinstance(wanted, str) and wanted.strip():
            slug, name = await _checked(wanted.strip().lower())
            events.append(SlotSet(TERRITORY, slug))
        dispatcher.utter_message(text=notice_text(name))
        events.append(ActionExecuted("action_listen"))
        return events


async def _checked(slug: str) -> tuple[Any, Any]:
    """
    (slug, name) of a territory the directory knows, else (None, None).

    When the directory is down the slug is kept as given: it is checked again on use.
    """
    if not SLUG.match(slug):
        return None, None
    try:
        territory = await directory().territory(slug)
    except DirectoryUnavailable:
        return slug, None
    return (territory.slug, territory.name) if territory else (None, None)
