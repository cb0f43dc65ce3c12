"""
Hostile input against the real application: oversized bodies and files, malformed JSON and
CSV, files in other encodings, control characters, SQL and HTML injection, unknown and
malformed ids. Every answer is a clear error (JSON for the API, a French page for people) or
the input stored verbatim and shown escaped; never a 500, and a refused request changes
nothing (the directory's tables are dumped before and after).

How these tests were checked to fail without their protection (each protection removed in
turn, the test run, the protection put back):
- `views.read_body`'s limit removed (plain `request.read()`): the 1 MB bodies answer 400
  (a field too long) instead of 413, the 50 MB import answers aiohttp's English message;
- `validation._FORBIDDEN` back to "C0 controls only": U+202E, DEL, C1 are stored, and the
  lone surrogate is a 500;
- `validation.number` without `OverflowError`: the 400-digit latitude is a 500;
- `report.read_text` UTF-8 only: the Excel (Windows-1252) and UTF-16 files are refused;
- `report.read_csv` without the ragged-row check: the shifted row is imported garbled;
  without `csv.Error` caught: the 200,000-character cell is a 500;
- `pages.escape` or Jinja's autoescape removed: the raw `<script>` appears in the pages;
- `postgres._refusing_nul` removed: `/api/v1/territories/%00` is a 500 on PostgreSQL.
"""

import json
import sqlite3
import uuid
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import asyncpg
import backoffice_support
import pytest
import pytest_asyncio
from aiohttp import FormData
from aiohttp.test_utils import TestClient
from backoffice_support import settings_for, signed_in, token
from conftest import make_token
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import MAX_BODY_BYTES, create_app
from services_directory.appkeys import SETTINGS, STORAGE
from services_directory.views_files import MAX_IMPORT_BYTES

pytestmark = pytest.mark.asyncio
bo = backoffice_support.bo  # the back-office fixture (demo data, plain http)

ASSISTANT = "hostile-assistant-secret-0123"
TABLES = (
    "territories", "communes", "territory_communes", "organisations", "services",
    "service_changes", "leads", "users", "api_tokens",
)  # fmt: skip
ENTRY = {
    "territory": "hautes-terres", "topic": "transport", "kind": "covoiturage",
    "name": "Aire de covoiturage du Lioran", "commune": "15138",
}  # fmt: skip
LEAD = {
    "territory": "hautes-terres", "name": "Camille", "email": "camille@example.org",
    "question": "Une crèche à Murat ?", "consent": True,
}  # fmt: skip
SQL = ["'; DROP TABLE services; --", '" OR 1=1 --', "1; SELECT * FROM users", "%' OR '%'='"]
HTML = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
CONTROLS = {
    "NUL": "\x00", "ESC": "\x1b[31m", "DEL": "\x7f", "C1": "\x85", "RLO": "\u202e",
    "isolate": "\u2066", "lone surrogate": "\ud800",
}  # fmt: skip


# A token's last use is bookkeeping, written even when the request is then refused.
COLUMNS = {"api_tokens": "id, token_hash, user_id, prefix, created_at, expires_at"}


def dump(database: Path) -> dict[str, list[tuple]]:
    """Every row of the directory's tables (sessions and audit log left out), in key order."""
    with closing(sqlite3.connect(database)) as db:
        return {table: db.execute(f"SELECT {COLUMNS.get(table, '*')} FROM {table} ORDER BY 1")
                .fetchall() for table in TABLES}  # fmt: skip


@pytest_asyncio.fixture
async def api(aiohttp_client: AiohttpClient, make_settings, demo_database: Path) -> TestClient:
    """The real app on a copy of the demo data, with the assistant's secret set."""
    settings = settings_for(make_settings, demo_database, DIRECTORY_ASSISTANT_TOKEN=ASSISTANT)
    client = await aiohttp_client(create_app(settings))
    client.database = Path(settings.database)  # type: ignore[attr-defined]
    client.auth = {  # type: ignore[attr-defined]
        "gip": "Bearer " + await make_token(client, "gip@example.org", "gip"),
        "ht": "Bearer " + await make_token(client, "ht@example.org", "agent", "hautes-terres"),
        "assistant": f"Bearer {ASSISTANT}",
    }
    return client


async def _service_id(client: TestClient) -> str:
    services = await client.app[STORAGE].list_services("hautes-terres")
    return services[0].id


