"""
Settings of the directory service: one table of environment variables, one frozen object.

Nothing here runs at import: `Settings.from_env(os.environ)` is called by `__main__`
(tests build their own from a dict).
"""

import re
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


def _flag(value: str) -> bool:
    if value.strip().lower() in ("true", "1", "yes", "oui"):
        return True
    if value.strip().lower() in ("false", "0", "no", "non"):
        return False
    raise ValueError("expected true or false")


def _days(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 3650:
        raise ValueError("expected a number between 1 and 3650")
    return number


def _minutes(value: str) -> int:
    number = int(value)
    if not 5 <= number <= 1440:
        raise ValueError("expected a number of minutes between 5 and 1440")
    return number


def _per_minute(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 100_000:
        raise ValueError("expected a number per minute between 0 (no limit) and 100000")
    return number


def _hsts_seconds(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 2 * 365 * 86400:
        raise ValueError("expected a number of seconds between 0 and 63072000 (two years)")
    return number


_ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?")


def _frame_ancestors(value: str) -> str:
    # Goes verbatim into a header: only 'self', 'none' (alone) or bare origins, never "*".
    sources = value.split()
    if not sources:
        raise ValueError("must not be empty (use 'self' or 'none')")
    if "'none'" in sources:
        if len(sources) > 1:
            raise ValueError("'none' cannot be combined with other sources")
        return "'none'"
    for source in sources:
        if source != "'self'" and not _ORIGIN.fullmatch(source):
            raise ValueError(
                f"{source!r} is not 'self' nor an origin such as https://www.example.org"
            )
    return " ".join(dict.fromkeys(sources))


def _tracker_url(value: str) -> str | None:
    return value.strip() or None


def _retention_days(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 3650:
        raise ValueError("expected a number of days between 1 and 3650")
    return number


def _interval_hours(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 24 * 31:
        raise ValueError("expected a number of hours between 0 and 744")
    return number


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
        "DIRECTORY_SECURE_COOKIES",
        "secure_cookies",
        "true",
        "Back-office cookies carry Secure (HTTPS only); 'false' only for plain http off loopback.",
        _flag,
    ),
    Setting(
        "DIRECTORY_SESSION_MINUTES",
        "session_minutes",
        "120",
        "A back-office session ends after this many idle minutes (and always after 12 hours).",
        _minutes,
    ),
    Setting(
        "DIRECTORY_LEAD_RETENTION_DAYS",
        "lead_retention_days",
        "365",
        "Call-back requests are deleted this many days after they arrive (at start, then daily).",
        _days,
    ),
    Setting(
        "DIRECTORY_STALE_DAYS",
        "stale_days",
        "183",
        "An entry not verified for this many days is flagged stale (job offers: 30 days).",
        _days,
    ),
    # Security headers (security_headers.py) and rate limits (ratelimit.py).
    Setting(
        "DIRECTORY_HSTS_SECONDS",
        "hsts_seconds",
        "31536000",
        "Strict-Transport-Security max-age sent when DIRECTORY_SECURE_COOKIES is true (the "
        "service is behind HTTPS); 0: never sent.",
        _hsts_seconds,
    ),
    Setting(
        "DIRECTORY_FRAME_ANCESTORS",
        "frame_ancestors",
        "'self'",
        "Space-separated origins of the territory sites allowed to show a territory's public "
        "directory page (/t/<slug>/services) in a frame; 'self' or 'none'. Every other page: "
        "never framed.",
        _frame_ancestors,
    ),
    Setting(
        "DIRECTORY_API_WRITES_PER_MINUTE",
        "api_writes_per_minute",
        "300",
        "API writes (POST/PATCH/PUT/DELETE /api/v1) allowed per token per minute, in bursts of "
        "as many; 429 beyond. Per process. 0: no limit.",
        _per_minute,
    ),
    Setting(
        "DIRECTORY_API_WRITES_PER_MINUTE_PER_ADDRESS",
        "api_writes_per_minute_per_address",
        "600",
        "API writes allowed per client address per minute (every token together). Per process. "
        "0: no limit.",
        _per_minute,
    ),
    Setting(
        "DIRECTORY_API_READS_PER_MINUTE_PER_ADDRESS",
        "api_reads_per_minute_per_address",
        "600",
        "Public API reads (GET /api/v1) and directory pages (/t/<slug>/services) allowed per "
        "client address per minute, in bursts of as many; 429 beyond. Requests from this "
        "machine that no proxy forwarded (the action server) are not counted. Per process. "
        "0: no limit.",
        _per_minute,
    ),
    Setting(
        "DIRECTORY_ADMIN_POSTS_PER_MINUTE",
        "admin_posts_per_minute",
        "120",
        "Back-office form submissions allowed per session per minute. Per process. 0: no limit.",
        _per_minute,
    ),
    Setting(
        "DIRECTORY_ADMIN_POSTS_PER_MINUTE_PER_ADDRESS",
        "admin_posts_per_minute_per_address",
        "300",
        "Back-office form submissions (sign-in included) allowed per client address per "
        "minute. Per process. 0: no limit.",
        _per_minute,
    ),
    Setting(
        "RASA_URL",
        "rasa_url",
        "http://127.0.0.1:5005",
        "Base URL of the Rasa server, used by the chat test page at / and the widget (and "
        "allowed in their pages' Content-Security-Policy connect-src).",
        _http_url,
    ),
    # Analytics (services_directory/analytics/, docs/analytics.md): Rasa's conversation store.
    Setting(
        "ANALYTICS_TRACKER_URL",
        "analytics_tracker_url",
        "",
        "Rasa's conversation store for analytics: postgresql://user@host:port/db or a SQLite "
        "file; empty: RASA_TRACKER_DB when RASA_TRACKER_DIALECT is sqlite.",
        _tracker_url,
    ),
    Setting(
        "RASA_TRACKER_DIALECT",
        "tracker_dialect",
        "sqlite",
        "SQL dialect of Rasa's conversation store (bot/endpoints.yml); analytics read it too.",
        _text,
    ),
    Setting(
        "RASA_TRACKER_DB",
        "tracker_db",
        "var/conversations.sqlite3",
        "Rasa's conversation store: the SQLite file analytics read when ANALYTICS_TRACKER_URL is "
        "empty.",
        _text,
    ),
    Setting(
        "ANALYTICS_RETENTION_DAYS",
        "analytics_retention_days",
        "183",
        "Conversations older than this many days are deleted (at start, then on a schedule).",
        _retention_days,
    ),
    Setting(
        "ANALYTICS_PURGE_INTERVAL_HOURS",
        "analytics_purge_interval_hours",
        "24",
        "Hours between two purges of old conversations while the service runs; 0: never.",
        _interval_hours,
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
    secure_cookies: bool = True
    session_minutes: int = 120
    lead_retention_days: int = 365
    stale_days: int = 183
    hsts_seconds: int = 31536000
    frame_ancestors: str = "'self'"
    api_writes_per_minute: int = 300
    api_writes_per_minute_per_address: int = 600
    api_reads_per_minute_per_address: int = 600
    admin_posts_per_minute: int = 120
    admin_posts_per_minute_per_address: int = 300
    analytics_tracker_url: str | None = None
    tracker_dialect: str = "sqlite"
    tracker_db: str = "var/conversations.sqlite3"
    analytics_retention_days: int = 183
    analytics_purge_interval_hours: int = 24

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
