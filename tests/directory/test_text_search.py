"""Free text as newcomers type it, on both backends: accents, typos, abbreviations, ranking."""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from services_directory.postgres import PostgresStorage
from services_directory.search import SearchQuery
from services_directory.seed import load_seed
from services_directory.sqlite import SQLiteStorage
from services_directory.storage import Storage
from services_directory.text import fold

# These tests only read: one seeded storage per backend serves the whole module.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=["sqlite", "postgres"])
async def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Storage]:
    opened: Storage
    if request.param == "sqlite":
        opened = SQLiteStorage(Path(tmp_path_factory.mktemp("search")) / "db.sqlite3")
    else:
        schema = f"test_{uuid.uuid4().hex[:16]}"
        opened = PostgresStorage(request.getfixturevalue("postgres_url"), schema=schema)
    await opened.open()
    await load_seed(opened)
    yield opened
    if isinstance(opened, PostgresStorage):
        await opened._run(f"DROP SCHEMA {opened.schema} CASCADE")
    await opened.close()


async def names(storage: Storage, **query: object) -> list[str]:
    page = await storage.search(SearchQuery(per_page=100, **query))  # type: ignore[arg-type]
    assert page.total == len(page.items)
    return [item.name for item in page.items]


@pytest.mark.parametrize("q", ["creche", "crêche", "CRÈCHE", "crehce", "creches"])
async def test_creche_however_typed(seeded: Storage, q: str) -> None:
    assert "Crèche Les Petits Volcans" in await names(seeded, q=q)


@pytest.mark.parametrize("q", ["ass mat", "assmat", "nounou", "assistante maternelle", "asistante"])
async def test_assistante_maternelle_abbreviations(seeded: Storage, q: str) -> None:
    found = await names(seeded, q=q, kind="assistante_maternelle")
    assert "Maison d'assistantes maternelles Les Marmottes" in found


@pytest.mark.parametrize("q", ["st maixant", "saint maixant", "St-Maixant", "ST MAIXANT"])
async def test_saint_abbreviation(seeded: Storage, q: str) -> None:
    assert await names(seeded, q=q, topic="childcare") == [
        "Maison d'assistantes maternelles Les Écureuils"
    ]


@pytest.mark.parametrize("q", ["coworking", "co-working", "co working", "cowroking"])
async def test_coworking_however_typed(seeded: Storage, q: str) -> None:
    found = await names(seeded, q=q)
    assert {"Coworking Les Tisserands", "Bureau partagé de Badaroux"} <= set(found)


async def test_name_matches_rank_first(seeded: Storage) -> None:
    found = await names(seeded, q="coworking")
    in_name = [name for name in found if "coworking" in fold(name)]
    assert found[: len(in_name)] == in_name  # then those whose kind alone says coworking
    assert len(in_name) < len(found)


async def test_near_wins_over_rank_and_pages_keep_totals(seeded: Storage) -> None:
    query = {"q": "coworking", "near": "15138"}
    whole = await seeded.search(SearchQuery(per_page=100, **query))  # type: ignore[arg-type]
    distances = [item.distance_km for item in whole.items]
    assert distances == sorted(distances)  # type: ignore[type-var]
    pages = [await seeded.search(SearchQuery(per_page=2, page=p, **query)) for p in (1, 2, 3)]  # type: ignore[arg-type]
    assert {page.total for page in pages} == {whole.total}
    assert [i.id for page in pages for i in page.items] == [i.id for i in whole.items][:6]


async def test_kind_and_text_combine(seeded: Storage) -> None:
    assert await names(seeded, q="murat", kind="coworking") == ["Espace de coworking de la Halle"]


async def test_unknown_words_find_nothing(seeded: Storage) -> None:
    assert await names(seeded, q="piscine olympique") == []
    assert await names(seeded, q="zzzzzzzz") == []
