"""Rasa-shaped conversations for the analytics tests, written to a real `events` table."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Rasa 3.6's SQLTrackerStore table (sqlalchemy's DDL on SQLite; the same columns on PostgreSQL).
EVENTS_DDL = """
CREATE TABLE events (
    id {id} NOT NULL PRIMARY KEY,
    sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT,
    intent_name VARCHAR(255),
    action_name VARCHAR(255),
    data TEXT
)"""
META = {"model_id": "test", "assistant_id": "accueil-massif-central"}


class Conversation:
    """One sender's events, in Rasa's order, one second apart from `at`."""

    def __init__(self, sender: str, territory: str | None, at: float) -> None:
        self.sender, self.territory, self.at = sender, territory, at
        self.rows: list[tuple[str, str, float, str | None, str | None, dict[str, Any]]] = []
        self.slot("session_started_metadata", {"territory": territory} if territory else None)
        self.action("action_session_start")
        self.bot("Je suis l'assistant automatique d'accueil. N'y mettez pas d'informations "
                 "sensibles.")  # fmt: skip
        self._add("session_started", {})
        self.slot("territory", territory)
        self.action("action_listen")

    def _add(self, kind: str, data: dict[str, Any], intent: str | None = None,
             action: str | None = None) -> Conversation:  # fmt: skip
        self.at += 1
        event = {"event": kind, "timestamp": self.at, "metadata": dict(META), **data}
        self.rows.append((self.sender, kind, self.at, intent, action, event))
        return self

    def slot(self, name: str, value: Any) -> Conversation:
        return self._add("slot", {"name": name, "value": value}, action=name)

    def action(self, name: str) -> Conversation:
        return self._add("action", {"name": name, "policy": "RulePolicy", "confidence": 1.0},
                         action=name)  # fmt: skip

    def bot(self, text: str | None, custom: dict[str, Any] | None = None) -> Conversation:
        data = {"elements": None, "quick_replies": None, "buttons": None, "attachment": None,
                "image": None, "custom": custom}  # fmt: skip
        return self._add("bot", {"text": text, "data": data})

    def user(self, text: str, intent: str, *actions: str) -> Conversation:
        """A message, the actions that answer it, then action_listen."""
        metadata = {"territory": self.territory, **META} if self.territory else dict(META)
        parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text}
        self.at += 1
        event = {"event": "user", "timestamp": self.at, "metadata": metadata, "text": text,
                 "parse_data": parse, "input_channel": "rest"}  # fmt: skip
        self.rows.append((self.sender, "user", self.at, intent, None, event))
        self._add("user_featurization", {"use_text_for_featurization": False})
        for name in actions:
            self.action(name)
        return self.action("action_listen")

    def lookup(self, topic: str, kind: str | None, total: int,
               near: tuple[str, str] | None = None) -> Conversation:  # fmt: skip
        """The `directory_results` payload an answer from the directory carries."""
        results = [{"id": f"id-{n}", "name": f"Lieu {n}", "phone": "04 65 71 01 68",
                    "email": "lieu@example.org"} for n in range(min(total, 3))]  # fmt: skip
        self.bot(f"{total} adresses" if total else "Je n'ai trouvé aucune adresse.")
        return self.bot(None, {
            "type": "directory_results", "topic": topic, "kind": kind,
            "territory": self.territory,
            "near": {"insee": near[0], "name": near[1]} if near else None,
            "results": results, "total": total, "more_url": None,
        })  # fmt: skip

    def handoff(self) -> Conversation:
        self.bot("Le service d'accueil peut vous répondre. 04 65 71 00 00 — accueil@example.org")
        contact = {"name": "Accueil", "email": "accueil@example.org", "phone": "04 65 71 00 00"}
        return self.bot(None, {"type": "handoff", "territory": self.territory, "contact": contact})


def callback_form(c: Conversation, name: str, contact: str, question: str,
                  consent: bool = True) -> Conversation:  # fmt: skip
    """The call-back form as Rasa records it (see actions/callback.py, domain.yml)."""
    c.user("/request_callback", "request_callback", "callback_form")
    c._add("active_loop", {"name": "callback_form"})
    c.slot("requested_slot", "callback_name").bot("Quel est votre nom ?").action("action_listen")
    for slot, text, nxt in (("callback_name", name, "callback_contact"),
                            ("callback_contact", contact, "callback_question"),
                            ("callback_question", question, "callback_consent")):  # fmt: skip
        c.user(text, "out_of_scope")
        c.rows.pop()  # the form answers before listening again
        c.slot(slot, text).action("callback_form").slot(slot, text)
        c.slot("requested_slot", nxt).bot("Question suivante ?").action("action_listen")
    c.user("/affirm" if consent else "/deny", "affirm" if consent else "deny")
    c.rows.pop()
    c.slot("callback_consent", consent).action("callback_form").slot("requested_slot", None)
    c._add("active_loop", {"name": None})
    c.action("action_submit_lead").bot("C'est transmis." if consent else "Rien n'a été envoyé.")
    for slot in ("callback_name", "callback_contact", "callback_question", "callback_consent"):
        c.slot(slot, None)
    return c.action("action_listen")


def rows_of(conversations: list[Conversation]) -> list[tuple[Any, ...]]:
    """Every event as a row of `events`, ids in order of time (as Rasa appends them)."""
    rows = [row for c in conversations for row in c.rows]
    rows.sort(key=lambda row: row[2])
    return [(i, s, k, t, intent, action, json.dumps(data))
            for i, (s, k, t, intent, action, data) in enumerate(rows, 1)]  # fmt: skip


def write_sqlite(path: Path, conversations: list[Conversation]) -> Path:
    """A SQLite conversation store holding the conversations."""
    with sqlite3.connect(path) as db:
        db.execute(EVENTS_DDL.format(id="INTEGER"))
        db.execute("CREATE INDEX ix_events_sender_id ON events (sender_id)")
        db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", rows_of(conversations))
    db.close()
    return path
