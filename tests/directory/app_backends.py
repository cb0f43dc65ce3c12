"""
The real app with the demo data on each backend, for tests that must hold on both.

`on_each_backend` is a test client of `create_app`, over plain http (cookies not Secure):
first on a copy of the demo SQLite database, then on PostgreSQL in a schema of its own,
seeded at start-up and dropped afterwards.
"""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient
from backoffice_support import settings_for
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import create_app


async def _admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest_asyncio.fixture(params=["sqlite", "postgres"])
async def on_each_backend(
    request: pytest.FixtureRequest, aiohttp_client: AiohttpClient, make_settings,
    demo_database: Path,
) -> AsyncIterator[TestClient]:  # fmt: skip
    """A client of the real app with the demo data, on SQLite then on PostgreSQL."""
    if request.param == "sqlite":
        yield await aiohttp_client(create_app(settings_for(make_settings, demo_database)))
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    await _admin(url, f"CREATE SCHEMA {schema}")
    settings = make_settings(
        DIRECTORY_DATABASE_URL=f"{url}?search_path={schema}", DIRECTORY_SEED="demo",
        DIRECTORY_SECURE_COOKIES="false",
    )  # fmt: skip
    client = await aiohttp_client(create_app(settings))
    try:
        yield client
    finally:
        await client.close()
        await _admin(url, f"DROP SCHEMA {schema} CASCADE")
