"""The dependency audit (scripts/audit_dependencies.py, `make audit`) on crafted pip-audit reports.

The reports are written by pip-audit's own JSON formatter where it matters, so a change of
pip-audit's format breaks these tests rather than the audit silently reading nothing.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from packaging.version import Version
from pip_audit._format.json import JsonFormat
from pip_audit._service.interface import (
    ResolvedDependency,
    SkippedDependency,
    VulnerabilityResult,
)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "audit_dependencies.py"
_spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit_dependencies = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = audit_dependencies  # dataclasses look their module up
_spec.loader.exec_module(audit_dependencies)

TODAY = "2026-03-01"
LOCK = """\
aiohttp==3.9.1 \\
    --hash=sha256:0000
jinja2==3.1.4 \\
    --hash=sha256:1111
"""
AIOHTTP_VULN = VulnerabilityResult(
    id="PYSEC-2024-24",
    description="aiohttp follows symlinks when serving static files",
    fix_versions=[Version("3.9.2")],
    aliases={"CVE-2024-23334", "GHSA-5h86-8mv2-jq9f"},
)


def report(vulnerable: bool = True, skipped: bool = False) -> str:
    """A pip-audit JSON report of LOCK, by pip-audit's formatter."""
    aiohttp = ResolvedDependency(name="aiohttp", version=Version("3.9.1"))
    jinja = ResolvedDependency(name="jinja2", version=Version("3.1.4"))
    result = {aiohttp: [AIOHTTP_VULN] if vulnerable else [], jinja: []}
    if skipped:
        reason = "Dependency not found on PyPI and could not be audited: {} ({})"
        result = {
            SkippedDependency(name="aiohttp", skip_reason=reason.format("aiohttp", "3.9.1")): [],
            SkippedDependency(name="jinja2", skip_reason=reason.format("jinja2", "3.1.4")): [],
        }
    return JsonFormat(output_desc=True, output_aliases=True).format(result, [])


def acceptance(**changes) -> dict[str, str]:
    entry = {
        "id": "PYSEC-2024-24",
        "package": "aiohttp",
        "version": "3.9.1",
        "reason": "static files are served by nginx, not aiohttp",
        "reviewed": "2026-02-01 by the test",
        "review_by": "2026-06-01",
    }
    return {**entry, **changes}


@pytest.fixture
def audit(tmp_path, capsys, monkeypatch):
    """Run the audit on a report and accepted findings; answer (exit status, printed text)."""
    monkeypatch.delenv("AUDIT_STRICT", raising=False)

    def run(report_text: str, accepted: list[dict], lock: str = LOCK, strict: bool = False):
        (tmp_path / "report.json").write_text(report_text)
        (tmp_path / "accepted.json").write_text(json.dumps({"accepted": accepted}))
        (tmp_path / "bot.txt").write_text(lock)
        if strict:
            monkeypatch.setenv("AUDIT_STRICT", "1")
        status = audit_dependencies.main(
            [
                "--results", str(tmp_path / "report.json"),
                "--lock", str(tmp_path / "bot.txt"),
                "--accepted", str(tmp_path / "accepted.json"),
                "--today", TODAY,
            ]  # fmt: skip
        )
        return status, capsys.readouterr().out

    return run


def test_an_unaccepted_vulnerability_fails(audit):
    status, out = audit(report(), accepted=[])
    assert status == 1
    assert "PYSEC-2024-24" in out and "not accepted" in out and "3.9.2" in out


def test_an_accepted_vulnerability_passes_and_is_listed(audit):
    status, out = audit(report(), accepted=[acceptance()])
    assert status == 0
    assert "accepted: aiohttp 3.9.1 PYSEC-2024-24" in out
    assert "OK: 2 packages audited" in out


def test_an_acceptance_may_name_an_alias(audit):
    status, _ = audit(report(), accepted=[acceptance(id="CVE-2024-23334")])
    assert status == 0


def test_an_acceptance_past_its_review_date_fails_again(audit):
    status, out = audit(report(), accepted=[acceptance(review_by="2026-02-28")])
    assert status == 1
    assert "acceptance expired on 2026-02-28" in out
    assert "STALE acceptance: PYSEC-2024-24 expired on 2026-02-28" in out


