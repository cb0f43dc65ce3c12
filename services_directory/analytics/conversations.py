"""
From Rasa's events to conversations.

Messages (masked), directory look-ups, hand-offs, call-back requests and feedback.

A conversation is everything one sender id said and was told in the window read (the widget
keeps its sender id, so a newcomer coming back the next day continues the same conversation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .masking import FORM_ANSWER_MASKS, mask
from .tracker import RawEvent

# A user message answered by one of these was not understood (or out of the assistant's scope).
# action_out_of_scope says utter_out_of_scope since follow-ups on results go through it first.
FAILED_ACTIONS = frozenset({
    "action_fallback", "action_default_fallback", "utter_out_of_scope", "action_out_of_scope",
    "utter_default",
})
# Set by a follow-up on the last results ("c'est ouvert le mercredi ?"): the message was
# answered, whichever action the model's intent led to (actions/last_results.py).
ANSWERED_MARKS = ("last_results", "chosen_result")
POSITIVE, NEGATIVE = "feedback_positive", "feedback_negative"
# Slots whose values are personal data, masked wherever they appear in the conversation.
PERSONAL_SLOTS = ("callback_name", "callback_contact")


@dataclass
class Message:
    """One message, its text already masked."""

    at: float
    by: str  # "user" or "bot"
    text: str
    intent: str | None = None
    failed: bool = False
    form_answer: bool = False


@dataclass(frozen=True)
class Lookup:
    """One directory look-up, as the assistant logged it in its `directory_results` payload."""

    at: float
    topic: str | None
    kind: str | None
    territory: str | None
    commune_insee: str | None
    commune_name: str | None
    total: int


@dataclass
class Conversation:
    """What one sender said and was told."""

    sender: str
    territory: str | None = None
    messages: list[Message] = field(default_factory=list)
    lookups: list[Lookup] = field(default_factory=list)
    handoffs: int = 0
    leads: int = 0
    useful: int = 0
    not_useful: int = 0

    @property
    def user_messages(self) -> list[Message]:
        return [m for m in self.messages if m.by == "user"]

    @property
    def started(self) -> float:
        """When the newcomer first wrote (the conversation's date)."""
        said = self.user_messages
        return said[0].at if said else (self.messages[0].at if self.messages else 0.0)

    @property
    def engaged(self) -> bool:
        """At least two messages from the newcomer: more than a single try."""
        return len(self.user_messages) >= 2

    @property
    def failed(self) -> list[Message]:
        return [m for m in self.user_messages if m.failed]


def conversations(events: Iterable[RawEvent]) -> list[Conversation]:
    """Group events (ordered by sender, then id) into masked conversations."""
    found: dict[str, _Reader] = {}
    for event in events:
        found.setdefault(event.sender, _Reader(event.sender)).read(event)
    return [reader.finish() for reader in found.values() if reader.conversation.user_messages]


class _Reader:
    """Follows one conversation event by event."""

    def __init__(self, sender: str) -> None:
        self.conversation = Conversation(sender)
        self.requested: str | None = None
        self.consent = False
        self.pending: Message | None = None
        self.answered_by: Message | None = None  # a failed message a follow-up may have answered
        self.names: set[str] = set()
        self.slot_territory: str | None = None
        self.slot_seen = False
        self.metadata_territory: str | None = None

    def read(self, event: RawEvent) -> None:
        data = event.data
        if event.type == "slot":
            self._slot(str(data.get("name")), data.get("value"))
        elif event.type == "active_loop" and not data.get("name"):
            self.requested = None
        elif event.type == "user":
            self._user(event.at, data)
        elif event.type == "action":
            self._action(str(data.get("name") or ""))
        elif event.type == "bot":
            self._bot(event.at, data)

    def _slot(self, name: str, value: Any) -> None:
        if name in ANSWERED_MARKS and self.answered_by is not None:
            self.answered_by.failed = False
        if name == "territory":
            self.slot_seen = True
            if isinstance(value, str) and value:
                self.slot_territory = self.slot_territory or value
        elif name == "requested_slot":
            self.requested = value if isinstance(value, str) else None
        elif name in PERSONAL_SLOTS and isinstance(value, str):
            self.names.add(value)
        elif name == "callback_consent":
            self.consent = value is True

    def _user(self, at: float, data: dict[str, Any]) -> None:
        intent = ((data.get("parse_data") or {}).get("intent") or {}).get("name")
        territory = (data.get("metadata") or {}).get("territory")
        if isinstance(territory, str) and territory and not self.metadata_territory:
            self.metadata_territory = territory.strip().lower()
        placeholder = FORM_ANSWER_MASKS.get(self.requested or "")
        text = placeholder or str(data.get("text") or "")
        message = Message(at, "user", text, intent, form_answer=placeholder is not None)
        self.conversation.messages.append(message)
        self.pending = message
        self.answered_by = None
        if intent == POSITIVE:
            self.conversation.useful += 1
        elif intent == NEGATIVE:
            self.conversation.not_useful += 1

    def _action(self, name: str) -> None:
        if name == "action_listen":
            return
        self.answered_by = None
        if self.pending is not None:
            self.pending.failed = name in FAILED_ACTIONS and not self.pending.form_answer
            self.answered_by = self.pending if self.pending.failed else None
            self.pending = None
        if name == "action_submit_lead" and self.consent:
            self.conversation.leads += 1

    def _bot(self, at: float, data: dict[str, Any]) -> None:
        custom = (data.get("data") or {}).get("custom")
        if isinstance(custom, dict) and custom.get("type") == "directory_results":
            near = custom.get("near") if isinstance(custom.get("near"), dict) else {}
            total = custom.get("total")
            lookup = Lookup(
                at, custom.get("topic"), custom.get("kind"), custom.get("territory"),
                near.get("insee"), near.get("name"),
                int(total) if isinstance(total, int) else len(custom.get("results") or []),
            )  # fmt: skip
            self.conversation.lookups.append(lookup)
            text = f"[résultats de l'annuaire : {lookup.total}]"
        elif isinstance(custom, dict) and custom.get("type") == "handoff":
            self.conversation.handoffs += 1
            text = "[coordonnées du service d'accueil]"
        else:
            text = str(data.get("text") or "")
        if text:
            self.conversation.messages.append(Message(at, "bot", text))

    def finish(self) -> Conversation:
        conversation = self.conversation
        conversation.territory = self.slot_territory or (
            None if self.slot_seen else self.metadata_territory
        )
        for message in conversation.messages:
            if not message.form_answer:
                message.text = mask(message.text, self.names)
        return conversation
