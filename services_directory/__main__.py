"""Command line: `python -m services_directory serve` (settings come from the environment)."""

import argparse
import logging
import os
import sys

from aiohttp import web

from .app import create_app
from .settings import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    """
    Parse the command line and run the command.

    Args:
        argv: arguments without the program name (default: `sys.argv[1:]`).

    Returns:
        The process exit status.
    """
    parser = argparse.ArgumentParser(prog="python -m services_directory", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "serve", help="serve the directory API and pages on DIRECTORY_HOST:DIRECTORY_PORT"
    )
    parser.parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as error:
        parser.error(str(error))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    web.run_app(create_app(settings), host=settings.host, port=settings.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
