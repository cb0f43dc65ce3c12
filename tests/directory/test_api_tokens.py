"""
API tokens expire, are listed and revoked one by one, and record their last use (issue 15, 6).

On the storage of each backend, through the API (401 JSON for an expired or revoked token),
the command line (on each backend too) and the GIP's accounts page.

Checked that these fail on the code before the fix: tokens had no id, expiry nor last use,
`tokens list` and `tokens revoke` did not exist, and the accounts page had no token.
"""

import re
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient
from backoffice_support import bo, csrf_in, signed_in  # noqa: F401 (fixture)
from pytest_aiohttp.plugin import AiohttpClient
from test_signin_throttle import backend_environ  # noqa: F401 (fixture: each backend)

from services_directory.__main__ import main
from services_directory.app import create_app
from services_directory.appkeys import STORAGE
from services_directory.auth import hash_token, new_token
from services_directory.errors import NotFound
from services_directory.sqlaccounts import later
from services_directory.storage import Storage

EMAIL = "agent@ht.example.org"


async def _agent_with_token(storage: Storage, **kwargs) -> tuple[int, str]:
    user = await storage.create_user("gip@example.org", "gip", [])
    token = new_token()
    return await storage.add_token(user.id, hash_token(token), **kwargs), token


@pytest.mark.asyncio
async def test_tokens_expire_list_record_their_use_and_are_revoked(storage: Storage) -> None:
    number, token = await _agent_with_token(storage, prefix="abc123")
    _, old = await _agent_with_token_of(storage, "old@example.org", later(timedelta(seconds=-1)))
    assert await storage.user_for_token(hash_token(old)) is None  # expired
    listed = {t.id: t for t in await storage.list_tokens()}
    mine = listed[number]
    assert (mine.prefix, mine.owner.email, mine.last_used_at) == ("abc123", "gip@example.org", None)
    assert mine.created_at < mine.expires_at <= later(timedelta(days=90, seconds=5))
    assert hash_token(token) not in repr(listed)  # never the hash

    assert (await storage.user_for_token(hash_token(token))).email == "gip@example.org"
    first_use = (await storage.list_tokens("gip@example.org"))[0].last_used_at
    assert first_use is not None
    stale = later(timedelta(minutes=-5))
    await storage._run("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", stale, number)
    await storage.user_for_token(hash_token(token))
    assert (await storage.list_tokens("gip@example.org"))[0].last_used_at > stale  # written again
    fresh = (await storage.list_tokens("gip@example.org"))[0].last_used_at
    await storage._run("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", fresh, number)
    await storage.user_for_token(hash_token(token))  # within the minute: no write
    assert (await storage.list_tokens("gip@example.org"))[0].last_used_at == fresh

    with pytest.raises(NotFound):
        await storage.revoke_token(number, "old@example.org")  # another account's token
    assert (await storage.revoke_token(number)).id == number
    assert await storage.user_for_token(hash_token(token)) is None
    with pytest.raises(NotFound):
        await storage.revoke_token(number)


async def _agent_with_token_of(storage: Storage, email: str, expires_at: str) -> tuple[int, str]:
    user = await storage.create_user(email, "gip", [])
    token = new_token()
    return await storage.add_token(user.id, hash_token(token), expires_at), token


@pytest.mark.asyncio
async def test_expired_and_revoked_tokens_get_401_json(client: TestClient) -> None:
    storage = client.app[STORAGE]
    number, token = await _agent_with_token(storage)
    _, old = await _agent_with_token_of(storage, "old@example.org", later(timedelta(seconds=-1)))
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status == 200
    expired = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {old}"})
    await storage.revoke_token(number)
    revoked = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    for response in (expired, revoked):
        assert response.status == 401
        body = await response.json()
        assert body["error"]["code"] == "unauthorized" and "expiré" in body["error"]["message"]


