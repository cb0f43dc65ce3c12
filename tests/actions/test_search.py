"""action_search_directory: answer first, keep context on follow-ups, never go silent."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.directory_client import DirectoryUnavailable
from actions.search import ActionSearchDirectory
from tests.actions.conftest import HAUTES_TERRES, make_tracker

pytestmark = pytest.mark.asyncio

TERRITORY = {"territory": "hautes-terres"}


async def run(tracker):
    dispatcher = CollectingDispatcher()
    events = await ActionSearchDirectory().run(dispatcher, tracker, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def payload(messages):
    (found,) = [m["custom"] for m in messages if m.get("custom")]
    return found


async def test_topic_question_with_commune_answers_with_contract_payload(fake_directory):
    tracker = make_tracker(
        "je cherche une crèche à Murat",
        "ask_childcare",
        entities=[{"entity": "commune", "value": "Murat"}, {"entity": "kind", "value": "creche"}],
        slots=TERRITORY,
    )
    messages, slots = await run(tracker)
    custom = payload(messages)
    assert custom["type"] == "directory_results"
    assert custom["topic"] == "childcare" and custom["kind"] == "creche"
    assert custom["territory"] == "hautes-terres"
    assert custom["near"] == {"insee": "15138", "name": "Murat"}
    assert custom["results"][0]["name"] == "Crèche Les Marmottes"
    assert custom["results"][0]["verified_on"] == "2026-10-12"
    assert custom["more_url"].endswith("/t/hautes-terres/services?topic=childcare")
    assert fake_directory.searches == [{
        "topic": "childcare", "territory": "hautes-terres", "kind": None, "near": "15138",
        "prefer_kind": "creche",
    }]
    text = next(m["text"] for m in messages if m.get("text"))
    assert "Crèche Les Marmottes" in text and "vérifié le 12/10/2026" in text
    assert slots == {"topic": "childcare", "kind": "creche",
                     "commune_insee": "15138", "commune_name": "Murat",
                     # the results become the subject of the next turns (follow-ups)
                     "last_results": ["1", "2"], "last_search": slots["last_search"],
                     "chosen_result": None}


async def test_commune_found_in_text_when_no_entity_was_extracted(fake_directory):
    tracker = make_tracker("une creche vers neussargues en pinatelle ?", "ask_childcare",
                           slots=TERRITORY)
    messages, _ = await run(tracker)
    assert payload(messages)["near"]["insee"] == "15141"


async def test_place_follow_up_keeps_topic_and_kind(fake_directory):
    tracker = make_tracker(
        "et à condat ?", "inform_commune", entities=[{"entity": "commune", "value": "condat"}],
        slots={**TERRITORY, "topic": "childcare", "kind": "creche",
               "commune_insee": "15138", "commune_name": "Murat"},
    )
    messages, slots = await run(tracker)
    assert payload(messages)["near"] == {"insee": "15054", "name": "Condat"}
    assert fake_directory.searches[0]["prefer_kind"] == "creche"
    assert slots["topic"] == "childcare"


async def test_topic_follow_up_keeps_the_place_and_drops_the_old_kind(fake_directory):
    tracker = make_tracker(
        "et pour se déplacer ?", "ask_transport",
        slots={**TERRITORY, "topic": "childcare", "kind": "creche",
               "commune_insee": "15138", "commune_name": "Murat"},
    )
    messages, slots = await run(tracker)
    assert payload(messages)["topic"] == "transport"
    assert fake_directory.searches[-1] == {
        "topic": "transport", "territory": "hautes-terres", "kind": None, "near": "15138"
    }
    assert slots["kind"] is None


async def test_unknown_commune_is_said_and_search_goes_territory_wide(fake_directory):
    tracker = make_tracker("creche a paris", "ask_childcare",
                           entities=[{"entity": "commune", "value": "paris"}], slots=TERRITORY)
    messages, _ = await run(tracker)
    said = "Paris n'est pas une commune du territoire Hautes Terres Communauté"
    assert any(said in (m.get("text") or "") for m in messages)  # capitalised as a name
    assert payload(messages)["near"] is None


async def test_empty_result_says_so_and_what_to_try(fake_directory):
    tracker = make_tracker("un fablab", "ask_telework", slots=TERRITORY)
    messages, _ = await run(tracker)
    assert payload(messages)["results"] == []
    assert "aucune adresse" in messages[0]["text"]


async def test_place_without_topic_asks_for_the_topic_and_keeps_the_place(fake_directory):
    tracker = make_tracker("murat", "inform_commune",
                           entities=[{"entity": "commune", "value": "murat"}], slots=TERRITORY)
    messages, slots = await run(tracker)
    assert messages[0]["text"] == "Que cherchez-vous à Murat ?"
    assert len(messages[0]["buttons"]) == 4
    assert slots == {"commune_insee": "15138", "commune_name": "Murat"}


async def test_territory_from_metadata_when_slot_is_empty(fake_directory):
    tracker = make_tracker("bus murat", "ask_transport", metadata=TERRITORY)
    messages, _ = await run(tracker)
    assert payload(messages)["territory"] == "hautes-terres"


async def test_without_territory_searches_everywhere(fake_directory):
    tracker = make_tracker("une creche", "ask_childcare")
    messages, _ = await run(tracker)
    custom = payload(messages)
    assert custom["territory"] is None and custom["more_url"] is None
    assert fake_directory.searches[-1]["territory"] is None


async def test_directory_down_gets_an_apology_not_silence(fake_directory):
    fake_directory.down = True
    tracker = make_tracker("une creche", "ask_childcare", slots=TERRITORY)
    messages, slots = await run(tracker)
    assert "ne répond pas" in messages[0]["text"]
    assert "Réseau accueil du GIP Massif central" in messages[0]["text"]  # a contact, still
    assert slots == {}


async def test_search_down_apology_gives_the_territory_contact_kept_at_hand(fake_directory):
    async def search_down(*args, **kwargs):
        raise DirectoryUnavailable("search is down")

    fake_directory.search = search_down  # the territory itself is kept by the real client
    messages, _ = await run(make_tracker("une creche", "ask_childcare", slots=TERRITORY))
    assert len(messages) == 1
    assert "ne répond pas" in messages[0]["text"]
    assert HAUTES_TERRES.contact.phone in messages[0]["text"]


async def test_refinement_buttons_offer_other_kinds_and_a_person(fake_directory):
    tracker = make_tracker("creche murat", "ask_childcare",
                           entities=[{"entity": "kind", "value": "creche"}], slots=TERRITORY)
    messages, _ = await run(tracker)
    buttons = messages[0]["buttons"]
    assert buttons[-1] == {"title": "Parler à l'accueil", "payload": "/ask_human"}
    assert all('"creche"' not in b["payload"] for b in buttons)
    assert buttons[0]["payload"].startswith("/ask_childcare{")


async def test_unknown_territory_searches_everywhere(fake_directory):
    tracker = make_tracker("une creche", "ask_childcare", metadata={"territory": "nowhere"})
    messages, _ = await run(tracker)
    assert payload(messages)["territory"] is None
    assert fake_directory.searches[-1]["territory"] is None


async def test_trip_uses_the_place_of_the_territory(fake_directory):
    tracker = make_tracker(
        "un train pour paris depuis condat", "ask_transport",
        entities=[{"entity": "commune", "value": "paris"},
                  {"entity": "commune", "value": "condat"}],
        slots=TERRITORY,
    )
    messages, _ = await run(tracker)
    assert payload(messages)["near"]["name"] == "Condat"
    assert not any("« paris »" in (m.get("text") or "") for m in messages)


async def test_job_keyword_narrows_the_search(fake_directory):
    tracker = make_tracker("un poste d'infirmière", "ask_jobs", slots=TERRITORY,
                           entities=[{"entity": "job_keyword", "value": "infirmière"}])
    messages, _ = await run(tracker)
    assert [r["name"] for r in payload(messages)["results"]] == ["Infirmière en CDI, EHPAD"]
    assert fake_directory.searches[-1]["q"] == "infirmière"


async def test_unknown_trade_falls_back_to_every_offer(fake_directory):
    tracker = make_tracker("un poste de cosmonaute", "ask_jobs", slots=TERRITORY,
                           entities=[{"entity": "job_keyword", "value": "cosmonaute"}])
    messages, _ = await run(tracker)
    assert len(payload(messages)["results"]) == 2
    assert "q" not in fake_directory.searches[-1]


async def test_few_of_the_kind_are_completed_by_the_topic_nearest(fake_directory):
    tracker = make_tracker("une creche a murat", "ask_childcare", slots=TERRITORY,
                           entities=[{"entity": "kind", "value": "creche"}])
    messages, slots = await run(tracker)
    names = [r["name"] for r in payload(messages)["results"]]
    assert names == ["Crèche Les Marmottes", "Micro-crèche Les Gentianes"]  # nearest first
    assert len(fake_directory.searches) == 1  # the directory completed the page itself
    assert slots["kind"] == "creche"


async def test_the_asked_kind_comes_first_even_when_farther(fake_directory):
    tracker = make_tracker("une micro-creche a murat", "ask_childcare", slots=TERRITORY,
                           entities=[{"entity": "kind", "value": "micro_creche"}])
    messages, slots = await run(tracker)
    names = [r["name"] for r in payload(messages)["results"]]
    assert names == ["Micro-crèche Les Gentianes", "Crèche Les Marmottes"]  # 18.2 km, 0.3 km
    assert "Autres services de garde :" in messages[0]["text"]
    assert slots["kind"] == "micro_creche"
