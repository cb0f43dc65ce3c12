"""
data·inclusion v1 out, checked by the schema's own package (data-inclusion-schema 1.0.10).

The package needs pydantic 2, so it lives in its own environment (.venvs/data-inclusion, from
requirements/data-inclusion.txt, made by `make data-inclusion`): these tests export with the
directory's code and let scripts/validate_data_inclusion.py judge in that environment.

- every structure and service of the demo seed, through the API and the command line;
- every record made from generated entries, organisations and territories (hypothesis);
- export, then import into an empty directory: the same entries, in every field the format
  carries;
- each kind's `type` and `thematiques` read back as that kind.

Without the environment the tests are skipped, unless DATA_INCLUSION_REQUIRED=1 (as
`make data-inclusion`, part of `make test`, sets): then they fail.
"""

import asyncio
import json
import os
import subprocess
import sys
import uuid
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from services_directory import payloads
from services_directory import validation as v
from services_directory.data_inclusion import (
    KIND_VOCABULARY,
    PUBLICS,
    SOURCE,
    export,
    organisation_structure,
    to_service,
    welcome_structure,
)
from services_directory.entries import Service
from services_directory.errors import InvalidEntry
from services_directory.importers import run_import
from services_directory.importers.data_inclusion import topic_and_kind
from services_directory.models import Commune, Contact, Organisation, Territory
from services_directory.seed import load_seed, read_seed
from services_directory.sqlite import SQLiteStorage
from services_directory.vocabulary import FEES, KIND_LABELS, KIND_TOPICS

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / "scripts" / "validate_data_inclusion.py"
SCHEMA_PYTHON = Path(
    os.environ.get("DATA_INCLUSION_PYTHON", ROOT / ".venvs" / "data-inclusion" / "bin" / "python")
)
# What the format carries (the rest, such as status, verification and job-offer details,
# stays with us).
CARRIED = (
    "territory", "topic", "kind", "name", "description", "commune", "address", "lat", "lon",
    "phone", "email", "website", "opening_hours", "fees", "fees_details", "audience",
    "eligibility_zone",
)  # fmt: skip


@pytest.fixture(scope="module")
def schema_python() -> Path:
    if SCHEMA_PYTHON.exists():
        return SCHEMA_PYTHON
    message = f"{SCHEMA_PYTHON} missing: `make data-inclusion` creates it"
    if os.environ.get("DATA_INCLUSION_REQUIRED") == "1":
        pytest.fail(message)
    pytest.skip(message)


