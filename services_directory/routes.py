"""URL map of the directory web service (see docs/architecture.md)."""

from aiohttp import web

from . import pages, views


def setup_routes(app: web.Application) -> None:
    """Register every route on the application."""
    app.router.add_get("/healthz", views.healthz)
    app.router.add_get("/api/v1/territories", views.territories)
    app.router.add_get("/api/v1/territories/{slug}", views.territory)
    app.router.add_get("/api/v1/territories/{slug}/communes", views.territory_communes)
    app.router.add_get("/api/v1/services", views.services)
    app.router.add_get("/api/v1/services/{id}", views.service)
    app.router.add_get("/api/v1/openapi.json", views.openapi)
    app.router.add_get("/", pages.chat)
    app.router.add_get("/t/{slug}/services", pages.territory_services)
