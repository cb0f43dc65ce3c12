"""
No CSV we hand out runs a formula in a spreadsheet (issue 15, item 3; safe_csv.py).

Every export is checked with the attack's payloads: the services export through the API and the
back-office (entries on SQLite and PostgreSQL), and the analytics export of unanswered questions
fed by a chat message. A cell is safe when no place where a spreadsheet may start a cell (the
text's start, after `;` or a line break, whitespace and double quotes skipped) holds a formula
character. The agents' template still imports back unchanged.
"""

import asyncio
import csv
import io
import re
import uuid
from pathlib import Path

import asyncpg
import pytest
from aiohttp.test_utils import TestClient
from app_backends import on_each_backend  # noqa: F401 (fixture)
from hypothesis import given, settings
from hypothesis import strategies as st

from services_directory.analytics.exports import table_csv
from services_directory.analytics.figures import dashboard
from services_directory.analytics.service import Period, load
from services_directory.analytics.tracker import TrackerDB
from services_directory.app import create_app
from services_directory.appkeys import STORAGE
from services_directory.exports import to_csv
from services_directory.importers import run_import
from services_directory.safe_csv import FORMULA_CHARACTERS, csv_text, neutralise, restore
from services_directory.storage import Storage
from tests.directory.analytics_events import EVENTS_DDL, Conversation, rows_of, write_sqlite
from tests.directory.backoffice_support import settings_for, signed_in
from tests.directory.test_analytics_figures import DAY, NAMES, NOON

HYPERLINK = '=HYPERLINK("http://evil.example","Cliquez ici")'
PAYLOADS = [
    HYPERLINK,
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    '"=1+1',
    '＝HYPERLINK("http://evil.example")',
    "＋1＋1",
    "－1",
    "＠SUM(1)",
    "Crèche;=1+1",
    "Crèche; -2+3",
    "Horaires\n=1+1",
    "'=1+1",
]
_CELL_STARTS = re.compile(r"(?:^|[;\r\n])[\s\"]*(.)", re.S)


def formula_cells(text: str) -> list[str]:
    """Cells of a CSV file where a spreadsheet could start a cell with a formula."""
    found = []
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if any(m.group(1) in FORMULA_CHARACTERS for m in _CELL_STARTS.finditer(cell)):
                found.append(cell)
    return found


# ---- the writer itself


