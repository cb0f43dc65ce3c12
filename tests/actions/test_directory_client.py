"""The real directory client over HTTP: what it keeps at hand when the directory goes down."""

from __future__ import annotations

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer

from actions import directory_client
from actions.directory_client import DirectoryClient, DirectoryUnavailable

pytestmark = pytest.mark.asyncio

TERRITORY = {
    "slug": "hautes-terres",
    "name": "Hautes Terres Communauté",
    "welcome_contact": {"name": "Accueil", "phone": "04 65 71 00 01"},
}


@pytest_asyncio.fixture
async def directory_server():
    """A directory that answers until `state["down"]` is set, then fails with 503."""
    state = {"down": False, "calls": 0}

    async def territory(request: web.Request) -> web.Response:
        state["calls"] += 1
        if state["down"]:
            return web.json_response({"error": {"code": "down"}}, status=503)
        if request.match_info["slug"] != TERRITORY["slug"]:
            return web.json_response({"error": {"code": "not_found"}}, status=404)
        return web.json_response(TERRITORY)

    app = web.Application()
    app.router.add_get("/api/v1/territories/{slug}", territory)
    server = TestServer(app)
    await server.start_server()
    client = DirectoryClient(base_url=str(server.make_url("")).rstrip("/"))
    yield client, state
    await client.close()
    await server.close()


async def test_a_territory_is_read_once_while_fresh(directory_server):
    client, state = directory_server
    assert (await client.territory("hautes-terres")).contact.phone == "04 65 71 00 01"
    await client.territory("hautes-terres")
    assert state["calls"] == 1


async def test_the_last_copy_is_kept_at_hand_while_the_directory_is_down(
    directory_server, monkeypatch
):
    client, state = directory_server
    monkeypatch.setattr(directory_client, "FRESH_FOR_S", 0.0)  # every call goes to the server
    await client.territory("hautes-terres")
    state["down"] = True
    kept = await client.territory("hautes-terres")
    assert state["calls"] == 2  # it did ask, and fell back on its copy
    assert kept.contact.phone == "04 65 71 00 01"


async def test_without_a_copy_the_outage_is_reported(directory_server):
    client, state = directory_server
    state["down"] = True
    with pytest.raises(DirectoryUnavailable):
        await client.territory("hautes-terres")


async def test_unknown_territories_are_not_kept(directory_server):
    client, state = directory_server
    assert await client.territory("nulle-part") is None
    assert client._kept == {}


ENTRY = {"id": "e1", "name": "Crèche Les Marmottes", "topic": "childcare", "kind": "creche",
         "commune_name": "Murat", "description": "Multi-accueil.", "address": "2 rue des Volcans",
         "opening_hours": "Mo-Fr 07:30-18:30", "fees": "payant", "fees_details": "selon le QF"}


@pytest_asyncio.fixture
async def services_server():
    """A directory with one entry, that records the search parameters it gets."""
    asked = []

    async def search(request: web.Request) -> web.Response:
        asked.append(dict(request.query))
        page = int(request.query.get("page", "1"))
        return web.json_response({"items": [ENTRY] if page == 2 else [], "total": 4,
                                  "page": page, "per_page": 3})

    async def one(request: web.Request) -> web.Response:
        if request.match_info["id"] != "e1":
            return web.json_response({"error": {"code": "not_found"}}, status=404)
        return web.json_response(ENTRY)

    app = web.Application()
    app.router.add_get("/api/v1/services", search)
    app.router.add_get("/api/v1/services/{id}", one)
    server = TestServer(app)
    await server.start_server()
    client = DirectoryClient(base_url=str(server.make_url("")).rstrip("/"))
    yield client, asked
    await client.close()
    await server.close()


async def test_one_entry_with_the_fields_follow_ups_need(services_server):
    client, _ = services_server
    entry = await client.service("e1")
    assert entry.opening_hours == "Mo-Fr 07:30-18:30" and entry.fees_details == "selon le QF"
    assert entry.address == "2 rue des Volcans" and entry.description == "Multi-accueil."
    assert await client.service("gone") is None


async def test_the_next_page_of_a_search(services_server):
    client, asked = services_server
    page = await client.search("childcare", near="15138", page=2)
    assert asked[-1]["page"] == "2" and page.page == 2 and page.items[0].id == "e1"
    await client.search("childcare")
    assert "page" not in asked[-1]


async def test_reads_carry_the_assistant_s_secret():
    """The directory's per-address read limit spares the assistant only when it shows its secret."""
    seen = []

    async def territory(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization"))
        return web.json_response(TERRITORY)

    app = web.Application()
    app.router.add_get("/api/v1/territories/{slug}", territory)
    server = TestServer(app)
    await server.start_server()
    base = str(server.make_url("")).rstrip("/")
    with_secret = DirectoryClient(base_url=base, assistant_token="assistant-secret-0123456789")
    without = DirectoryClient(base_url=base)
    try:
        await with_secret.territory("hautes-terres")
        await without.territory("hautes-terres")
    finally:
        await with_secret.close()
        await without.close()
        await server.close()
    assert seen == ["Bearer assistant-secret-0123456789", None]
