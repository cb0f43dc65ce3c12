"""Helpers of the back-office tests: accounts with passwords, signing in, CSRF tokens."""

import re
import shutil
from pathlib import Path

import pytest_asyncio
from aiohttp.test_utils import TestClient
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import create_app
from services_directory.appkeys import STORAGE
from services_directory.backoffice.passwords import hash_password
from services_directory.models import User
from services_directory.settings import Settings

PASSWORD = "Correct-Cheval-15300!"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_HASH = hash_password(PASSWORD)  # hashing is slow on purpose: once for every test account


def settings_for(make_settings, demo_database: Path, **environ: str) -> Settings:
    """Settings on a copy of the demo database; plain http, so cookies are not Secure."""
    settings = make_settings(DIRECTORY_SECURE_COOKIES="false", **environ)
    shutil.copyfile(demo_database, settings.database)
    return settings


@pytest_asyncio.fixture
async def bo(aiohttp_client: AiohttpClient, make_settings, demo_database: Path) -> TestClient:
    """A client of the real app with the demo data, over plain http."""
    return await aiohttp_client(create_app(settings_for(make_settings, demo_database)))


async def account(client: TestClient, email: str, role: str, *territories: str) -> User:
    """A new account with the test password."""
    storage = client.app[STORAGE]
    user = await storage.create_user(email, role, territories)
    await storage.set_password(user.id, _HASH)
    return user


def csrf_in(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = _TOKEN.search(html)
    assert found, "no csrf_token in the page"
    return found.group(1)


async def token(client: TestClient, path: str = "/admin/login") -> str:
    """The CSRF token a page hands out (it sets the cookie too, before sign-in)."""
    response = await client.get(path, allow_redirects=False)
    assert response.status == 200, (path, response.status)
    return csrf_in(await response.text())


async def sign_in(client: TestClient, email: str, password: str = PASSWORD, **extra: str):
    """POST the login form as a browser would; returns the (unfollowed) response."""
    data = {"csrf_token": await token(client), "email": email, "password": password, **extra}
    return await client.post("/admin/login", data=data, allow_redirects=False)


async def signed_in(client: TestClient, email: str, role: str, *territories: str) -> User:
    """A new account, signed in on the client."""
    user = await account(client, email, role, *territories)
    response = await sign_in(client, email)
    assert response.status == 302, await response.text()
    return user


async def post_form(client: TestClient, path: str, data: dict, page: str = "/admin/"):
    """POST a form with the session's CSRF token (taken from a page)."""
    body = {"csrf_token": await token(client, page), **data}
    return await client.post(path, data=body, allow_redirects=False)
