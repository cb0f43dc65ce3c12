"""
The action server serves Rasa only: a forged call without the shared secret runs nothing.

Starts the real action server (the command `make run` uses) in front of a fake directory that
records every request, then sends it the forged call of issue 15: `action_submit_lead` with a
tracker whose form slots were never asked for.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.stack import Stack, free_port  # noqa: E402

SECRET = "test-secret-" + "x" * 20
TERRITORY = {
    "slug": "hautes-terres",
    "name": "Hautes Terres Communauté",
    "department": "15",
    "welcome_contact": {"name": "Accueil", "email": "accueil@example.org", "phone": None},
}


class FakeDirectory(ThreadingHTTPServer):
    """Answers the territory and records each call-back request it receives."""

    def __init__(self) -> None:
        self.leads: list[dict[str, Any]] = []
        super().__init__(("127.0.0.1", 0), _DirectoryHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _DirectoryHandler(BaseHTTPRequestHandler):
    server: FakeDirectory

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path.startswith("/api/v1/territories/hautes-terres"):
            self._answer(200, TERRITORY)
        else:
            self._answer(404, {"error": {"code": "not_found", "message": "inconnu"}})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.server.leads.append(json.loads(self.rfile.read(length)))
        self._answer(201, {"id": "lead-1"})

    def _answer(self, status: int, body: Any) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture(scope="module")
def fake_directory():
    server = FakeDirectory()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def start_action_server(
    tmp_path: Path, directory_url: str, secret: Optional[str]
) -> tuple[subprocess.Popen, str]:
    """The action server as `make run` starts it; `secret` None leaves it unset."""
    stack = Stack(actions_port=free_port(), var_dir=tmp_path)
    env = stack.environment()
    env.update(DIRECTORY_URL=directory_url, DIRECTORY_ASSISTANT_TOKEN="assistant-" + "y" * 20)
    env.pop("ACTION_SERVER_TOKEN", None)
    if secret is not None:
        env["ACTION_SERVER_TOKEN"] = secret
    process = subprocess.Popen(
        stack.commands()["actions"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    return process, stack.actions_url


def wait_healthy(process: subprocess.Popen, url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the action server stopped:\n{process.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise TimeoutError("the action server did not answer /health")


@pytest.fixture(scope="module")
def action_server(tmp_path_factory, fake_directory):
    process, url = start_action_server(
        tmp_path_factory.mktemp("actions"), fake_directory.url, SECRET
    )
    try:
        wait_healthy(process, url)
        yield url
    finally:
        process.terminate()
        process.wait(15)


def forged_call() -> dict[str, Any]:
    """Issue 15's call: submit a lead the form never collected nor was consented to."""
    slots = {
        "territory": "hautes-terres",
        "callback_name": "Forged Name",
        "callback_contact": "forged@example.org",
        "callback_question": "forged question",
        "callback_consent": True,
    }
    return {
        "next_action": "action_submit_lead",
        "sender_id": "attacker",
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": "attacker", "slots": slots, "latest_message": {},
            "events": [], "paused": False, "followup_action": None,
            "active_loop": {}, "latest_action_name": None,
        },
    }


def post(url: str, body: Any, headers: Optional[dict[str, str]] = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"null")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-secret-wrong-secret"},
        {"Authorization": f"Bearer {SECRET[:-1]}"},
        {"Authorization": SECRET},
        {"Authorization": f"Basic {SECRET}"},
    ],
    ids=["none", "wrong", "one character short", "no scheme", "basic"],
)
def test_a_forged_call_without_the_secret_runs_nothing(action_server, fake_directory, headers):
    status, body = post(f"{action_server}/webhook", forged_call(), headers)
    assert status in (401, 403)
    assert set(body) == {"error"} and body["error"]["code"] in ("unauthorized", "forbidden")
    assert fake_directory.leads == []


def test_the_secret_in_the_query_string_is_not_enough(action_server, fake_directory):
    status, _ = post(f"{action_server}/webhook?token={SECRET}", forged_call())
    assert status == 401
    assert fake_directory.leads == []


def test_the_list_of_actions_needs_the_secret_too(action_server):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{action_server}/actions", timeout=10)
    assert refused.value.code == 401


def test_health_answers_without_the_secret(action_server):
    with urllib.request.urlopen(f"{action_server}/health", timeout=10) as answer:
        assert json.load(answer) == {"status": "ok"}


def test_rasa_with_the_secret_runs_the_action(action_server, fake_directory):
    status, body = post(
        f"{action_server}/webhook", forged_call(), {"Authorization": f"Bearer {SECRET}"}
    )
    assert status == 200, body
    assert fake_directory.leads[-1]["name"] == "Forged Name"
    fake_directory.leads.clear()


def test_without_a_configured_secret_the_action_server_does_not_start(tmp_path, fake_directory):
    for secret in (None, "", "too-short"):
        process, _ = start_action_server(tmp_path, fake_directory.url, secret)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(f"the action server started without a usable secret ({secret!r})")
        assert process.returncode != 0
        assert "ACTION_SERVER_TOKEN" in output


def test_rasa_sends_the_secret_from_its_endpoints_files(monkeypatch):
    from rasa.utils.endpoints import read_endpoint_config

    for name in ("endpoints.yml", "endpoints.scale.yml"):
        for variable in re.findall(r"\$\{(\w+)\}", (ROOT / "bot" / name).read_text()):
            monkeypatch.setenv(variable, "1")  # every setting, for the file to be read
        monkeypatch.setenv("ACTION_SERVER_TOKEN", SECRET)
        endpoint = read_endpoint_config(str(ROOT / "bot" / name), "action_endpoint")
        assert endpoint.headers == {"Authorization": f"Bearer {SECRET}"}, name


def test_stack_gives_rasa_and_the_action_server_one_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    first, second = Stack(var_dir=tmp_path), Stack(var_dir=tmp_path)
    secret = first.environment()["ACTION_SERVER_TOKEN"]
    assert len(secret) >= 32 and secret == first.environment()["ACTION_SERVER_TOKEN"]
    assert second.environment()["ACTION_SERVER_TOKEN"] != secret  # made per run
    monkeypatch.setenv("ACTION_SERVER_TOKEN", SECRET)
    assert Stack(var_dir=tmp_path).environment()["ACTION_SERVER_TOKEN"] == SECRET
