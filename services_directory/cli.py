"""
Commands run with the directory's environment: accounts, API tokens, imports and exports.

Each opens the storage the settings name, does one thing and closes it; messages are for
people, in French.
"""

import argparse
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from .analytics.schedule import add_analytics_commands
from .backends import storage_for
from .backoffice.cli import add_password_commands
from .backup import add_backup_commands
from .data_inclusion import export as data_inclusion_export
from .exports import to_csv
from .importers import KINDS, run_import
from .settings import Settings
from .storage import Storage
from .token_commands import add_token_commands
from .vocabulary import ROLES

Command = Callable[[Storage, argparse.Namespace, TextIO], Awaitable[int]]


def add_account_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `users create` and `tokens create|list|revoke`."""
    users = commands.add_parser("users", help="accounts").add_subparsers(
        dest="action", required=True
    )
    create = users.add_parser("create", help="create an account (GIP administrator or agent)")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument(
        "--territory", action="append", default=[], help="territory slug (repeat for several)"
    )
    create.set_defaults(run=create_user)
    add_password_commands(users, create)
    tokens = commands.add_parser("tokens", help="API tokens").add_subparsers(
        dest="action", required=True
    )
    token = tokens.add_parser("create", help="create an API token; printed once, as the last word")
    token.add_argument("--email", required=True)
    add_token_commands(tokens, token)  # --days, `tokens list`, `tokens revoke`


def add_file_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `import KIND FILE` (a dry run unless --apply) and `export FORMAT`."""
    load = commands.add_parser("import", help="import a file: a dry run unless --apply")
    load.add_argument("kind", choices=KINDS)
    load.add_argument("file", type=Path)
    load.add_argument("--apply", action="store_true", help="write (all or nothing)")
    load.add_argument("--territory", help="communes: attach them to this territory")
    load.add_argument(
        "--department", action="append", default=[], help="communes: only those of a département"
    )
    load.set_defaults(run=import_file)
    dump = commands.add_parser("export", help="export entries to standard output")
    dump.add_argument("format", choices=("csv", "data-inclusion"))
    dump.add_argument("--territory")
    dump.add_argument(
        "--structures", action="store_true",
        help="data-inclusion: print the structures instead of the services",
    )  # fmt: skip
    dump.add_argument(
        "--out", type=Path,
        help="data-inclusion: write structures.json and services.json into this folder",
    )  # fmt: skip
    dump.set_defaults(run=export_file)
    add_analytics_commands(commands)  # `analytics purge` (analytics/schedule.py)
    add_backup_commands(commands)  # `backup`, `restore` (backup.py)


async def import_file(storage: Storage, args: argparse.Namespace, out: TextIO) -> int:
    """`import KIND FILE [--apply]`: prints the report; 1 when rows were rejected."""
    report = await run_import(
        storage, args.kind, args.file.read_bytes(), dry_run=not args.apply,
        by=f"import:{args.file.name}", territory=args.territory, departments=args.department,
    )  # fmt: skip
    print(report.summary(), file=out)
    return 1 if report.rejected else 0


async def export_file(storage: Storage, args: argparse.Namespace, out: TextIO) -> int:
    """
    `export csv|data-inclusion [--territory SLUG]`: every entry, whatever its status.

    data·inclusion prints the services (`--structures`: the structures), or with `--out DIR`
    writes both files there.
    """
    services = await storage.list_services(args.territory)
    if args.format == "csv":
        out.write(to_csv(services))
        return 0
    structures, records = await data_inclusion_export(storage, services)
    if args.out is None:
        json.dump(structures if args.structures else records, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, items in (("structures", structures), ("services", records)):
        text = json.dumps(items, ensure_ascii=False, indent=1) + "\n"
        (args.out / f"{name}.json").write_text(text, encoding="utf-8")
    written = f"{len(structures)} structures, {len(records)} services écrits dans {args.out}."
    print(written, file=out)
    return 0


async def run(settings: Settings, command: Command, args: argparse.Namespace, out: TextIO) -> int:
    """Open the storage, run one command, close the storage."""
    if getattr(args, "without_storage", False):  # backup, restore: the settings only
        return await command(settings, args, out)  # type: ignore[arg-type]
    storage = storage_for(settings)
    await storage.open()
    try:
        return await command(storage, args, out)
    finally:
        await storage.close()


async def create_user(storage: Storage, args: argparse.Namespace, out: TextIO) -> int:
    """`users create --email --role [--territory ...]`."""
    user = await storage.create_user(args.email, args.role, args.territory)
    where = f" ({', '.join(user.territories)})" if user.territories else ""
    print(f"Compte créé : {user.email}, rôle {user.role}{where}.", file=out)
    return 0
