"""`make run-scale`: scale mode against this machine's PostgreSQL and Redis, until Ctrl-C.

Runs with the directory's environment (asyncpg creates the directory's database if missing;
Rasa creates its own tracker database through `login_db`).
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import ScaleStack, scale_setting, serve  # noqa: E402

DEFAULT_DIRECTORY_URL = "postgresql://postgres@127.0.0.1:5432/accueil_directory"


def redis_ping(host: str, port: int) -> None:
    """Raise ConnectionError unless a Redis server answers PING at host:port."""
    try:
        with socket.create_connection((host, port), timeout=3) as connection:
            connection.sendall(b"PING\r\n")
            answer = connection.recv(64)
    except OSError as error:
        raise ConnectionError(f"Redis is not reachable at {host}:{port}: {error}") from error
    if not answer.startswith(b"+PONG"):
        raise ConnectionError(f"Redis at {host}:{port} answered {answer!r} to PING")


def tracker_admin_url(database: str | None = None) -> str:
    """A PostgreSQL URL built from the tracker store's settings (its login database by default)."""
    user, password = scale_setting("RASA_TRACKER_USER"), os.environ.get("RASA_TRACKER_PASSWORD")
    credentials = f"{user}:{password}" if password else user
    host, port = scale_setting("RASA_TRACKER_HOST"), scale_setting("RASA_TRACKER_PORT")
    database = database or scale_setting("RASA_TRACKER_LOGIN_DB")
    return f"postgresql://{credentials}@{host}:{port}/{database}"


async def _admin(url: str, *statements: str) -> list:
    try:
        connection = await asyncpg.connect(url, timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        raise ConnectionError(f"PostgreSQL is not reachable at {_safe(url)}: {error}") from error
    try:
        return [await connection.fetch(statement) for statement in statements]
    finally:
        await connection.close()


def _safe(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]))


def _on_maintenance_db(url: str) -> tuple[str, str]:
    """(URL of the same server's `postgres` database, the database named in url)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
        raise ValueError(f"expected a plain database name in {_safe(url)}")
    return urlunsplit(parts._replace(path="/postgres")), name


def ensure_database(url: str) -> None:
    """Create the database that url names when it does not exist yet."""
    admin, name = _on_maintenance_db(url)
    [rows] = asyncio.run(_admin(admin, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))
    if not rows:
        asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))


def drop_database(url: str) -> None:
    admin, name = _on_maintenance_db(url)
    asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def check_services() -> None:
    """Fail with a clear message when PostgreSQL or Redis does not answer."""
    redis_ping(scale_setting("REDIS_HOST"), int(scale_setting("REDIS_PORT")))
    asyncio.run(_admin(tracker_admin_url(), "SELECT 1"))


def addresses(stack: ScaleStack, directory_db: str) -> str:
    env = stack.environment()
    lines = [
        "",
        "Accueil Massif central (scale mode) is ready:",
        f"  chat test page     {stack.directory_url}/",
        f"  directory          {_safe(directory_db)}",
        *(f"  Rasa REST webhook  {url}/webhooks/rest/webhook" for url in stack.rasa_urls),
        f"  Rasa workers       {env['SANIC_WORKERS']} per instance",
        f"  tracker store      {_safe(tracker_admin_url(env['RASA_TRACKER_DB']))}",
        f"  lock store         redis://{env['REDIS_HOST']}:{env['REDIS_PORT']}/{env['REDIS_DB']}"
        f" (key prefix {env['RASA_LOCK_KEY_PREFIX']})",
        f"  action server      {stack.actions_url}/health"
        f" ({env['ACTION_SERVER_SANIC_WORKERS']} workers)",
        "In production nginx spreads the instances (deploy/README.md). Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def main() -> int:
    first = int(os.environ.get("RASA_PORT", 5005))
    instances = int(os.environ.get("RASA_INSTANCES", 2))
    directory_db = os.environ.get("DIRECTORY_DATABASE_URL") or DEFAULT_DIRECTORY_URL
    try:
        check_services()
        ensure_database(directory_db)
        # Rasa would create it too, but two instances starting at once race to do it.
        ensure_database(tracker_admin_url(scale_setting("RASA_TRACKER_DB")))
    except ConnectionError as error:
        print(f"Scale mode needs PostgreSQL and Redis: {error}", file=sys.stderr)
        return 2
    stack = ScaleStack(
        directory_port=int(os.environ.get("DIRECTORY_PORT", 8080)),
        actions_port=int(os.environ.get("ACTIONS_PORT", 5055)),
        rasa_ports=[first + i for i in range(instances)],
        directory_database_url=directory_db,
    )
    print(f"Starting scale mode: the directory, the action server, {instances} Rasa instances…")
    return serve(stack, lambda running: addresses(running, directory_db))

if __name__ == "__main__":
    sys.exit(main())
