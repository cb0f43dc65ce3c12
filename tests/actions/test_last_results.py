"""Follow-ups on the last results: details from their fields, the n-th, more, nearer.

Each message below got, with the model of 2026-12-04, the intent given here (nlu_fallback,
a topic, inform_commune, ask_territory): the action that intent leads to answers it.
"""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import follow_up
from actions.contact import ActionTerritoryInfo
from actions.directory_client import Service, use_directory
from actions.fallback import ActionFallback
from actions.replies import ActionBotChallenge, ActionOutOfScope
from actions.search import ActionSearchDirectory
from tests.actions.conftest import FakeDirectory, make_tracker

pytestmark = pytest.mark.asyncio

MARMOTTES = Service(
    "10", "Crèche Les Marmottes", "childcare", "creche", "Murat", 0.3, "04 65 71 10 01",
    verified_on="2026-10-12", address="2 rue des Volcans",
    description="Multi-accueil de 20 places, de 10 semaines à 4 ans.",
    opening_hours="Mo-Fr 07:30-18:30; PH off", fees="payant",
    fees_details="selon le quotient familial, de 0,50 € à 3 € de l'heure",
)
GENTIANES = Service(
    "11", "Micro-crèche Les Gentianes", "childcare", "micro_creche", "Allanche", 18.2,
    email="gentianes@example.org", opening_hours="Mo,Tu,Th,Fr 08:00-18:00; We 08:00-12:00",
)
COQUELICOTS = Service("12", "Crèche Les Coquelicots", "childcare", "creche", "Condat", 27.0,
                      "04 65 71 10 03")
NOUNOU = Service("13", "Assistante maternelle Mme Roux", "childcare", "assistante_maternelle",
                 "Murat", 0.5, "04 65 71 10 04")
SEARCH = {"topic": "childcare", "kind": "creche", "territory": "hautes-terres",
          "near": "15138", "near_name": "Murat", "q": None, "page": 1, "per_page": 3,
          "total": 4}
AFTER_A_SEARCH = {"territory": "hautes-terres", "topic": "childcare", "kind": "creche",
                  "commune_insee": "15138", "commune_name": "Murat",
                  "last_results": ["10", "11", "12"], "last_search": SEARCH}


@pytest.fixture
def directory():
    fake = FakeDirectory(services=[MARMOTTES, GENTIANES, COQUELICOTS, NOUNOU])
    use_directory(fake)
    yield fake
    use_directory(None)


