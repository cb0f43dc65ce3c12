"""Writing to storage: entries are checked, and take their commune's coordinates."""

import pytest
import pytest_asyncio

from services_directory.errors import InvalidEntry, NotFound
from services_directory.models import Commune, Contact, NewService, Territory
from services_directory.storage import Storage

pytestmark = pytest.mark.asyncio

MURAT = Commune("15138", "Murat", "15300", 45.1236, 2.8501)


@pytest_asyncio.fixture
async def filled(storage: Storage) -> Storage:
    contact = Contact("Accueil", "accueil@example.org", "04 65 71 00 00")
    await storage.put_territory(Territory("ht", "Hautes Terres", "15", contact))
    await storage.put_territory(Territory("other", "Ailleurs", "23", contact))
    await storage.put_communes("ht", [MURAT])
    return storage


def entry(**changes: object) -> NewService:
    fields = {"territory": "ht", "topic": "childcare", "kind": "creche", "name": "Crèche"}
    return NewService(**{**fields, "commune": "15138", **changes})  # type: ignore[arg-type]


async def test_an_entry_without_coordinates_takes_its_communes(filled: Storage) -> None:
    added = await filled.add_service(entry())
    assert (added.lat, added.lon) == (MURAT.lat, MURAT.lon)
    assert added.status == "draft" and added.commune_name == "Murat"
    assert len(added.id) == 36
    with pytest.raises(NotFound):
        await filled.get_service(added.id)  # a draft is not public
    assert (await filled.get_service(added.id, published_only=False)) == added


async def test_an_entry_keeps_its_own_coordinates(filled: Storage) -> None:
    added = await filled.add_service(entry(lat=45.2, lon=2.9))
    assert (added.lat, added.lon) == (45.2, 2.9)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"territory": "nowhere"}, "territory"),
        ({"territory": "other"}, "commune"),  # Murat is not in that territory
        ({"commune": "23008"}, "commune"),
        ({"topic": "fishing"}, "topic"),
        ({"kind": "gare"}, "kind"),
        ({"status": "deleted"}, "status"),
        ({"name": "  "}, "name"),
        ({"lat": 45.0}, "lat"),
    ],
)
async def test_bad_entries_are_refused(filled: Storage, changes: dict, field: str) -> None:
    with pytest.raises(InvalidEntry) as error:
        await filled.add_service(entry(**changes))
    assert error.value.name == field


async def test_communes_are_updated_in_place(filled: Storage) -> None:
    await filled.put_communes("ht", [Commune("15138", "Murat", "15300", 45.0, 2.0)])
    assert [c.lat for c in await filled.list_communes("ht")] == [45.0]
    with pytest.raises(InvalidEntry):
        await filled.put_communes("ht", [Commune("1513", "Court", "15300", None, None)])
    with pytest.raises(NotFound):
        await filled.put_communes("nowhere", [MURAT])


async def test_a_failed_batch_keeps_nothing(filled: Storage) -> None:
    with pytest.raises(InvalidEntry):
        async with filled.batch():
            await filled.add_service(entry(name="Kept?", status="published"))
            await filled.add_service(entry(topic="fishing"))
    assert await filled.count_services() == 0