def validate_files(schema_python: Path, folder: Path) -> dict[str, Any]:
    done = subprocess.run(
        [schema_python, VALIDATOR, folder / "structures.json", folder / "services.json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def assert_all_valid(report: dict[str, Any], structures: int, services: int) -> None:
    assert report["structures"] == {"valid": structures, "invalid": []}, report["structures"]
    assert report["services"] == {"valid": services, "invalid": []}, report["services"]
    assert report["missing_structures"] == []


# -- the demo seed ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_api_exports_of_the_demo_seed_validate(
    client: TestClient, schema_python: Path, tmp_path: Path
) -> None:
    base = "/api/v1/exports/data-inclusion"
    structures = await (await client.get(f"{base}/structures.json")).json()
    services = await (await client.get(f"{base}/services.json")).json()
    (tmp_path / "structures.json").write_text(json.dumps(structures), encoding="utf-8")
    (tmp_path / "services.json").write_text(json.dumps(services), encoding="utf-8")
    assert len(structures) == 3  # one welcome service a territory: no organisation in the seed
    assert len(services) > 50
    assert_all_valid(validate_files(schema_python, tmp_path), len(structures), len(services))
    # The older address answers the same services; a territory narrows both.
    assert await (await client.get(f"{base}.json")).json() == services
    one = await (await client.get(f"{base}/structures.json?territory=hautes-terres")).json()
    assert [s["id"] for s in one] == [f"{SOURCE}--accueil-hautes-terres"]
    assert (await client.get(f"{base}/services.json?territory=atlantide")).status == 404


def test_cli_export_of_every_entry_validates(
    schema_python: Path, tmp_path: Path, demo_database: Path
) -> None:
    database = tmp_path / "directory.sqlite3"
    database.write_bytes(demo_database.read_bytes())
    out = tmp_path / "export"
    environ = {**os.environ, "DIRECTORY_DATABASE": str(database), "DIRECTORY_SEED": "none"}
    environ.pop("DIRECTORY_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "services_directory", "export", "data-inclusion", "--out", out],
        capture_output=True, text=True, timeout=120, env=environ, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    services = json.loads((out / "services.json").read_text(encoding="utf-8"))
    seeded = sum(len(t["services"]) for t in read_seed()["territories"])
    assert len(services) == seeded  # drafts and archived entries too, as the CSV export
    assert_all_valid(validate_files(schema_python, out), 3, seeded)


def test_an_entry_s_organisation_is_its_structure(
    line_validator: "LineValidator", tmp_path: Path
) -> None:
    async def run() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        storage = SQLiteStorage(tmp_path / "directory.sqlite3")
        await storage.open()
        try:
            await load_seed(storage)
            organisation = await storage.add_organisation(Organisation(
                id="", territory="hautes-terres", name="Communauté de communes.",
                siret="12345678901234", email="contact@example.org", description="Un EPCI.",
            ))  # fmt: skip
            services = await storage.list_services("hautes-terres")
            first = services[0].as_new()
            await storage.update_service(replace(first, organisation=organisation.id))
            return await export(storage, await storage.list_services("hautes-terres"))
        finally:
            await storage.close()

    structures, services = asyncio.run(run())
    ids = [s["id"] for s in structures]
    assert len(ids) == 2 and f"{SOURCE}--accueil-hautes-terres" in ids
    (mine,) = [s for s in structures if s["id"] != f"{SOURCE}--accueil-hautes-terres"]
    assert mine["nom"] == "Communauté de communes" and mine["siret"] == "12345678901234"
    assert sum(s["structure_id"] == mine["id"] for s in services) == 1
    for structure in structures:
        assert line_validator.errors("Structure", structure) == [], structure
    for service in services:
        assert line_validator.errors("Service", service) == [], service


# -- generated entries -----------------------------------------------------------------------


class LineValidator:
    """The validator in --lines mode: one record in, its errors out."""

    def __init__(self, schema_python: Path) -> None:
        self.process = subprocess.Popen(
            [schema_python, VALIDATOR, "--lines"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def errors(self, model: str, record: dict[str, Any]) -> list[str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"model": model, "record": record}) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())["errors"]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def line_validator(schema_python: Path):
    validator = LineValidator(schema_python)
    yield validator
    validator.close()


SETTINGS = settings(
    max_examples=200, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much],
)  # fmt: skip
# Text as people type it (no control characters: validation refuses them).
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=60)
NAME = TEXT | st.sampled_from(["A", "Bus", "Crèche.", "Etc.", "...", "x" * 200, "Tiers-lieu etc."])
EMAIL = st.from_regex(v.EMAIL, fullmatch=True) | st.sampled_from(
    ["a@example.org", "x.y@b.test", "é@b.fr", "a..b@c.fr", "a@b.local", "a@-b.fr"]
)
WEBSITE = st.sampled_from(
    ["https://example.org/a?b=c#d", "http://a", "https://a_b.fr", "http://[::1]/", "https://x:99999",
     "https://é.fr/é", "http://1.2.3.4:8080/x"]
) | st.builds(lambda tail: "https://" + tail, st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), max_size=40
))  # fmt: skip
ZONE = st.sampled_from(["france", "15", "2A", "974", "200066660"]) | st.from_regex(
    v.INSEE, fullmatch=True
)
HOURS = TEXT | st.sampled_from(["Mo-Fr 08:30-12:30; PH off", "Tu,Th 09:00-12:00", "24/7"])
DAYS = st.dates(date(1990, 1, 1), date(2100, 12, 31))


@st.composite
def entries(draw: st.DrawFn) -> Service:
    """An entry as the API would accept it, read back as storage gives it."""
    kind = draw(st.sampled_from(sorted(KIND_TOPICS)))
    has_place = draw(st.booleans())
    raw = {
        "territory": "t", "topic": KIND_TOPICS[kind], "kind": kind, "name": draw(NAME),
        "commune": draw(st.from_regex(v.INSEE, fullmatch=True)),
        "description": draw(TEXT | st.text(min_size=4000, max_size=5000)),
        "address": draw(st.none() | TEXT),
        "lat": draw(st.floats(-90, 90)) if has_place else None,
        "lon": draw(st.floats(-180, 180)) if has_place else None,
        "phone": draw(st.none() | st.from_regex(v.PHONE, fullmatch=True)),
        "email": draw(st.none() | EMAIL), "website": draw(st.none() | WEBSITE),
        "verified_on": draw(st.none() | DAYS.map(date.isoformat)),
        "opening_hours": draw(st.none() | HOURS),
        "fees": draw(st.none() | st.sampled_from(FEES)), "fees_details": draw(st.none() | TEXT),
        "audience": draw(st.lists(st.sampled_from([*PUBLICS, "nouveaux-arrivants"]), max_size=4)),
        "eligibility_zone": draw(st.lists(ZONE, max_size=4)),
        "organisation": draw(st.none() | st.uuids().map(str)),
    }  # fmt: skip
    try:
        fields = payloads.entry_fields(raw)
    except InvalidEntry:
        reject()
    updated = draw(st.datetimes(datetime(2000, 1, 1), datetime(2026, 1, 1)))
    return Service(
        id=str(uuid.uuid4()), commune_name=draw(TEXT), status="published",
        updated_at=updated.replace(tzinfo=timezone.utc).isoformat(), **fields,
    )  # fmt: skip


