"""No secret in the repository: every one comes from the environment (docs/security.md)."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What a leaked secret looks like; tests/ holds throw-away passwords for test accounts only.
LEAKS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "password in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:(?!CHANGE_ME)[^/\s@]+@"),
    "secret setting with a value": re.compile(
        r"^\s*[A-Z_]*(?:PASSWORD|SECRET|TOKEN|API_KEY)[A-Z_]*\s*[=:]\s*"
        r"(?!CHANGE_ME|\$\{)[\"']?[A-Za-z0-9_+/=-]{6,}[\"']?\s*$",
        re.MULTILINE,
    ),
    "cloud access key": re.compile(r"\b(?:AKIA[0-9A-Z]{16}|ghp_[0-9A-Za-z]{36}|xox[bp]-\S+)"),
}


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [ROOT / name for name in listed.split("\0") if name and not name.startswith("tests/")]


def leaks_in(text: str) -> list[str]:
    return [what for what, pattern in LEAKS.items() if pattern.search(text)]


@pytest.mark.parametrize(
    "text, leak",
    [
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
        ("DIRECTORY_DATABASE_URL=postgresql://accueil:s3cret@db:5432/x", "password in a URL"),
        ("DIRECTORY_ASSISTANT_TOKEN=0f3c9a1b2d", "secret setting with a value"),
        ("RASA_TRACKER_PASSWORD: hunter22", "secret setting with a value"),
        ("key = 'AKIAIOSFODNN7EXAMPLE'", "cloud access key"),
    ],
)
def test_the_scan_finds_what_a_leak_looks_like(text, leak):
    assert leak in leaks_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "DIRECTORY_ASSISTANT_TOKEN=CHANGE_ME_at_least_16_random_characters",
        "postgresql://accueil:CHANGE_ME@127.0.0.1:5432/accueil_directory",
        "  password: ${RASA_TRACKER_PASSWORD}",
        "DIRECTORY_ASSISTANT_TOKEN=",
    ],
)
def test_placeholders_and_environment_references_are_not_leaks(text):
    assert leaks_in(text) == []


def test_no_tracked_file_holds_a_secret():
    found = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue  # binary files (images, fonts) and files deleted in the working tree
        found += [f"{path.relative_to(ROOT)}: {leak}" for leak in leaks_in(text)]
    assert found == []
