"""Answers that fit the question (issue 16): the asked kind, the trade, every need, the place."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import asked_kind
from actions.directory_client import Service
from actions.search import ActionSearchDirectory
from tests.actions.conftest import make_tracker

pytestmark = pytest.mark.asyncio

TERRITORY = {"territory": "hautes-terres"}
SUPPORT = Service("6", "Point emploi intercommunal", "jobs", "employment_support", "Murat", 0.4)


async def run(tracker):
    dispatcher = CollectingDispatcher()
    events = await ActionSearchDirectory().run(dispatcher, tracker, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def payloads(messages):
    return [m["custom"] for m in messages if m.get("custom")]


def texts(messages):
    return "\n".join(m["text"] for m in messages if m.get("text"))


# 1. The kind decides.


async def test_kind_elsewhere_is_said_with_the_nearest_of_that_kind(fake_directory):
    tracker = make_tracker("une micro-crèche à Murat", "ask_childcare", slots=TERRITORY)
    messages, _ = await run(tracker)
    assert texts(messages).startswith(
        "Pas de micro-crèche à Murat ; la plus proche est Micro-crèche Les Gentianes, "
        "à Allanche (18,2 km)."
    )
    assert payloads(messages)[0]["results"][0]["name"] == "Micro-crèche Les Gentianes"


async def test_a_line_is_not_said_missing_where_it_is_not_listed(fake_directory):
    fake_directory.services.append(
        Service("7", "Ligne de car Allanche – Murat", "transport", "bus", "Allanche", 14.9)
    )
    tracker = make_tracker("un car pour Condat", "ask_transport", slots=TERRITORY)
    messages, _ = await run(tracker)
    assert "Pas de" not in texts(messages)


async def test_kind_missing_from_the_territory_is_said_and_close_kinds_offered(fake_directory):
    tracker = make_tracker("une gare à Condat ?", "ask_transport", slots=TERRITORY)
    messages, slots = await run(tracker)
    text = texts(messages)
    assert text.startswith(
        "Pas de gare à Condat ni ailleurs sur le territoire Hautes Terres Communauté."
    )
    assert "Ligne de car 12" in text  # the topic's other entries, said to be others
    assert messages[0]["buttons"][0]["payload"] == '/ask_transport{"kind": "bus"}'
    assert payloads(messages)[0]["kind"] == "gare" and slots["kind"] == "gare"
    assert payloads(messages)[0]["kind_found"] is False  # an unmet need for the analytics


async def test_a_kind_word_the_model_missed_still_puts_that_kind_first(fake_directory):
    tracker = make_tracker("un car pour aller à Murat", "ask_transport", slots=TERRITORY)
    await run(tracker)
    assert fake_directory.searches[-1]["prefer_kind"] == "bus"


@pytest.mark.parametrize(
    ("message", "topic", "kind"),
    [
        ("un car pour Murat", "transport", "bus"),
        ("il y a une ligne vers Condat ?", "transport", "bus"),
        ("une navette le matin", "transport", "bus"),
        ("le TER pour Clermont", "transport", "gare"),
        ("prendre le train", "transport", "gare"),
        ("ramassage scolaire", "transport", "bus"),
        ("une nounou", "childcare", "assistante_maternelle"),
        ("une assmat à Murat", "childcare", "assistante_maternelle"),
        ("une halte-garderie", "childcare", "creche"),
        ("la garderie du soir", "childcare", "periscolaire"),
        ("un centre de loisirs pour l'été", "childcare", "accueil_loisirs"),
        ("un bureau partagé", "telework", "coworking"),
        ("un atelier avec des machines", "telework", "fablab"),
        ("le Point emploi", "jobs", "employment_support"),
        ("de l'aide pour mon CV", "jobs", "employment_support"),
        ("une cession de commerce", "jobs", "business_takeover"),
        ("je vais en car scolaire car je n'ai pas de voiture", "transport", "bus"),
    ],
)
async def test_the_words_people_use_name_the_kind(message, topic, kind):
    assert asked_kind(make_tracker(message, f"ask_{topic}"), topic) == kind


async def test_car_the_conjunction_is_no_coach():
    tracker = make_tracker("comment bouger car je n'ai pas de voiture", "ask_transport")
    assert asked_kind(tracker, "transport") is None


# 2. Jobs fit the person.


async def test_a_trade_the_model_missed_narrows_the_offers(fake_directory):
    tracker = make_tracker("je suis infirmière, du travail ?", "ask_jobs", slots=TERRITORY)
    messages, _ = await run(tracker)
    assert fake_directory.searches[0]["q"] == "infirmière"
    assert [r["name"] for r in payloads(messages)[0]["results"]] == ["Infirmière en CDI, EHPAD"]


async def test_no_offer_for_the_trade_says_so_and_shows_employment_support_first(
    fake_directory,
):
    fake_directory.services.append(SUPPORT)
    tracker = make_tracker("je suis électricien, du boulot vers Murat ?", "ask_jobs",
                           slots=TERRITORY)
    messages, _ = await run(tracker)
    text = texts(messages)
    assert text.startswith("Je n'ai trouvé aucune offre pour « électricien » près de Murat.")
    results = payloads(messages)[0]["results"]
    assert results[0]["name"] == "Point emploi intercommunal"
    assert "Autres adresses pour l'emploi :" in text
    assert fake_directory.searches[-1]["prefer_kind"] == "employment_support"


# 5. Places as people write them.


async def test_a_truncated_commune_after_a_place_word_is_found(fake_directory):
    tracker = make_tracker("une creche a mura", "ask_childcare", slots=TERRITORY,
                           entities=[{"entity": "commune", "value": "mura"}])
    messages, _ = await run(tracker)
    assert payloads(messages)[0]["near"]["name"] == "Murat"
    assert "Je ne trouve pas" not in texts(messages)


async def test_a_merged_commune_named_by_its_first_word_is_found_and_not_called_unknown(
    fake_directory,
):
    tracker = make_tracker("une gare vers neussargues", "ask_transport", slots=TERRITORY,
                           entities=[{"entity": "commune", "value": "neussargues"}])
    messages, _ = await run(tracker)
    assert payloads(messages)[0]["near"]["name"] == "Neussargues en Pinatelle"
    assert "neussargues" not in texts(messages).lower().replace("neussargues en pinatelle", "")


async def test_a_trip_is_searched_from_where_it_starts_and_the_origin_is_kept_as_home(
    fake_directory,
):
    tracker = make_tracker("ramassage scolaire pour Murat depuis Allanche", "ask_transport",
                           slots=TERRITORY)
    messages, slots = await run(tracker)
    assert payloads(messages)[0]["near"]["name"] == "Allanche"
    assert slots["home_insee"] == "15003" and slots["home_name"] == "Allanche"


async def test_from_x_to_y_reads_the_origin_and_the_destination(fake_directory):
    tracker = make_tracker("un bus de Condat à Murat", "ask_transport", slots=TERRITORY)
    messages, slots = await run(tracker)
    assert payloads(messages)[0]["near"]["name"] == "Condat"
    assert slots["home_name"] == "Condat"


async def test_the_home_named_earlier_is_where_a_later_question_looks(fake_directory):
    tracker = make_tracker("une crèche ?", "ask_childcare",
                           slots={**TERRITORY, "home_insee": "15003", "home_name": "Allanche"})
    messages, _ = await run(tracker)
    assert payloads(messages)[0]["near"] == {"insee": "15003", "name": "Allanche"}


async def test_a_trip_to_a_place_starts_from_the_home_kept(fake_directory):
    tracker = make_tracker("un car pour aller à Murat", "ask_transport",
                           slots={**TERRITORY, "home_insee": "15003", "home_name": "Allanche"})
    messages, _ = await run(tracker)
    assert payloads(messages)[0]["near"]["name"] == "Allanche"


async def test_a_station_at_a_place_is_searched_there_whatever_the_home(fake_directory):
    tracker = make_tracker("une gare à Murat", "ask_transport",
                           slots={**TERRITORY, "home_insee": "15003", "home_name": "Allanche"})
    messages, _ = await run(tracker)
    assert payloads(messages)[0]["near"]["name"] == "Murat"


async def test_home_in_the_message_is_kept_and_used(fake_directory):
    tracker = make_tracker("j'habite à Condat, une crèche ?", "ask_childcare", slots=TERRITORY)
    messages, slots = await run(tracker)
    assert payloads(messages)[0]["near"]["name"] == "Condat"
    assert slots["home_name"] == "Condat"


@pytest.mark.parametrize("message", ["une crèche à Lyon", "une crèche vers Clermont-Ferrand",
                                     "une crèche depuis lyon"])
async def test_a_commune_outside_the_territory_is_always_said_to_be_outside(
    fake_directory, message
):
    tracker = make_tracker(message, "ask_childcare", slots={**TERRITORY, "commune_insee": "15054",
                                                            "commune_name": "Condat"})
    messages, _ = await run(tracker)
    assert "n'est pas une commune du territoire Hautes Terres Communauté" in texts(messages)
    assert payloads(messages)[0]["near"] is None  # not Condat of an earlier turn


async def test_outside_the_territory_the_search_looks_near_the_home_kept(fake_directory):
    tracker = make_tracker("une crèche à Lyon ?", "ask_childcare",
                           slots={**TERRITORY, "home_insee": "15003", "home_name": "Allanche"})
    messages, _ = await run(tracker)
    assert texts(messages).startswith(
        "Lyon n'est pas une commune du territoire Hautes Terres Communauté : "
        "je cherche plutôt près d'Allanche."
    )
    assert payloads(messages)[0]["near"]["name"] == "Allanche"


async def test_an_outside_place_the_model_marked_is_named_as_a_place(fake_directory):
    tracker = make_tracker("une creche a clermont ferrand", "ask_childcare", slots=TERRITORY,
                           entities=[{"entity": "commune", "value": "clermont ferrand"}])
    messages, _ = await run(tracker)
    assert texts(messages).startswith(
        "Clermont Ferrand n'est pas une commune du territoire Hautes Terres Communauté"
    )


# 6. French as a person writes it.


async def test_elision_before_a_vowel_and_the_directory_spelling(fake_directory):
    tracker = make_tracker("une micro creche vers allanche", "ask_childcare", slots=TERRITORY)
    messages, _ = await run(tracker)
    assert "pour « micro-crèche » près d'Allanche :" in texts(messages)
    assert "allanche" not in texts(messages)


async def test_a_place_alone_is_asked_about_in_good_french(fake_directory):
    tracker = make_tracker("la chapelle d alagnon", "inform_commune", slots=TERRITORY)
    messages, _ = await run(tracker)
    assert messages[0]["text"] == "Que cherchez-vous à La Chapelle-d'Alagnon ?"


# 3. Every need of a message.


async def test_each_need_of_a_message_gets_its_own_short_list(fake_directory):
    tracker = make_tracker(
        "On arrive à Murat, je cherche du travail d'infirmière, une crèche, "
        "et on n'a qu'une voiture", "ask_childcare", slots=TERRITORY,
    )
    messages, slots = await run(tracker)
    found = payloads(messages)
    assert [p["topic"] for p in found] == ["childcare", "jobs", "transport"]
    assert all(len(p["results"]) <= 2 for p in found)
    assert found[1]["results"][0]["name"] == "Infirmière en CDI, EHPAD"
    assert slots["topic"] == "childcare" and slots["home_name"] == "Murat"


async def test_a_follow_up_stays_on_its_topic(fake_directory):
    tracker = make_tracker("et à Condat ?", "inform_commune",
                           slots={**TERRITORY, "topic": "childcare"})
    messages, _ = await run(tracker)
    assert [p["topic"] for p in payloads(messages)] == ["childcare"]
