"""
Start the three processes of the product, wait until each is healthy, stop them together.

Used by `make run` (scripts/run.py) and by the end-to-end tests, so both run the same thing.
Standard library only: it runs under either environment.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BOT_BIN = ROOT / ".venvs" / "bot" / "bin"
DIRECTORY_BIN = ROOT / ".venvs" / "directory" / "bin"
MODELS = ROOT / "bot" / "models"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Stack:
    """
    The directory, the action server and Rasa, on loopback.

    Args:
        directory_port, actions_port, rasa_port: where each process listens.
        var_dir: where the SQLite files live (directory and conversations).
        log_dir: where each process writes its output; None lets it print to the terminal.
        models: the trained model Rasa loads (a folder: its newest model; or a file).
    """

    directory_port: int = 8080
    actions_port: int = 5055
    rasa_port: int = 5005
    var_dir: Path = ROOT / "var"
    log_dir: Optional[Path] = None
    extra_env: dict[str, str] = field(default_factory=dict)
    # The secret the action server shows the directory to leave call-back requests.
    assistant_token: str = field(
        default_factory=lambda: os.environ.get("DIRECTORY_ASSISTANT_TOKEN")
        or secrets.token_urlsafe(32)
    )
    # The secret Rasa shows the action server, the only caller it answers (made per run).
    action_server_token: str = field(
        default_factory=lambda: os.environ.get("ACTION_SERVER_TOKEN")
        or secrets.token_urlsafe(32)
    )
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    models: Path = MODELS

    @property
    def directory_url(self) -> str:
        return f"http://127.0.0.1:{self.directory_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    def environment(self) -> dict[str, str]:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(
            RASA_TELEMETRY_ENABLED="false",
            DIRECTORY_HOST="127.0.0.1",
            DIRECTORY_PORT=str(self.directory_port),
            DIRECTORY_DATABASE=env.get(
                "DIRECTORY_DATABASE", str(self.var_dir / "directory.sqlite3")
            ),
            RASA_URL=self.rasa_url,
            DIRECTORY_URL=self.directory_url,
            DIRECTORY_PUBLIC_URL=env.get("DIRECTORY_PUBLIC_URL", self.directory_url),
            SANIC_HOST="127.0.0.1",  # the action server is never public
            DIRECTORY_ASSISTANT_TOKEN=self.assistant_token,
            ACTION_ENDPOINT_URL=f"{self.actions_url}/webhook",
            ACTION_SERVER_TOKEN=self.action_server_token,
            RASA_TRACKER_DIALECT=env.get("RASA_TRACKER_DIALECT", "sqlite"),
            RASA_TRACKER_DB=env.get("RASA_TRACKER_DB", str(self.var_dir / "conversations.sqlite3")),
        )
        env.update(self.extra_env)
        return env

    def commands(self) -> dict[str, list[str]]:
        return {
            "directory": [str(DIRECTORY_BIN / "python"), "-m", "services_directory", "serve"],
            "actions": [
                str(BOT_BIN / "python"), "-m", "rasa_sdk",
                "--actions", "actions", "--port", str(self.actions_port),
            ],
            "rasa": [
                str(BOT_BIN / "rasa"), "run",
                "--model", str(self.models),
                "--endpoints", "bot/endpoints.yml",
                "--credentials", "bot/credentials.yml",
                "--interface", "127.0.0.1",
                "--port", str(self.rasa_port),
                "--cors", *self.cors_origins(),  # last: --cors takes every word after it
            ],
        }

    def cors_origins(self) -> list[str]:
        """
        The origins whose pages may call Rasa from a browser (never every origin).

        `RASA_CORS_ORIGINS` (separated by spaces or commas), else the directory's own address,
        which serves the chat test page and the demo territory sites, and its public address.
        """
        configured = self._setting("RASA_CORS_ORIGINS").strip()
        if configured:
            return [origin for origin in re.split(r"[\s,]+", configured) if origin]
        public = self._setting("DIRECTORY_PUBLIC_URL") or self.directory_url
        return list(dict.fromkeys([self.directory_url, _origin(public)]))

    def _setting(self, name: str) -> str:
        """A setting as the processes see it: `extra_env`, else the environment, else empty."""
        return self.extra_env.get(name) or os.environ.get(name) or ""

    def health_urls(self) -> dict[str, str]:
        return {
            "directory": f"{self.directory_url}/healthz",
            "actions": f"{self.actions_url}/health",
            "rasa": f"{self.rasa_url}/",
        }

    def start(self, timeout_s: float = 300.0) -> None:
        """Start every process, then wait until each answers its health check."""
        for name in self.commands():
            self.launch(name)
        try:
            self.wait_healthy(timeout_s)
        except BaseException:
            self.stop()
            raise

    def launch(self, name: str) -> None:
        """Start one process (again, after `halt`: its output goes on in the same log)."""
        output = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = open(self.log_dir / f"{name}.log", "ab")
        # Each process leads its own group so that stopping it stops its workers too.
        self.processes[name] = subprocess.Popen(
            self.commands()[name], cwd=ROOT, env=self.environment(), stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )

    def halt(self, name: str, grace_s: float = 15.0) -> None:
        """Stop one process, the others running on (fault-injection tests)."""
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def wait_healthy(self, timeout_s: float, names: Optional[list[str]] = None) -> None:
        """Wait until each process (or those named) answers its health check."""
        deadline = time.monotonic() + timeout_s
        for name, url in self.health_urls().items():
            if names is not None and name not in names:
                continue
            while not _answers(url):
                process = self.processes[name]
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {process.returncode}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} did not answer {url} in {timeout_s:.0f} s")
                time.sleep(0.5)

    def stop(self, grace_s: float = 15.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def _interrupt(*_: object) -> None:
    """SIGTERM (from a supervisor) stops everything as Ctrl-C does."""
    raise KeyboardInterrupt


def serve(stack: Stack, banner: Callable[[Stack], str]) -> int:
    """Start the stack, print `banner(stack)`, keep it up until Ctrl-C, then stop it all.

    Returns the exit code: 0 after Ctrl-C or SIGTERM, 1 when a process stopped by itself.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in background
    try:
        stack.start()
        print(banner(stack), flush=True)
        while all(process.poll() is None for process in stack.processes.values()):
            time.sleep(1)
        stopped = [name for name, p in stack.processes.items() if p.poll() is not None]
        print(f"{', '.join(stopped)} stopped unexpectedly; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    finally:
        stack.stop()


def _origin(url: str) -> str:
    """scheme://host[:port] of an address, as browsers send it in `Origin`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


# Scale mode's settings and their defaults (README, deploy/README.md): the tracker store on
# PostgreSQL, the lock store on Redis. The local PostgreSQL trusts loopback connections.
SCALE_DEFAULTS = {
    "RASA_TRACKER_HOST": "127.0.0.1",
    "RASA_TRACKER_PORT": "5432",
    "RASA_TRACKER_USER": "postgres",
    "RASA_TRACKER_PASSWORD": "",
    "RASA_TRACKER_DB": "accueil_tracker",
    "RASA_TRACKER_LOGIN_DB": "postgres",  # where Rasa connects first to create the database
    "REDIS_HOST": "127.0.0.1",
    "REDIS_PORT": "6379",
    "REDIS_DB": "1",
    "RASA_LOCK_KEY_PREFIX": "accueil",
    # Rasa's own pool settings (defaults 50 + 100): its SQL calls run one at a time per process.
    "SQL_POOL_SIZE": "5",
    "SQL_MAX_OVERFLOW": "5",
    "SANIC_WORKERS": "1",
    "ACTION_SERVER_SANIC_WORKERS": "2",
}


def scale_setting(name: str) -> str:
    """A scale-mode setting: the environment's value, else the default above."""
    return os.environ.get(name) or SCALE_DEFAULTS[name]


@dataclass
class ScaleStack(Stack):
    """
    Scale mode: several Rasa instances sharing a PostgreSQL tracker store and a Redis lock store.

    Args:
        rasa_ports: one Rasa instance per port, all with `bot/endpoints.scale.yml`.
        settings: overrides of `SCALE_DEFAULTS` (the environment comes between the two).
        directory_database_url: the directory's PostgreSQL database; None keeps SQLite.
    """

    rasa_ports: list[int] = field(default_factory=lambda: [5005, 5006])
    settings: dict[str, str] = field(default_factory=dict)
    directory_database_url: Optional[str] = None
    endpoints: str = "bot/endpoints.scale.yml"

    def __post_init__(self) -> None:
        self.rasa_port = self.rasa_ports[0]  # rasa_url: the first instance (chat test page)

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env.update({name: scale_setting(name) for name in SCALE_DEFAULTS})
        env.update(self.settings)
        if self.directory_database_url:
            env["DIRECTORY_DATABASE_URL"] = self.directory_database_url
        env.update(self.extra_env)
        return env

    def commands(self) -> dict[str, list[str]]:
        commands = super().commands()
        rasa = commands.pop("rasa")
        rasa[rasa.index("--endpoints") + 1] = self.endpoints
        port_at = rasa.index("--port") + 1
        for port in self.rasa_ports:
            commands[f"rasa-{port}"] = rasa[:port_at] + [str(port)] + rasa[port_at + 1:]
        return commands

    def health_urls(self) -> dict[str, str]:
        urls = super().health_urls()
        del urls["rasa"]
        urls.update({f"rasa-{port}": f"http://127.0.0.1:{port}/" for port in self.rasa_ports})
        return urls
