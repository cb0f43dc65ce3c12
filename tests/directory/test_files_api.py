"""Imports and exports over HTTP: the same code as the command line, with roles."""

import csv
import io

import pytest
from aiohttp.test_utils import TestClient

pytestmark = pytest.mark.asyncio

SHEET = (
    b"territory,topic,kind,name,commune,phone\n"
    b"hautes-terres,transport,covoiturage,Aire de covoiturage du Lioran,15138,\n"
)


async def post(client: TestClient, path: str, token: str | None, data: bytes) -> tuple[int, dict]:
    headers = {"Authorization": token} if token else {}
    response = await client.post(path, data=data, headers=headers)
    return response.status, await response.json()


async def test_an_agent_imports_a_sheet_dry_run_first(
    client: TestClient, tokens: dict[str, str]
) -> None:
    status, report = await post(client, "/api/v1/imports/services", tokens["ht"], SHEET)
    assert (status, report["dry_run"], report["created"], report["written"]) == (
        200,
        True,
        1,
        False,
    )
    path = "/api/v1/imports/services?dry_run=false"
    status, report = await post(client, path, tokens["ht"], SHEET)
    assert (status, report["created"], report["written"]) == (201, 1, True)
    status, report = await post(client, path, tokens["creuse"], SHEET)
    assert status == 422 and report["rejected"][0]["field"] == "territory"
    assert report["rejected"][0]["line"] == 2


async def test_gip_only_imports_and_bad_requests(
    client: TestClient, tokens: dict[str, str]
) -> None:
    assert (await post(client, "/api/v1/imports/communes", tokens["ht"], b""))[0] == 403
    assert (await post(client, "/api/v1/imports/communes", None, b""))[0] == 401
    assert (await post(client, "/api/v1/imports/nothing", tokens["gip"], b""))[0] == 400
    status, body = await post(
        client, "/api/v1/imports/services?dry_run=maybe", tokens["gip"], SHEET
    )
    assert status == 400 and "dry_run" in body["error"]["message"]
    status, body = await post(client, "/api/v1/imports/services", tokens["gip"], b"\xff\xfe")
    assert status == 400 and "UTF-8" in body["error"]["message"]


async def test_exports(client: TestClient, tokens: dict[str, str]) -> None:
    response = await client.get("/api/v1/exports/services.csv?territory=hautes-terres")
    assert response.status == 200 and response.content_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert rows and {row["status"] for row in rows} == {"published"}
    private = await client.get(
        "/api/v1/exports/services.csv?territory=hautes-terres",
        headers={"Authorization": tokens["ht"]},
    )
    assert len(list(csv.DictReader(io.StringIO(await private.text())))) > len(rows)
    response = await client.get("/api/v1/exports/data-inclusion.json?territory=hautes-terres")
    items = await response.json()
    assert len(items) == len(rows)
    assert {"id", "source", "nom", "thematiques", "code_insee", "date_maj"} <= set(items[0])
    assert (await client.get("/api/v1/exports/services.csv?territory=atlantide")).status == 404
