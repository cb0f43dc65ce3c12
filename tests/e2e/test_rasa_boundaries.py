"""What the real Rasa and action server accept from outside, on the running stack (issue 15).

- CORS: the stack lists the directory's own address (chat test page, demo territory sites)
  and one territory site on another origin (tests/e2e/conftest.py). Before, Rasa ran with
  `--cors "*"` and echoed any Origin, credentials allowed.
- Deeply nested JSON gets a 400 JSON error, not a 500.
- The action server runs nothing for a caller without the secret, while Rasa's turns work.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from email.message import Message
from typing import Any

import pytest

from tests.e2e.conftest import agent_leads

FOREIGN = ["https://evil.example", "http://127.0.0.1:1", "null"]


def rasa_answer_headers(stack, origin: str, path: str, preflight: bool) -> Message:
    """The headers Rasa answers a browser's request (or its preflight) from `origin` with."""
    url = f"{stack.rasa_url}{path}"
    if preflight:
        request = urllib.request.Request(url, method="OPTIONS", headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        })
    elif path.startswith("/socket.io/"):
        request = urllib.request.Request(url, headers={"Origin": origin})
    else:
        body = {"sender": uuid.uuid4().hex, "message": "bonjour",
                "metadata": {"territory": "hautes-terres"}}
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), method="POST",
            headers={"Origin": origin, "Content-Type": "application/json"},
        )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.headers
    except urllib.error.HTTPError as refused:
        return refused.headers


CASES = [
    ("/webhooks/rest/webhook", True),
    ("/webhooks/rest/webhook", False),
    ("/socket.io/?EIO=4&transport=polling", False),
]
CASE_IDS = ["REST preflight", "REST message", "socket.io polling"]


@pytest.mark.parametrize("path, preflight", CASES, ids=CASE_IDS)
def test_the_directory_s_pages_may_call_rasa(stack, path, preflight):
    headers = rasa_answer_headers(stack, stack.directory_url, path, preflight)
    assert headers.get("Access-Control-Allow-Origin") == stack.directory_url


@pytest.mark.parametrize("origin", FOREIGN)
@pytest.mark.parametrize("path, preflight", CASES, ids=CASE_IDS)
def test_another_origin_gets_no_cors_headers(stack, path, preflight, origin):
    headers = rasa_answer_headers(stack, origin, path, preflight)
    assert headers.get("Access-Control-Allow-Origin") is None
    assert headers.get("Access-Control-Allow-Credentials") is None


def post_json(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"null")


@pytest.mark.parametrize("depth", [100, 5_000])
def test_deeply_nested_metadata_gets_a_400_json_error(stack, depth):
    body = (
        b'{"sender": "deep", "message": "bonjour", "metadata": '
        + b'{"a": ' * depth + b"{}" + b"}" * depth + b"}"
    )
    status, answer = post_json(f"{stack.rasa_url}/webhooks/rest/webhook", body)
    assert status == 400 and answer["error"]["message"]


def test_the_action_server_runs_nothing_for_a_forged_call(stack, chat):
    forged = {
        "next_action": "action_submit_lead", "sender_id": "attacker", "domain": {},
        "tracker": {"sender_id": "attacker", "latest_message": {}, "events": [], "slots": {
            "territory": "hautes-terres", "callback_name": "Forged Name",
            "callback_contact": "forged@example.org", "callback_question": "forged",
            "callback_consent": True,
        }},
    }
    for headers in ({}, {"Authorization": "Bearer not-the-secret-of-this-run"}):
        status, answer = post_json(
            f"{stack.actions_url}/webhook", json.dumps(forged).encode(), headers
        )
        assert status in (401, 403) and set(answer) == {"error"}
    assert not [lead for lead in agent_leads(stack) if lead["name"] == "Forged Name"]
    answer = chat().say("je cherche une crèche à Murat")  # Rasa's own calls, with the secret
    assert any((m.get("custom") or {}).get("type") == "directory_results" for m in answer), answer
