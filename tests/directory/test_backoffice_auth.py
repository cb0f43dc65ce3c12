"""Back-office accounts and security: sign-in, sessions, CSRF, roles, rate limits, the log."""

from datetime import datetime, timedelta, timezone

import backoffice_support
import pytest
from aiohttp.test_utils import TestClient
from backoffice_support import (
    PASSWORD,
    account,
    post_form,
    settings_for,
    sign_in,
    signed_in,
    token,
)
from yarl import URL

from services_directory.app import create_app
from services_directory.appkeys import STORAGE
from services_directory.backoffice.passwords import password_problem

bo = backoffice_support.bo  # the fixture
pytestmark = pytest.mark.asyncio


async def test_pages_need_a_session_and_say_where_to_come_back(bo: TestClient) -> None:
    response = await bo.get("/admin/t/hautes-terres/entries?topic=jobs", allow_redirects=False)
    assert response.status == 302
    location = URL(response.headers["Location"])
    assert location.path == "/admin/login"
    assert location.query["next"] == "/admin/t/hautes-terres/entries?topic=jobs"


async def test_sign_in_issues_a_new_server_side_session(bo: TestClient) -> None:
    await account(bo, "agent@ht.example.org", "agent", "hautes-terres")
    bo.session.cookie_jar.update_cookies({"amc_session": "planted-by-an-attacker"})
    response = await sign_in(bo, "Agent@HT.example.org", next="/admin/t/hautes-terres/entries")
    assert response.status == 302
    assert response.headers["Location"] == "/admin/t/hautes-terres/entries"
    cookie = response.cookies["amc_session"]
    assert cookie.value != "planted-by-an-attacker" and len(cookie.value) >= 40
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/admin"
    page = await bo.get("/admin/")
    assert page.status == 200
    html = await page.text()
    assert "Hautes Terres" in html and "Creuse" not in html
    assert 'href="/admin/analytics"' in html and "Aller au contenu" in html
    events = await bo.app[STORAGE].list_auth_events()
    assert events[0].event == "login" and events[0].email == "agent@ht.example.org"


async def test_cookies_are_secure_by_default(aiohttp_client, make_settings, demo_database) -> None:
    settings = settings_for(make_settings, demo_database)
    settings = settings.__class__(**{**settings.__dict__, "secure_cookies": True})
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/admin/login")
    assert response.cookies["amc_csrf"]["secure"] and response.cookies["amc_csrf"]["httponly"]


async def test_wrong_password_unknown_and_disabled_accounts_fail_alike(bo: TestClient) -> None:
    user = await account(bo, "agent@ht.example.org", "agent", "hautes-terres")
    wrong = await sign_in(bo, "agent@ht.example.org", "not-the-password")
    unknown = await sign_in(bo, "nobody@example.org")
    await bo.app[STORAGE].set_disabled(user.id, True)
    disabled = await sign_in(bo, "agent@ht.example.org")
    for response in (wrong, unknown, disabled):
        assert response.status == 401
        html = await response.text()
        assert "Adresse électronique ou mot de passe incorrect." in html
        assert 'aria-invalid="true"' in html and "amc_session" not in response.cookies
    events = [e.event for e in await bo.app[STORAGE].list_auth_events()]
    assert events.count("login_failed") == 3


async def test_attempts_are_limited_per_account(bo: TestClient) -> None:
    await account(bo, "agent@ht.example.org", "agent", "hautes-terres")
    for _ in range(5):
        assert (await sign_in(bo, "agent@ht.example.org", "wrong")).status == 401
    blocked = await sign_in(bo, "agent@ht.example.org")  # even the right password
    assert blocked.status == 429
    assert "Trop de tentatives" in await blocked.text()
    events = [e.event for e in await bo.app[STORAGE].list_auth_events()]
    assert events[0] == "login_throttled"


async def test_attempts_are_limited_per_address(bo: TestClient) -> None:
    await account(bo, "agent@ht.example.org", "agent", "hautes-terres")
    for number in range(20):
        await sign_in(bo, f"guess{number}@example.org", "wrong")
    assert (await sign_in(bo, "agent@ht.example.org")).status == 429


async def test_login_form_needs_its_csrf_token(bo: TestClient) -> None:
    await account(bo, "agent@ht.example.org", "agent", "hautes-terres")
    await token(bo)  # the cookie is set, but the form below does not carry the token
    data = {"email": "agent@ht.example.org", "password": PASSWORD}
    response = await bo.post("/admin/login", data=data, allow_redirects=False)
    assert response.status == 403
    assert "Rechargez la page" in await response.text()


