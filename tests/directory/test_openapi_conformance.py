"""
The OpenAPI document, seen by a client: what the public reads accept and refuse is what the
document says. schemathesis generates requests from the document in both data generation
modes and sends them to the real service (a subprocess on a free port):

- positive (valid per the document): never refused with a 4xx, but 404 for an unknown
  territory or entry (`positive_data_acceptance`);
- negative (invalid per the document): always refused with a 4xx (`negative_data_rejection`);

and no answer is a 500 or differs from the document's statuses and response schemas.
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
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 25  # generated requests per operation and mode: the test stays well under a minute
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def service(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The directory service in its own process, on a copy of the demo database: its URL."""
    database = tmp_path_factory.mktemp("conformance") / "directory.sqlite3"
    shutil.copyfile(demo_database, database)
    port = _free_port()
    env = {**os.environ, "DIRECTORY_DATABASE": str(database), "DIRECTORY_DATABASE_URL": "",
           "DIRECTORY_PORT": str(port),
           # Hundreds of reads a minute from one address: no 429 for the generated requests.
           "DIRECTORY_API_READS_PER_MINUTE_PER_ADDRESS": "0"}  # fmt: skip
    log = database.with_name("service.log")
    server = subprocess.Popen(
        [sys.executable, "-m", "services_directory", "serve"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        errors = log.read_text(encoding="utf-8", errors="replace")
        assert "unexpected error" not in errors, errors[-2000:]


def _public_reads(schema: schemathesis.BaseSchema) -> list[schemathesis.APIOperation]:
    """The GET operations that need no token (the document itself left out)."""
    operations = [result.ok() for result in schema.get_all_operations()]
    return [
        operation for operation in operations
        if operation.method.upper() == "GET" and not operation.definition.raw.get("security")
        and operation.path != "/api/v1/openapi.json"
    ]  # fmt: skip


def _on_real(case: schemathesis.Case, real: dict[str, str]) -> schemathesis.Case:
    """The case on an existing territory or entry: a generated one is always unknown (404)."""
    case.path_parameters = {name: real.get(name, value)
                            for name, value in case.path_parameters.items()}  # fmt: skip
    return case


def _configure(schema: schemathesis.BaseSchema) -> None:
    # Valid requests: a success, or 404 for an unknown territory or entry, nothing else
    # (no 401/403/409/429: these routes are public, read-only and not rate limited here).
    checks = schema.config.checks
    checks.positive_data_acceptance.expected_statuses = ["2xx", "404"]
    # Invalid requests: a 400 naming the parameter, or a 404 for a path that names nothing.
    checks.negative_data_rejection.expected_statuses = ["400", "404"]


def conform(
    operation: schemathesis.APIOperation, url: str, real: dict[str, str], seen: dict[str, set]
) -> list[str]:
    """
    Send one operation its coverage cases (schemathesis's boundary values: empty, too long,
    out of range, wrong pattern…, valid ones on a real territory or entry) and up to EXAMPLES
    generated requests of each mode; returns what failed, one line each, and adds the
    statuses answered to `seen` (by mode).
    """
    failures: list[str] = []

    def send(case: schemathesis.Case) -> None:
        mode = case.meta.generation.mode.value if case.meta else "unknown"
        try:
            response = case.call_and_validate(base_url=url, checks=CHECKS, timeout=10)
            seen.setdefault(mode, set()).add(response.status_code)
        except FailureGroup as group:
            failures.extend(_report(case, failure) for failure in group.exceptions)

    for case in _coverage_cases(operation):
        positive = case.meta is not None and case.meta.generation.mode.is_positive
        send(_on_real(case, real) if positive else case)
    for mode in MODES:
        if mode.is_negative and not list(operation.iter_parameters()):
            continue  # nothing to make invalid
        generated = operation.as_strategy(generation_mode=mode)
        if operation.path_parameters:
            generated = st.one_of(generated, generated.map(lambda case: _on_real(case, real)))

        @given(case=generated)
        @settings(
            max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        def fuzz(case: schemathesis.Case) -> None:
            send(case)

        try:
            fuzz()
        except Unsatisfiable:
            failures.append(f"no {mode.value} case: the document allows anything")
    return failures


def _report(case: schemathesis.Case, failure: Exception) -> str:
    """One line: what failed, on which request (the full report is long, and repeats)."""
    title = getattr(failure, "title", type(failure).__name__)
    status = getattr(failure, "status_code", "")
    query = "&".join(f"{name}={value}" for name, value in (case.query or {}).items())
    return f"{title} [{status}]: {case.formatted_path}?{query}"[:300]


def _coverage_cases(operation: schemathesis.APIOperation) -> list[schemathesis.Case]:
    schema = operation.schema
    generation = schema.config.generation_for(operation=operation, phase="coverage")
    return list(
        schema.iter_coverage_cases(operation, generation_modes=MODES, generation_config=generation)
    )


def test_public_reads_accept_and_refuse_what_the_document_says(service: str) -> None:
    # schemathesis's pytest plugin does not run on pytest 9: drive it directly.
    schema = schemathesis.openapi.from_url(service + "/api/v1/openapi.json")
    _configure(schema)
    operations = _public_reads(schema)
    paths = {operation.path for operation in operations}
    assert {"/api/v1/territories", "/api/v1/territories/{slug}",
            "/api/v1/territories/{slug}/communes", "/api/v1/services",
            "/api/v1/services/{id}", "/api/v1/exports/services.csv"} <= paths, paths  # fmt: skip
    search = urllib.request.urlopen(service + "/api/v1/services?territory=hautes-terres")
    real = {"slug": "hautes-terres", "id": json.loads(search.read())["items"][0]["id"]}
    seen: dict[str, dict[str, set]] = {operation.label: {} for operation in operations}
    failures = {}
    for operation in operations:
        found = conform(operation, service, real, seen[operation.label])
        if found:
            failures[operation.label] = sorted(set(found))
    assert not failures, "\n".join(
        f"{label}:\n  " + "\n  ".join(found) for label, found in failures.items()
    )
    # It did run: every operation answered valid requests, and the search refused bad ones.
    assert all(200 in statuses.get("positive", ()) for statuses in seen.values()), seen
    assert 400 in seen["GET /api/v1/services"]["negative"], seen
