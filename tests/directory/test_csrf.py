"""
CSRF on the back-office, generated from the router: every `POST /admin…` route, as a signed-in
GIP administrator (who may do everything, so nothing but the token can refuse), answers 403
and changes nothing when the form's token is missing, wrong, or another session's; urlencoded
and multipart alike. The same request with the right token is not refused, so the 403s are
the token check. A new back-office POST route that forgets `check_csrf` fails this test.

Checked that it can fail: with the `check_csrf` call removed from `leads.set_lead_status` (or
`gip.account_state`, or `analytics.views.mark_conversation`), the first test fails on that
route, either on the status or on the changed data.
"""

import re
import sqlite3
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import FormData
from aiohttp.test_utils import TestClient
from backoffice_support import PASSWORD, account, csrf_in, settings_for, signed_in
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import create_app
from services_directory.appkeys import SETTINGS, STORAGE
from services_directory.models import NewLead
from tests.directory.analytics_events import write_sqlite
from tests.directory.test_analytics_figures import conversations

pytestmark = pytest.mark.asyncio
SLUG = "hautes-terres"
OTHER = "agent2@ht.example.org"
PATH_PARAMS = re.compile(r"\{(\w+)(?::[^}]*)?\}")
# Fields that would make each form do something if the token were not checked.
FORM = {
    "status": "archived", "name": "Modifié sans jeton", "topic": "childcare",
    "kind": "micro_creche", "commune": "15138", "territory": SLUG, "action": "flag",
    "disabled": "1", "email": "nouveau@example.org", "role": "agent", "password": PASSWORD,
    "current_password": PASSWORD, "new_password": "Autre-Cheval-15300!!",
    "confirm_password": "Autre-Cheval-15300!!", "slug": "nouveau-territoire",
    "department": "15", "welcome_name": "Accueil", "welcome_email": "accueil@example.org",
    "welcome_phone": "04 71 00 00 00", "widget_greeting": "Bonjour sans jeton",
}  # fmt: skip
CSV = b"name,commune,topic,kind\nImport sans jeton,15138,childcare,micro_creche\n"
VOLATILE = ("auth_events", "web_sessions", "login_attempts", "sqlite_sequence")  # refusals log


@pytest_asyncio.fixture
async def app_client(
    aiohttp_client: AiohttpClient, make_settings, demo_database, tmp_path: Path
) -> TestClient:
    """The real app with the demo directory and a conversation store (sender "a"), no rate
    limits (not what this file tests)."""
    store = write_sqlite(tmp_path / "conversations.sqlite3", conversations())
    settings = settings_for(
        make_settings, demo_database, ANALYTICS_TRACKER_URL=str(store),
        DIRECTORY_ADMIN_POSTS_PER_MINUTE="0", DIRECTORY_ADMIN_POSTS_PER_MINUTE_PER_ADDRESS="0",
    )  # fmt: skip
    return await aiohttp_client(create_app(settings))


def admin_posts(client: TestClient) -> list[str]:
    paths = []
    for route in client.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if route.method == "POST" and (path == "/admin" or path.startswith("/admin/")):
            paths.append(path)
    return paths


def dump(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [
            line for line in connection.iterdump()
            if not any(f'"{table}"' in line for table in VOLATILE)
        ]  # fmt: skip


def snapshot(client: TestClient) -> tuple[list[str], list[str]]:
    """Every row of the directory and of the conversation store (marks), but the security
    log, sessions and sign-in attempts."""
    settings = client.app[SETTINGS]
    return dump(settings.database), dump(Path(str(settings.analytics_tracker_url)))


def bodies(token: str | None) -> list[dict | FormData]:
    """The form, urlencoded and multipart (with a CSV file), with `token` if any."""
    fields = FORM | ({"csrf_token": token} if token is not None else {})
    multipart = FormData()
    for name, value in fields.items():
        multipart.add_field(name, value)
    multipart.add_field("file", CSV, filename="fiches.csv", content_type="text/csv")
    return [fields, multipart]


async def session_token(client: TestClient) -> str:
    return csrf_in(await (await client.get("/admin/")).text())


async def test_every_back_office_post_refuses_a_missing_wrong_or_foreign_token(
    app_client: TestClient, aiohttp_client: AiohttpClient
) -> None:
    storage = app_client.app[STORAGE]
    entry = (await storage.list_services(SLUG))[0].id
    lead = (await storage.add_lead(NewLead(SLUG, "Alex", "alex@example.org", None, "?"))).id
    await account(app_client, OTHER, "agent", SLUG)
    await signed_in(app_client, "admin@gip.example.org", "gip")
    own = await session_token(app_client)
    other_browser = await aiohttp_client(app_client.server)
    await signed_in(other_browser, "admin2@gip.example.org", "gip")
    foreign = await session_token(other_browser)
    assert foreign != own

    def fill(path: str) -> str:
        values = {"slug": SLUG, "id": lead if "/leads/" in path else entry, "email": OTHER,
                  "sender": "a"}  # fmt: skip
        return PATH_PARAMS.sub(lambda m: values[m.group(1)], path)

    paths = admin_posts(app_client)
    assert {"/admin/login", "/admin/logout", "/admin/t/{slug}/import"} <= set(paths)
    assert len(paths) >= 15, paths
    for path in paths:
        url = fill(path)
        for token in (None, "x" * 43, foreign):
            for body in bodies(token):
                before = snapshot(app_client)
                response = await app_client.post(url, data=body, allow_redirects=False)
                assert response.status == 403, (url, token, response.status)
                assert snapshot(app_client) == before, (url, token, "changed data")
    assert await session_token(app_client) == own  # still signed in: logout was refused too

    # The right token gets past the check (whatever the action then answers): the 403s above
    # were the token's. Sign-out last, as it ends the session.
    for path in sorted(paths, key=lambda p: p == "/admin/logout"):
        body = FORM | {"csrf_token": await session_token(app_client)}
        response = await app_client.post(fill(path), data=body, allow_redirects=False)
        assert response.status != 403, (path, await response.text())
