"""Wiring the back-office into the directory app: templates, static files, routes, purge."""

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from ..appkeys import SETTINGS, STORAGE
from . import routes
from .middleware import backoffice_middleware
from .templating import FILTERS

PACKAGE = Path(__file__).resolve().parents[1]
LOG_RETENTION = timedelta(days=365)  # CNIL: security logs kept 6 to 12 months
PURGE_EVERY_S = 24 * 3600
logger = logging.getLogger(__name__)


def setup_backoffice(app: web.Application) -> None:
    """Register everything under /admin (the analytics pages add their own routes)."""
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(PACKAGE / "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(FILTERS)
    app.middlewares.append(backoffice_middleware)
    app.router.add_static("/admin/static", PACKAGE / "static")
    routes.add_routes(app)
    app.cleanup_ctx.append(_purge_daily)


async def purge(app: web.Application) -> None:
    """Delete old call-back requests, ended sessions, old attempts and security log lines."""
    settings, storage = app[SETTINGS], app[STORAGE]
    moment = datetime.now(timezone.utc)

    def stamp(delta: timedelta) -> str:
        return (moment - delta).isoformat(timespec="seconds")

    deleted = await storage.purge_leads(stamp(timedelta(days=settings.lead_retention_days)))
    await storage.purge_backoffice(
        stamp(timedelta()), stamp(timedelta(minutes=settings.session_minutes)),
        stamp(LOG_RETENTION),
    )  # fmt: skip
    await storage.purge_login_locks(stamp(timedelta(hours=1)))
    if deleted:
        logger.info("deleted %d call-back requests past their retention period", deleted)


async def _purge_daily(app: web.Application) -> AsyncIterator[None]:
    await purge(app)

    async def loop() -> None:
        while True:
            await asyncio.sleep(PURGE_EVERY_S)
            try:
                await purge(app)
            except Exception:  # a failed purge must not stop the next one
                logger.exception("back-office purge failed")

    task = asyncio.create_task(loop())
    yield
    task.cancel()
