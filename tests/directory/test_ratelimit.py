"""
Rate limits on API writes (per token, per address), public API reads (per address, never the
action server's on this machine) and back-office forms (per session, per address): 429 with
Retry-After and a French message, nothing written.

Checked that these tests can fail: with `rate_limit_middleware` taken out of `create_app`'s
middlewares every test of a limit on the app fails (the limiter's own tests and the defaults
test stay: they test the limiter and that normal use passes); with `_checks` ignoring the
token or the session (address only), the "per token" and "per session" tests fail; with
`client_ip` replaced by `request.remote` the X-Forwarded-For test fails.
"""

import pytest
from aiohttp.test_utils import TestClient
from backoffice_support import account, post_form, settings_for, sign_in, signed_in
from conftest import make_token
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import create_app
from services_directory.appkeys import STORAGE
from services_directory.openapi import openapi_document
from services_directory.ratelimit import WRITES, RateLimiter

SLUG = "hautes-terres"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_one_request_per_interval() -> None:
    clock = Clock()
    limiter = RateLimiter(6, clock)  # 6 per minute: one every 10 s
    for _ in range(6):
        assert limiter.wait("a") == 0
        limiter.take("a")
    assert limiter.wait("a") == pytest.approx(10)
    assert limiter.wait("b") == 0  # each key its own bucket
    clock.now += 4
    assert limiter.wait("a") == pytest.approx(6)
    clock.now += 6
    assert limiter.wait("a") == 0
    limiter.take("a")
    assert limiter.wait("a") == pytest.approx(10)
    clock.now += 3600  # refills up to the burst, no more
    for _ in range(6):
        limiter.take("a")
    assert limiter.wait("a") > 0


def test_zero_means_no_limit_and_refusals_are_logged_once() -> None:
    unlimited = RateLimiter(0, Clock())
    for _ in range(1000):
        assert unlimited.wait("a") == 0
        unlimited.take("a")
    limiter = RateLimiter(1, Clock())
    limiter.take("a")
    assert [limiter.first_refusal("a") for _ in range(3)] == [True, False, False]


ASSISTANT_SECRET = "assistant-secret-for-tests-0123456789"


async def app_with(aiohttp_client: AiohttpClient, make_settings, demo_database, **limits: str):
    settings = settings_for(make_settings, demo_database, **limits)
    return await aiohttp_client(create_app(settings))


async def entry_and_name(client: TestClient) -> tuple[str, str]:
    entry = (await client.app[STORAGE].list_services(SLUG))[0]
    return entry.id, entry.name


def assert_api_refusal(response, body: dict) -> None:
    assert response.status == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert body["error"]["code"] == "rate_limited"
    assert "réessayez dans" in body["error"]["message"]


@pytest.mark.asyncio
async def test_api_writes_are_limited_per_token(
    aiohttp_client: AiohttpClient, make_settings, demo_database
) -> None:
    client = await app_with(
        aiohttp_client, make_settings, demo_database, DIRECTORY_API_WRITES_PER_MINUTE="3"
    )
    entry, _ = await entry_and_name(client)
    fast = await make_token(client, "fast@ht.example.org", "agent", SLUG)
    other = await make_token(client, "other@ht.example.org", "agent", SLUG)
    url = f"/api/v1/services/{entry}"
    for number in range(3):
        response = await client.patch(
            url, json={"name": f"Crèche {number}"}, headers={"Authorization": f"Bearer {fast}"}
        )
        assert response.status == 200, await response.text()
    refused = await client.patch(
        url, json={"name": "Trop vite"}, headers={"Authorization": f"Bearer {fast}"}
    )
    assert_api_refusal(refused, await refused.json())
    assert (await client.app[STORAGE].get_service(entry)).name == "Crèche 2"  # not written
    # Reads have their own limit; another token from the same address still writes.
    assert (await client.get(url, headers={"Authorization": f"Bearer {fast}"})).status == 200
    response = await client.patch(
        url, json={"name": "Autre agent"}, headers={"Authorization": f"Bearer {other}"}
    )
    assert response.status == 200