def test_an_acceptance_for_another_version_does_not_accept(audit):
    """The lock moved to 3.9.2, still vulnerable: the review of 3.9.1 does not cover it."""
    lock = LOCK.replace("aiohttp==3.9.1", "aiohttp==3.9.2")
    moved = report().replace('"version": "3.9.1"', '"version": "3.9.2"')
    status, out = audit(moved, accepted=[acceptance()], lock=lock)
    assert status == 1
    assert "aiohttp 3.9.2" in out and "not accepted" in out
    assert "is for aiohttp 3.9.1, which is no longer pinned (3.9.2): remove it" in out


def test_an_acceptance_that_matches_nothing_is_reported(audit):
    status, out = audit(report(vulnerable=False), accepted=[acceptance()])
    assert status == 0
    assert "STALE acceptance: PYSEC-2024-24 (aiohttp 3.9.1) matched no reported" in out


def test_an_expired_acceptance_of_nothing_is_reported(audit):
    _, out = audit(report(vulnerable=False), accepted=[acceptance(review_by="2026-01-01")])
    assert "STALE acceptance: PYSEC-2024-24 (aiohttp) expired on 2026-01-01" in out


def test_nothing_audited_is_said_loudly_never_as_a_clean_audit(audit):
    status, out = audit(report(skipped=True), accepted=[])
    assert status == 0  # this machine cannot reach the service: say it, do not block make test
    assert "NOTHING WAS AUDITED" in out
    assert "2 × Dependency not found on PyPI" in out
    assert "AUDIT_STRICT=1" in out
    assert "OK" not in out and "no unaccepted" not in out


def test_nothing_audited_fails_when_strict(audit):
    status, out = audit(report(skipped=True), accepted=[], strict=True)
    assert status == 2
    assert "AUDIT_STRICT=1: failing" in out


def test_a_partial_audit_fails_when_strict(audit):
    partial = json.loads(report(vulnerable=False))
    partial["dependencies"][1] = {"name": "jinja2", "skip_reason": "Dependency not found"}
    status, out = audit(json.dumps(partial), accepted=[], strict=True)
    assert status == 2
    assert "1 packages could NOT be audited" in out


def test_a_vulnerability_fails_even_when_the_rest_could_not_be_audited(audit):
    partial = json.loads(report())
    partial["dependencies"][1] = {"name": "jinja2", "skip_reason": "Dependency not found"}
    status, _ = audit(json.dumps(partial), accepted=[])
    assert status == 1


def test_pip_audit_that_cannot_run_is_not_a_clean_audit(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(audit_dependencies, "PIP_AUDIT", tmp_path / "no-pip-audit")
    (tmp_path / "bot.txt").write_text(LOCK)
    (tmp_path / "accepted.json").write_text('{"accepted": []}')
    monkeypatch.setenv("AUDIT_STRICT", "1")
    argv = ["--lock", str(tmp_path / "bot.txt"), "--accepted", str(tmp_path / "accepted.json")]
    assert audit_dependencies.main(argv) == 2
    out = capsys.readouterr().out
    assert "NOT AUDITED — pip-audit did not run" in out and "NOTHING WAS AUDITED" in out


@pytest.mark.parametrize("missing", ["reason", "review_by", "version"])
def test_an_acceptance_needs_every_field(audit, missing):
    entry = acceptance()
    del entry[missing]
    with pytest.raises(ValueError, match=missing):
        audit(report(), accepted=[entry])


def test_the_repository_s_accepted_findings_are_complete_and_current():
    entries = json.loads(audit_dependencies.ACCEPTED.read_text())["accepted"]
    pins: dict[str, set[str]] = {}
    for lock in audit_dependencies.LOCKS:
        for name, version in audit_dependencies.pinned_versions(lock).items():
            pins.setdefault(name, set()).add(version)
    for entry in entries:
        accepted = audit_dependencies.Acceptance.from_json(entry)
        assert accepted.version in pins.get(accepted.package, set()), entry


def test_lock_files_are_read_as_pinned_versions():
    pins = audit_dependencies.pinned_versions(ROOT / "requirements" / "directory.txt")
    assert "aiohttp" in pins and "pip-audit" in pins
    assert all(version[0].isdigit() for version in pins.values())
