"""Fixtures for the directory tests: the real app factory on a temporary SQLite database."""

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient
from pytest_aiohttp.plugin import AiohttpClient

# Make `services_directory` importable however pytest is started (the lead runs `python -m pytest`).
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from services_directory.app import create_app  # noqa: E402
from services_directory.seed import load_seed  # noqa: E402
from services_directory.settings import Settings  # noqa: E402
from services_directory.sqlite import SQLiteStorage  # noqa: E402

SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    """Build settings as the service would read them, with the database in `tmp_path`."""

    def make(**environ: str) -> Settings:
        database = str(tmp_path / "directory.sqlite3")
        return Settings.from_env({"DIRECTORY_DATABASE": database, **environ})

    return make


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the demo seed, built once; tests get a copy (seeding 77 entries
    for every test would dominate the run time)."""
    path = tmp_path_factory.mktemp("demo") / "directory.sqlite3"

    async def build() -> None:
        storage = SQLiteStorage(path)
        await storage.open()
        await load_seed(storage)
        await storage.close()

    asyncio.run(build())
    return path


@pytest.fixture
def settings(make_settings: SettingsFactory, demo_database: Path) -> Settings:
    """Settings on a fresh copy of the demo database."""
    settings = make_settings()
    shutil.copyfile(demo_database, settings.database)
    return settings


@pytest_asyncio.fixture
async def client(aiohttp_client: AiohttpClient, settings: Settings) -> TestClient:
    """A test client of the real application, seeded with the demo data."""
    return await aiohttp_client(create_app(settings))


@pytest_asyncio.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SQLiteStorage]:
    """An open, empty, migrated storage."""
    opened = SQLiteStorage(tmp_path / "storage.sqlite3")
    await opened.open()
    yield opened
    await opened.close()