def test_tokens_from_the_command_line(
    backend_environ, tmp_path, monkeypatch, capsys  # noqa: F811
) -> None:
    monkeypatch.setenv("DIRECTORY_DATABASE", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("DIRECTORY_DATABASE_URL", backend_environ.get("DIRECTORY_DATABASE_URL", ""))
    monkeypatch.setenv("DIRECTORY_SEED", "none")
    assert main(["users", "create", "--email", "gip@example.org", "--role", "gip"]) == 0
    assert main(["tokens", "create", "--email", "gip@example.org", "--days", "30"]) == 0
    created = capsys.readouterr().out
    token = created.split()[-1]
    assert "n° 1 " in created and later(timedelta(days=30))[:10] in created
    assert main(["tokens", "create", "--email", "gip@example.org", "--days", "400"]) == 1
    assert "365 jours" in capsys.readouterr().err
    assert main(["tokens", "list"]) == 0
    listed = capsys.readouterr().out
    assert re.search(r"n° 1  " + re.escape(token[:6]) + "…  gip@example.org", listed), listed
    assert "dernier usage : jamais" in listed and later(timedelta(days=30))[:10] in listed
    assert token not in listed and hash_token(token) not in listed
    assert main(["tokens", "revoke", "--id", "1"]) == 0
    assert "révoqué" in capsys.readouterr().out
    assert main(["tokens", "list", "--email", "gip@example.org"]) == 0
    assert "Aucun jeton" in capsys.readouterr().out
    assert main(["tokens", "revoke", "--id", "1"]) == 1
    assert capsys.readouterr().err.startswith("Erreur : ")


@pytest.mark.asyncio
async def test_the_gip_lists_and_revokes_tokens_on_the_accounts_page(bo: TestClient) -> None:  # noqa: F811
    storage = bo.app[STORAGE]
    agent = await storage.create_user(EMAIL, "agent", ["hautes-terres"])
    token = new_token()
    number = await storage.add_token(agent.id, hash_token(token), prefix=token[:6])
    await signed_in(bo, "admin@gip.example.org", "gip")
    page = await bo.get("/admin/accounts")
    html = await page.text()
    assert f"n° {number} <code>{token[:6]}…</code>" in html and "jamais" in html
    assert token not in html and hash_token(token) not in html
    path = f"/admin/accounts/{EMAIL}/tokens/revoke"
    no_csrf = await bo.post(path, data={"token_id": str(number)}, allow_redirects=False)
    assert no_csrf.status == 403 and await storage.list_tokens(EMAIL) != []
    other = await bo.post("/admin/accounts/admin@gip.example.org/tokens/revoke",
                          data={"csrf_token": csrf_in(html), "token_id": str(number)},
                          allow_redirects=False)  # fmt: skip
    assert other.status == 404 and await storage.list_tokens(EMAIL) != []
    done = await bo.post(path, data={"csrf_token": csrf_in(html), "token_id": str(number)},
                         allow_redirects=False)  # fmt: skip
    assert done.status == 302 and done.headers["Location"] == "/admin/accounts?ok=token"
    assert await storage.list_tokens(EMAIL) == []
    events = await storage.list_auth_events()
    assert events[0].event == "token_revoked" and events[0].detail == f"{EMAIL} n° {number}"
    api = await bo.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 401


@pytest.mark.asyncio
async def test_agents_cannot_revoke_tokens(bo: TestClient) -> None:  # noqa: F811
    storage = bo.app[STORAGE]
    victim = await storage.create_user("victim@ht.example.org", "agent", ["hautes-terres"])
    number = await storage.add_token(victim.id, hash_token(new_token()))
    await signed_in(bo, EMAIL, "agent", "hautes-terres")
    csrf = csrf_in(await (await bo.get("/admin/")).text())
    response = await bo.post("/admin/accounts/victim@ht.example.org/tokens/revoke",
                             data={"csrf_token": csrf, "token_id": str(number)},
                             allow_redirects=False)  # fmt: skip
    assert response.status == 404
    assert [t.id for t in await storage.list_tokens()] == [number]


@pytest.mark.asyncio
async def test_a_token_made_before_expiry_existed_gets_the_default_lifetime(
    aiohttp_client: AiohttpClient, make_settings
) -> None:
    """Migration 0007 on a SQLite database of release 0006 holding a token."""
    import aiosqlite

    from services_directory.migrations import migrate, migrations

    settings = make_settings(DIRECTORY_SEED="none")
    async with aiosqlite.connect(settings.database) as db:
        for number, path in migrations():
            if number <= 6:
                await db.executescript(path.read_text() + f"\nPRAGMA user_version = {number};")
        await db.execute(
            "INSERT INTO users (email, role, created_at) VALUES ('a@b.fr', 'gip', 'x')"
        )
        await db.execute("INSERT INTO api_tokens VALUES (?, 1, '2020-01-01T00:00:00+00:00')",
                         (hash_token("old-token"),))  # fmt: skip
        await db.commit()
        assert await migrate(db) == [n for n, _ in migrations() if n > 6]
    client = await aiohttp_client(create_app(settings))
    me = await client.get("/api/v1/me", headers={"Authorization": "Bearer old-token"})
    assert me.status == 200
    (token,) = await client.app[STORAGE].list_tokens()
    assert later(timedelta(days=89)) < token.expires_at <= later(timedelta(days=90))


@pytest.mark.asyncio
async def test_postgres_migration_gives_old_tokens_the_default_lifetime(postgres_url: str) -> None:
    """Migration postgres/0004 on a schema of release 0003 holding a token."""
    import uuid

    import asyncpg

    from services_directory.pgmigrations import migrate, migrations
    from services_directory.postgres import PostgresStorage

    schema = f"test_{uuid.uuid4().hex[:16]}"
    connection = await asyncpg.connect(postgres_url)
    try:
        await connection.execute(f"CREATE SCHEMA {schema}")
        await connection.execute(f"SET search_path = {schema}")
        await connection.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)")
        for number, path in migrations():
            if number <= 3:
                await connection.execute(path.read_text())
                await connection.execute("INSERT INTO schema_migrations VALUES ($1)", number)
        await connection.execute(
            "INSERT INTO users (email, role, created_at) VALUES ('a@b.fr', 'gip', 'x')"
        )
        await connection.execute(
            "INSERT INTO api_tokens SELECT $1, id, '2020-01-01T00:00:00+00:00' FROM users",
            hash_token("old-token"),
        )
        assert 4 in await migrate(connection)
        storage = PostgresStorage(postgres_url, schema=schema)
        await storage.open()
        try:
            assert (await storage.user_for_token(hash_token("old-token"))).email == "a@b.fr"
            (token,) = await storage.list_tokens()
            assert later(timedelta(days=89)) < token.expires_at <= later(timedelta(days=90))
            assert token.prefix == "" and token.last_used_at is not None
        finally:
            await storage.close()
    finally:
        await connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await connection.close()
