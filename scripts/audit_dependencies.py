"""Dependency audit of the lock files: known vulnerabilities fail, reviewed ones are listed.

Runs pip-audit (from the directory environment) on each hash-pinned lock file, or reads the
JSON reports given with ``--results``, then:

- fails (exit 1) on any vulnerability that ``requirements/audit-accepted.json`` does not
  accept: an acceptance names the vulnerability (its id or an alias), the package and the
  pinned version it was reviewed for, the reason, and the date by which it must be reviewed
  again (``review_by``); past that date it no longer accepts anything;
- reports acceptances that match nothing any more (version no longer pinned, vulnerability
  gone) so they are removed;
- says loudly how many packages could not be audited, and why. pip-audit counts them as
  skipped and would print "No known vulnerabilities found": that is not a clean audit.
  With ``AUDIT_STRICT=1`` any package that could not be audited fails the audit (exit 2):
  set it on CI machines that reach the vulnerability service (PyPI's per-version JSON API).

Usage::

    python scripts/audit_dependencies.py                      # every lock file
    python scripts/audit_dependencies.py --results report.json --lock requirements/bot.txt
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[1]
LOCK_NAMES = ("bot", "directory", "bench", "data-inclusion")
LOCKS = [ROOT / "requirements" / f"{name}.txt" for name in LOCK_NAMES]
ACCEPTED = ROOT / "requirements" / "audit-accepted.json"
PIP_AUDIT = ROOT / ".venvs" / "directory" / "bin" / "pip-audit"
TIMEOUT_SECONDS = 10  # per request: an unreachable service fails fast, not after 15 s × 300
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)
UNREACHABLE_HINT = (
    "pip-audit asks https://pypi.org/pypi/<name>/<version>/json for each package; when that "
    "address cannot be reached (blocked network, proxy) every package is 'not found'."
)


def normalize(name: str) -> str:
    """PEP 503 name: "Jinja2", "jinja_2" and "jinja-2" are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Acceptance:
    id: str
    package: str
    version: str
    reason: str
    review_by: dt.date

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> Acceptance:
        missing = {"id", "package", "version", "reason", "review_by"} - set(entry)
        if missing:
            raise ValueError(f"accepted finding {entry!r} lacks {', '.join(sorted(missing))}")
        if not str(entry["reason"]).strip():
            raise ValueError(f"accepted finding {entry['id']} needs a reason")
        return cls(
            id=entry["id"],
            package=normalize(entry["package"]),
            version=entry["version"],
            reason=entry["reason"],
            review_by=dt.date.fromisoformat(entry["review_by"]),
        )


@dataclass(frozen=True)
class Finding:
    lock: str
    package: str
    version: str
    id: str
    aliases: tuple[str, ...]
    fix_versions: tuple[str, ...]


@dataclass
class Audit:
    findings: list[Finding] = field(default_factory=list)
    audited: dict[str, int] = field(default_factory=dict)  # lock -> packages audited
    skipped: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # lock -> (name, why)
    failures: dict[str, str] = field(default_factory=dict)  # lock -> why pip-audit gave nothing
    audited_packages: set[str] = field(default_factory=set)


def pinned_versions(lock: Path) -> dict[str, str]:
    """Package name -> pinned version, from a `name==version` lock file."""
    return {normalize(name): version for name, version in PIN.findall(lock.read_text())}


