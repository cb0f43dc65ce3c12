"""Typed keys of what the application holds (kept apart so views and app avoid an import cycle)."""

from aiohttp import web

from .settings import Settings
from .storage import Storage

SETTINGS = web.AppKey("settings", Settings)
STORAGE = web.AppKey("storage", Storage)
