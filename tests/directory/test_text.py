"""Folding, typo tolerance and distances used by search."""

import pytest

from services_directory.geo import haversine_km
from services_directory.text import fold, query_words, typo_match
from services_directory.textsearch import fts5_query, parse, tsquery


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Crèche", "creche"),
        ("CRÈCHE", "creche"),
        ("Cœur de Lozère", "coeur de lozere"),
        ("Magnat-l'Étrange", "magnat l etrange"),
        ("  Saint-Étienne-du-Valdonnez ", "saint etienne du valdonnez"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_query_words_drop_little_words() -> None:
    assert query_words("Une crèche vers Murat ?") == ["creche", "murat"]


@pytest.mark.parametrize(
    ("word", "matches"),
    [
        ("creche", True),  # exact
        ("crehce", True),  # swapped letters
        ("crech", True),  # one letter missing
        ("creshe", True),  # one wrong letter
        ("cerchs", False),  # two typos in a short word
        ("micro", True),  # start of a word
        ("bus", False),  # short words must be exact (LIKE handles them)
    ],
)
def test_typo_match(word: str, matches: bool) -> None:
    assert typo_match("micro creche les pitchounets", word) is matches


def test_typo_match_allows_two_typos_from_nine_letters() -> None:
    assert typo_match("covoiturage", "covoitrage") is True
    assert typo_match("covoiturage", "cvoitrage") is True


def test_haversine_murat_to_condat() -> None:
    assert haversine_km(45.1236, 2.8501, 45.3493, 2.7964) == pytest.approx(25.4, abs=0.3)
    assert haversine_km(None, 2.8, 45.3, 2.7) is None


def test_queries_are_parsed_into_groups() -> None:
    groups = parse("Une crêche vers St Flour ?")
    assert [g.alternatives for g in groups] == [[("creche",)], [("saint",), ("st",)], [("flour",)]]
    assert fts5_query(parse("ass mat")) == '(("assistante"* AND "maternelle"*) OR ("assmat"*))'
    assert tsquery(parse("co-working")) == "((coworking:*))"
    assert parse("le la les ?") == []
