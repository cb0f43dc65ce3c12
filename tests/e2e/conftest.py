"""Start the whole product on free ports, once for the end-to-end tests."""

from __future__ import annotations

import json
import sys
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.stack import Stack, free_port  # noqa: E402

# Every test chats from 127.0.0.1: the per-address limit must not trip them (its own test
# is tests/bot/test_channels.py); a short turn deadline keeps the slow-action test short.
TEST_CHAT_LIMITS = {
    "CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS": "100000",
    "CHAT_TURN_DEADLINE_SECONDS": "8",
}


@pytest.fixture(scope="session")
def listed_site_port() -> int:
    """The port of a territory's own site on another origin, which the stack lists in Rasa's
    CORS origins as a deployment lists the sites that embed the widget."""
    return free_port()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, listed_site_port):
    running = Stack(
        directory_port=free_port(),
        actions_port=free_port(),
        rasa_port=free_port(),
        var_dir=tmp_path_factory.mktemp("var"),
        log_dir=tmp_path_factory.mktemp("logs"),
    )
    running.extra_env["DIRECTORY_DATABASE"] = str(running.var_dir / "directory.sqlite3")
    running.extra_env["RASA_TRACKER_DB"] = str(running.var_dir / "conversations.sqlite3")
    running.extra_env.update(TEST_CHAT_LIMITS)
    running.extra_env["RASA_CORS_ORIGINS"] = " ".join(
        [running.directory_url, f"http://127.0.0.1:{listed_site_port}"]
    )
    try:
        running.start()
    except Exception:
        for log in sorted(running.log_dir.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    yield running
    running.stop()


class Chat:
    """One newcomer's conversation through Rasa's REST webhook."""

    def __init__(self, stack: Stack, territory: Optional[str]):
        self.url = f"{stack.rasa_url}/webhooks/rest/webhook"
        self.sender = uuid.uuid4().hex
        self.territory = territory

    def say(self, text: str) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": self.sender, "message": text}
        if self.territory is not None:
            body["metadata"] = {"territory": self.territory}
        request = urllib.request.Request(
            self.url, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)


@pytest.fixture
def chat(stack):
    return lambda territory="hautes-terres": Chat(stack, territory)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def directory_cli(stack: Stack, *args: str) -> str:
    """Run the directory's command-line tool against the stack's database."""
    import subprocess

    done = subprocess.run(
        [str(ROOT / ".venvs" / "directory" / "bin" / "python"), "-m", "services_directory", *args],
        cwd=ROOT, env=stack.environment(), capture_output=True, text=True, check=True,
    )
    return done.stdout


_tokens: dict[str, str] = {}


def agent_token(stack: Stack, territory: str = "hautes-terres") -> str:
    """A bearer token of an agent of the territory, made once with the CLI (CONTRACT.md)."""
    if territory not in _tokens:
        email = f"agent.{territory}@example.org"
        directory_cli(stack, "users", "create", "--email", email, "--role", "agent",
                      "--territory", territory)
        _tokens[territory] = directory_cli(stack, "tokens", "create", "--email", email).split()[-1]
    return _tokens[territory]


def agent_leads(stack: Stack, territory: str = "hautes-terres") -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"{stack.directory_url}/api/v1/territories/{territory}/leads",
        headers={"Authorization": f"Bearer {agent_token(stack, territory)}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["items"]
