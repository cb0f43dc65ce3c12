"""The contract, from outside: chat through the REST webhook with the three processes running."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import agent_leads, get_json

# One question per topic, as a newcomer to Hautes Terres might type it.
TOPIC_QUESTIONS = [
    ("je cherche une crèche à Murat", "childcare"),
    ("y a t il un espace de coworking a murat ?", "telework"),
    ("je cherche du travail vers Murat", "jobs"),
    ("comment se déplacer sans voiture autour de Murat ?", "transport"),
]


def custom_of(messages, kind):
    found = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)
             and m["custom"].get("type") == kind]
    assert len(found) == 1, messages
    return found[0]


def assert_kind_first_then_nearest(results):
    """The kind asked first, however far (issue 16), then the others; each nearest first."""
    kinds = [r["kind"] == results["kind"] for r in results["results"]]
    assert kinds == sorted(kinds, reverse=True), results
    for group in (True, False):
        pairs = zip(results["results"], kinds, strict=True)
        distances = [r["distance_km"] for r, of_kind in pairs if of_kind is group]
        assert distances == sorted(distances), results


@pytest.mark.parametrize("question, topic", TOPIC_QUESTIONS)
def test_topic_question_gets_directory_results_nearest_first(chat, question, topic):
    messages = chat().say(question)
    results = custom_of(messages, "directory_results")
    assert results["topic"] == topic
    assert results["territory"] == "hautes-terres"
    assert results["near"] == {"insee": "15138", "name": "Murat"}
    assert results["results"], messages
    assert_kind_first_then_nearest(results)
    assert results["more_url"].endswith(f"/t/hautes-terres/services?topic={topic}")
    # The same answer as plain text, for channels that cannot show cards.
    assert any(results["results"][0]["name"] in (m.get("text") or "") for m in messages)


def test_results_match_the_directory_api(chat, stack):
    results = custom_of(chat().say("une creche a murat"), "directory_results")
    query = "/api/v1/services?topic=childcare&territory=hautes-terres&near=15138&per_page=6"
    creches = [i["id"] for i in get_json(f"{stack.directory_url}{query}&kind=creche")["items"]]
    nearest = [i["id"] for i in get_json(f"{stack.directory_url}{query}")["items"]]
    # Too few crèches: the nearest other childcare entries complete them, crèches first.
    expected = creches[:3] + [i for i in nearest if i not in creches][: 3 - len(creches[:3])]
    assert [r["id"] for r in results["results"]] == expected
    assert_kind_first_then_nearest(results)
    assert results["kind"] == "creche"


def test_first_turn_carries_the_information_notice(chat):
    first = chat().say("bonjour")
    assert any("assistant automatique" in (m.get("text") or "") for m in first)


def test_follow_ups_keep_context(chat):
    conversation = chat()
    conversation.say("je cherche une crèche à Murat")
    place = custom_of(conversation.say("et à Condat ?"), "directory_results")
    assert place["topic"] == "childcare" and place["near"]["name"] == "Condat"
    topic = custom_of(conversation.say("et pour les bus ?"), "directory_results")
    assert topic["topic"] == "transport" and topic["near"]["name"] == "Condat"


def test_asking_for_a_person_gets_the_handoff_payload(chat, stack):
    handoff = custom_of(chat().say("je voudrais parler à quelqu'un de l'accueil"), "handoff")
    territory = get_json(f"{stack.directory_url}/api/v1/territories/hautes-terres")
    assert handoff["territory"] == "hautes-terres"
    assert handoff["contact"] == territory["welcome_contact"]


@pytest.mark.parametrize("territory", [None, "nowhere-land"])
def test_unknown_or_missing_territory_still_gets_an_answer(chat, territory):
    messages = chat(territory).say("je cherche une creche")
    results = custom_of(messages, "directory_results")
    assert results["territory"] is None and results["results"]


def test_other_demo_territories_answer_from_their_own_entries(chat):
    for territory, question, commune in [
        ("creuse-grand-sud", "une assistante maternelle à Aubusson ?", "Aubusson"),
        ("coeur-de-lozere", "un coworking à Mende", "Mende"),
    ]:
        results = custom_of(chat(territory).say(question), "directory_results")
        assert results["territory"] == territory and results["near"]["name"] == commune
        assert results["results"]


def test_every_turn_says_something(chat):
    conversation = chat()
    for text in ["salut", "quel temps fait il demain ?", "xqzt brrr", "merci", "au revoir"]:
        assert any(m.get("text") for m in conversation.say(text)), text


def test_call_back_request_lands_as_a_lead_only_after_consent(chat, stack):
    conversation = chat()
    handoff = conversation.say("je voudrais parler à quelqu'un de l'accueil")
    custom_of(handoff, "handoff")
    assert "/request_callback" in [b["payload"] for m in handoff for b in m.get("buttons", [])]
    conversation.say("/request_callback")
    re_ask = conversation.say("Marie Dupont")[0]["text"]
    assert "e-mail" in re_ask or "téléphone" in re_ask
    assert "adresse e-mail" in conversation.say("demain matin")[0]["text"]  # a helpful re-ask
    conversation.say("marie.dupont@exemple.fr")
    consent = conversation.say("Une place en crèche pour septembre")
    assert [b["payload"] for b in consent[0]["buttons"]] == ["/affirm", "/deny"]
    assert agent_leads(stack) == []  # nothing stored before consent
    assert "transmis" in conversation.say("/affirm")[0]["text"]
    (lead,) = agent_leads(stack)
    assert (lead["name"], lead["email"], lead["question"]) == (
        "Marie Dupont", "marie.dupont@exemple.fr", "Une place en crèche pour septembre"
    )


def test_refused_consent_stores_nothing(chat, stack):
    before = len(agent_leads(stack))
    conversation = chat()
    for text in ["/request_callback", "Jean Martin", "06 12 34 56 78", "un logement ?"]:
        conversation.say(text)
    assert "rien enregistré" in conversation.say("/deny")[0]["text"]
    assert len(agent_leads(stack)) == before
