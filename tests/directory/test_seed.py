"""The demo seed: labelled as demo, real communes, enough entries, loaded once."""

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from services_directory.search import SearchQuery
from services_directory.seed import DEMO_FILE, load_seed, read_seed
from services_directory.storage import Storage
from services_directory.vocabulary import KINDS, TOPICS

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "communes_france.csv"
SEED = read_seed()
TERRITORIES = {item["slug"]: item for item in SEED["territories"]}


def test_the_seed_says_it_is_demo_data() -> None:
    assert "DÉMONSTRATION" in SEED["notice"]
    for territory in SEED["territories"]:
        assert "(démo)" in territory["welcome_contact"]["name"]
        for entry in territory["services"]:
            assert entry["description"].endswith("(démo)"), entry["name"]


def test_three_real_territories() -> None:
    assert {slug: t["department"] for slug, t in TERRITORIES.items()} == {
        "hautes-terres": "15",
        "creuse-grand-sud": "23",
        "coeur-de-lozere": "48",
    }


@pytest.mark.parametrize("slug", TERRITORIES)
def test_entries_are_valid_and_fictional(slug: str) -> None:
    territory = TERRITORIES[slug]
    communes = {c["insee"] for c in territory["communes"]}
    for entry in territory["services"]:
        assert entry["kind"] in KINDS[entry["topic"]]
        assert entry["commune"] in communes
        assert re.fullmatch(r"04 65 71 \d\d \d\d", entry["phone"]), "ARCEP fiction range only"
        assert entry["email"].endswith("@example.org")
        assert entry["website"].startswith("https://example.org/")
        assert date(2026, 1, 1) <= date.fromisoformat(entry["verified_on"]) < date(2026, 11, 29)
    assert re.fullmatch(r"04 65 71 \d\d \d\d", territory["welcome_contact"]["phone"])


@pytest.mark.parametrize("slug", TERRITORIES)
def test_at_least_five_published_entries_per_topic(slug: str) -> None:
    entries = TERRITORIES[slug]["services"]
    published = Counter(e["topic"] for e in entries if e["status"] == "published")
    assert {topic: published[topic] >= 5 for topic in TOPICS} == dict.fromkeys(TOPICS, True)


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference data not on this machine")
def test_communes_match_the_official_list() -> None:
    with REFERENCE.open(encoding="utf-8") as file:
        # "COMD" rows are former communes merged into another: keep current communes.
        rows = csv.DictReader(file)
        official = {row["insee_com"]: row for row in rows if row["commune_type"] == "COM"}
    for territory in SEED["territories"]:
        for commune in territory["communes"]:
            row = official[commune["insee"]]
            assert row["insee_dep"] == territory["department"]
            assert commune["name"] == row["commune_article"]
            assert commune["lat"] == pytest.approx(float(row["lat"]), abs=1e-4)
            assert commune["lon"] == pytest.approx(float(row["lng"]), abs=1e-4)


@pytest.mark.asyncio
async def test_loading_twice_changes_nothing(storage: Storage) -> None:
    assert await load_seed(storage) is True
    everything = SearchQuery(per_page=100)
    first = await storage.search(everything)
    assert await load_seed(storage) is False
    again = await storage.search(everything)
    assert again == first
    assert first.total == sum(
        e["status"] == "published" for t in SEED["territories"] for e in t["services"]
    )


@pytest.mark.asyncio
async def test_a_seed_that_fails_leaves_nothing(storage: Storage, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    text = DEMO_FILE.read_text(encoding="utf-8")
    broken.write_text(text.replace('"kind": "gare"', '"kind": "ferry"', 1), encoding="utf-8")
    with pytest.raises(Exception, match="ferry"):
        await load_seed(storage, broken)
    assert await storage.list_territories() == []
