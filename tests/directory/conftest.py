"""Fixtures for the directory tests: the real app factory on a temporary SQLite database."""

import asyncio
import concurrent.futures
import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient
from pytest_aiohttp.plugin import AiohttpClient

# Make `services_directory` importable however pytest is started (the lead runs `python -m pytest`).
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from services_directory.app import create_app  # noqa: E402
from services_directory.postgres import PostgresStorage  # noqa: E402
from services_directory.seed import load_seed  # noqa: E402
from services_directory.settings import Settings  # noqa: E402
from services_directory.sqlite import SQLiteStorage  # noqa: E402
from services_directory.storage import Storage  # noqa: E402

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


# The machine's PostgreSQL (trust auth); the storage suite runs on it too, never skipped.
POSTGRES_URL = os.environ.get(
    "DIRECTORY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test PostgreSQL URL, once checked to answer (fails the tests clearly otherwise)."""

    async def ping() -> None:
        connection = await asyncpg.connect(POSTGRES_URL, timeout=5)
        await connection.close()

    try:  # in a thread: this fixture may be first needed inside a running event loop
        _in_thread(ping())
    except (OSError, asyncio.TimeoutError, asyncpg.PostgresError) as error:
        pytest.fail(
            f"PostgreSQL is unreachable at {POSTGRES_URL} ({error}); the storage tests need it."
            " Start it, or set DIRECTORY_TEST_POSTGRES_URL.",
            pytrace=False,
        )
    return POSTGRES_URL


def _in_thread(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to completion from sync code, even inside a running event loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _drop_schema(url: str, schema: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgres"])
def make_storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Storage]]:
    """Build an unopened storage: SQLite in `tmp_path`, then PostgreSQL in a fresh schema."""
    if request.param == "sqlite":
        yield lambda: SQLiteStorage(tmp_path / "storage.sqlite3")
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    yield lambda: PostgresStorage(url, schema=schema)
    _in_thread(_drop_schema(url, schema))


@pytest_asyncio.fixture
async def storage(make_storage: Callable[[], Storage]) -> AsyncIterator[Storage]:
    """An open, empty, migrated storage, on each backend."""
    opened = make_storage()
    await opened.open()
    yield opened
    await opened.close()


@pytest_asyncio.fixture
async def seeded(storage: Storage) -> Storage:
    """The storage (each backend) holding the demo seed."""
    await load_seed(storage)
    return storage


async def make_token(client: TestClient, email: str, role: str, *territories: str) -> str:
    """Create an account in the client's storage and return a fresh API token of it."""
    from services_directory.appkeys import STORAGE
    from services_directory.auth import hash_token, new_token

    storage = client.app[STORAGE]
    user = await storage.create_user(email, role, territories)
    token = new_token()
    await storage.add_token(user.id, hash_token(token))
    return token


@pytest.fixture
def token_for() -> Callable[..., Awaitable[str]]:
    """`await token_for(client, email, role, *territories)`: a new account's API token."""
    return make_token


@pytest_asyncio.fixture
async def tokens(client: TestClient) -> dict[str, str]:
    """Authorization headers: a GIP administrator, an agent of Hautes Terres, one of Creuse."""
    made = {
        "gip": await make_token(client, "admin@gip.example.org", "gip"),
        "ht": await make_token(client, "agent@ht.example.org", "agent", "hautes-terres"),
        "creuse": await make_token(client, "agent@cgs.example.org", "agent", "creuse-grand-sud"),
    }
    return {name: f"Bearer {token}" for name, token in made.items()}
