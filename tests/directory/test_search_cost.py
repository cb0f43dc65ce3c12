"""
Free-text search has a cost cap (issue 15): one anonymous query cannot burn the CPU.

Before the cap, a 200-character `q` of made-up words scanned the whole vocabulary once per
word (33 scans, 0.13 to 0.8 s with the demo data); now only the first `MAX_WORDS` words are
searched and only the first `MAX_TYPO_LOOKUPS` unknown ones are looked up for typos. Over 200
characters the API answers 400, as before.
"""

import random

import pytest
from aiohttp.test_utils import TestClient

from services_directory import textsearch
from services_directory.search import MAX_Q_LENGTH, SearchQuery
from services_directory.storage import Storage
from services_directory.textsearch import MAX_TYPO_LOOKUPS, MAX_WORDS, parse


def made_up_words(count: int, letters: int = 5, seed: int = 15) -> list[str]:
    """Words no entry holds, nor any typo of them (consonants only)."""
    pick = random.Random(seed).choice
    return ["".join(pick("bcdfghjklmnpqrstvwxz") for _ in range(letters)) for _ in range(count)]


def worst_query() -> str:
    """The attack: as many distinct unknown 5-letter words as 200 characters hold."""
    return " ".join(made_up_words(40))[:MAX_Q_LENGTH].rsplit(" ", 1)[0]


def test_only_the_first_words_are_searched() -> None:
    words = made_up_words(30)
    assert len(parse(" ".join(words))) == MAX_WORDS
    assert parse(" ".join(words)) == parse(" ".join(words[:MAX_WORDS]))
    # Little words do not use up the allowance.
    assert len(parse("une crèche vers Murat pour le petit " + " ".join(words))) == MAX_WORDS


@pytest.mark.asyncio
async def test_unknown_words_scan_the_vocabulary_a_few_times_at_most(
    seeded: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanned: list[str] = []
    real = textsearch.typo_alternatives

    def counted(word: str, vocabulary, limit: int = 12):  # type: ignore[no-untyped-def]
        scanned.append(word)
        return real(word, vocabulary, limit)

    monkeypatch.setattr(textsearch, "typo_alternatives", counted)
    page = await seeded.search(SearchQuery.from_params({"q": worst_query()}))
    assert page.total == 0
    assert len(scanned) == MAX_TYPO_LOOKUPS
    # The typos of an ordinary search are still forgiven.
    scanned.clear()
    found = await seeded.search(SearchQuery.from_params({"q": "crehce"}))
    assert scanned == ["crehce"] and found.total > 0


@pytest.mark.asyncio
async def test_the_api_caps_the_length_with_a_json_error(client: TestClient) -> None:
    response = await client.get("/api/v1/services", params={"q": "a" * (MAX_Q_LENGTH + 1)})
    body = await response.json()
    assert response.status == 400 and body["error"]["code"] == "invalid_parameter"
    assert "200 caractères" in body["error"]["message"]
    response = await client.get("/api/v1/services", params={"q": worst_query()})
    assert response.status == 200 and (await response.json())["total"] == 0
