"""
Imports match rows only among the entries of the row's territory, on both backends.

An import never changes or moves another territory's entry, whoever imports (the GIP
included), and its id or source id is unknown exactly like one that exists nowhere. The HTTP
routes are attacked in test_tenants.py; these are the rules, through `run_import`.
"""

import json
import uuid

import pytest

from services_directory.importers import run_import
from services_directory.storage import Storage

pytestmark = pytest.mark.asyncio
HERE, THERE, THERE_COMMUNE = "hautes-terres", "creuse-grand-sud", "23008"


def _sheet(entry_id: str, name: str = "Crèche déplacée") -> bytes:
    return (
        "id,territory,topic,kind,name,commune\n"
        f"{entry_id},{THERE},childcare,creche,{name},{THERE_COMMUNE}\n"
    ).encode()


def _data_inclusion(item_id: str, insee: str, name: str) -> bytes:
    return json.dumps([{
        "id": item_id, "source": "dora", "nom": name, "code_insee": insee,
        "thematiques": ["famille--garde-denfants"],
    }]).encode()  # fmt: skip


async def _state(storage: Storage, territory: str) -> str:
    services = await storage.list_services(territory)
    return repr([(s, await storage.service_history(s.id)) for s in services])


async def test_not_even_the_gip_moves_an_entry_by_import(seeded: Storage) -> None:
    entry = (await seeded.list_services(HERE))[0]
    before = await _state(seeded, HERE)
    reports = []
    for entry_id in (entry.id, str(uuid.uuid4())):
        for dry_run in (True, False):
            report = await run_import(seeded, "services", _sheet(entry_id), dry_run=dry_run, by="g")
            reports.append(report.to_dict())
    assert reports[:2] == reports[2:]  # the same words as for an id that exists nowhere
    assert [(p["line"], p["field"]) for p in reports[1]["rejected"]] == [(2, "id")]
    assert not reports[1]["written"]
    assert await _state(seeded, HERE) == before


async def test_a_row_updates_its_own_territory_entry_by_id_and_never_invents_one(
    seeded: Storage,
) -> None:
    entry = (await seeded.list_services(THERE))[0]
    report = await run_import(
        seeded, "services", _sheet(entry.id, "Nom corrigé"), dry_run=False, by="a",
        allowed={THERE},
    )  # fmt: skip
    assert (report.written, report.updated) == (True, 1)
    updated = await seeded.get_service(entry.id, published_only=False)
    assert (updated.name, updated.territory) == ("Nom corrigé", THERE)
    invented = str(uuid.uuid4())
    report = await run_import(seeded, "services", _sheet(invented), dry_run=False, by="a")
    assert [p.field for p in report.rejected] == ["id"] and not report.written
    assert invented not in {s.id for s in await seeded.list_services()}


async def test_a_source_id_is_matched_within_the_territory_only(seeded: Storage) -> None:
    """The same data·inclusion service imported in two territories is two entries: the second
    import neither finds, changes nor moves the first territory's."""
    here = await run_import(
        seeded, "data-inclusion", _data_inclusion("a1", "15138", "Relais de Murat"),
        dry_run=False, by="agent@ht", allowed={HERE},
    )  # fmt: skip
    assert here.created == 1
    before = await _state(seeded, HERE)
    reports = []
    for item_id in ("a1", "z9"):  # the other territory's source id, then one that exists nowhere
        report = await run_import(
            seeded, "data-inclusion", _data_inclusion(item_id, THERE_COMMUNE, "Relais pirate"),
            dry_run=False, by="agent@cgs", allowed={THERE},
        )  # fmt: skip
        reports.append({**report.to_dict()})
    assert reports[0] == reports[1] and reports[0]["created"] == 1
    assert await _state(seeded, HERE) == before
    mine = await seeded.find_by_source_id("data-inclusion:dora:a1", HERE)
    theirs = await seeded.find_by_source_id("data-inclusion:dora:a1", THERE)
    assert mine is not None and theirs is not None and mine.id != theirs.id
    assert (mine.name, theirs.name) == ("Relais de Murat", "Relais pirate")
    # Each territory's re-import still updates its own entry.
    again = await run_import(
        seeded, "data-inclusion", _data_inclusion("a1", "15138", "Relais petite enfance de Murat"),
        dry_run=False, by="agent@ht", allowed={HERE},
    )  # fmt: skip
    assert (again.created, again.updated) == (0, 1)
