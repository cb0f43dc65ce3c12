"""The whole service on PostgreSQL, chosen by DIRECTORY_DATABASE_URL alone."""

import asyncio
import uuid
from collections.abc import Callable, Iterator

import asyncpg
import pytest
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import create_app
from services_directory.settings import Settings


async def _admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture
def database_url(postgres_url: str) -> Iterator[str]:
    """A fresh database beside the test one, dropped afterwards."""
    name = f"test_directory_{uuid.uuid4().hex[:12]}"
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_admin(postgres_url, f"CREATE DATABASE {name}"))
        yield postgres_url.rsplit("/", 1)[0] + "/" + name
        loop.run_until_complete(
            _admin(postgres_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        )
    finally:
        loop.close()


@pytest.mark.asyncio
async def test_the_service_runs_on_postgresql(
    database_url: str, aiohttp_client: AiohttpClient, make_settings: Callable[..., Settings]
) -> None:
    client = await aiohttp_client(create_app(make_settings(DIRECTORY_DATABASE_URL=database_url)))
    health = await (await client.get("/healthz")).json()
    assert health["entries"] >= 60
    params = {"topic": "childcare", "near": "15138", "per_page": "3", "q": "crêche"}
    found = await (await client.get("/api/v1/services", params=params)).json()
    assert found["items"][0]["name"] == "Crèche Les Petits Volcans"
    assert found["items"][0]["distance_km"] < 1
