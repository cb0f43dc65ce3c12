"""
Command line, run with the directory's environment (settings come from the environment).

    python -m services_directory serve
    python -m services_directory users create --email a@b.fr --role agent --territory hautes-terres
    python -m services_directory tokens create --email a@b.fr
    python -m services_directory import communes communes_france.csv --territory ht --department 15
    python -m services_directory import tiers-lieux tiers_lieux_2019.csv --apply
    python -m services_directory export csv --territory hautes-terres > services.csv
"""

import argparse
import asyncio
import logging
import os
import sys

from aiohttp import web

from .app import create_app
from .cli import add_account_commands, add_file_commands, run
from .errors import DirectoryError
from .settings import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    """
    Parse the command line and run the command.

    Args:
        argv: arguments without the program name (default: `sys.argv[1:]`).

    Returns:
        The process exit status.
    """
    parser = argparse.ArgumentParser(
        prog="python -m services_directory",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "serve", help="serve the directory API and pages on DIRECTORY_HOST:DIRECTORY_PORT"
    )
    add_account_commands(commands)
    add_file_commands(commands)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as error:
        parser.error(str(error))
    if args.command != "serve":
        try:
            return asyncio.run(run(settings, args.run, args, sys.stdout))
        except DirectoryError as error:
            print(f"Erreur : {error.message}", file=sys.stderr)
            return 1
        except OSError as error:
            print(f"Erreur : {error.strerror} ({error.filename}).", file=sys.stderr)
            return 1
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    web.run_app(create_app(settings), host=settings.host, port=settings.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
