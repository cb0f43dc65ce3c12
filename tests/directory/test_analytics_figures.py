"""Every dashboard figure, from a conversation store holding known conversations."""

import asyncio
from datetime import date, datetime, time, timedelta

import pytest

from services_directory.analytics.exports import table_csv
from services_directory.analytics.figures import PARIS, dashboard
from services_directory.analytics.service import Period, load, load_one
from services_directory.analytics.tables import page_cell
from services_directory.analytics.tracker import TrackerDB
from tests.directory.analytics_events import Conversation, callback_form, write_sqlite

DAY = date(2026, 10, 12)
NOON = datetime.combine(DAY, time(12), PARIS).timestamp()
PERSONAL = ("Dupont", "06 12 34 56 78", "0612345678", "marie.dupont@exemple.fr", "+44 20 7946 0958")
NAMES = {"hautes-terres": "Hautes Terres", "creuse-grand-sud": "Creuse Grand Sud",
         "coeur-de-lozere": "Cœur de Lozère"}  # fmt: skip


def conversations() -> list[Conversation]:
    murat = Conversation("a", "hautes-terres", NOON)
    murat.user("une crèche à Murat", "ask_childcare", "action_search_directory")
    murat.lookup("childcare", "creche", 2, ("15138", "Murat"))
    murat.user("/feedback_positive", "feedback_positive", "utter_feedback_thanks")
    creuse = Conversation("b", "creuse-grand-sud", NOON + 600)
    creuse.user("blorp zzkx, appelez le +44 20 7946 0958", "nlu_fallback", "action_fallback")
    creuse.user("/feedback_negative", "feedback_negative", "utter_feedback_sorry")
    creuse.user("transport solidaire a aubusson", "ask_transport", "action_search_directory")
    creuse.lookup("transport", "transport_solidaire", 0, ("23008", "Aubusson"))
    creuse.user("un coworking", "ask_telework", "action_search_directory")
    creuse.lookup("telework", None, 0)
    lozere = Conversation("c", "coeur-de-lozere", NOON + 1200)
    lozere.user("je veux parler a quelqu'un", "ask_human", "action_handoff").handoff()
    callback_form(lozere, "Marie Dupont", "06 12 34 56 78",
                  "Mme Dupont cherche un logement, marie.dupont@exemple.fr")  # fmt: skip
    lozere.user("je cherche un logement", "out_of_scope", "utter_out_of_scope")
    lone = Conversation("d", "hautes-terres", NOON - 86400)
    lone.user("bonjour", "greet", "utter_greet")
    old = Conversation("e", "hautes-terres", NOON - 40 * 86400)
    old.user("vieux message", "greet", "utter_greet")
    return [murat, creuse, lozere, lone, old]


@pytest.fixture
def tracker(tmp_path):
    return TrackerDB(write_sqlite(tmp_path / "conversations.sqlite3", conversations()))


def figures(tracker, territories=None, compare=True):
    period = Period(DAY - timedelta(days=6), DAY)
    found = asyncio.run(load(tracker, period, territories))
    return {t.name: t for t in dashboard(found, period.days(), NAMES, compare)}


def shown(table):
    return [[page_cell(cell) for cell in row] for row in table.rows]


def test_summary(tracker):
    assert dict(shown(figures(tracker)["indicateurs"])) == {
        "Conversations": "4",
        "Conversations engagées (2 messages ou plus)": "3",
        "Messages des nouveaux arrivants": "14",
        "Messages non compris ou hors sujet": "2",
        "Taux d'incompréhension (par message)": "14,3 %",
        "Conversations orientées vers l'accueil": "1",
        "Taux d'orientation vers l'accueil": "25,0 %",
        "Demandes de rappel transmises": "1",
        "Avis « utile »": "1",
        "Avis « pas utile »": "1",
        "Recherches dans l'annuaire": "3",
        "Recherches sans résultat": "2",
    }


