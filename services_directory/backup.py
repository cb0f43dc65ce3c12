"""
Backup and restore of the directory and of the conversation store, SQLite or PostgreSQL.

The directory holds territories, entries, leads and accounts; both are found where the
settings say (DIRECTORY_DATABASE[_URL], ANALYTICS_TRACKER_URL or RASA_TRACKER_DB).

SQLite files are copied with SQLite's online backup API (a consistent copy while the service
runs); PostgreSQL databases with `pg_dump --format=custom` and `pg_restore --clean`. A backup
folder holds `directory.sqlite3` or `directory.pgdump`, `conversations.sqlite3` or
`conversations.pgdump` (when there is a store), and `manifest.json` saying which.

    python -m services_directory backup --out /srv/backups/2026-11-29
    python -m services_directory restore --from /srv/backups/2026-11-29 [--force]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from .analytics.service import tracker_for
from .settings import Settings

MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for people, in French."""


def _targets(settings: Settings) -> dict[str, str]:
    """`{"directory": location, "conversations": location}`: a postgresql:// URL or a file."""
    targets = {"directory": settings.database_url or str(settings.database)}
    tracker = tracker_for(settings)
    if tracker is not None:
        targets["conversations"] = tracker.location
    return targets


def _is_postgres(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def _tool(name: str, *args: str) -> None:
    if shutil.which(name) is None:
        raise BackupError(f"{name} est introuvable : installez les outils clients PostgreSQL.")
    done = subprocess.run([name, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{name} a échoué : {done.stderr.strip()[:2000]}")


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a (possibly live) SQLite database, through the backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    src.close()


def backup(settings: Settings, out: Path) -> dict[str, str]:
    """Write the backup in `out` (created; must be empty); returns {part: file name}."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise BackupError(f"Le dossier {out} n'est pas vide.")
    written: dict[str, str] = {}
    for part, location in _targets(settings).items():
        if _is_postgres(location):
            name = f"{part}.pgdump"
            _tool("pg_dump", "--format=custom", "--no-owner", f"--file={out / name}",
                  f"--dbname={location}")  # fmt: skip
        elif Path(location).is_file():
            name = f"{part}.sqlite3"
            _sqlite_copy(Path(location), out / name)
        else:
            continue  # no conversation store yet: nothing to keep
        written[part] = name
    manifest = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "files": written}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return written


def _sqlite_has_data(path: Path) -> bool:
    if not path.is_file():
        return False
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        found = any(db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()  # noqa: S608
                    for t in ("territories", "events") if t in tables)  # fmt: skip
    db.close()
    return found


def restore(settings: Settings, source: Path, force: bool = False) -> dict[str, str]:
    """
    Put a backup back where the settings point; returns {part: location restored}.

    SQLite files are replaced; PostgreSQL objects of the dump are dropped and recreated
    (`pg_restore --clean --if-exists`). Without `force`, a SQLite target holding data is refused.
    """
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{manifest_path} est introuvable : ce n'est pas une sauvegarde.")
    files: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
    targets = _targets(settings)
    restored: dict[str, str] = {}
    for part, name in files.items():
        location = targets.get(part)
        if location is None:
            raise BackupError(f"Aucune destination pour « {part} » : réglez ANALYTICS_TRACKER_URL.")
        if name.endswith(".pgdump") != _is_postgres(location):
            raise BackupError(f"« {part} » : la sauvegarde et la destination diffèrent de moteur.")
        if _is_postgres(location):
            _tool("pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error",
                  f"--dbname={location}", str(source / name))  # fmt: skip
        else:
            if not force and _sqlite_has_data(Path(location)):
                raise BackupError(f"{location} contient des données : ajoutez --force.")
            _sqlite_copy(source / name, Path(location))
        restored[part] = location
    return restored


def add_backup_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `backup --out DIR` and `restore --from DIR [--force]`."""
    save = commands.add_parser("backup", help="back up the directory and the conversations")
    save.add_argument("--out", type=Path, required=True, help="an empty or new folder")
    save.set_defaults(run=backup_command, without_storage=True)
    load = commands.add_parser("restore", help="restore a backup made by `backup`")
    load.add_argument("--from", dest="source", type=Path, required=True)
    load.add_argument("--force", action="store_true", help="replace SQLite data already there")
    load.set_defaults(run=restore_command, without_storage=True)


async def backup_command(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    """`backup --out DIR` (cli.run passes the settings instead of an opened storage)."""
    try:
        written = backup(settings, args.out)
    except BackupError as error:
        print(f"Erreur : {error}", file=out)
        return 1
    print(f"Sauvegarde écrite dans {args.out} : {', '.join(written.values())}.", file=out)
    return 0


async def restore_command(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    """`restore --from DIR [--force]`: nothing opens the storage while it is replaced."""
    try:
        restored = restore(settings, args.source, force=args.force)
    except BackupError as error:
        print(f"Erreur : {error}", file=out)
        return 1
    print(f"Restauré : {', '.join(restored)}.", file=out)
    return 0
