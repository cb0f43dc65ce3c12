"""Session start, handoff and territory information."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.contact import ActionHandoff, ActionTerritoryInfo
from actions.session import ActionSessionStart
from tests.actions.conftest import make_tracker

pytestmark = pytest.mark.asyncio


async def test_session_start_keeps_known_territory_and_shows_notice(fake_directory):
    tracker = make_tracker(slots={"session_started_metadata": {"territory": "Hautes-Terres"}})
    dispatcher = CollectingDispatcher()
    events = await ActionSessionStart().run(dispatcher, tracker, {})
    assert events[0]["event"] == "session_started"
    assert {"event": "slot", "name": "territory", "value": "hautes-terres"}.items() <= next(
        e for e in events if e.get("name") == "territory"
    ).items()
    assert events[-1]["event"] == "action" and events[-1]["name"] == "action_listen"
    assert "Hautes Terres Communauté" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("slug", ["nowhere", "../../etc", 42])
async def test_session_start_forgets_unknown_territory(fake_directory, slug):
    tracker = make_tracker(slots={"session_started_metadata": {"territory": slug}})
    events = await ActionSessionStart().run(CollectingDispatcher(), tracker, {})
    assert [e["value"] for e in events if e.get("name") == "territory"] in ([], [None])


async def test_session_start_carries_slots_over(fake_directory):
    tracker = make_tracker(slots={"territory": "hautes-terres", "commune_name": "Murat"})
    events = await ActionSessionStart().run(CollectingDispatcher(), tracker, {})
    assert {(e.get("name"), e.get("value")) for e in events if e["event"] == "slot"} == {
        ("territory", "hautes-terres"), ("commune_name", "Murat")
    }


async def test_handoff_gives_the_territory_contact(fake_directory):
    dispatcher = CollectingDispatcher()
    await ActionHandoff().run(dispatcher, make_tracker(slots={"territory": "hautes-terres"}), {})
    custom = next(m["custom"] for m in dispatcher.messages if m.get("custom"))
    assert custom == {
        "type": "handoff",
        "territory": "hautes-terres",
        "contact": {"name": "Accueil Hautes Terres", "email": "accueil@example.org",
                    "phone": "04 65 71 00 01"},
    }
    assert "04 65 71 00 01" in dispatcher.messages[0]["text"]
    offer = dispatcher.messages[2]["buttons"]
    assert offer[0]["payload"] == "/request_callback"


async def test_handoff_without_directory_still_answers(fake_directory):
    fake_directory.down = True
    dispatcher = CollectingDispatcher()
    await ActionHandoff().run(dispatcher, make_tracker(slots={"territory": "hautes-terres"}), {})
    assert dispatcher.messages[0]["text"]
    assert dispatcher.messages[1]["custom"]["type"] == "handoff"


async def test_territory_info_names_territory_and_contact(fake_directory):
    dispatcher = CollectingDispatcher()
    await ActionTerritoryInfo().run(
        dispatcher, make_tracker(slots={"territory": "hautes-terres"}), {}
    )
    text = dispatcher.messages[0]["text"]
    assert "Hautes Terres Communauté (5 communes)" in text and "accueil@example.org" in text
