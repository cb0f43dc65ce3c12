"""Importers on both backends: real national files, dry runs, all-or-nothing, no duplicates."""

import json
from pathlib import Path

import pytest

from services_directory.importers import run_import
from services_directory.importers.tiers_lieux import ATTRIBUTION
from services_directory.models import Contact, Territory
from services_directory.search import SearchQuery
from services_directory.seed import load_seed
from services_directory.storage import Storage

pytestmark = pytest.mark.asyncio

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
COMMUNES = DATA / "communes_france.csv"
TIERS_LIEUX = DATA / "tiers_lieux_2019.csv"
CONTACT = Contact("Accueil du Cantal", "accueil@example.org", "04 65 71 00 15")
HEADER = "insee_com,insee_dep,commune,commune_article,code_postal,commune_type,lat,lng\n"


@pytest.fixture(scope="module")
def reference_files() -> tuple[bytes, bytes]:
    if not COMMUNES.exists() or not TIERS_LIEUX.exists():
        pytest.fail(f"reference data missing in {DATA}", pytrace=False)
    return COMMUNES.read_bytes(), TIERS_LIEUX.read_bytes()


async def test_coworking_near_aurillac_from_the_national_files(
    storage: Storage, reference_files: tuple[bytes, bytes]
) -> None:
    communes, census = reference_files
    await storage.put_territory(Territory("cantal", "Cantal", "15", CONTACT))
    report = await run_import(
        storage, "communes", communes, dry_run=False, by="test", territory="cantal",
        departments=["15"],
    )  # fmt: skip
    assert report.written and not report.rejected and report.communes > 35_000
    assert len(await storage.list_communes("cantal")) == 246
    dry = await run_import(storage, "tiers-lieux", census, dry_run=True, by="test")
    assert (dry.created, dry.written, await storage.count_services()) == (2, False, 0)
    report = await run_import(storage, "tiers-lieux", census, dry_run=False, by="test")
    assert report.written and report.created == 2 and report.skipped["commune hors des territoires"]
    page = await storage.search(SearchQuery(topic="telework", near="15014", territory="cantal"))
    assert [(i.name, i.commune_name) for i in page.items] == [
        ("La Forge", "Aurillac"),
        ("La COcotte numérique", "Murat"),
    ]
    assert page.items[0].distance_km < 1 < 20 < page.items[1].distance_km  # type: ignore[operator]
    forge = page.items[0]
    assert (forge.kind, forge.to_verify, forge.source, forge.verified_on) == (
        "coworking", True, ATTRIBUTION, None,
    )  # fmt: skip
    assert forge.website == "http://www.coworking-aurillac.fr"
    near = await storage.search(SearchQuery(q="coworking", near="15014"))
    assert near.items[0].name == "La Forge"
    again = await run_import(storage, "tiers-lieux", census, dry_run=False, by="test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert await storage.count_services() == 2


async def test_a_bad_commune_file_is_reported_and_changes_nothing(storage: Storage) -> None:
    rows = (
        "15014,15,Aurillac,Aurillac,15000,COM,44.92806,2.44159\n"
        "1501,15,Court,Court,15000,COM,44.9,2.4\n"
        "15138,15,Murat,Murat,15300,COM,95.0,2.85\n"
        "15999,15,Ancienne,Ancienne,15000,COMD,44.9,2.4\n"
    )
    for dry_run in (True, False):
        report = await run_import(
            storage, "communes", (HEADER + rows).encode(), dry_run=dry_run, by="t"
        )
        assert [(p.line, p.field) for p in report.rejected] == [(3, "insee_com"), (4, "lat")]
        assert report.skipped == {"ancienne commune ou arrondissement": 1}
        assert not report.written
        assert "ligne 3 [insee_com]" in report.summary()
    with pytest.raises(Exception, match="inconnue"):
        await storage.get_commune("15014")


async def test_the_agents_template_round_trips(seeded: Storage) -> None:
    from services_directory.exports import to_csv

    exported = to_csv(await seeded.list_services("hautes-terres")).encode()
    report = await run_import(seeded, "services", exported, dry_run=False, by="t")
    assert report.written and report.created == 0 and report.updated == 0
    assert report.unchanged == exported.count(b"\n") - 1
    new = (
        "territory;topic;kind;name;commune;phone;eligibility_zone\n"
        "hautes-terres;childcare;creche;Crèche du Lioran;15138;04 65 71 12 34;15\n"
        "hautes-terres;childcare;creche;Crèche sans commune;;;\n"
        "creuse-grand-sud;jobs;job_offer;Offre;23008;;\n"
    ).encode()
    limited = await run_import(
        seeded, "services", new, dry_run=True, by="t", allowed={"hautes-terres"}
    )
    assert [(p.line, p.field) for p in limited.rejected] == [(3, "commune"), (4, "territory")]
    fixed = b"\n".join(new.split(b"\n")[:2]) + b"\n"
    for _ in range(2):  # the second run finds it by its derived source id
        report = await run_import(seeded, "services", fixed, dry_run=False, by="t")
        assert report.written
    found = await seeded.search(SearchQuery(q="lioran creche", per_page=100))
    mine = [(i.name, i.eligibility_zone) for i in found.items if i.name == "Crèche du Lioran"]
    assert mine == [("Crèche du Lioran", ("15",))]


async def test_data_inclusion_services(seeded: Storage) -> None:
    services = [
        {"id": "a1", "source": "dora", "nom": "Relais petite enfance de Murat",
         "code_insee": "15138", "thematiques": ["famille--garde-denfants"], "frais": ["gratuit"],
         "telephone": "04 65 71 55 55", "zone_eligibilite": ["15"],
         "horaires_accueil": "Tu,Th 09:00-12:00"},
        {"id": "a2", "source": "dora", "nom": "Aide au logement", "code_insee": "15138",
         "thematiques": ["logement-hebergement"]},
        {"id": "a3", "source": "dora", "nom": "Ailleurs", "code_insee": "75056",
         "thematiques": ["mobilite--etre-accompagne"]},
        {"id": "a4", "source": "dora", "nom": "Sans commune", "thematiques": ["mobilite"]},
    ]  # fmt: skip
    data = json.dumps(services).encode()
    report = await run_import(seeded, "data-inclusion", data, dry_run=False, by="t")
    assert [(p.line, p.field) for p in report.rejected] == [
        (4, "code_insee")
    ] and not report.written
    data = json.dumps(services[:3]).encode()
    report = await run_import(seeded, "data-inclusion", data, dry_run=False, by="t")
    assert report.written and report.created == 1 and sum(report.skipped.values()) == 2
    entry = await seeded.find_by_source_id("data-inclusion:dora:a1", "hautes-terres")
    assert entry is not None
    assert (entry.kind, entry.fees, entry.opening_hours) == (
        "relais_petite_enfance", "gratuit", "Tu,Th 09:00-12:00",
    )  # fmt: skip


async def test_unreadable_files_are_refused(storage: Storage) -> None:
    await load_seed(storage)
    # Windows-1252 (Excel's "CSV") is read (test_hostile_input.py); bytes it leaves undefined
    # are not text at all.
    with pytest.raises(Exception, match="UTF-8"):
        await run_import(storage, "services", b"name\x81\x8d\x90", dry_run=True, by="t")
    with pytest.raises(Exception, match="Colonnes manquantes"):
        await run_import(storage, "services", b"name,topic\nx,jobs\n", dry_run=True, by="t")
