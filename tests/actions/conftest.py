"""A tracker factory and an in-memory directory, so actions are tested input → events."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import pytest
from rasa_sdk import Tracker

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from actions.directory_client import (  # noqa: E402
    Commune,
    Contact,
    DirectoryUnavailable,
    SearchPage,
    Service,
    Territory,
    use_directory,
)

HAUTES_TERRES = Territory(
    slug="hautes-terres",
    name="Hautes Terres Communauté",
    contact=Contact(
        name="Accueil Hautes Terres", email="accueil@example.org", phone="04 65 71 00 01"
    ),
)
COMMUNES = [
    Commune("15138", "Murat", "15300"),
    Commune("15054", "Condat", "15190"),
    Commune("15003", "Allanche", "15160"),
    Commune("15141", "Neussargues en Pinatelle", "15170"),
    Commune("15101", "La Chapelle-d'Alagnon", "15300"),
]


class FakeDirectory:
    """The directory client's methods over fixed data; records every search."""

    def __init__(self, services: Optional[list[Service]] = None, down: bool = False):
        self.services = services if services is not None else []
        self.down = down
        self.searches: list[dict[str, Any]] = []
        self.leads: list[dict[str, Any]] = []

    def _check(self) -> None:
        if self.down:
            raise DirectoryUnavailable("down for the test")

    async def territory(self, slug: str) -> Optional[Territory]:
        self._check()
        return HAUTES_TERRES if slug == HAUTES_TERRES.slug else None

    async def territories(self) -> list[Territory]:
        self._check()
        return [HAUTES_TERRES]

    async def communes(self, slug: str) -> list[Commune]:
        self._check()
        return COMMUNES if slug == HAUTES_TERRES.slug else []

    async def search(self, topic, territory=None, kind=None, near=None, per_page=3, q=None,
                     prefer_kind=None, page=1):
        self._check()
        self.searches.append(
            {"topic": topic, "territory": territory, "kind": kind, "near": near}
            | ({"q": q} if q else {}) | ({"prefer_kind": prefer_kind} if prefer_kind else {})
            | ({"page": page} if page != 1 else {})
        )
        found = [s for s in self.services if s.topic == topic and (not kind or s.kind == kind)
                 and (not q or q.lower() in s.name.lower())]
        if prefer_kind:
            found.sort(key=lambda s: s.kind != prefer_kind)  # stable: that kind first
        start = (page - 1) * per_page
        return SearchPage(items=found[start:start + per_page], total=len(found), page=page)

    async def service(self, service_id: str) -> Optional[Service]:
        self._check()
        return next((s for s in self.services if s.id == service_id), None)

    async def add_lead(self, territory, name, question, email=None, phone=None) -> str:
        self._check()
        self.leads.append({"territory": territory, "name": name, "question": question,
                           "email": email, "phone": phone})
        return str(len(self.leads))

    def services_page_url(self, territory: str, topic: str) -> str:
        return f"http://directory.test/t/{territory}/services?topic={topic}"


@pytest.fixture
def fake_directory():
    fake = FakeDirectory(
        services=[
            Service("1", "Crèche Les Marmottes", "childcare", "creche", "Murat", 0.3,
                    "04 65 71 10 01", None, None, "2026-10-12"),
            Service("2", "Micro-crèche Les Gentianes", "childcare", "micro_creche", "Allanche",
                    18.2, None, "gentianes@example.org", None, "2026-09-01"),
            Service("3", "Ligne de car 12", "transport", "bus", "Murat", 0.1),
            Service("4", "Boulangerie à reprendre", "jobs", "business_takeover", "Murat", 0.2),
            Service("5", "Infirmière en CDI, EHPAD", "jobs", "job_offer", "Allanche", 18.0),
        ]
    )
    use_directory(fake)
    yield fake
    use_directory(None)


def make_tracker(
    text: str = "",
    intent: Optional[str] = None,
    entities: Optional[list[dict[str, Any]]] = None,
    slots: Optional[dict[str, Any]] = None,
    metadata: Optional[dict[str, Any]] = None,
    events: Optional[list[dict[str, Any]]] = None,
    intent_ranking: Optional[list[dict[str, Any]]] = None,
) -> Tracker:
    """A tracker whose latest message is `text`, classified as `intent`."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": entities or [],
        "metadata": metadata or {},
        "intent_ranking": intent_ranking or [],
    }
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
