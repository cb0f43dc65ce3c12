"""
The OpenAPI document, kept true: schemathesis sends requests generated from it to the real
service (a subprocess on a free port, with a GIP token) and no answer may be a 500, nor
differ from the document's response schemas.
"""

import json
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
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

ROOT = Path(__file__).resolve().parents[2]
SECRET = "fuzz-assistant-secret-0123"
EXAMPLES = 10  # per operation: the whole test stays well under a minute


def _api_routes() -> set[tuple[str, str]]:
    """The method and path of every JSON route the application serves (not HEAD)."""
    from services_directory.app import create_app
    from services_directory.settings import Settings

    app = create_app(Settings.from_env({"DIRECTORY_DATABASE": ":memory:"}))
    return {
        (route.method, route.resource.canonical)
        for route in app.router.routes()
        if route.method != "HEAD" and route.resource is not None
        and (route.resource.canonical.startswith("/api/") or route.resource.canonical == "/healthz")
    }  # fmt: skip


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
           "DIRECTORY_PORT": str(port), "DIRECTORY_ASSISTANT_TOKEN": SECRET,
           "DIRECTORY_API_READS_PER_MINUTE_PER_ADDRESS": "0"}  # fmt: skip
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
        yield {"url": base, "token": made.stdout.split()[-1], "routes": _api_routes()}
    finally:
        server.terminate()
        server.wait(timeout=10)
        errors = log.read_text(encoding="utf-8", errors="replace")
        assert "unexpected error" not in errors, errors[-2000:]


# Known-good requests, one per write: generated bodies are almost never valid, so without
# them a write's success path (and its response schema) would never be checked.
SHEET = "territory,topic,kind,name,commune\nhautes-terres,transport,bus,Ligne fuzz,15138\n"
VALID: dict[tuple[str, str], dict] = {
    ("POST", "/api/v1/territories"): {"body": {
        "slug": "fuzz-territoire", "name": "Territoire fuzz", "department": "15",
        "welcome_contact": {"name": "Accueil", "email": "accueil@example.org"}}},
    ("PATCH", "/api/v1/territories/{slug}"): {"body": {"widget": {"greeting": "Bonjour"}}},
    ("POST", "/api/v1/territories/{slug}/communes"): {"body": [
        {"insee": "15138", "name": "Murat", "postcode": "15300", "lat": 45.11, "lon": 2.87}]},
    ("POST", "/api/v1/services"): {"body": {
        "territory": "hautes-terres", "topic": "transport", "kind": "bus", "name": "Bus fuzz",
        "commune": "15138"}},
    ("PATCH", "/api/v1/services/{id}"): {"body": {"description": "Changée par le fuzz."}},
    ("POST", "/api/v1/organisations"): {"body": {"territory": "hautes-terres", "name": "Asso"}},
    ("POST", "/api/v1/leads"): {"body": {
        "territory": "hautes-terres", "name": "Camille", "email": "camille@example.org",
        "question": "Une crèche ?", "consent": True}},
    ("POST", "/api/v1/imports/{kind}"): {"body": SHEET, "media_type": "text/csv",
                                          "query": {"dry_run": "false"}},
}  # fmt: skip
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _real(path_parameters: dict, real: dict[str, str]) -> dict:
    return {name: real.get(name, value) for name, value in path_parameters.items()}


def fuzz(
    operation: schemathesis.APIOperation, url: str, token: str, real: dict[str, str]
) -> list[int]:
    """
    Send up to EXAMPLES generated requests to one operation, half of them on real resources
    (a generated `{id}` or `{slug}` is otherwise always unknown, and a 404 is all that runs);
    any failed check raises. Returns the statuses seen.
    """
    statuses: list[int] = []
    headers = {"Authorization": f"Bearer {token}"}
    generated = operation.as_strategy()
    if operation.path_parameters:
        generated = st.one_of(
            generated,
            generated.map(lambda case: _replace(case, _real(case.path_parameters, real))),
        )

    @given(case=generated)
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    def check(case: schemathesis.Case) -> None:
        response = case.call_and_validate(
            base_url=url, headers=headers, checks=CHECKS, timeout=10
        )
        statuses.append(response.status_code)

    check()
    known = VALID.get((operation.method.upper(), operation.path))
    if known is not None:
        case = operation.Case(
            path_parameters=_real({p.name: "" for p in operation.path_parameters}, real),
            **known,
        )
        response = case.call_and_validate(base_url=url, headers=headers, checks=CHECKS)
        assert response.status_code < 300, (operation.label, response.text[:500])
        statuses.append(response.status_code)
    return statuses


def _replace(case: schemathesis.Case, path_parameters: dict) -> schemathesis.Case:
    case.path_parameters = path_parameters
    return case


def test_no_generated_request_breaks_the_api(service: dict) -> None:
    # schemathesis's pytest plugin does not run on pytest 9: drive hypothesis directly.
    document_url = service["url"] + "/api/v1/openapi.json"
    document = json.loads(urllib.request.urlopen(document_url).read())
    documented = {(method.upper(), path) for path, item in document["paths"].items()
                  for method in item if method != "parameters"}  # fmt: skip
    # Every API route of the service is in the document...
    assert documented == service["routes"], service["routes"] ^ documented
    schema = schemathesis.openapi.from_url(document_url)
    operations = [result.ok() for result in schema.get_all_operations()]
    # ...and every operation of the document is fuzzed, but the document itself, which
    # schemathesis leaves out (it was just read above).
    fuzzed = {(o.method.upper(), o.path) for o in operations}
    assert documented - fuzzed == {("GET", "/api/v1/openapi.json")}, documented - fuzzed
    search = urllib.request.urlopen(service["url"] + "/api/v1/services?territory=hautes-terres")
    real = {"slug": "hautes-terres", "kind": "services",
            "id": json.loads(search.read())["items"][0]["id"]}  # fmt: skip
    seen: dict[str, list[int]] = {}
    for operation in operations:
        token = SECRET if operation.path == "/api/v1/leads" else service["token"]
        seen[operation.label] = fuzz(operation, service["url"], token, real)
    assert sum(map(len, seen.values())) >= 5 * len(operations)
    # Every operation reached its handler's success at least once (not only 400 and 404).
    assert not [label for label, statuses in seen.items() if min(statuses) >= 300], seen
