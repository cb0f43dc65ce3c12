"""
Security headers on every answer of the directory service, by kind of answer, generated from
`app.router`: a new GET route gets checked without anyone listing it.

Checked that these tests can fail: with `app.on_response_prepare.append(add_security_headers)`
removed from `app.py` every test here fails; with the inline hashes left out of the public
pages' policy (`page_policy` giving `script-src 'self'; style-src 'none'`) the hash test fails;
with `FRAMABLE` matching nothing the frame-ancestors test fails.
"""

import base64
import hashlib
import re

import pytest
from aiohttp.test_utils import TestClient
from backoffice_support import bo, settings_for  # noqa: F401 (fixture)
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import create_app
from services_directory.appkeys import STORAGE

pytestmark = pytest.mark.asyncio
PATH_PARAMS = re.compile(r"\{(\w+)(?::[^}]*)?\}")
INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)
API_CSP = "default-src 'none'; frame-ancestors 'none'"


async def every_get(client: TestClient) -> list[str]:
    """One URL per GET route of the router, its parameters filled with demo values."""
    entry = (await client.app[STORAGE].list_services("hautes-terres"))[0].id
    values = {"slug": "hautes-terres", "id": entry, "kind": "services"}
    urls = []
    for route in client.app.router.routes():
        if route.method != "GET" or route.resource is None:
            continue
        path = route.resource.canonical
        if path == "/admin/static":
            path = "/admin/static/backoffice/admin.css"
        urls.append(PATH_PARAMS.sub(lambda m: values.get(m.group(1), "x"), path))
    return urls


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def expect_kind(url: str, headers, framable_from: str = "'self'") -> None:
    """The headers an answer to `url` must carry, written out by hand for each kind."""
    assert headers["X-Content-Type-Options"] == "nosniff", url
    permissions = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions, (url, feature)
    policy = directives(headers["Content-Security-Policy"])
    path = url.split("?")[0]
    if path.startswith("/admin"):
        assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"], url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["Referrer-Policy"] == "same-origin", url
    elif path.startswith("/api") or path == "/healthz":
        assert headers["Content-Security-Policy"] == API_CSP, url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["Referrer-Policy"] == "no-referrer", url
    elif path in ("/widget.js", "/widget.css"):
        assert headers["Cross-Origin-Resource-Policy"] == "cross-origin", url
        assert headers["Content-Security-Policy"] == API_CSP, url
    else:  # public HTML pages
        assert policy["default-src"] == ["'none'"], url
        assert policy["connect-src"] == ["'self'", "http://127.0.0.1:5005"], url
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"], url
        assert headers["Referrer-Policy"] == "same-origin", url
        framable = re.fullmatch(r"/t/[^/]+/services", path)
        assert policy["frame-ancestors"] == (
            framable_from.split() if framable else ["'none'"]
        ), url
        if not framable:
            assert headers["X-Frame-Options"] == "DENY", url


async def test_every_get_route_has_the_headers_of_its_kind(bo: TestClient) -> None:  # noqa: F811
    urls = await every_get(bo)
    assert {"/", "/widget.js", "/t/hautes-terres", "/api/v1/services", "/admin/"} <= set(urls)
    assert "/t/hautes-terres/services" in urls
    for url in urls:
        response = await bo.get(url, allow_redirects=False)
        expect_kind(url, response.headers)
        assert "Strict-Transport-Security" not in response.headers  # plain http (bo)


async def test_errors_redirects_and_writes_have_them_too(bo: TestClient) -> None:  # noqa: F811
    for method, url, status in [
        ("GET", "/nowhere", 404),
        ("GET", "/api/v1/nowhere", 404),
        ("GET", "/t/nowhere", 404),
        ("GET", "/admin", 302),
        ("GET", "/admin/t/hautes-terres/entries", 302),  # not signed in
        ("POST", "/api/v1/services", 401),
        ("POST", "/admin/logout", 403),  # no CSRF token
        ("DELETE", "/widget.js", 405),
    ]:
        response = await bo.request(method, url, allow_redirects=False)
        assert response.status == status, (method, url, response.status)
        expect_kind(url, response.headers)


async def test_inline_blocks_of_public_pages_are_allowed_by_hash_only(
    bo: TestClient,  # noqa: F811
) -> None:
    seen = {"script": 0, "style": 0}
    for url in ("/", "/t/hautes-terres", "/t/hautes-terres/services?topic=childcare", "/x"):
        response = await bo.get(url)
        policy = directives(response.headers["Content-Security-Policy"])
        for tag, content in INLINE.findall(await response.text()):
            digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy[f"{tag}-src"], (url, tag, content[:80])
            seen[tag] += 1
    assert seen["script"] >= 1 and seen["style"] >= 4  # the chat page's script, every style


async def test_hsts_behind_https_only(aiohttp_client: AiohttpClient, make_settings) -> None:
    https = await aiohttp_client(create_app(make_settings(DIRECTORY_SEED="none")))
    for url in ("/healthz", "/", "/widget.js", "/admin/login"):
        response = await https.get(url)
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000", url
    off = make_settings(DIRECTORY_SEED="none", DIRECTORY_HSTS_SECONDS="0")
    response = await (await aiohttp_client(create_app(off))).get("/healthz")
    assert "Strict-Transport-Security" not in response.headers


async def test_territory_sites_listed_may_frame_the_directory_page_only(
    aiohttp_client: AiohttpClient, make_settings, demo_database
) -> None:
    sites = "https://www.hautesterres.fr https://*.cantal.fr"
    settings = settings_for(make_settings, demo_database, DIRECTORY_FRAME_ANCESTORS=sites)
    client = await aiohttp_client(create_app(settings))
    listing = await client.get("/t/hautes-terres/services")
    assert directives(listing.headers["Content-Security-Policy"])["frame-ancestors"] == [
        "https://www.hautesterres.fr", "https://*.cantal.fr"
    ]
    assert "X-Frame-Options" not in listing.headers  # it cannot name other sites
    for url in await every_get(client):
        response = await client.get(url, allow_redirects=False)
        expect_kind(url, response.headers, framable_from=sites)
