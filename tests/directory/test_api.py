"""The read API answers the shapes in docs/architecture.md, and errors as JSON."""

from collections.abc import Callable

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import create_app
from services_directory.settings import Settings

pytestmark = pytest.mark.asyncio

SERVICE_KEYS = {
    "id", "territory", "topic", "kind", "name", "description", "commune", "commune_name",
    "address", "lat", "lon", "phone", "email", "website", "verified_on", "status",
    "organisation", "opening_hours", "fees", "fees_details", "audience", "eligibility_zone",
    "source", "source_id", "to_verify", "contract_type", "sector", "expires_on",
    "created_at", "updated_at", "created_by", "updated_by", "version",
}  # fmt: skip


async def get_json(client: TestClient, path: str, status: int = 200) -> dict:
    response = await client.get(path)
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    return await response.json()


async def test_healthz_counts_published_entries(client: TestClient) -> None:
    body = await get_json(client, "/healthz")
    assert body["status"] == "ok"
    assert body["entries"] >= 60


async def test_territories(client: TestClient) -> None:
    body = await get_json(client, "/api/v1/territories")
    assert body["total"] == len(body["items"]) == 3
    assert (body["page"], body["per_page"]) == (1, 3)
    hautes_terres = next(t for t in body["items"] if t["slug"] == "hautes-terres")
    assert hautes_terres == {
        "slug": "hautes-terres",
        "name": "Hautes Terres Communauté",
        "department": "15",
        "welcome_contact": {
            "name": "Service accueil de Hautes Terres (démo)",
            "email": "accueil.hautes-terres@example.org",
            "phone": "04 65 71 00 15",
        },
        "widget": {"greeting": None, "color": None},
    }


async def test_one_territory(client: TestClient) -> None:
    body = await get_json(client, "/api/v1/territories/coeur-de-lozere")
    assert body["name"] == "Communauté de communes Cœur de Lozère"


async def test_territory_communes(client: TestClient) -> None:
    body = await get_json(client, "/api/v1/territories/hautes-terres/communes")
    murat = next(c for c in body["items"] if c["insee"] == "15138")
    assert murat == {
        "insee": "15138",
        "name": "Murat",
        "postcode": "15300",
        "lat": 45.1236,
        "lon": 2.8501,
    }
    assert body["total"] == len(body["items"]) > 15
    names = [c["name"] for c in body["items"]]
    assert names[:2] == ["Albepierre-Bredons", "Allanche"]  # by name


@pytest.mark.parametrize(
    "path", ["/api/v1/territories/atlantide", "/api/v1/territories/atlantide/communes"]
)
async def test_unknown_territory_is_404(client: TestClient, path: str) -> None:
    body = await get_json(client, path, 404)
    message = "Territoire inconnu : « atlantide »."
    assert body == {"error": {"code": "not_found", "message": message}}


async def test_one_service(client: TestClient) -> None:
    found = await get_json(client, "/api/v1/services?q=petits+volcans")
    entry = found["items"][0]
    assert set(entry) == SERVICE_KEYS
    body = await get_json(client, f"/api/v1/services/{entry['id']}")
    assert body == entry
    assert body["commune_name"] == "Murat"
    assert body["verified_on"].startswith("2026-")


@pytest.mark.parametrize("service_id", ["nope", "00000000-0000-0000-0000-000000000000"])
async def test_unknown_service_is_404(client: TestClient, service_id: str) -> None:
    body = await get_json(client, f"/api/v1/services/{service_id}", 404)
    assert body["error"]["code"] == "not_found"


async def test_unknown_api_route_is_json_404(client: TestClient) -> None:
    body = await get_json(client, "/api/v1/nothing-here", 404)
    assert body["error"]["code"] == "not_found"
    assert "/api/v1/nothing-here" in body["error"]["message"]


async def test_wrong_method_is_json_405(client: TestClient) -> None:
    response = await client.delete("/api/v1/territories")
    assert response.status == 405
    assert (await response.json())["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


async def test_openapi_describes_every_route(client: TestClient) -> None:
    document = await get_json(client, "/api/v1/openapi.json")
    assert document["openapi"].startswith("3.0")
    api_paths = {
        resource.canonical
        for resource in client.app.router.resources()
        if resource.canonical.startswith(("/api", "/healthz"))
    }
    assert api_paths == set(document["paths"])
    search = document["paths"]["/api/v1/services"]["get"]
    assert {p["name"] for p in search["parameters"]} == {
        "topic", "kind", "prefer_kind", "territory", "commune", "zone", "near", "radius_km", "q",
        "page", "per_page",
    }  # fmt: skip
    service_schema = document["components"]["schemas"]["Service"]["properties"]
    assert set(service_schema) == SERVICE_KEYS | {"distance_km"}


async def test_the_app_seeds_an_empty_database(
    aiohttp_client: AiohttpClient, make_settings: Callable[..., Settings]
) -> None:
    client = await aiohttp_client(create_app(make_settings()))
    assert (await get_json(client, "/healthz"))["entries"] >= 60


async def test_no_seed_leaves_the_directory_empty(
    aiohttp_client: AiohttpClient, make_settings: Callable[..., Settings]
) -> None:
    client = await aiohttp_client(create_app(make_settings(DIRECTORY_SEED="none")))
    assert (await get_json(client, "/healthz"))["entries"] == 0
    assert (await get_json(client, "/api/v1/territories"))["items"] == []
    html = await (await client.get("/")).text()
    assert "Aucun territoire" in html


async def test_public_reads_allow_any_origin_but_writes_do_not(client):
    read = await client.get("/api/v1/territories")
    assert read.headers["Access-Control-Allow-Origin"] == "*"
    write = await client.post("/api/v1/services", json={})
    assert "Access-Control-Allow-Origin" not in write.headers
