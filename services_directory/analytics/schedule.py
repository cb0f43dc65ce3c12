"""The retention purge, run while the service runs and from the command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from typing import TextIO

from aiohttp import web

from ..appkeys import SETTINGS
from ..settings import Settings
from .retention import purge
from .service import tracker_for

logger = logging.getLogger("services_directory.analytics")
FIRST_PURGE_DELAY_S = 60.0  # start-up stays quick; a service restarted often still purges


async def purge_on_schedule(app: web.Application) -> AsyncIterator[None]:
    """
    The purge as a background task (cleanup_ctx).

    It runs a minute after start, then every ANALYTICS_PURGE_INTERVAL_HOURS.

    A failed purge is logged and tried again at the next interval.
    """
    settings = app[SETTINGS]
    tracker = tracker_for(settings)
    hours = settings.analytics_purge_interval_hours
    if tracker is None or hours == 0:
        yield
        return

    async def loop() -> None:
        await asyncio.sleep(FIRST_PURGE_DELAY_S)
        while True:
            try:
                await purge(tracker, settings.analytics_retention_days)
            except Exception:
                logger.exception("purge of old conversations failed (%s)", tracker.describe())
            await asyncio.sleep(hours * 3600)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def add_analytics_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `analytics purge [--days N]`."""
    analytics = commands.add_parser("analytics", help="conversation analytics").add_subparsers(
        dest="action", required=True
    )
    command = analytics.add_parser(
        "purge", help="delete conversations older than the retention period, and say what went"
    )
    command.add_argument(
        "--days", type=int, help="retention period in days (default: ANALYTICS_RETENTION_DAYS)"
    )
    command.set_defaults(run=purge_command)


async def purge_command(storage: object, args: argparse.Namespace, out: TextIO) -> int:
    """`analytics purge [--days N]`: prints (and logs) what was removed."""
    settings = Settings.from_env(os.environ)  # the same variables as the service
    tracker = tracker_for(settings)
    if tracker is None:
        print("Erreur : réglez ANALYTICS_TRACKER_URL (magasin de conversations PostgreSQL).",
              file=out)  # fmt: skip
        return 1
    days = args.days if args.days is not None else settings.analytics_retention_days
    if days < 1:
        print("Erreur : --days doit valoir au moins 1.", file=out)
        return 1
    report = await purge(tracker, days)
    print(f"{report.summary()} ({tracker.describe()})", file=out)
    return 0