async def test_every_form_needs_the_session_token(bo: TestClient) -> None:
    await signed_in(bo, "agent@ht.example.org", "agent", "hautes-terres")
    response = await bo.post("/admin/logout", data={"csrf_token": "forged"}, allow_redirects=False)
    assert response.status == 403
    assert (await bo.get("/admin/", allow_redirects=False)).status == 200  # still signed in
    events = [e.event for e in await bo.app[STORAGE].list_auth_events()]
    assert "csrf_refused" in events


async def test_logout_ends_the_session_on_the_server(bo: TestClient) -> None:
    await signed_in(bo, "agent@ht.example.org", "agent", "hautes-terres")
    secret = bo.session.cookie_jar.filter_cookies(bo.make_url("/admin/"))["amc_session"].value
    response = await post_form(bo, "/admin/logout", {})
    assert response.status == 302 and response.headers["Location"] == "/admin/login?ok=logout"
    bo.session.cookie_jar.update_cookies({"amc_session": secret})  # a copied cookie is dead
    assert (await bo.get("/admin/", allow_redirects=False)).status == 302


async def test_disabling_an_account_ends_its_sessions(bo: TestClient) -> None:
    user = await signed_in(bo, "agent@ht.example.org", "agent", "hautes-terres")
    await bo.app[STORAGE].set_disabled(user.id, True)
    assert (await bo.get("/admin/", allow_redirects=False)).status == 302


async def test_an_idle_session_expires(bo: TestClient) -> None:
    await signed_in(bo, "agent@ht.example.org", "agent", "hautes-terres")
    old = (datetime.now(timezone.utc) - timedelta(hours=3)).isoformat(timespec="seconds")
    storage = bo.app[STORAGE]
    await storage._run("UPDATE web_sessions SET last_seen_at = ?", old)
    response = await bo.get("/admin/t/hautes-terres/entries", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"].startswith("/admin/login")
    assert (await storage._one("SELECT COUNT(*) AS n FROM web_sessions"))["n"] == 0


async def test_next_never_leaves_the_back_office(bo: TestClient) -> None:
    await account(bo, "agent@ht.example.org", "agent", "hautes-terres")
    response = await sign_in(bo, "agent@ht.example.org", next="//evil.example.org/admin")
    assert response.headers["Location"] == "/admin/"


async def test_gip_pages_are_404_for_agents_and_logged(bo: TestClient) -> None:
    await signed_in(bo, "agent@ht.example.org", "agent", "hautes-terres")
    assert (await bo.get("/admin/accounts")).status == 404
    assert (await bo.get("/admin/t/creuse-grand-sud/entries")).status == 404
    events = await bo.app[STORAGE].list_auth_events()
    assert [e.event for e in events[:2]] == ["denied", "denied"]
    assert events[0].detail == "territory creuse-grand-sud"


async def test_security_headers_on_back_office_pages(bo: TestClient) -> None:
    response = await bo.get("/admin/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


async def test_changing_ones_password(bo: TestClient) -> None:
    await signed_in(bo, "agent@ht.example.org", "agent", "hautes-terres")
    weak = await post_form(
        bo,
        "/admin/password",
        {
            "current_password": PASSWORD,
            "new_password": "motdepasse",
            "confirm_password": "motdepasse",
        },
    )
    assert weak.status == 400
    assert 'id="f-new_password-error"' in await weak.text()
    new = "Une-Autre-Phrase-2026!"
    done = await post_form(
        bo,
        "/admin/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert done.status == 302
    assert (await bo.get("/admin/", allow_redirects=False)).status == 200  # a fresh session
    bo.session.cookie_jar.clear()
    assert (await sign_in(bo, "agent@ht.example.org", new)).status == 302


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Abcdefgh1!xy", True),  # 12, four kinds
        ("Abcdefgh1!x", False),  # 11
        ("Abcdefghijk1mn", True),  # 14, upper, lower, digit
        ("abcdefghijklmnop", False),
        ("le chat de la voisine dort sur le toit", True),  # 7+ words
        ("chat chat chat chat chat chat chat", False),  # the same word
        ("agent.ht-Abcdefgh1!xy", False),  # holds the e-mail
    ],
)
async def test_cnil_password_rules(password: str, ok: bool) -> None:
    assert (password_problem(password, "agent.ht@example.org") is None) is ok