@st.composite
def organisations(draw: st.DrawFn) -> Organisation:
    """An organisation as `POST /api/v1/organisations` accepts it."""
    raw = {
        "name": draw(NAME), "siret": draw(st.none() | st.from_regex(v.SIRET, fullmatch=True)),
        "website": draw(st.none() | WEBSITE),
        "phone": draw(st.none() | st.from_regex(v.PHONE, fullmatch=True)),
        "email": draw(st.none() | EMAIL), "description": draw(TEXT),
    }  # fmt: skip
    try:
        return Organisation(
            id=str(uuid.uuid4()), territory="t", name=v.required("name", raw["name"], 200),
            siret=v.matching("siret", raw["siret"], v.SIRET, "14 chiffres"),
            website=v.website("website", raw["website"]), phone=v.phone("phone", raw["phone"]),
            email=v.email("email", raw["email"]), description=v.text("d", raw["description"]) or "",
        )  # fmt: skip
    except InvalidEntry:
        reject()


@st.composite
def territories(draw: st.DrawFn) -> Territory:
    """A territory as `POST /api/v1/territories` accepts it."""
    raw = {
        "slug": draw(st.from_regex(v.SLUG, fullmatch=True).filter(lambda s: len(s) <= 60)),
        "name": draw(NAME), "department": draw(st.from_regex(v.DEPARTMENT, fullmatch=True)),
        "welcome_contact": {"name": draw(NAME), "email": draw(st.none() | EMAIL),
                            "phone": draw(st.none() | st.from_regex(v.PHONE, fullmatch=True))},
    }  # fmt: skip
    try:
        return payloads.territory(raw)
    except InvalidEntry:
        reject()


@SETTINGS
@given(service=entries())
def test_every_generated_service_validates(line_validator: LineValidator, service: Service) -> None:
    record = to_service(service, f"{SOURCE}--accueil-t")
    assert line_validator.errors("Service", record) == [], record


@SETTINGS
@given(organisation=organisations(), territory=territories(), day=DAYS)
def test_every_generated_structure_validates(
    line_validator: LineValidator, organisation: Organisation, territory: Territory, day: date
) -> None:
    for structure in (organisation_structure(organisation), welcome_structure(territory)):
        record = {**structure, "date_maj": min(day, date.today()).isoformat()}
        if day < date(2000, 1, 1):
            continue  # dates come from the services' date_maj, always from 2000 on
        assert line_validator.errors("Structure", record) == [], record


# -- round trip ------------------------------------------------------------------------------


def test_export_then_import_into_an_empty_directory_gives_the_same_entries(
    tmp_path: Path,
) -> None:
    async def run() -> tuple[list[Service], list[Service]]:
        source = SQLiteStorage(tmp_path / "source.sqlite3")
        empty = SQLiteStorage(tmp_path / "empty.sqlite3")
        await source.open()
        await empty.open()
        try:
            await load_seed(source)
            await _territories_only(empty)
            published = [s for s in await source.list_services() if s.status == "published"]
            _, records = await export(source, published)
            data = json.dumps(records).encode("utf-8")
            report = await run_import(empty, "data-inclusion", data, dry_run=False, by="test")
            assert report.written and report.created == len(published), report.summary()
            return published, await empty.list_services()
        finally:
            await source.close()
            await empty.close()

    exported, imported = asyncio.run(run())
    assert len(exported) > 50
    assert _carried(imported) == _carried(exported)


async def _territories_only(storage: SQLiteStorage) -> None:
    for item in read_seed()["territories"]:
        contact = Contact(**item["welcome_contact"])
        await storage.put_territory(
            Territory(item["slug"], item["name"], item["department"], contact)
        )
        await storage.put_communes(item["slug"], [Commune(**c) for c in item["communes"]])


def _carried(services: list[Service]) -> list[tuple[Any, ...]]:
    return sorted(tuple(getattr(s, name) for name in CARRIED) for s in services)


@pytest.mark.parametrize("kind", sorted(KIND_VOCABULARY))
def test_each_kind_comes_back_from_its_type_and_thematiques(kind: str) -> None:
    type_, thematiques = KIND_VOCABULARY[kind]
    item = {"source": SOURCE, "type": type_, "thematiques": list(thematiques),
            "nom": KIND_LABELS[kind]}  # fmt: skip
    assert topic_and_kind(item) == (KIND_TOPICS[kind], kind)


def test_telework_themes_of_other_producers_are_not_telework() -> None:
    type_, thematiques = KIND_VOCABULARY["coworking"]
    item = {"source": "dora", "type": type_, "thematiques": list(thematiques), "nom": "Espace"}
    assert topic_and_kind(item) == ("jobs", "employment_support")  # creer-une-entreprise--…
    item["thematiques"] = ["numerique--acceder-a-une-connexion-internet"]
    assert topic_and_kind(item) is None
