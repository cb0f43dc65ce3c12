"""The application factory of the directory web service."""

from collections.abc import AsyncIterator

from aiohttp import web

from .appkeys import SETTINGS, STORAGE
from .backends import storage_for
from .middlewares import error_middleware, public_cors_middleware
from .ratelimit import LIMITS, Limits, rate_limit_middleware
from .routes import setup_routes
from .security_headers import add_security_headers
from .seed import load_seed
from .settings import Settings

# Imports through the API send whole files (the national commune list is about 5 MB).
MAX_BODY_BYTES = 32 * 1024 * 1024


def create_app(settings: Settings) -> web.Application:
    """
    Build the directory web application; nothing is opened until it starts.

    Args:
        settings: where to listen, which database, whether to seed demo data.

    Returns:
        The application: storage opens (and migrates, and seeds) at startup, closes at cleanup.
    """
    app = web.Application(
        middlewares=[public_cors_middleware, rate_limit_middleware, error_middleware],
        client_max_size=MAX_BODY_BYTES,
    )
    app[SETTINGS] = settings
    app[LIMITS] = Limits.from_settings(settings)  # per process (ratelimit.py)
    app.on_response_prepare.append(add_security_headers)
    app.cleanup_ctx.append(_storage)
    setup_routes(app)
    return app


async def _storage(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    storage = storage_for(settings)
    await storage.open()
    try:
        if settings.seed == "demo":
            await load_seed(storage)
        app[STORAGE] = storage
        yield
    finally:
        await storage.close()
