"""Issue 17, item 2: a call-back form one can always leave, details up front, a recap.

The form's validation action reads every turn of the form, whatever the model's intent.
"""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.callback import (
    ActionSubmitLead,
    AskConsent,
    AskContact,
    AskName,
    ValidateCallbackForm,
)
from actions.contact import ActionHandoff
from actions.fallback import ActionFallback
from actions.search import ActionSearchDirectory
from tests.actions.conftest import make_tracker

pytestmark = pytest.mark.asyncio

FORM_SLOTS = {"callback_name", "callback_contact", "callback_question", "callback_consent"}
EXITS = ["annuler", "stop", "non", "je refuse", "laissez tomber", "non merci",
         "j'ai changé d'avis", "cancel", "forget it", "euh non, stop, j'ai changé d'avis",
         "non finalement je ne veux pas"]
STEPS = ["callback_name", "callback_contact", "callback_question", "callback_consent"]
DOMAIN = {"forms": {"callback_form": {"required_slots": STEPS}}}


async def validate(text, asked, intent=None, slots=None, events=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text, intent=intent, events=events,
        slots={"territory": "hautes-terres", "requested_slot": asked, **(slots or {})},
    )
    events = await ValidateCallbackForm().run(dispatcher, tracker, DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, events, dispatcher


@pytest.mark.parametrize("asked", STEPS)
@pytest.mark.parametrize("typed", EXITS)
async def test_every_exit_at_every_step_clears_and_closes_the_form(typed, asked):
    slots, _, _ = await validate(typed, asked, intent="nlu_fallback",
                                 slots={"callback_name": "Marie Dupont"})
    assert slots == {**dict.fromkeys(FORM_SLOTS), "requested_slot": None}


@pytest.mark.parametrize("asked", ["callback_name", "callback_question", "callback_consent"])
async def test_no_phone_leaves_except_where_an_email_will_do(asked):
    slots, _, _ = await validate("pas de téléphone", asked)
    assert slots["requested_slot"] is None


@pytest.mark.parametrize("question", [
    "je veux plus d'informations sur l'emploi", "un arrêt de bus près de l'école",
    "comment annuler mon abonnement de car pour le collège",
    "je ne sais pas si c'est possible ou non",
])
async def test_a_question_that_says_such_words_is_the_question(question):
    extracted = [{"event": "user", "text": question},
                 {"event": "slot", "name": "callback_question", "value": question}]
    slots, _, _ = await validate(question, "callback_question",
                                 slots={"callback_question": question}, events=extracted)
    assert slots == {"callback_question": question}


async def test_no_phone_at_the_contact_step_offers_an_email():
    slots, _, _ = await validate("pas de téléphone", "callback_contact")
    assert slots == {"callback_contact": None}
    dispatcher = CollectingDispatcher()
    await AskContact().run(dispatcher, make_tracker("pas de téléphone"), {})
    text = dispatcher.messages[0]["text"]
    assert "e-mail" in text and "annuler" in text


@pytest.mark.parametrize("typed", ["je refuse", "Je refuse"])
async def test_je_refuse_is_never_kept_as_a_name(typed):
    slots, _, _ = await validate(typed, "callback_name", intent="deny")
    assert slots.get("callback_name") is None
    assert (await ValidateCallbackForm().validate_callback_name(
        typed, CollectingDispatcher(), make_tracker(), {}
    )) == {"callback_name": None}


@pytest.mark.parametrize("name, intent", [("Nonna", "inform_commune"),
                                          ("Claire Martin", "ask_childcare"),
                                          ("Nonna Rossi", "inform_commune")])
async def test_a_name_is_a_name_whatever_the_intent(name, intent):
    slots, _, _ = await validate(name, "callback_name", intent=intent)
    assert slots == {"callback_name": name}


async def test_a_stated_name_keeps_only_the_name():
    slots, _, _ = await validate("je m'appelle Claire Martin", "callback_name")
    assert slots == {"callback_name": "Claire Martin"}


async def test_a_phone_read_as_childcare_is_the_contact():
    slots, _, _ = await validate("06 12 34 56 78", "callback_contact", intent="ask_childcare")
    assert slots == {"callback_contact": "0612345678"}


@pytest.mark.parametrize("asked", ["callback_name", "callback_contact", "callback_consent"])
async def test_a_topic_question_sets_the_form_aside(asked):
    _, events, dispatcher = await validate("au fait, il y a une crèche à Murat ?", asked,
                                           intent="ask_childcare")
    assert events[0]["event"] == "slot" and events[0]["name"] == asked
    assert events[0]["value"] is None  # the question is not kept as the answer
    assert events[1:] == [{"event": "action_execution_rejected", "name": "callback_form",
                           "policy": None, "confidence": None, "timestamp": None}]
    assert dispatcher.messages == []


async def test_a_topic_at_the_question_step_is_the_question():
    typed = "une crèche à Murat pour septembre"
    extracted = [{"event": "user", "text": typed},  # what the slot mapping took (from_text)
                 {"event": "slot", "name": "callback_question", "value": typed}]
    slots, _, _ = await validate(typed, "callback_question", intent="ask_childcare",
                                 slots={"callback_question": typed}, events=extracted)
    assert slots == {"callback_question": typed}


@pytest.mark.parametrize("intent", ["request_callback", "ask_human"])
async def test_a_call_back_wish_at_the_question_step_is_the_question(intent):
    typed = "Rappelez-moi, ou écrivez à marie.dupont@exemple.fr"
    slots, events, _ = await validate(typed, "callback_question", intent=intent)
    assert slots == {"callback_question": typed}
    assert not [e for e in events if e["event"] == "action_execution_rejected"]


SET_ASIDE = [
    {"event": "user", "text": "au fait, une crèche à Murat ?"},
    {"event": "action_execution_rejected", "name": "callback_form"},
    {"event": "action", "name": "action_search_directory"},
    {"event": "action", "name": "callback_form"},
]


async def test_after_a_topic_answer_the_form_asks_whether_to_go_on():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("au fait, une crèche à Murat ?", intent="ask_childcare",
                           slots={"requested_slot": "callback_contact"}, events=SET_ASIDE)
    await AskContact().run(dispatcher, tracker, {})
    assert "reprend" in dispatcher.messages[0]["text"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]


async def test_coming_back_after_the_topic_answer_reads_nothing_again():
    # Rasa runs the validation again when the form comes back: no second rejection.
    _, events, dispatcher = await validate("au fait, une crèche à Murat ?", "callback_contact",
                                           intent="ask_childcare", events=SET_ASIDE)
    assert events == [] and dispatcher.messages == []


async def test_yes_to_going_on_asks_the_step_again_and_no_leaves():
    events = [*SET_ASIDE, {"event": "user", "text": "oui on continue"}]
    slots, _, _ = await validate("oui on continue", "callback_consent", intent="affirm",
                                 slots={"callback_consent": True}, events=events)
    assert slots == {"callback_consent": None}  # "oui" to going on is not consent
    events[-1]["text"] = "non"
    slots, _, _ = await validate("non", "callback_contact", intent="deny", events=events)
    assert slots["requested_slot"] is None and slots["callback_name"] is None


async def test_a_normal_turn_asks_the_step():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("oui", events=[{"event": "user", "text": "oui"}])
    await AskName().run(dispatcher, tracker, {})
    assert "votre nom" in dispatcher.messages[0]["text"]
    assert "annuler" in dispatcher.messages[0]["text"]


async def test_details_up_front_fill_the_form_when_it_starts():
    typed = "Pouvez-vous me rappeler ? Je m'appelle Paul Girard, mon numéro est le 06 98 76 54 32"
    slots, _, _ = await validate(typed, None, intent="request_callback")
    assert slots == {"callback_name": "Paul Girard", "callback_contact": "0698765432"}
    typed = "Bonjour, Anne Leroy, anne.leroy@example.org, j'aimerais qu'on me contacte"
    slots, _, _ = await validate(typed, None, intent="ask_human")
    assert slots == {"callback_name": "Anne Leroy", "callback_contact": "anne.leroy@example.org"}
    slots, _, _ = await validate("rappelez-moi svp", None, intent="request_callback")
    assert slots == {}


async def test_details_up_front_are_not_searched_as_places(fake_directory):
    typed = "Pouvez-vous me rappeler ? Je m'appelle Paul Girard, mon numéro est le 06 98 76 54 32"
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(typed, intent="ask_childcare",
                           entities=[{"entity": "commune", "value": "Girard"}],
                           slots={"territory": "hautes-terres"})
    events = await ActionSearchDirectory().run(dispatcher, tracker, {})
    assert events == [{"event": "followup", "name": "action_handoff", "timestamp": None}]
    assert dispatcher.messages == [] and fake_directory.searches == []


async def test_details_up_front_not_understood_still_start_the_form(fake_directory):
    typed = ("bonjour je suis Pierre Lamy, mon mail pierre.lamy@example.org, j'aimerais être "
             "rappelé pour un projet d'installation")
    dispatcher = CollectingDispatcher()
    events = await ActionFallback().run(dispatcher, make_tracker(typed, intent="nlu_fallback"), {})
    assert events == [{"event": "followup", "name": "action_handoff", "timestamp": None}]
    assert dispatcher.messages == []


async def test_handoff_with_details_starts_the_form_without_the_offer(fake_directory):
    typed = "Bonjour, Anne Leroy, anne.leroy@example.org, contactez-moi svp"
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(typed, intent="ask_human", slots={"territory": "hautes-terres"})
    events = await ActionHandoff().run(dispatcher, tracker, {})
    assert events == [{"event": "followup", "name": "callback_form", "timestamp": None}]
    assert not any(m.get("buttons") for m in dispatcher.messages)


async def test_handoff_with_a_number_but_no_call_back_asked_offers_it(fake_directory):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("est-ce que le 04 65 71 00 01 est le bon numéro ?", intent="ask_human",
                           slots={"territory": "hautes-terres"})
    assert await ActionHandoff().run(dispatcher, tracker, {}) == []
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == "/request_callback"


async def test_handoff_asked_with_request_callback_leaves_the_form_to_its_rule(fake_directory):
    tracker = make_tracker("rappelez-moi au 06 12 34 56 78", intent="request_callback",
                           slots={"territory": "hautes-terres"})
    assert await ActionHandoff().run(CollectingDispatcher(), tracker, {}) == []


async def test_recap_before_consent_says_what_to_whom_and_when(fake_directory):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("trouver un logement", slots={
        "territory": "hautes-terres", "callback_name": "Claire Martin",
        "callback_contact": "0612345678", "callback_question": "trouver un logement"},
        events=[{"event": "user", "text": "trouver un logement"}])
    await AskConsent().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    for said in ("Claire Martin", "06 12 34 56 78", "trouver un logement",
                 "Hautes Terres Communauté", "Accueil Hautes Terres", "jours ouvrés", "d'accord"):
        assert said in text


async def test_leaving_says_nothing_was_kept_and_gives_the_contact(fake_directory):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("annuler", slots={"territory": "hautes-terres",
                                             "callback_name": "Marie Dupont"})
    events = await ActionSubmitLead().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "rien enregistré" in text and "rien n'a été transmis" in text
    assert "04 65 71 00 01" in text and fake_directory.leads == []
    assert {e["name"] for e in events if e["value"] is None} == FORM_SLOTS