def test_time_series_and_topics(tracker):
    tables = figures(tracker)
    daily = shown(tables["conversations-par-jour"])
    assert len(daily) == 7 and daily[0][0] == "2026-10-06"
    assert daily[-2:] == [["2026-10-11", "1", "0", "1"], ["2026-10-12", "3", "3", "13"]]
    assert shown(tables["themes-par-jour"])[-1] == ["2026-10-12", "0", "1", "1", "1"]
    assert shown(tables["themes"]) == [
        ["Emploi et activité", "0", "0"], ["Télétravail et tiers-lieux", "1", "1"],
        ["Garde d'enfants", "1", "0"], ["Mobilité", "1", "1"],
    ]  # fmt: skip
    assert sorted(shown(tables["types"])) == [
        ["Garde d'enfants", "Crèche", "1", "0"],
        ["Mobilité", "Transport solidaire", "1", "1"],
        ["Télétravail et tiers-lieux", "tous types", "1", "1"],
    ]
    assert shown(tables["communes"]) == [["Aubusson", "23008", "1"], ["Murat", "15138", "1"]]


def test_unmet_needs_and_unanswered_questions(tracker):
    tables = figures(tracker)
    assert sorted(shown(tables["besoins-non-satisfaits"])) == [
        ["Creuse Grand Sud", "Mobilité", "Transport solidaire", "Aubusson", "1"],
        ["Creuse Grand Sud", "Télétravail et tiers-lieux", "tous types", "toute la zone", "1"],
    ]
    assert sorted(shown(tables["questions-sans-reponse"])) == [
        ["2026-10-12", "Creuse Grand Sud", "blorp zzkx, appelez le [téléphone masqué]"],
        ["2026-10-12", "Cœur de Lozère", "je cherche un logement"],
    ]


def test_comparison_between_territories(tracker):
    assert shown(figures(tracker)["territoires"]) == [
        ["Creuse Grand Sud", "1", "1", "4", "25,0 %", "0,0 %", "0", "2"],
        ["Cœur de Lozère", "1", "1", "7", "14,3 %", "100,0 %", "1", "0"],
        ["Hautes Terres", "2", "1", "3", "0,0 %", "0,0 %", "0", "0"],
    ]
    assert "territoires" not in figures(tracker, compare=False)


def test_territory_filter(tracker):
    tables = figures(tracker, {"hautes-terres"}, compare=False)
    summary = dict(shown(tables["indicateurs"]))
    assert summary["Conversations"] == "2" and summary["Messages des nouveaux arrivants"] == "3"
    assert shown(tables["besoins-non-satisfaits"]) == []


def test_exports_suppress_small_counts(tracker):
    csv = table_csv(figures(tracker)["indicateurs"])
    assert "Conversations,<5\n" in csv
    assert "Messages des nouveaux arrivants,14\n" in csv
    assert "Taux d'incompréhension (par message),<5\n" in csv  # 2 of 13: the rate would tell
    assert "Recherches sans résultat,<5\n" in csv
    daily = table_csv(figures(tracker)["conversations-par-jour"])
    assert "2026-10-06,0,0,0\n" in daily and "2026-10-12,<5,<5,13\n" in daily


def test_personal_data_never_leaves(tracker):
    everything = []
    for table in figures(tracker).values():
        everything += [table_csv(table), repr(shown(table))]
    transcript = asyncio.run(load_one(tracker, "c"))
    everything += [m.text for m in transcript.messages]
    text = "\n".join(everything)
    for value in PERSONAL + ("Marie",):
        assert value not in text
    said = [m.text for m in transcript.user_messages]
    assert said[2:5] == ["[nom masqué]", "[coordonnées masquées]",
                         "[question du formulaire de rappel masquée]"]  # fmt: skip


def test_a_missing_store_is_empty(tmp_path):
    assert figures(TrackerDB(tmp_path / "none.sqlite3"))["indicateurs"].rows[0][1].n == 0
    assert not (tmp_path / "none.sqlite3").exists()
