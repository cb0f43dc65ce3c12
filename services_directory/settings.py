"""
Settings of the directory service: one table of environment variables, one frozen object.

Nothing here runs at import: `Settings.from_env(os.environ)` is called by `__main__`
(tests build their own from a dict).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SettingsError(ValueError):
    """An environment variable has a value the service cannot use; the message names it."""


def _port(value: str) -> int:
    port = int(value)
    if not 1 <= port <= 65535:
        raise ValueError("expected a TCP port between 1 and 65535")
    return port


def _seed(value: str) -> str:
    if value not in ("demo", "none"):
        raise ValueError("expected 'demo' or 'none'")
    return value


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("expected an http:// or https:// URL")
    return value.rstrip("/")


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _path(value: str) -> Path:
    return Path(_text(value))


def _database_url(value: str) -> str | None:
    if not value.strip():
        return None
    if not value.startswith(("postgresql://", "postgres://")):
        raise ValueError("expected a postgresql:// URL, or nothing for SQLite")
    return value.strip()


def _secret(value: str) -> str | None:
    if not value.strip():
        return None
    if len(value.strip()) < 16:
        raise ValueError("expected at least 16 characters")
    return value.strip()


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default, help text and parser."""

    env: str
    field: str
    default: str
    help: str
    parse: Callable[[str], Any]


# The single source of truth; the README documents each of these (tests/directory/test_docs.py).
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DIRECTORY_HOST", "host", "127.0.0.1", "Address the directory service listens on.", _text
    ),
    Setting("DIRECTORY_PORT", "port", "8080", "TCP port the directory service listens on.", _port),
    Setting(
        "DIRECTORY_DATABASE",
        "database",
        "var/directory.sqlite3",
        "SQLite database file, relative to the current directory; its folder is created.",
        _path,
    ),
    Setting(
        "DIRECTORY_DATABASE_URL",
        "database_url",
        "",
        "PostgreSQL URL (postgresql://user@host:port/db); empty: SQLite at DIRECTORY_DATABASE.",
        _database_url,
    ),
    Setting(
        "DIRECTORY_ASSISTANT_TOKEN",
        "assistant_token",
        "",
        "Shared secret (16+ characters) the assistant sends to POST /api/v1/leads; empty: 503.",
        _secret,
    ),
    Setting(
        "DIRECTORY_SEED",
        "seed",
        "demo",
        "'demo' loads the demo data when the database has no territory; 'none' loads nothing.",
        _seed,
    ),
    Setting(
        "RASA_URL",
        "rasa_url",
        "http://127.0.0.1:5005",
        "Base URL of the Rasa server, used by the chat test page at /.",
        _http_url,
    ),
)


@dataclass(frozen=True)
class Settings:
    """Everything the directory service needs to start."""

    host: str
    port: int
    database: Path
    seed: str
    rasa_url: str
    database_url: str | None = None
    assistant_token: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "Settings":
        """
        Build settings from environment variables, defaults filling the gaps.

        Args:
            environ: usually `os.environ`; tests pass a plain dict.

        Returns:
            The settings.

        Raises:
            SettingsError: a variable has an invalid value (the message names it).
        """
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            raw = environ.get(setting.env, setting.default)
            try:
                values[setting.field] = setting.parse(raw)
            except ValueError as error:
                reason = "expected an integer" if "invalid literal" in str(error) else str(error)
                raise SettingsError(f"{setting.env}={raw!r} is invalid: {reason}") from None
        return cls(**values)
