"""Settings come from the environment, with defaults, and fail fast naming the variable."""

from dataclasses import fields
from pathlib import Path

import pytest

from services_directory.__main__ import main
from services_directory.settings import SETTINGS, Settings, SettingsError


def test_defaults_when_the_environment_is_empty() -> None:
    settings = Settings.from_env({})
    assert settings == Settings(
        host="127.0.0.1",
        port=8080,
        database=Path("var/directory.sqlite3"),
        seed="demo",
        rasa_url="http://127.0.0.1:5005",
        database_url=None,
        assistant_token=None,
    )


def test_values_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "DIRECTORY_HOST": "0.0.0.0",
            "DIRECTORY_PORT": "9000",
            "DIRECTORY_DATABASE": "/tmp/x.sqlite3",
            "DIRECTORY_SEED": "none",
            "RASA_URL": "https://bot.example.org/",
            "DIRECTORY_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
            "DIRECTORY_ASSISTANT_TOKEN": "s3cret-s3cret-s3cret",
        }
    )
    assert settings.database_url == "postgresql://postgres@127.0.0.1:5432/test"
    assert settings.assistant_token == "s3cret-s3cret-s3cret"
    assert (settings.host, settings.port, settings.database) == (
        "0.0.0.0",
        9000,
        Path("/tmp/x.sqlite3"),
    )
    assert (settings.seed, settings.rasa_url) == ("none", "https://bot.example.org")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DIRECTORY_PORT", "abc"),
        ("DIRECTORY_PORT", "70000"),
        ("DIRECTORY_SEED", "all"),
        ("RASA_URL", "localhost:5005"),
        ("DIRECTORY_HOST", " "),
        ("DIRECTORY_DATABASE", ""),
        ("DIRECTORY_DATABASE_URL", "mysql://x"),
        ("DIRECTORY_ASSISTANT_TOKEN", "short"),
    ],
)
def test_a_bad_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_every_field_has_exactly_one_variable() -> None:
    assert sorted(s.field for s in SETTINGS) == sorted(f.name for f in fields(Settings))
    assert len({s.env for s in SETTINGS}) == len(SETTINGS)
    assert all(s.help for s in SETTINGS)


def test_serve_refuses_a_bad_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIRECTORY_PORT", "abc")
    with pytest.raises(SystemExit) as exit_info:
        main(["serve"])
    assert exit_info.value.code == 2
    assert "DIRECTORY_PORT='abc' is invalid" in capsys.readouterr().err
