"""Rasa answers browsers of the configured origins only, never every origin (issue 15).

How the command line is built here; tests/e2e/test_cors.py checks the real server's answers.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from rasa.__main__ import create_argument_parser

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.stack import ScaleStack, Stack  # noqa: E402

DEPLOY_COMMANDS = [
    ROOT / "deploy" / "Procfile",
    ROOT / "deploy" / "systemd" / "accueil-rasa@.service",
]


def rasa_cors(command: list[str]) -> list[str]:
    """The origins Rasa's own argument parser reads from the command."""
    return create_argument_parser().parse_args(command[1:]).cors


@pytest.fixture(autouse=True)
def no_settings(monkeypatch):
    monkeypatch.delenv("RASA_CORS_ORIGINS", raising=False)
    monkeypatch.delenv("DIRECTORY_PUBLIC_URL", raising=False)


def test_by_default_only_the_directory_s_pages_may_call_rasa(tmp_path):
    stack = Stack(directory_port=8080, var_dir=tmp_path)
    assert rasa_cors(stack.commands()["rasa"]) == ["http://127.0.0.1:8080"]


def test_the_directory_s_public_address_is_allowed_too(monkeypatch, tmp_path):
    monkeypatch.setenv("DIRECTORY_PUBLIC_URL", "https://accueil.example.org/")
    stack = Stack(directory_port=8080, var_dir=tmp_path)
    assert rasa_cors(stack.commands()["rasa"]) == [
        "http://127.0.0.1:8080", "https://accueil.example.org",
    ]


@pytest.mark.parametrize(
    "setting",
    ["https://www.hautesterres.fr https://creuse.example.org",
     "https://www.hautesterres.fr, https://creuse.example.org,"],
    ids=["spaces", "commas"],
)
def test_rasa_cors_origins_lists_the_territory_sites(monkeypatch, tmp_path, setting):
    monkeypatch.setenv("RASA_CORS_ORIGINS", setting)
    expected = ["https://www.hautesterres.fr", "https://creuse.example.org"]
    assert rasa_cors(Stack(var_dir=tmp_path).commands()["rasa"]) == expected
    scale = ScaleStack(rasa_ports=[5005, 5006], var_dir=tmp_path).commands()
    assert [rasa_cors(scale[name]) for name in ("rasa-5005", "rasa-5006")] == [expected] * 2


def test_extra_env_overrides_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RASA_CORS_ORIGINS", "https://a.example.org")
    stack = Stack(var_dir=tmp_path, extra_env={"RASA_CORS_ORIGINS": "https://b.example.org"})
    assert rasa_cors(stack.commands()["rasa"]) == ["https://b.example.org"]


@pytest.mark.parametrize("path", DEPLOY_COMMANDS, ids=lambda path: path.name)
def test_deployed_rasa_takes_its_origins_from_the_settings(path):
    commands = [line for line in path.read_text().splitlines() if "rasa run" in line]
    assert commands
    for command in commands:
        assert '"*"' not in command and "'*'" not in command
        # systemd and the shell split an unquoted, unbraced $VARIABLE at spaces: one origin a word
        assert re.search(r"--cors \$RASA_CORS_ORIGINS$", command), command


def test_the_settings_example_lists_origins():
    example = (ROOT / "deploy" / "accueil.env.example").read_text()
    (line,) = [line for line in example.splitlines() if line.startswith("RASA_CORS_ORIGINS=")]
    assert "*" not in line and "," not in line