def test_safe_csv_is_the_only_csv_writer() -> None:
    package = Path(__file__).resolve().parents[2] / "services_directory"
    writers = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\b", path.read_text(encoding="utf-8"))
    ]
    assert writers == ["safe_csv.py"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_is_neutralised_and_restored(payload: str) -> None:
    assert formula_cells(csv_text(["cell"], [[payload]])) == []
    assert restore(neutralise(payload)) == payload


def test_the_quote_goes_first_as_owasp_says() -> None:
    assert neutralise(HYPERLINK) == "'" + HYPERLINK
    assert neutralise("+33 4 71 20 00 00") == "'+33 4 71 20 00 00"
    assert neutralise("-1") == "'-1" and neutralise("@x") == "'@x"
    assert neutralise("\t=1") == "\t'=1" and neutralise("Crèche;=1") == "Crèche;'=1"


def test_numbers_and_ordinary_text_are_kept() -> None:
    text = csv_text(["lat", "lon", "count", "name", "empty"],
                    [[45.1, -1.5, 3, "Crèche Les Petits Volcans, Murat", None]])  # fmt: skip
    assert text == 'lat,lon,count,name,empty\n45.1,-1.5,3,"Crèche Les Petits Volcans, Murat",\n'
    for ordinary in ("04 71 20 00 00", "12/06/2024", "<5", "12,5 %", "a-b", "x=y", "—", ""):
        assert neutralise(ordinary) == ordinary


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(st.text(st.sampled_from(FORMULA_CHARACTERS + "';\r\n\t \"ab1,")) | st.text())
def test_any_text_comes_out_safe_and_comes_back(text: str) -> None:
    assert formula_cells(csv_text(["cell"], [[text]])) == []
    assert restore(neutralise(text)) == text


def test_a_nul_character_does_not_break_the_export() -> None:
    assert csv_text(["question"], [["=1+1\x00"]]) == "question\n'=1+1\n"


# ---- the services export, entries stored on each backend

HOSTILE = {
    "name": HYPERLINK,
    "description": "Horaires :\n- lundi 9h\n=1+1;@SUM(1)",
    "phone": "+33 4 71 20 00 00",
    "address": "-2+3+cmd|' /C calc'!A0",
    "fees_details": "Crèche;=1+1",
    "opening_hours": "@SUM(1+1)",
}


def _hostile_sheet() -> bytes:
    columns = ["territory", "topic", "kind", "name", "commune", *list(HOSTILE)[1:]]
    row = ["hautes-terres", "childcare", "creche", *HOSTILE.values()]
    row.insert(4, "15138")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([columns, row])
    return out.getvalue().encode()


async def _add_hostile_entry(storage: Storage) -> None:
    report = await run_import(storage, "services", _hostile_sheet(), dry_run=False, by="t")
    assert report.written and report.created == 1, report.summary()


@pytest.mark.asyncio
async def test_services_export_is_safe_and_imports_back(seeded: Storage) -> None:
    await _add_hostile_entry(seeded)
    exported = to_csv(await seeded.list_services("hautes-terres"))
    assert formula_cells(exported) == []
    entry = next(e for e in await seeded.list_services("hautes-terres") if e.name == HYPERLINK)
    assert {k: getattr(entry, k) for k in HOSTILE} == HOSTILE
    report = await run_import(seeded, "services", exported.encode(), dry_run=False, by="t")
    assert report.rejected == [] and (report.created, report.updated) == (0, 0)
    again = next(e for e in await seeded.list_services("hautes-terres") if e.id == entry.id)
    assert {k: getattr(again, k) for k in HOSTILE} == HOSTILE


@pytest.mark.asyncio
async def test_api_and_backoffice_exports_are_safe(on_each_backend: TestClient) -> None:  # noqa: F811
    client = on_each_backend
    await _add_hostile_entry(client.app[STORAGE])
    await signed_in(client, "agent@ht.example.org", "agent", "hautes-terres")
    for path in ("/api/v1/exports/services.csv?territory=hautes-terres",
                 "/admin/t/hautes-terres/export.csv"):  # fmt: skip
        response = await client.get(path)
        assert response.status == 200, path
        text = await response.text()
        assert "'" + HYPERLINK.replace('"', '""') in text, path
        assert formula_cells(text) == [], path


# ---- the analytics export of unanswered questions, fed by chat messages


def _chat() -> list[Conversation]:
    visitor = Conversation("attacker", "hautes-terres", NOON)
    for payload in PAYLOADS:
        visitor.user(payload, "nlu_fallback", "action_fallback")
    return [visitor]


@pytest.fixture(params=["sqlite", "postgres"])
def chat_store(request, tmp_path):
    """The attacker's conversation in a conversation store, on each dialect."""
    if request.param == "sqlite":
        yield TrackerDB(write_sqlite(tmp_path / "conversations.sqlite3", _chat()))
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"tracker_{uuid.uuid4().hex[:12]}"

    async def run(*statements: str, rows=None) -> None:
        db = await asyncpg.connect(url)
        try:
            for statement in statements:
                await db.execute(statement)
            if rows:
                await db.executemany(
                    f"INSERT INTO {schema}.events VALUES ($1, $2, $3, $4, $5, $6, $7)", rows
                )
        finally:
            await db.close()

    asyncio.run(run(f"CREATE SCHEMA {schema}",
                    EVENTS_DDL.format(id="INTEGER").replace("events", f"{schema}.events", 1),
                    rows=rows_of(_chat())))  # fmt: skip
    yield TrackerDB(url, schema=schema)
    asyncio.run(run(f"DROP SCHEMA {schema} CASCADE"))


def test_unanswered_questions_export_is_safe(chat_store) -> None:
    period = Period(DAY, DAY)
    found = asyncio.run(load(chat_store, period, None))
    tables = {t.name: t for t in dashboard(found, period.days(), NAMES, True)}
    exported = table_csv(tables["questions-sans-reponse"])
    assert "'" + HYPERLINK.replace('"', '""') in exported
    assert formula_cells(exported) == []
    assert all(formula_cells(table_csv(table)) == [] for table in tables.values())


@pytest.mark.asyncio
async def test_unanswered_questions_download_is_safe(
    aiohttp_client, make_settings, demo_database, tmp_path
) -> None:
    store = write_sqlite(tmp_path / "conversations.sqlite3", _chat())
    settings = settings_for(make_settings, demo_database, ANALYTICS_TRACKER_URL=str(store))
    client = await aiohttp_client(create_app(settings))
    await signed_in(client, "admin@gip.example.org", "gip")
    period = f"du={DAY.isoformat()}&au={DAY.isoformat()}"
    response = await client.get(f"/admin/analytics/export/questions-sans-reponse.csv?{period}")
    assert response.status == 200
    text = await response.text()
    assert "'" + HYPERLINK.replace('"', '""') in text and formula_cells(text) == []