async def run(action, text, intent, slots=None, entities=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, intent, entities=entities,
                           slots=AFTER_A_SEARCH if slots is None else slots)
    events = await action.run(dispatcher, tracker, {})
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    return said, {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher


async def test_a_search_keeps_its_results_as_the_subject(directory):
    said, slots, _ = await run(ActionSearchDirectory(), "une creche a murat", "ask_childcare",
                               slots={"territory": "hautes-terres"})
    assert slots["last_results"] == ["10", "12", "11"]  # the kind asked first
    assert slots["last_search"]["topic"] == "childcare"
    assert slots["last_search"]["total"] == 4 and slots["chosen_result"] is None


async def test_open_on_a_given_day_is_answered_for_each_result(directory):
    said, _, _ = await run(ActionFallback(), "c'est ouvert le mercredi ?", "nlu_fallback")
    assert "1. Crèche Les Marmottes : ouvert le mercredi, de 7 h 30 à 18 h 30." in said
    assert "2. Micro-crèche Les Gentianes : ouvert le mercredi, de 8 h à 12 h." in said
    assert ("3. Crèche Les Coquelicots : l'annuaire n'indique pas les horaires. "
            "Pour le savoir : 04 65 71 10 03.") in said
    assert not directory.searches  # no new search, never the list again


async def test_hours_in_plain_french(directory):
    said, _, _ = await run(ActionFallback(), "quels sont les horaires ?", "nlu_fallback",
                           slots={**AFTER_A_SEARCH, "chosen_result": "10"})
    assert said == ("Crèche Les Marmottes : ouvert du lundi au vendredi, de 7 h 30 à 18 h 30 ; "
                    "fermé les jours fériés.")


async def test_the_second_is_chosen_then_questions_are_about_it(directory):
    said, slots, _ = await run(ActionFallback(), "le 2", "nlu_fallback")
    assert said.startswith("Micro-crèche Les Gentianes\nAdresse : Allanche (18,2 km)")
    assert slots == {"chosen_result": "11"}
    said, _, _ = await run(ActionFallback(), "c'est combien par mois ?", "nlu_fallback",
                           slots={**AFTER_A_SEARCH, "chosen_result": "11"})
    assert said == ("Micro-crèche Les Gentianes : l'annuaire n'indique pas les tarifs. "
                    "Pour le savoir : gentianes@example.org.")


async def test_ordinals_in_words_and_a_place_choose_one(directory):
    _, slots, _ = await run(ActionSearchDirectory(), "la première", "inform_commune")
    assert slots == {"chosen_result": "10"}
    _, slots, _ = await run(ActionSearchDirectory(), "le deuxième", "nlu_fallback")
    assert slots == {"chosen_result": "11"}
    _, slots, _ = await run(ActionSearchDirectory(), "celle de Condat", "inform_commune",
                            entities=[{"entity": "commune", "value": "condat"}])
    assert slots == {"chosen_result": "12"}
    assert not directory.searches


async def test_a_part_of_the_name_chooses_one(directory):
    said, slots, _ = await run(ActionSearchDirectory(), "et les Marmottes ?", "inform_commune")
    assert slots == {"chosen_result": "10"}
    assert "Horaires : du lundi au vendredi, de 7 h 30 à 18 h 30" in said
    assert "Tarifs : payant — selon le quotient familial" in said


async def test_fees_with_their_details(directory):
    said, _, _ = await run(ActionTerritoryInfo(), "c'est gratuit ?", "ask_territory",
                           slots={**AFTER_A_SEARCH, "chosen_result": "10"})
    assert said == ("Crèche Les Marmottes : payant ; selon le quotient familial, "
                    "de 0,50 € à 3 € de l'heure.")


async def test_places_left_cannot_be_known_and_the_entry_contact_is_given(directory):
    said, _, _ = await run(ActionSearchDirectory(), "Il reste des places ?", "ask_childcare",
                           slots={**AFTER_A_SEARCH, "chosen_result": "12"})
    assert said == ("Crèche Les Coquelicots : l'annuaire ne sait pas s'il reste des places. "
                    "Demandez directement : 04 65 71 10 03.")
    assert not directory.searches


async def test_booking_and_address(directory):
    said, _, _ = await run(ActionFallback(), "comment je réserve ?", "nlu_fallback",
                           slots={**AFTER_A_SEARCH, "chosen_result": "11"})
    assert said == ("Micro-crèche Les Gentianes : pour réserver ou vous inscrire, contactez "
                    "gentianes@example.org.")
    said, _, _ = await run(ActionFallback(), "c'est où ?", "nlu_fallback",
                           slots={**AFTER_A_SEARCH, "chosen_result": "10"})
    assert said == "Crèche Les Marmottes : 2 rue des Volcans, Murat."
    said, _, _ = await run(ActionFallback(), "c'est où ?", "nlu_fallback",
                           slots={**AFTER_A_SEARCH, "chosen_result": "12"})
    assert said.startswith("Crèche Les Coquelicots : à Condat ; l'annuaire n'a pas l'adresse")


async def test_more_gives_the_next_page_then_says_none_are_left(directory):
    said, slots, dispatcher = await run(ActionFallback(), "d'autres adresses ?", "nlu_fallback")
    assert directory.searches[-1]["page"] == 2
    assert said.startswith("D'autres adresses « garde d'enfants » près de Murat (4 sur 4) :\n"
                           "1. Assistante maternelle Mme Roux")
    assert "Crèche Les Marmottes" not in said
    assert any(m.get("custom", {}).get("type") == "directory_results"
               for m in dispatcher.messages)
    assert slots["last_results"] == ["13"] and slots["last_search"]["page"] == 2
    said, _, _ = await run(ActionSearchDirectory(), "d'autres ?", "bot_challenge",
                           slots={**AFTER_A_SEARCH, "last_results": ["13"],
                                  "last_search": slots["last_search"]})
    assert said.startswith("Je n'ai pas d'autres adresses « crèche »")


async def test_nearer_to_another_commune_sorts_again(directory):
    _, slots, dispatcher = await run(ActionSearchDirectory(), "plus près de Condat",
                                     "inform_commune",
                                     entities=[{"entity": "commune", "value": "condat"}])
    assert directory.searches[-1]["near"] == "15054"
    assert slots["commune_name"] == "Condat" and slots["last_search"]["near"] == "15054"
    (payload,) = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert payload["near"] == {"insee": "15054", "name": "Condat"}


async def test_a_new_place_or_topic_is_a_new_search(directory):
    said, slots, _ = await run(ActionSearchDirectory(), "et à Neussargues ?", "inform_commune",
                               entities=[{"entity": "commune", "value": "neussargues"}])
    assert directory.searches[-1]["near"] == "15141"
    said, slots, _ = await run(ActionSearchDirectory(), "et des bus le mercredi ?",
                               "ask_transport")
    assert directory.searches[-1]["topic"] == "transport"


async def test_without_results_the_fallback_is_unchanged(directory):
    said, _, _ = await run(ActionFallback(), "c'est ouvert le mercredi ?", "nlu_fallback",
                           slots={"territory": "hautes-terres"})
    assert said.startswith("Je n'ai pas bien compris.")


async def test_a_place_outside_or_a_new_need_is_a_new_question(directory):
    await run(ActionSearchDirectory(), "la creche d'aubusson est-elle ouverte le samedi ?",
              "ask_childcare", entities=[{"entity": "commune", "value": "aubusson"}])
    assert len(directory.searches) == 1
    await run(ActionSearchDirectory(), "je cherche une nounou", "ask_childcare")
    assert directory.searches[-1]["prefer_kind"] == "assistante_maternelle"


async def test_more_read_as_bot_challenge_and_hours_read_as_out_of_scope(directory):
    said, slots, _ = await run(ActionBotChallenge(), "d'autres ?", "bot_challenge")
    assert "Assistante maternelle Mme Roux" in said and slots["last_results"] == ["13"]
    said, _, _ = await run(ActionOutOfScope(), "ils ouvrent à quelle heure ?", "out_of_scope",
                           slots={**AFTER_A_SEARCH, "chosen_result": "10"})
    assert said.startswith("Crèche Les Marmottes : ouvert du lundi au vendredi")


async def test_without_results_the_usual_replies_are_said(directory):
    _, _, dispatcher = await run(ActionBotChallenge(), "d'autres ?", "bot_challenge", slots={})
    assert dispatcher.messages[0]["response"] == "utter_bot_challenge"
    _, _, dispatcher = await run(
        ActionOutOfScope(), "raconte-moi une blague", "out_of_scope", slots={})
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"


async def test_the_same_search_again_says_so_then_gives_the_list_again(directory):
    """Never the same answer unchanged, yet the list: the first may never have arrived."""
    slots = {**AFTER_A_SEARCH, "last_results": ["10", "12", "11"],
             "last_search": {**SEARCH, "kind": "creche"}}
    said, kept, dispatcher = await run(ActionSearchDirectory(), "une crèche à Murat",
                                       "ask_childcare", slots=slots)
    assert said.startswith("Ces 3 adresses sont les mêmes que dans ma réponse précédente.")
    assert "Crèche Les Marmottes" in said
    assert [m["custom"]["type"] for m in dispatcher.messages if m.get("custom")] == [
        "directory_results"]
    assert kept["last_results"] == ["10", "12", "11"]


async def test_a_place_where_none_of_the_results_is_is_said(directory):
    said, slots, _ = await run(ActionSearchDirectory(), "celle de Neussargues", "inform_commune",
                               entities=[{"entity": "commune", "value": "neussargues"}])
    assert said.startswith("Aucune des adresses que je vous ai données n'est à Neussargues.")
    assert not directory.searches
    assert slots == {"last_results": ["10", "11", "12"]}  # still the subject


async def test_le_numero_2_is_a_choice_not_a_phone_number_question(directory):
    said, slots, _ = await run(ActionFallback(), "le numéro 2", "nlu_fallback")
    assert slots == {"chosen_result": "11"} and said.startswith("Micro-crèche Les Gentianes\n")


async def test_nearer_to_a_place_outside_the_territory_is_said(directory):
    said, slots, _ = await run(ActionSearchDirectory(), "plus près de clermont ferrand",
                               "inform_commune")
    assert said == "Je ne trouve pas « Clermont Ferrand » parmi les communes du territoire."
    assert not directory.searches
    assert slots == {"last_results": ["10", "11", "12"]}  # still the subject


async def test_a_kind_none_of_the_results_is_is_a_new_search(directory):
    """"un centre de loisirs pour le mercredi" after crèches asks for centres, not days."""
    await run(ActionSearchDirectory(), "un centre de loisirs pour le mercredi", "ask_childcare")
    assert directory.searches[-1]["prefer_kind"] == "accueil_loisirs"


async def test_a_kind_asked_for_anew_is_a_new_search_even_among_the_results(directory):
    await run(ActionSearchDirectory(), "et une micro-crèche le mercredi ?", "ask_childcare")
    assert directory.searches[-1]["prefer_kind"] == "micro_creche"


async def test_a_question_naming_a_result_s_kind_is_about_that_result(directory):
    said, _, _ = await run(ActionSearchDirectory(), "la micro-crèche, c'est où ?", "ask_childcare")
    assert not directory.searches
    assert said.startswith("Micro-crèche Les Gentianes")


async def test_a_farm_is_not_a_closing_time():
    assert follow_up.read("une cession de ferme ?", [MARMOTTES]) is None
    assert follow_up.read("c'est fermé le lundi ?", [MARMOTTES]).detail == follow_up.DAY


async def test_an_empty_field_quotes_the_description_which_often_says_it(directory):
    """"à partir de quel âge ?", "ouvert le week-end ?": the description is the answer."""
    slots = {**AFTER_A_SEARCH, "chosen_result": "10"}
    said, _, _ = await run(ActionFallback(), "ils prennent à partir de quel âge ?",
                           "nlu_fallback", slots=slots)
    assert said == "Crèche Les Marmottes : Multi-accueil de 20 places, de 10 semaines à 4 ans."
    said, _, _ = await run(ActionFallback(), "et le 3, c'est ouvert le week-end ?", "nlu_fallback")
    assert said.startswith("Crèche Les Coquelicots : l'annuaire n'indique pas les horaires.")
    assert "Sa fiche dit" not in said  # nothing to quote: the contact only
    directory.services[2] = Service(
        "12", "Crèche Les Coquelicots", "childcare", "creche", "Condat", 27.0, "04 65 71 10 03",
        description="Ouvert du lundi au samedi, de 7 h à 19 h.")
    said, _, _ = await run(ActionFallback(), "et le 3, c'est ouvert le week-end ?", "nlu_fallback")
    assert "Sa fiche dit : « Ouvert du lundi au samedi, de 7 h à 19 h »." in said
