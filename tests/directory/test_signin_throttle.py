"""
The sign-in throttle holds under concurrency, on SQLite and PostgreSQL (issue 15, item 2).

An attacker fires many sign-ins at once: each attempt is counted before its password is
checked, in-flight ones included, so no more than the limit ever reach Argon2; the right
password after the burst is refused while throttled. The current-password check of
`/admin/password` shares the same counters.

Checked that these fail on the code before the fix: every request of the burst got 401 (none
429), and twelve wrong current passwords each got 400.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient
from backoffice_support import PASSWORD, account, settings_for, sign_in, signed_in, token
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import create_app
from services_directory.appkeys import STORAGE
from services_directory.backoffice.throttle import (
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
)

pytestmark = pytest.mark.asyncio
EMAIL = "agent@ht.example.org"


async def _admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgres"])
def backend_environ(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """The variables choosing the backend: SQLite, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield {}
        return
    url = request.getfixturevalue("postgres_url")
    name = f"test_throttle_{uuid.uuid4().hex[:12]}"
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_admin(url, f"CREATE DATABASE {name}"))
        yield {"DIRECTORY_DATABASE_URL": url.rsplit("/", 1)[0] + "/" + name}
        loop.run_until_complete(_admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        loop.close()


@pytest_asyncio.fixture
async def app_client(
    aiohttp_client: AiohttpClient, make_settings, demo_database, backend_environ
) -> AsyncIterator[TestClient]:
    """The real app on each backend, over plain http (no demo data: the accounts are GIP)."""
    settings = settings_for(make_settings, demo_database, DIRECTORY_SEED="none", **backend_environ)
    yield await aiohttp_client(create_app(settings))


async def burst(client: TestClient, attempts: list[tuple[str, str]]) -> list[int]:
    """Post every (e-mail, password) sign-in at once; their statuses, in order."""
    csrf = await token(client)

    async def attempt(email: str, password: str) -> int:
        data = {"csrf_token": csrf, "email": email, "password": password}
        response = await client.post("/admin/login", data=data, allow_redirects=False)
        await response.read()
        return response.status

    return list(await asyncio.gather(*(attempt(e, p) for e, p in attempts)))


async def test_a_burst_of_wrong_passwords_reaches_the_check_only_up_to_the_limit(
    app_client: TestClient,
) -> None:
    await account(app_client, EMAIL, "gip")
    attempts = [(EMAIL, f"wrong-{n}") for n in range(40)]
    attempts.insert(20, (EMAIL, PASSWORD))  # the right password, inside the burst
    statuses = await burst(app_client, attempts)
    checked = [s for s in statuses if s != 429]
    # Wrong passwords reach Argon2 at most the limit. The right one, when admitted among the
    # first, is no failure once checked: its slot may go to one more wrong guess (seen on
    # PostgreSQL), never beyond the limit.
    assert checked.count(401) <= MAX_FAILURES_PER_ACCOUNT, statuses
    assert set(checked) <= {401, 302} and checked.count(302) <= 1, statuses
    assert statuses.count(429) >= 41 - MAX_FAILURES_PER_ACCOUNT - 1, statuses
    app_client.session.cookie_jar.clear()  # signed out, if the right password got in
    after = await sign_in(app_client, EMAIL)  # the right password, after the burst
    assert after.status == 429 and "Trop de tentatives" in await after.text()
    failures = await app_client.app[STORAGE]._one(
        "SELECT COUNT(*) AS n FROM login_attempts WHERE success = ?", False
    )
    assert failures["n"] <= MAX_FAILURES_PER_ACCOUNT


async def test_a_burst_over_many_accounts_is_limited_per_address(app_client: TestClient) -> None:
    await account(app_client, EMAIL, "gip")
    statuses = await burst(app_client, [(f"guess{n}@example.org", "wrong") for n in range(45)])
    assert len([s for s in statuses if s != 429]) <= MAX_FAILURES_PER_ADDRESS, statuses
    assert (await sign_in(app_client, EMAIL)).status == 429  # the address is throttled


async def test_a_right_password_is_not_counted_as_a_failure(app_client: TestClient) -> None:
    await account(app_client, EMAIL, "gip")
    for _ in range(MAX_FAILURES_PER_ACCOUNT + 2):
        response = await sign_in(app_client, EMAIL)
        assert response.status == 302
        app_client.session.cookie_jar.clear()


async def test_the_current_password_check_is_throttled_too(app_client: TestClient) -> None:
    await signed_in(app_client, EMAIL, "gip")
    csrf = await token(app_client, "/admin/password")

    async def change(current: str) -> int:
        new = "Une-Autre-Phrase-2026!"
        data = {"csrf_token": csrf, "current_password": current, "new_password": new,
                "confirm_password": new}  # fmt: skip
        response = await app_client.post("/admin/password", data=data, allow_redirects=False)
        await response.read()
        return response.status

    statuses = list(await asyncio.gather(*(change(f"wrong-{n}") for n in range(12))))
    assert statuses.count(400) <= MAX_FAILURES_PER_ACCOUNT and statuses.count(429) >= 7, statuses
    assert await change(PASSWORD) == 429  # the right one, while throttled: not checked
    events = [e.event for e in await app_client.app[STORAGE].list_auth_events()]
    assert "password_change_throttled" in events
    app_client.session.cookie_jar.clear()
    assert (await sign_in(app_client, EMAIL)).status == 429  # one counter for both forms


async def test_concurrent_attempts_are_counted_one_after_another(storage) -> None:
    """On each backend's storage (PostgreSQL: ten pooled connections at once)."""
    since = "2000-01-01T00:00:00+00:00"
    limits = (MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS)
    ids = await asyncio.gather(
        *(storage.begin_login_attempt(EMAIL, "192.0.2.1", since, limits) for _ in range(30))
    )
    admitted = [attempt for attempt in ids if attempt is not None]
    assert len(admitted) == MAX_FAILURES_PER_ACCOUNT
    await storage.login_attempt_succeeded(admitted[0])  # a right password frees its place
    assert await storage.begin_login_attempt(EMAIL, "192.0.2.1", since, limits) is not None
    assert await storage.begin_login_attempt(EMAIL, "192.0.2.1", since, limits) is None
    await storage.purge_login_locks("9999-01-01T00:00:00+00:00")
    assert (await storage._one("SELECT COUNT(*) AS n FROM login_locks"))["n"] == 0
