"""
The OpenAPI document, kept true: schemathesis sends requests generated from it to the real
service (a subprocess on a free port, with a GIP token) and no answer may be a 500, nor
differ from the document's response schemas.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

ROOT = Path(__file__).resolve().parents[2]
SECRET = "fuzz-assistant-secret-0123"
EXAMPLES = 10  # per operation: the whole test stays well under a minute


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def service(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The directory service in its own process, on a copy of the demo database."""
    database = tmp_path_factory.mktemp("fuzz") / "directory.sqlite3"
    shutil.copyfile(demo_database, database)
    port = _free_port()
    env = {**os.environ, "DIRECTORY_DATABASE": str(database), "DIRECTORY_DATABASE_URL": "",
           "DIRECTORY_PORT": str(port), "DIRECTORY_ASSISTANT_TOKEN": SECRET}  # fmt: skip
    command = [sys.executable, "-m", "services_directory"]
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 60}
    subprocess.run([*command, "users", "create", "--email", "gip@example.org", "--role", "gip"],
                   check=True, **run)  # type: ignore[call-overload]  # fmt: skip
    made = subprocess.run([*command, "tokens", "create", "--email", "gip@example.org"],
                          check=True, **run)  # type: ignore[call-overload]  # fmt: skip
    log = database.with_name("service.log")
    server = subprocess.Popen(
        [*command, "serve"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb")
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield {"url": base, "token": made.stdout.split()[-1]}
    finally:
        server.terminate()
        server.wait(timeout=10)
        errors = log.read_text(encoding="utf-8", errors="replace")
        assert "unexpected error" not in errors, errors[-2000:]


def fuzz(operation: schemathesis.APIOperation, url: str, token: str) -> int:
    """Send up to EXAMPLES generated requests to one operation; any failed check raises."""
    sent = 0

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    def check(case: schemathesis.Case) -> None:
        nonlocal sent
        sent += 1
        case.call_and_validate(
            base_url=url,
            headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
            timeout=10,
        )

    check()
    return sent


def test_no_generated_request_breaks_the_api(service: dict) -> None:
    # schemathesis's pytest plugin does not run on pytest 9: drive hypothesis directly.
    schema = schemathesis.openapi.from_url(service["url"] + "/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    sent = 0
    for operation in operations:
        token = SECRET if operation.path == "/api/v1/leads" else service["token"]
        sent += fuzz(operation, service["url"], token)
    assert sent >= 5 * len(operations)