@pytest.mark.asyncio
async def test_api_writes_are_limited_per_address_whatever_the_token(
    aiohttp_client: AiohttpClient, make_settings, demo_database
) -> None:
    client = await app_with(
        aiohttp_client, make_settings, demo_database,
        DIRECTORY_API_WRITES_PER_MINUTE_PER_ADDRESS="3",
    )  # fmt: skip
    # Unknown tokens (401) count too: guessing tokens costs the same.
    for number in range(3):
        response = await client.post(
            "/api/v1/services", json={}, headers={"Authorization": f"Bearer guess{number}"}
        )
        assert response.status == 401
    refused = await client.post(
        "/api/v1/services", json={}, headers={"Authorization": "Bearer guess-again"}
    )
    assert_api_refusal(refused, await refused.json())


@pytest.mark.asyncio
async def test_behind_a_local_proxy_each_forwarded_address_counts_apart(
    aiohttp_client: AiohttpClient, make_settings, demo_database
) -> None:
    client = await app_with(
        aiohttp_client, make_settings, demo_database,
        DIRECTORY_API_WRITES_PER_MINUTE_PER_ADDRESS="2",
    )  # fmt: skip

    async def post(forwarded: str) -> int:
        # The test client connects from 127.0.0.1: a proxy on this machine, trusted.
        headers = {"X-Forwarded-For": forwarded}
        return (await client.post("/api/v1/services", json={}, headers=headers)).status

    assert [await post("198.51.100.7") for _ in range(3)] == [401, 401, 429]
    # The proxy appends the real client: a forged first hop does not give a new address.
    assert await post("203.0.113.1, 198.51.100.7") == 429
    assert [await post("198.51.100.8") for _ in range(2)] == [401, 401]


