"""Call-back requests: sent by the assistant with a shared secret, read by the territory."""

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import create_app
from services_directory.settings import Settings

pytestmark = pytest.mark.asyncio

SECRET = "assistant-secret-0123456789"
LEAD = {
    "territory": "hautes-terres",
    "name": "Alex",
    "email": "alex@example.org",
    "phone": None,
    "question": "Une crèche à Murat en septembre ?",
    "consent": True,
}


@pytest_asyncio.fixture
async def assistant_client(
    aiohttp_client: AiohttpClient, make_settings: Callable[..., Settings], demo_database: Path
) -> TestClient:
    settings = make_settings(DIRECTORY_ASSISTANT_TOKEN=SECRET)
    shutil.copyfile(demo_database, settings.database)
    return await aiohttp_client(create_app(settings))


async def post_lead(
    client: TestClient, body: object, token: str | None = SECRET
) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/api/v1/leads", json=body, headers=headers)
    return response.status, await response.json()


async def test_a_lead_is_stored_and_listed_for_its_territory(
    assistant_client: TestClient, token_for: Callable[..., Awaitable[str]]
) -> None:
    status, created = await post_lead(assistant_client, LEAD)
    assert status == 201 and created["status"] == "new" and len(created["id"]) == 36
    agent = await token_for(assistant_client, "a@ht.example.org", "agent", "hautes-terres")
    other = await token_for(assistant_client, "b@cgs.example.org", "agent", "creuse-grand-sud")
    path = "/api/v1/territories/hautes-terres/leads"
    response = await assistant_client.get(path, headers={"Authorization": f"Bearer {agent}"})
    items = (await response.json())["items"]
    assert [(lead["id"], lead["email"], lead["status"]) for lead in items] == [
        (created["id"], "alex@example.org", "new")
    ]
    assert items[0]["created_at"] and items[0]["consent_at"]
    response = await assistant_client.get(path, headers={"Authorization": f"Bearer {other}"})
    assert response.status == 404
    assert (await assistant_client.get(path)).status == 401


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consent": False}, "consent"),
        ({"consent": "yes"}, "consent"),
        ({"email": None}, "email"),
        ({"email": "alex-at-example"}, "email"),
        ({"email": None, "phone": "call me"}, "phone"),
        ({"territory": "atlantide"}, "territory"),
        ({"extra": 1}, "extra"),
    ],
)
async def test_bad_leads_are_400(assistant_client: TestClient, changes: dict, field: str) -> None:
    status, body = await post_lead(assistant_client, LEAD | changes)
    assert status == 400
    assert body["error"]["field"] == field


async def test_a_phone_alone_is_enough(assistant_client: TestClient) -> None:
    status, _ = await post_lead(assistant_client, LEAD | {"email": None, "phone": "04 65 71 00 00"})
    assert status == 201


@pytest.mark.parametrize("token", [None, "wrong-secret-0123456789"])
async def test_the_shared_secret_is_required(
    assistant_client: TestClient, token: str | None
) -> None:
    status, body = await post_lead(assistant_client, LEAD, token)
    assert status == 401 and body["error"]["code"] == "unauthorized"


async def test_without_a_configured_secret_leads_are_503(client: TestClient) -> None:
    status, body = await post_lead(client, LEAD)
    assert status == 503 and body["error"]["code"] == "unavailable"
