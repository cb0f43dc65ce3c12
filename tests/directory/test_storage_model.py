"""The richer data model on both backends: change log, archive, job expiry, zones, accounts."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
import pytest_asyncio

from services_directory.entries import NewService, changed
from services_directory.errors import Conflict, InvalidEntry, NotFound
from services_directory.models import Commune, Contact, NewLead, Organisation, Territory
from services_directory.search import SearchQuery
from services_directory.storage import Storage

pytestmark = pytest.mark.asyncio

MURAT = Commune("15138", "Murat", "15300", 45.1236, 2.8501)
ALLANCHE = Commune("15001", "Allanche", "15160", 45.2285, 2.961)


@pytest_asyncio.fixture
async def filled(storage: Storage) -> Storage:
    contact = Contact("Accueil", "accueil@example.org", "04 65 71 00 00")
    await storage.put_territory(Territory("ht", "Hautes Terres", "15", contact))
    await storage.put_territory(Territory("cgs", "Creuse Grand Sud", "23", contact))
    await storage.put_communes("ht", [MURAT, ALLANCHE])
    return storage


def entry(**changes: object) -> NewService:
    fields = {"territory": "ht", "topic": "jobs", "kind": "job_offer", "name": "Offre de berger"}
    return NewService(**{**fields, "commune": "15138", "status": "published", **changes})  # type: ignore[arg-type]


async def test_every_write_is_logged_with_who_and_what(filled: Storage) -> None:
    added = await filled.add_service(entry(sector="agriculture"), by="agent@example.org")
    assert (added.created_by, added.updated_by) == ("agent@example.org", "agent@example.org")
    updated = await filled.update_service(
        changed(added, {"name": "Offre de bergère", "contract_type": "cdd"}), by="gip@example.org"
    )
    assert updated.updated_by == "gip@example.org" and updated.created_by == "agent@example.org"
    again = await filled.update_service(updated.as_new(), by="nobody")  # no change, no log
    assert again == updated
    history = await filled.service_history(added.id)
    created = {c.field: c.new_value for c in history if c.changed_by == "agent@example.org"}
    assert created["name"] == "Offre de berger" and created["sector"] == "agriculture"
    later = [
        (c.field, c.old_value, c.new_value) for c in history if c.changed_by == "gip@example.org"
    ]
    assert sorted(later) == [("contract_type", None, "cdd"), ("name", "Offre de berger",
                                                               "Offre de bergère")]  # fmt: skip
    assert not [c for c in history if c.changed_by == "nobody"]


async def test_archiving_hides_but_keeps(filled: Storage) -> None:
    added = await filled.add_service(entry())
    await filled.update_service(changed(added, {"status": "archived"}))
    assert (await filled.search(SearchQuery())).total == 0
    assert (await filled.get_service(added.id, published_only=False)).status == "archived"
    with pytest.raises(NotFound):
        await filled.get_service(added.id)


async def test_expired_job_offers_leave_search(filled: Storage) -> None:
    today = date.today()
    await filled.add_service(entry(name="Expirée", expires_on=today - timedelta(days=1)))
    await filled.add_service(entry(name="Du jour", expires_on=today))
    await filled.add_service(entry(name="Sans date"))
    found = await filled.search(SearchQuery(topic="jobs"))
    assert [item.name for item in found.items] == ["Du jour", "Sans date"]


async def test_eligibility_zone_filter(filled: Storage) -> None:
    await filled.add_service(entry(name="Partout"))
    await filled.add_service(entry(name="France", eligibility_zone=("france",)))
    await filled.add_service(entry(name="Cantal", eligibility_zone=("15",)))
    await filled.add_service(entry(name="Murat seul", eligibility_zone=("15138",)))
    await filled.add_service(entry(name="Creuse", eligibility_zone=("23",)))
    names = [i.name for i in (await filled.search(SearchQuery(zone="15001"))).items]
    assert names == ["Cantal", "France", "Partout"]
    names = [i.name for i in (await filled.search(SearchQuery(zone="15138"))).items]
    assert names == ["Cantal", "France", "Murat seul", "Partout"]


async def test_moving_to_another_commune_and_coordinates(filled: Storage) -> None:
    added = await filled.add_service(entry())
    moved = await filled.update_service(
        changed(added, {"commune": "15001", "lat": None, "lon": None})
    )
    assert (moved.lat, moved.lon, moved.commune_name) == (ALLANCHE.lat, ALLANCHE.lon, "Allanche")
    with pytest.raises(InvalidEntry) as error:
        await filled.update_service(changed(added, {"territory": "cgs"}))
    assert error.value.name == "commune"  # Murat is not in Creuse Grand Sud


async def test_source_ids_are_unique_and_found_within_a_territory(filled: Storage) -> None:
    added = await filled.add_service(entry(source="Test", source_id="test:1", to_verify=True))
    assert (await filled.find_by_source_id("test:1", "ht")) == added
    assert added.to_verify is True
    assert await filled.find_by_source_id("test:2", "ht") is None
    with pytest.raises(InvalidEntry) as taken:  # a 400 naming the field, not the index's error
        await filled.add_service(entry(source_id="test:1"))
    assert taken.value.name == "source_id"
    other = await filled.add_service(entry(source_id="test:2"))
    with pytest.raises(InvalidEntry):
        await filled.update_service(changed(other, {"source_id": "test:1"}))
    added = await filled.update_service(changed(added, {"name": "Même source"}))  # its own
    # Another territory's entry with the same source id is neither found nor in the way.
    assert await filled.find_by_source_id("test:1", "cgs") is None
    await filled.put_communes("cgs", [MURAT])
    theirs = await filled.add_service(entry(territory="cgs", source_id="test:1"))
    assert (await filled.find_by_source_id("test:1", "cgs")) == theirs != added
    assert (await filled.find_by_source_id("test:1", "ht")) == added


async def test_organisations_belong_to_a_territory(filled: Storage) -> None:
    made = await filled.add_organisation(Organisation("", "ht", "Mairie de Murat"))
    assert len(made.id) == 36
    assert [o.name for o in await filled.list_organisations("ht")] == ["Mairie de Murat"]
    added = await filled.add_service(entry(organisation=made.id))
    assert added.organisation == made.id
    with pytest.raises(InvalidEntry):
        await filled.add_service(entry(territory="ht", organisation=str(made.id)[::-1]))


async def test_accounts_and_tokens(filled: Storage) -> None:
    agent = await filled.create_user("Agent@Example.org", "agent", ["ht", "cgs"])
    assert agent.email == "agent@example.org" and agent.territories == ("ht", "cgs")
    with pytest.raises(Conflict):
        await filled.create_user("agent@example.org", "gip", [])
    with pytest.raises(InvalidEntry):
        await filled.create_user("x@example.org", "agent", ["nowhere"])
    with pytest.raises(InvalidEntry):
        await filled.create_user("y@example.org", "boss", [])
    await filled.add_token(agent.id, "f" * 64)
    found = await filled.user_for_token("f" * 64)
    assert found is not None and found.email == "agent@example.org"
    assert sorted(found.territories) == ["cgs", "ht"]
    assert await filled.user_for_token("0" * 64) is None
    assert (await filled.get_user("AGENT@example.org")).id == agent.id


async def test_leads(filled: Storage) -> None:
    lead = await filled.add_lead(NewLead("ht", "Alex", "alex@example.org", None, "Une crèche ?"))
    assert lead.status == "new"
    assert await filled.list_leads("ht") == [lead]
    assert await filled.list_leads("cgs") == []
    with pytest.raises(InvalidEntry):
        await filled.add_lead(replace(NewLead("x", "", None, "0465710000", ""), territory="zz"))


async def test_widget_settings_are_stored(filled: Storage) -> None:
    from services_directory.models import Widget

    territory = await filled.get_territory("ht")
    await filled.put_territory(replace(territory, widget=Widget("Bonjour !", "#112233")))
    assert (await filled.get_territory("ht")).widget == Widget("Bonjour !", "#112233")