def run_pip_audit(lock: Path, timeout: int) -> tuple[Optional[dict[str, Any]], str]:
    """pip-audit's JSON report of one lock file, or None and why there is none."""
    command = [
        str(PIP_AUDIT), "-r", str(lock), "--no-deps", "--disable-pip", "--format", "json",
        "--progress-spinner", "off", "--timeout", str(timeout),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"pip-audit did not run: {error}"
    try:
        return json.loads(done.stdout), ""
    except json.JSONDecodeError:
        last_lines = " | ".join(done.stderr.strip().splitlines()[-3:])
        return None, f"pip-audit exited {done.returncode} without a report: {last_lines}"


def read_report(audit: Audit, lock: str, report: dict[str, Any]) -> None:
    """Add one pip-audit JSON report (its `dependencies` list) to the audit."""
    audited = 0
    for dependency in report.get("dependencies", []):
        name = normalize(dependency["name"])
        if "skip_reason" in dependency:
            audit.skipped.setdefault(lock, []).append((name, dependency["skip_reason"]))
            continue
        audited += 1
        audit.audited_packages.add(name)
        for vuln in dependency.get("vulns", []):
            audit.findings.append(
                Finding(
                    lock=lock,
                    package=name,
                    version=dependency["version"],
                    id=vuln["id"],
                    aliases=tuple(vuln.get("aliases", [])),
                    fix_versions=tuple(vuln.get("fix_versions", [])),
                )
            )
    audit.audited[lock] = audited


def matches(acceptance: Acceptance, finding: Finding) -> bool:
    return (
        acceptance.package == finding.package
        and acceptance.version == finding.version
        and acceptance.id in (finding.id, *finding.aliases)
    )


def evaluate(
    audit: Audit,
    accepted: list[Acceptance],
    pins: dict[str, set[str]],
    today: dt.date,
    strict: bool,
) -> tuple[int, list[str]]:
    """The exit status and the report's lines."""
    lines: list[str] = []
    status = 0

    refused, kept = [], []
    for finding in audit.findings:
        acceptance = next((a for a in accepted if matches(a, finding)), None)
        if acceptance is None:
            refused.append((finding, "not accepted"))
        elif acceptance.review_by < today:
            refused.append((finding, f"acceptance expired on {acceptance.review_by}: review it"))
        else:
            kept.append((finding, acceptance))
    if refused:
        status = 1
        lines.append(f"FAIL: {len(refused)} vulnerabilit{'y' if len(refused) == 1 else 'ies'}:")
        for finding, why in refused:
            fix = ", ".join(finding.fix_versions) or "no fixed version yet"
            lines.append(
                f"  {finding.package} {finding.version} ({finding.lock}): {finding.id}"
                f" — {why}; fixed in {fix}"
            )
    for finding, acceptance in kept:
        lines.append(
            f"accepted: {finding.package} {finding.version} {finding.id} until"
            f" {acceptance.review_by}: {acceptance.reason}"
        )

    used = {acceptance for _, acceptance in kept} | {
        a for a in accepted for finding, _ in refused if matches(a, finding)
    }
    for acceptance in accepted:
        if acceptance in used:
            if acceptance.review_by < today:
                lines.append(f"STALE acceptance: {acceptance.id} expired on {acceptance.review_by}")
            continue
        if acceptance.version not in pins.get(acceptance.package, set()):
            pinned = ", ".join(sorted(pins.get(acceptance.package, set()))) or "not pinned"
            lines.append(
                f"STALE acceptance: {acceptance.id} is for {acceptance.package}"
                f" {acceptance.version}, which is no longer pinned ({pinned}): remove it"
            )
        elif acceptance.review_by < today:
            lines.append(
                f"STALE acceptance: {acceptance.id} ({acceptance.package}) expired on"
                f" {acceptance.review_by}: review it or remove it"
            )
        elif acceptance.package in audit.audited_packages:
            lines.append(
                f"STALE acceptance: {acceptance.id} ({acceptance.package}"
                f" {acceptance.version}) matched no reported vulnerability: remove it"
            )

    total_audited = sum(audit.audited.values())
    skipped = [item for skips in audit.skipped.values() for item in skips]
    failed_locks = sorted(audit.failures)
    for lock in sorted(set(audit.audited) | set(audit.skipped) | set(audit.failures)):
        if lock in audit.failures:
            lines.append(f"{lock}: NOT AUDITED — {audit.failures[lock]}")
        else:
            lines.append(
                f"{lock}: {audit.audited.get(lock, 0)} packages audited,"
                f" {len(audit.skipped.get(lock, []))} could not be audited"
            )
    if skipped or failed_locks:
        reasons: dict[str, int] = {}
        for _, why in skipped:
            key = why.split(":")[0]
            reasons[key] = reasons.get(key, 0) + 1
        banner = "!" * 78
        lines += ["", banner]
        if total_audited == 0:
            lines.append("!! NOTHING WAS AUDITED: this is NOT a clean audit.")
            lines.append("!! The vulnerabilities of every package are UNKNOWN.")
        else:
            lines.append(f"!! {len(skipped)} packages could NOT be audited:")
            lines.append("!! their vulnerabilities are UNKNOWN.")
        for why, count in sorted(reasons.items(), key=lambda item: -item[1]):
            lines.append(f"!!   {count} × {why}")
        for lock in failed_locks:
            lines.append(f"!!   {lock}: {audit.failures[lock]}")
        if any("not found on PyPI" in why for _, why in skipped) or failed_locks:
            lines.append(f"!! Likely cause: {UNREACHABLE_HINT}")
        if strict:
            status = status or 2
            lines.append("!! AUDIT_STRICT=1: failing.")
        else:
            lines.append("!! Not failing (AUDIT_STRICT is not 1). CI machines that reach the")
            lines.append("!! vulnerability service must set AUDIT_STRICT=1.")
        lines.append(banner)
    elif not refused:
        lines.append(f"OK: {total_audited} packages audited, no unaccepted vulnerability.")
    return status, lines


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--results", action="append", type=Path, default=[],
        help="a saved pip-audit JSON report to evaluate instead of running pip-audit (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--lock", action="append", type=Path, default=[],
        help="lock file(s) (default: requirements/bot, directory, bench, data-inclusion.txt)",
    )  # fmt: skip
    parser.add_argument("--accepted", type=Path, default=ACCEPTED, help="reviewed findings (JSON)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--timeout", type=int, default=TIMEOUT_SECONDS, help="pip-audit --timeout")
    args = parser.parse_args(argv)

    locks = args.lock or LOCKS
    accepted = [Acceptance.from_json(e) for e in json.loads(args.accepted.read_text())["accepted"]]
    pins: dict[str, set[str]] = {}
    for lock in locks:
        for name, version in pinned_versions(lock).items():
            pins.setdefault(name, set()).add(version)

    audit = Audit()
    if args.results:
        for path in args.results:
            read_report(audit, path.name, json.loads(path.read_text()))
    else:
        for lock in locks:
            label = lock.relative_to(ROOT) if lock.is_relative_to(ROOT) else lock
            report, why = run_pip_audit(lock, args.timeout)
            if report is None:
                audit.failures[str(label)] = why
            else:
                read_report(audit, str(label), report)

    strict = os.environ.get("AUDIT_STRICT", "") == "1"
    status, lines = evaluate(audit, accepted, pins, args.today, strict)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