@pytest.mark.asyncio
async def test_default_limits_let_an_agent_edit_fast(client: TestClient) -> None:
    entry, _ = await entry_and_name(client)
    token = await make_token(client, "busy@ht.example.org", "agent", SLUG)
    for number in range(150):
        response = await client.patch(
            f"/api/v1/services/{entry}", json={"name": f"Crèche {number}"},
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
        assert response.status == 200, (number, response.status)


@pytest.mark.asyncio
async def test_back_office_forms_are_limited_per_session(
    aiohttp_client: AiohttpClient, make_settings, demo_database
) -> None:
    client = await app_with(
        aiohttp_client, make_settings, demo_database, DIRECTORY_ADMIN_POSTS_PER_MINUTE="2"
    )
    storage = client.app[STORAGE]
    await signed_in(client, "agent@ht.example.org", "agent", SLUG)
    entry, _ = await entry_and_name(client)
    status_url = f"/admin/t/{SLUG}/entries/{entry}/status"
    for status in ("draft", "published"):
        response = await post_form(client, status_url, {"status": status})
        assert response.status == 302, await response.text()
    refused = await post_form(client, status_url, {"status": "archived"})
    assert refused.status == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    page = await refused.text()
    assert "Trop de demandes" in page and "Patientez" in page and '<html lang="fr"' in page
    stored = await storage.get_service(entry, published_only=False)
    assert stored.status == "published"  # not archived
    # Another agent's session, from the same address, still gets through.
    other = await aiohttp_client(client.server)  # a second browser: its own cookies
    await signed_in(other, "agent2@ht.example.org", "agent", SLUG)
    response = await post_form(other, status_url, {"status": "archived"})
    assert response.status == 302
    assert (await storage.get_service(entry, published_only=False)).status == "archived"


@pytest.mark.asyncio
async def test_back_office_forms_are_limited_per_address(
    aiohttp_client: AiohttpClient, make_settings, demo_database
) -> None:
    client = await app_with(
        aiohttp_client, make_settings, demo_database,
        DIRECTORY_ADMIN_POSTS_PER_MINUTE_PER_ADDRESS="3",
    )  # fmt: skip
    # Sign-in attempts count too: three wrong passwords, then the right one is refused.
    await account(client, "agent@ht.example.org", "agent", SLUG)
    for _ in range(3):
        assert (await sign_in(client, "x@example.org", "faux")).status == 401
    refused = await sign_in(client, "agent@ht.example.org")
    assert refused.status == 429 and "Retry-After" in refused.headers
    assert "Trop de demandes" in await refused.text()


def test_the_api_document_says_every_write_may_be_refused() -> None:
    writes = [
        (method, path, operation)
        for path, operations in openapi_document()["paths"].items()
        for method, operation in operations.items()
        if method.upper() in WRITES
    ]
    assert writes
    assert [(m, p) for m, p, operation in writes if "429" not in operation["responses"]] == []


@pytest.mark.asyncio
async def test_public_reads_are_limited_per_address(
    aiohttp_client: AiohttpClient, make_settings, demo_database
) -> None:
    client = await app_with(
        aiohttp_client, make_settings, demo_database,
        DIRECTORY_API_READS_PER_MINUTE_PER_ADDRESS="3",
        DIRECTORY_ASSISTANT_TOKEN=ASSISTANT_SECRET,
    )  # fmt: skip

    async def read(path: str, forwarded: str | None = None):
        # The test client connects from 127.0.0.1: with X-Forwarded-For, nginx and a visitor.
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        return await client.get(path, headers=headers)

    search = "/api/v1/services?q=cr%C3%A8che"
    paths = [search, "/api/v1/territories", f"/api/v1/territories/{SLUG}"]
    assert [(await read(path, "198.51.100.7")).status for path in paths] == [200, 200, 200]
    refused = await read(search, "198.51.100.7")
    body = await refused.json()
    assert_api_refusal(refused, body)
    assert "lecture" in body["error"]["message"]
    assert (await read(search, "198.51.100.8")).status == 200  # another visitor
    # A visitor straight on loopback (as under `make run`) is counted like any other...
    assert [(await read(search)).status for _ in range(4)] == [200, 200, 200, 429]
    # ...while the action server, which shows the assistant's secret, never is; a wrong
    # secret buys nothing.
    assistant = {"Authorization": f"Bearer {ASSISTANT_SECRET}"}
    assert [(await client.get(search, headers=assistant)).status for _ in range(10)] == [200] * 10
    wrong = {"Authorization": "Bearer not-the-assistant-secret", "X-Forwarded-For": "203.0.113.4"}
    assert [(await client.get(search, headers=wrong)).status for _ in range(4)][-1] == 429
    # Writes keep their own limit: the visitor's next write is judged on it (401, not 429).
    headers = {"X-Forwarded-For": "198.51.100.7"}
    assert (await client.post("/api/v1/services", json={}, headers=headers)).status == 401
    # The public directory page searches too: the same budget, a French page beyond it.
    page = await read(f"/t/{SLUG}/services?q=cr%C3%A8che", "198.51.100.7")
    assert page.status == 429 and 1 <= int(page.headers["Retry-After"]) <= 60
    html = await page.text()
    assert "Trop de demandes" in html and "Patientez" in html and '<html lang="fr"' in html
    assert (await read(f"/t/{SLUG}/services", "198.51.100.8")).status == 200


@pytest.mark.asyncio
async def test_an_ipv6_visitor_cannot_take_a_fresh_address_per_request(
    aiohttp_client: AiohttpClient, make_settings, demo_database
) -> None:
    client = await app_with(
        aiohttp_client, make_settings, demo_database,
        DIRECTORY_API_READS_PER_MINUTE_PER_ADDRESS="2",
    )  # fmt: skip

    async def read(forwarded: str) -> int:
        response = await client.get("/api/v1/territories", headers={"X-Forwarded-For": forwarded})
        return response.status

    # One subscriber's /64 is one visitor; the next /64 is another.
    assert [await read(f"2001:db8:1:2::{n}") for n in range(1, 4)] == [200, 200, 429]
    assert await read("2001:db8:1:3::1") == 200


@pytest.mark.asyncio
async def test_default_read_limit_lets_a_visitor_page_through_the_directory(
    client: TestClient,
) -> None:
    headers = {"X-Forwarded-For": "198.51.100.9"}
    for page in range(1, 201):
        response = await client.get(f"/api/v1/services?per_page=1&page={page}", headers=headers)
        assert response.status == 200, (page, response.status)


def test_the_api_document_says_every_read_may_be_refused() -> None:
    reads = [
        (method, path)
        for path, operations in openapi_document()["paths"].items()
        for method, operation in operations.items()
        if method == "get" and "429" not in operation["responses"]
    ]
    assert reads == []
