"""The command line creates accounts and tokens that the API then accepts."""

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.__main__ import main
from services_directory.app import create_app
from services_directory.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def cli(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "DIRECTORY_DATABASE": str(database), "DIRECTORY_DATABASE_URL": ""}
    return subprocess.run(
        [sys.executable, "-m", "services_directory", *args],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.asyncio
async def test_users_and_tokens_from_the_command_line(
    aiohttp_client: AiohttpClient, make_settings: Callable[..., Settings], demo_database: Path
) -> None:
    settings = make_settings()
    shutil.copyfile(demo_database, settings.database)
    created = cli(
        settings.database, "users", "create", "--email", "A@B.fr", "--role", "agent",
        "--territory", "hautes-terres", "--territory", "creuse-grand-sud",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert "a@b.fr" in created.stdout
    token = cli(settings.database, "tokens", "create", "--email", "a@b.fr")
    assert token.returncode == 0, token.stderr
    secret = token.stdout.split()[-1]
    client = await aiohttp_client(create_app(settings))
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert (await me.json())["territories"] == ["creuse-grand-sud", "hautes-terres"]
    gip = cli(settings.database, "users", "create", "--email", "gip@b.fr", "--role", "gip")
    assert gip.returncode == 0, gip.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("users", "create", "--email", "x@b.fr", "--role", "agent"),  # no territory
        ("users", "create", "--email", "x@b.fr", "--role", "agent", "--territory", "atlantide"),
        ("tokens", "create", "--email", "nobody@b.fr"),
    ],
)
def test_bad_commands_fail_with_a_message(
    tmp_path: Path,
    args: tuple[str, ...],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DIRECTORY_DATABASE", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("DIRECTORY_DATABASE_URL", "")
    assert main(list(args)) == 1
    assert capsys.readouterr().err.startswith("Erreur : ")
