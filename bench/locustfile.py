"""
Locust: newcomers chatting through Rasa's REST webhook, one conversation after another.

Each simulated user is one newcomer at a time with a random sender id; a conversation is a
greeting (the session-start turn), then directory-backed questions, each followed by a thanks
(the plain turn: a fixed response, no custom action). Users send the next message as soon as
the answer arrives (no think time), so throughput is the stack's capacity; `BENCH_THINK_S`
adds a pause before each message, as a newcomer reading and typing would: drawn between half
and one and a half times that, since with one fixed pause the users, started together, stay in
step and every message arrives in a burst with all the others.

`BENCH_RASA_URLS` lists the Rasa instances (comma-separated); a conversation sticks to one
of them, chosen from its sender id as nginx's `hash` would.
"""

from __future__ import annotations

import os
import random
import uuid
import zlib

from locust import FastHttpUser, between, task

URLS = [url.rstrip("/") for url in os.environ.get("BENCH_RASA_URLS", "").split(",") if url]
TURNS_PER_CONVERSATION = 9

# (territory, directory-backed questions that name a topic and a commune).
QUESTIONS = [
    ("hautes-terres", [
        "je cherche une crèche à Murat",
        "y a t il un espace de coworking a murat ?",
        "je cherche du travail vers Murat",
        "comment se déplacer sans voiture autour de Murat ?",
        "une assistante maternelle à Condat ?",
    ]),
    ("creuse-grand-sud", ["une assistante maternelle à Aubusson ?", "un coworking à Aubusson"]),
    ("coeur-de-lozere", ["un coworking à Mende", "je recherche une place en crèche à Mende"]),
]
PLAIN = ["merci", "merci beaucoup"]


class Newcomer(FastHttpUser):
    think_s = float(os.environ.get("BENCH_THINK_S", 0))
    wait_time = between(0.5 * think_s, 1.5 * think_s)

    def on_start(self) -> None:
        self.turns = TURNS_PER_CONVERSATION

    @task
    def next_turn(self) -> None:
        if self.turns >= TURNS_PER_CONVERSATION:
            self.sender = uuid.uuid4().hex
            self.territory, self.questions = random.choice(QUESTIONS)
            self.base = URLS[zlib.crc32(self.sender.encode()) % len(URLS)] if URLS else ""
            self.turns = 0
            self._say("bonjour", "first turn (session start)")
        elif self.turns % 2:
            self._say(random.choice(self.questions), "directory-backed turn")
        else:
            self._say(random.choice(PLAIN), "plain turn")
        self.turns += 1

    def _say(self, text: str, name: str) -> None:
        body = {"sender": self.sender, "message": text, "metadata": {"territory": self.territory}}
        url = f"{self.base}/webhooks/rest/webhook"
        with self.client.post(url, json=body, name=name, catch_response=True) as response:
            messages = response.json() if response.status_code == 200 else None
            if not messages:
                response.failure(f"no answer ({response.status_code})")
                return
            customs = [m.get("custom") for m in messages if isinstance(m.get("custom"), dict)]
            found = any(custom.get("type") == "directory_results" for custom in customs)
            if found != (name == "directory-backed turn"):
                response.failure(f"unexpected answer to {text!r}: {messages}")