async def _error(response, status: int | tuple[int, ...]) -> dict:
    """The JSON error of an answer, once its status is checked."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status in statuses, (response.status, await response.text())
    assert response.content_type == "application/json"
    error = (await response.json())["error"]
    assert error["code"] and error["message"]
    return error


# Oversized bodies


WRITES = [
    ("POST", "/api/v1/territories", "gip"),
    ("PATCH", "/api/v1/territories/hautes-terres", "gip"),
    ("POST", "/api/v1/services", "ht"),
    ("PATCH", "/api/v1/services/{id}", "ht"),
    ("POST", "/api/v1/organisations", "ht"),
    ("POST", "/api/v1/leads", "assistant"),
]


@pytest.mark.parametrize(("method", "path", "who"), WRITES)
@pytest.mark.parametrize("chunked", [False, True], ids=["sized", "chunked"])
async def test_a_1_mb_json_body_is_refused_with_413(
    api: TestClient, method: str, path: str, who: str, chunked: bool
) -> None:
    before = dump(api.database)
    body = json.dumps({**ENTRY, "name": "x" * 1_000_000}).encode()
    path = path.format(id=await _service_id(api))

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    response = await api.request(
        method, path, data=chunks() if chunked else body,
        headers={"Authorization": api.auth[who], "Content-Type": "application/json"},
    )  # fmt: skip
    error = await _error(response, 413)
    assert error["code"] == "too_large" and "trop gros" in error["message"]
    assert dump(api.database) == before


async def test_a_commune_list_has_a_larger_limit_but_one(api: TestClient) -> None:
    before = dump(api.database)
    communes = [{"insee": "15138", "name": "x" * 100, "lat": 45.1, "lon": 2.8}] * 90_000
    response = await api.post(
        "/api/v1/territories/hautes-terres/communes", json=communes,
        headers={"Authorization": api.auth["gip"]},
    )  # fmt: skip
    assert (await _error(response, 413))["code"] == "too_large"
    assert dump(api.database) == before


def _big_sheet(size: int) -> bytes:
    """A valid template sheet of about `size` bytes: every row would be a new entry."""
    header = b"territory,topic,kind,name,commune\n"
    row = b"hautes-terres,transport,covoiturage,Aire de covoiturage n %07d,15138\n"
    count = size // len(row % 0) + 1
    return header + b"".join(row % n for n in range(count))


async def test_a_50_mb_import_is_refused_with_a_french_413_and_nothing_imported(
    api: TestClient,
) -> None:
    assert MAX_IMPORT_BYTES == MAX_BODY_BYTES  # the route's limit is the app's
    before = dump(api.database)
    sheet = _big_sheet(50 * 1024 * 1024)
    response = await api.post(
        "/api/v1/imports/services?dry_run=false", data=sheet,
        headers={"Authorization": api.auth["ht"], "Content-Type": "text/csv"},
    )  # fmt: skip
    error = await _error(response, 413)
    assert error["message"] == "Fichier trop gros : 32 Mo au plus."
    assert dump(api.database) == before


async def test_a_50_mb_file_in_the_back_office_gets_a_french_page(bo: TestClient) -> None:
    await signed_in(bo, "ht@example.org", "agent", "hautes-terres")
    database = Path(bo.app[SETTINGS].database)
    before = dump(database)
    path = "/admin/t/hautes-terres/import"
    for size, status in ((50 * 1024 * 1024, 413), (6 * 1024 * 1024, 400)):
        form = FormData()
        form.add_field("csrf_token", await token(bo, path))
        form.add_field("file", _big_sheet(size), filename="fiches.csv", content_type="text/csv")
        response = await bo.post(path, data=form, allow_redirects=False)
        html = await response.text()
        assert response.status == status, html[:500]
        assert response.content_type == "text/html" and "Fichier trop gros" in html
        assert 'lang="fr"' in html
    assert dump(database) == before


# Malformed JSON

MALFORMED = {
    "truncated": b'{"territory": "hautes-terres", "name": "Cr',
    "not UTF-8": b'{"name": "Cr\xe8che"}',
    "array": b"[]",
    "array of objects": json.dumps([ENTRY]).encode(),
    "string": b'"hautes-terres"',
    "null": b"null",
    "wrong types": json.dumps({**ENTRY, "name": 15, "territory": ["hautes-terres"]}).encode(),
    "object for text": json.dumps({**ENTRY, "name": {"$gt": ""}}).encode(),
    "huge integer": json.dumps(ENTRY).encode()[:-1] + b', "lat": 1' + b"0" * 400 + b"}",
    "huge float": json.dumps(ENTRY).encode()[:-1] + b', "lat": 1e999}',
    "NaN": json.dumps(ENTRY).encode()[:-1] + b', "lon": NaN}',
    "4301 digits": json.dumps(ENTRY).encode()[:-1] + b', "lat": 1' + b"0" * 4300 + b"}",
    "deep nesting": b"[" * 30_000 + b"]" * 30_000,
    "deep object": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "boolean latitude": json.dumps({**ENTRY, "lat": True}).encode(),
    "empty": b"",
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize(("method", "path", "who"), WRITES)
async def test_malformed_json_is_a_400_and_changes_nothing(
    api: TestClient, body: bytes, method: str, path: str, who: str
) -> None:
    before = dump(api.database)
    response = await api.request(
        method, path.format(id=await _service_id(api)), data=body,
        headers={"Authorization": api.auth[who], "Content-Type": "application/json"},
    )  # fmt: skip
    await _error(response, (400, 422))
    assert dump(api.database) == before


# Malformed CSV, and other encodings


async def _import(api: TestClient, data: bytes) -> tuple[int, dict]:
    response = await api.post(
        "/api/v1/imports/services?dry_run=false", data=data,
        headers={"Authorization": api.auth["ht"], "Content-Type": "text/csv"},
    )  # fmt: skip
    assert response.content_type == "application/json"
    return response.status, await response.json()


HEADER = "territory,topic,kind,name,commune,description\n"
BAD_CSV = {
    # An unquoted comma cuts the description: "côté est" would be lost without a word.
    "ragged (extra cells)": (HEADER + "hautes-terres,transport,covoiturage,Aire du Lioran,"
                             "15138,Près du col, côté est\n").encode(),
    "missing header": b"hautes-terres,transport,covoiturage,Aire du Lioran,15138,\n",
    "binary garbage": bytes(range(256)) * 64,
    "garbage without NUL": bytes(range(1, 256)) * 64,
    "NUL in a cell": (HEADER + "hautes-terres,transport,covoiturage,Aire\x00,15138,x\n").encode(),
    "UTF-16 without its mark": (HEADER + "hautes-terres,transport,covoiturage,Aire,15138,x\n"
                                ).encode("utf-16-le"),
    "unclosed quote, huge cell": (HEADER + 'hautes-terres,transport,covoiturage,"Aire'
                                  + "x" * 200_000 + "\n").encode(),
    "empty": b"",
    "blank": b"  \n\n ",
    "ESC in a name": (HEADER + "hautes-terres,transport,covoiturage,Aire\x1b[2J,15138,\n"
                      ).encode(),
    "RLO in a name": (HEADER + "hautes-terres,transport,covoiturage,Aire\u202egpj.exe,15138,\n"
                      ).encode(),
}  # fmt: skip


@pytest.mark.parametrize("data", BAD_CSV.values(), ids=BAD_CSV.keys())
async def test_a_malformed_csv_is_a_clear_error_and_changes_nothing(
    api: TestClient, data: bytes
) -> None:
    before = dump(api.database)
    status, body = await _import(api, data)
    assert status in (400, 422), body
    if status == 400:
        assert body["error"]["field"] == "file" and body["error"]["message"]
    else:  # a readable file whose rows are refused, each with its line and field
        assert not body["written"] and body["rejected"] and body["rejected"][0]["reason"]
    assert dump(api.database) == before


NAME = "Aire de covoiturage de l'Église, côté œuvre"
DESCRIPTION = "Près du col ; 20 places — « gratuit »"
SHEET = (
    "territory;topic;kind;name;commune;description\r\n"
    f'hautes-terres;transport;covoiturage;"{NAME}";15138;"{DESCRIPTION}"\r\n'
)
ENCODED = {
    # Excel "CSV (séparateur : point-virgule)" on a French Windows: Windows-1252.
    "Excel Windows-1252": SHEET.encode("cp1252"),
    "UTF-8 with BOM (Excel CSV UTF-8)": SHEET.encode("utf-8-sig"),
    "UTF-16 with BOM, tabs (Excel Unicode text)": "\t".join(
        ["territory", "topic", "kind", "name", "commune", "description\r\nhautes-terres",
         "transport", "covoiturage", NAME, "15138", f'"{DESCRIPTION}"\r\n']
    ).encode("utf-16"),
    "UTF-16 big-endian with BOM": b"\xfe\xff" + SHEET.encode("utf-16-be"),
}


@pytest.mark.parametrize("data", ENCODED.values(), ids=ENCODED.keys())
async def test_spreadsheet_encodings_import_with_their_accents(
    api: TestClient, data: bytes
) -> None:
    status, body = await _import(api, data)
    assert (status, body["created"], body["rejected"]) == (201, 1, []), body
    stored = [s for s in await api.app[STORAGE].list_services("hautes-terres") if s.name == NAME]
    assert len(stored) == 1 and stored[0].description == DESCRIPTION


async def test_latin_1_reads_as_windows_1252() -> None:
    from services_directory.importers.report import read_text

    assert read_text(SHEET.encode("latin-1", errors="replace")) == SHEET.encode(
        "latin-1", errors="replace"
    ).decode("latin-1")


# Control characters


@pytest.mark.parametrize("char", CONTROLS.values(), ids=CONTROLS.keys())
async def test_control_characters_are_refused_in_every_kind_of_write(
    api: TestClient, char: str
) -> None:
    before = dump(api.database)
    name = f"Aire{char}du Lioran"
    sid = await _service_id(api)
    writes = [
        ("POST", "/api/v1/services", "ht", {**ENTRY, "name": name}, "name"),
        ("PATCH", f"/api/v1/services/{sid}", "ht", {"description": name}, "description"),
        ("POST", "/api/v1/leads", "assistant", {**LEAD, "name": name}, "name"),
        ("PATCH", "/api/v1/territories/hautes-terres", "ht",
         {"widget": {"greeting": name}}, "widget.greeting"),
        ("POST", "/api/v1/organisations", "ht", {"territory": "hautes-terres", "name": name},
         "name"),
    ]  # fmt: skip
    for method, path, who, payload, field in writes:
        # json.dumps escapes every one of them (\u0000, \ud800...): the server decodes them.
        response = await api.request(
            method, path, data=json.dumps(payload),
            headers={"Authorization": api.auth[who], "Content-Type": "application/json"},
        )  # fmt: skip
        error = await _error(response, 400)
        assert error["field"] == field and "contrôle" in error["message"], (path, error)
    assert dump(api.database) == before


# SQL and HTML injection


@pytest.mark.parametrize("text", SQL + HTML)
async def test_injection_in_search_parameters_is_harmless(api: TestClient, text: str) -> None:
    before = dump(api.database)
    for name in ("q", "territory", "topic", "kind", "commune", "near", "zone", "page"):
        response = await api.get("/api/v1/services", params={name: text})
        assert response.status in (200, 400, 404), (name, response.status)
        if response.status == 200:
            assert isinstance((await response.json())["items"], list)
        else:
            await _error(response, response.status)
    for path in (f"/api/v1/services/{text}", f"/api/v1/territories/{text}"):
        await _error(await api.get(path.replace("?", "%3F").replace("#", "%23")), (400, 404))
    assert dump(api.database) == before


async def test_hostile_text_is_stored_verbatim_and_shown_escaped(api: TestClient) -> None:
    created = []
    for index, text in enumerate(SQL + HTML):
        payload = {**ENTRY, "name": f"{text} {index}", "description": text, "address": text,
                   "fees_details": text, "status": "published"}  # fmt: skip
        response = await api.post(
            "/api/v1/services", json=payload, headers={"Authorization": api.auth["ht"]}
        )
        assert response.status == 201, await response.text()
        created.append(await response.json())
    for entry, text in zip(created, SQL + HTML, strict=True):
        got = await (await api.get(f"/api/v1/services/{entry['id']}")).json()
        assert (got["description"], got["address"]) == (text, text)
    response = await api.get("/api/v1/services", params={"q": "DROP TABLE services"})
    assert "'; DROP TABLE services; -- 0" in [i["name"] for i in (await response.json())["items"]]
    # The public page of the territory, with a hostile query reflected in its search form.
    for text in HTML:
        page = await api.get("/t/hautes-terres/services", params={"q": text, "per_page": "100"})
        html = await page.text()
        assert page.status == 200 and text not in html
        assert "&lt;script&gt;" in html or "&lt;img" in html or "&#x27;" in html
    page = await (await api.get("/t/hautes-terres/services?topic=transport&per_page=100")).text()
    for text in HTML:
        assert text not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


async def test_hostile_text_is_escaped_in_the_back_office(bo: TestClient) -> None:
    storage = bo.app[STORAGE]
    from services_directory.entries import NewService
    from services_directory.payloads import lead

    ids = []
    for text in HTML:
        added = await storage.add_service(
            NewService(**{**ENTRY, "name": text, "description": text, "address": text}),
            by="test",
        )
        ids.append(added.id)
        await storage.add_lead(lead({**LEAD, "name": text, "question": text}))
    await signed_in(bo, "ht@example.org", "agent", "hautes-terres")
    pages = ["/admin/t/hautes-terres/entries", "/admin/t/hautes-terres/leads",
             *(f"/admin/t/hautes-terres/entries/{i}" for i in ids),
             *(f"/admin/t/hautes-terres/entries/{i}/history" for i in ids)]  # fmt: skip
    for path in pages:
        response = await bo.get(path)
        html = await response.text()
        assert response.status == 200, path
        for text in HTML:
            assert text not in html, path
        assert "&lt;script&gt;" in html or "&#34;&gt;&lt;img" in html, path


# Unknown and malformed ids, on both backends

UNKNOWN = [
    "/api/v1/services/999999",
    "/api/v1/services/abc",
    "/api/v1/services/%00",
    "/api/v1/services/00000000-0000-0000-0000-000000000000",
    "/api/v1/services/%E2%80%AE",
    "/api/v1/services/%ED%A0%80",  # an encoded lone surrogate
    "/api/v1/territories/nowhere",
    "/api/v1/territories/%00",
    "/api/v1/territories/%00/communes",
    "/api/v1/territories/%00/organisations",
    "/api/v1/territories/" + "a" * 4000,
    "/api/v1/territories/" + "%C3%A9" * 1000,
    "/api/v1/services?territory=%00",
    "/api/v1/services?territory=nowhere",
    "/api/v1/services?q=%00",
    "/api/v1/services?near=%00",
    "/api/v1/exports/services.csv?territory=%00",
    "/api/v1/exports/data-inclusion.json?territory=" + "b" * 4000,
]
AUTHENTICATED = [
    ("GET", "/api/v1/services/%00/history"),
    ("PATCH", "/api/v1/services/%00"),
    ("DELETE", "/api/v1/services/%00"),
    ("DELETE", "/api/v1/services/999999"),
    ("GET", "/api/v1/territories/%00/leads"),
    ("PATCH", "/api/v1/territories/%00"),
    ("POST", "/api/v1/territories/%00/communes"),
    ("POST", "/api/v1/imports/services?territory=%00"),
]


async def _check_unknown(client: TestClient, auth: str) -> None:
    for path in UNKNOWN:
        response = await client.get(path, headers={"Authorization": auth})
        assert response.status in (200, 400, 404), (path, response.status)
        if response.status != 200:  # a search with an unknown territory: an empty page
            await _error(response, (400, 404))
    for method, path in AUTHENTICATED:
        response = await client.request(method, path, json={}, headers={"Authorization": auth})
        await _error(response, (400, 404))
    for path in ("/t/%00/services", "/t/nowhere/services", "/t/" + "c" * 4000 + "/services"):
        response = await client.get(path)
        assert response.status in (400, 404) and response.content_type == "text/html", path
        assert "Page introuvable" in await response.text() or "Demande" in await response.text()


async def test_unknown_and_malformed_ids_on_sqlite(api: TestClient) -> None:
    before = dump(api.database)
    await _check_unknown(api, api.auth["gip"])
    assert dump(api.database) == before


@pytest_asyncio.fixture
async def pg_api(aiohttp_client: AiohttpClient, make_settings, postgres_url: str):
    """The real app on PostgreSQL (its own schema), seeded with the demo data."""
    schema = f"test_{uuid.uuid4().hex[:16]}"
    connection = await asyncpg.connect(postgres_url)
    await connection.execute(f"CREATE SCHEMA {schema}")
    await connection.close()
    url = f"{postgres_url}?search_path={schema}"
    client = await aiohttp_client(
        create_app(make_settings(DIRECTORY_DATABASE_URL=url, DIRECTORY_SEED="demo"))
    )
    yield client
    await client.close()
    connection = await asyncpg.connect(postgres_url)
    await connection.execute(f"DROP SCHEMA {schema} CASCADE")
    await connection.close()


async def test_unknown_and_malformed_ids_on_postgresql(pg_api: TestClient) -> None:
    storage = pg_api.app[STORAGE]
    assert len(await storage.list_territories()) == 3  # the demo data, in the test's schema
    gip = "Bearer " + await make_token(pg_api, "gip@example.org", "gip")
    before = [s.to_dict() for s in await storage.list_services()]
    await _check_unknown(pg_api, gip)
    # A NUL in a write's text is refused by validation before PostgreSQL could choke on it.
    response = await pg_api.post(
        "/api/v1/services", json={**ENTRY, "name": "A\x00B"}, headers={"Authorization": gip}
    )
    assert (await _error(response, 400))["field"] == "name"
    assert [s.to_dict() for s in await storage.list_services()] == before
