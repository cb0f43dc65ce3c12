"""Honest limits (item 4 of issue 16): needs outside the four topics get no list, but the
territory's welcome contact; a low-confidence guess is no answer; no stale topic after."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.replies import ActionOutOfScope
from actions.search import ActionSearchDirectory
from tests.actions.conftest import make_tracker

pytestmark = pytest.mark.asyncio

TERRITORY = {"territory": "hautes-terres"}
CONTACT = ("Accueil Hautes Terres", "04 65 71 00 01", "accueil@example.org")


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def customs(messages):
    return [m["custom"] for m in messages if m.get("custom")]


def said(messages):
    return " ".join(m["text"] for m in messages if m.get("text"))


NEEDS = [
    ("je cherche une maison à louer à Murat", "ask_transport", "logement"),
    ("un appartement en location vers Condat ?", "ask_telework", "logement"),
    ("comment avoir un logement social HLM ?", "ask_childcare", "logement"),
    ("un médecin généraliste à Murat ?", "ask_jobs", "santé"),
    ("il y a un dentiste à Allanche ?", "ask_childcare", "santé"),
    ("la pharmacie la plus proche", "ask_transport", "santé"),
    ("maison de santé à Condat", "ask_telework", "santé"),
    ("un kiné pour ma rééducation", "ask_jobs", "santé"),
    ("inscrire mon fils au collège de Murat", "ask_childcare", "école"),
    ("la cantine de l'école de Condat", "ask_childcare", "école"),
    ("la fibre arrive quand chez moi ?", "ask_telework", "internet"),
    ("quel opérateur pour avoir internet à la maison ?", "ask_telework", "internet"),
    ("une boulangerie à Murat ?", "ask_jobs", "commerces"),
    ("il y a un supermarché à Allanche ?", "ask_transport", "commerces"),
    ("un club de foot pour mon fils", "ask_childcare", "associations"),
    ("une association de musique à Murat", "ask_telework", "associations"),
    ("il va neiger demain à Murat ?", "ask_transport", "météo"),
    ("comment payer la taxe foncière ?", "ask_jobs", "impôts"),
    ("où faire ma carte grise ?", "ask_transport", "démarches"),
    ("je dois m'inscrire sur les listes électorales", "ask_jobs", "démarches"),
    ("changement d'adresse à la CAF", "ask_childcare", "démarches"),
    ("horaires de la mairie de Murat", "ask_transport", "démarches"),
]


@pytest.mark.parametrize("text,intent,label", NEEDS)
async def test_a_need_outside_the_topics_gets_the_welcome_contact_and_no_list(
    fake_directory, text, intent, label
):
    tracker = make_tracker(text, intent, slots={**TERRITORY, "topic": "childcare",
                                                "kind": "creche"})
    messages, slots = await run(ActionSearchDirectory(), tracker)
    assert not [c for c in customs(messages) if c["type"] == "directory_results"]
    assert fake_directory.searches == []
    answer = said(messages)
    assert label in answer and "télétravail" in answer and "garde d'enfants" in answer
    assert all(part in answer for part in CONTACT)
    assert customs(messages)[0]["type"] == "handoff"
    assert any(b["payload"] == "/request_callback" for m in messages for b in m.get("buttons", []))
    # no stale topic: "et à Murat ?" next asks what is wanted there
    assert slots["topic"] is None and slots["kind"] is None and slots["last_results"] is None


CONTEXT = [
    ("une crèche près de l'école à Murat", "ask_childcare", "childcare"),
    ("un bus pour aller au lycée de Murat", "ask_transport", "transport"),
    ("le ramassage scolaire à Murat", "ask_transport", "transport"),
    ("un coworking avec une bonne connexion internet", "ask_telework", "telework"),
    ("une offre d'emploi de boulanger", "ask_jobs", "jobs"),
    ("je cherche du travail dans la santé", "ask_jobs", "jobs"),
    ("je suis aide-soignante, du travail vers Murat ?", "ask_jobs", "jobs"),
    ("je suis médecin généraliste et je voudrais m'installer à Murat", "ask_jobs", "jobs"),
    ("une garderie après l'école à Murat", "ask_childcare", "childcare"),
    ("reprendre une boulangerie à Murat", "ask_jobs", "jobs"),
    ("location de vélo à Murat", "ask_transport", "transport"),
]


@pytest.mark.parametrize("text,intent,topic", CONTEXT)
async def test_a_topic_question_with_a_need_word_keeps_its_list(
    fake_directory, text, intent, topic
):
    messages, slots = await run(ActionSearchDirectory(), make_tracker(text, intent,
                                                                      slots=TERRITORY))
    (found,) = [c for c in customs(messages) if c["type"] == "directory_results"]
    assert found["topic"] == topic and slots["topic"] == topic


async def test_after_a_need_a_place_alone_asks_what_is_wanted(fake_directory):
    tracker = make_tracker("un médecin à Murat ?", "ask_childcare",
                           slots={**TERRITORY, "topic": "childcare"})
    _, slots = await run(ActionSearchDirectory(), tracker)
    follow_up = make_tracker("et à Condat ?", "inform",
                             entities=[{"entity": "commune", "value": "Condat"}],
                             slots={**TERRITORY, **slots})
    messages, _ = await run(ActionSearchDirectory(), follow_up)
    assert customs(messages) == [] and fake_directory.searches == []
    assert "Que cherchez-vous à Condat" in said(messages)


@pytest.mark.parametrize("action", [ActionOutOfScope(), ActionFallback()])
async def test_out_of_scope_and_fallback_name_the_need_and_the_contact(fake_directory, action):
    tracker = make_tracker("je cherche un appartement à louer", "out_of_scope",
                           slots={**TERRITORY, "topic": "transport"})
    messages, slots = await run(action, tracker)
    answer = said(messages)
    assert "logement" in answer and all(part in answer for part in CONTACT)
    assert slots["topic"] is None


async def test_out_of_scope_gives_the_welcome_contact(fake_directory):
    tracker = make_tracker("raconte-moi une blague", "out_of_scope",
                           slots={**TERRITORY, "topic": "transport"})
    messages, slots = await run(ActionOutOfScope(), tracker)
    assert messages[0]["response"] == "utter_out_of_scope"
    assert all(part in said(messages) for part in CONTACT)
    assert slots["topic"] is None


async def test_fallback_forgets_the_topic(fake_directory):
    tracker = make_tracker("blabla truc", "nlu_fallback", slots={**TERRITORY, "topic": "jobs"})
    messages, slots = await run(ActionFallback(), tracker)
    assert slots["topic"] is None and messages[0]["buttons"]


def unsure_tracker(text, confidence, **kwargs):
    tracker = make_tracker(text, "ask_childcare", slots=TERRITORY, **kwargs)
    tracker.latest_message["intent"]["confidence"] = confidence
    tracker.latest_message["intent_ranking"] = [
        {"name": "ask_childcare", "confidence": confidence},
        {"name": "ask_transport", "confidence": 0.3},
    ]
    return tracker


async def test_a_low_confidence_guess_asks_instead_of_listing(fake_directory):
    messages, slots = await run(ActionSearchDirectory(),
                                unsure_tracker("c'est possible pour nous ?", 0.42))
    assert customs(messages) == [] and fake_directory.searches == []
    assert "pas sûr" in said(messages)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[:2] == ["/ask_childcare", "/ask_transport"] and "/ask_human" in payloads
    assert slots["topic"] is None


@pytest.mark.parametrize("text,entities", [
    ("une crèche ?", []),  # a kind word: no guess
    ("et à Murat ?", [{"entity": "commune", "value": "Murat"}]),  # a follow-up on a place
])
async def test_a_low_confidence_turn_with_a_topic_word_or_a_place_still_answers(
    fake_directory, text, entities
):
    messages, _ = await run(ActionSearchDirectory(),
                            unsure_tracker(text, 0.42, entities=entities))
    assert [c for c in customs(messages) if c["type"] == "directory_results"]
