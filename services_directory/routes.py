"""URL map of the directory web service (see docs/architecture.md)."""

from aiohttp import web

from . import pages, views, views_files, views_people, views_write, widget
from .analytics import setup_analytics
from .backoffice.setup import setup_backoffice


def setup_routes(app: web.Application) -> None:
    """Register every route on the application."""
    app.router.add_get("/healthz", views.healthz)
    app.router.add_get("/api/v1/territories", views.territories)
    app.router.add_post("/api/v1/territories", views_write.create_territory)
    app.router.add_get("/api/v1/territories/{slug}", views.territory)
    app.router.add_patch("/api/v1/territories/{slug}", views_write.update_territory)
    app.router.add_get("/api/v1/territories/{slug}/communes", views.territory_communes)
    app.router.add_post("/api/v1/territories/{slug}/communes", views_write.put_communes)
    app.router.add_get("/api/v1/territories/{slug}/leads", views_people.territory_leads)
    app.router.add_get(
        "/api/v1/territories/{slug}/organisations", views_people.territory_organisations
    )
    app.router.add_get("/api/v1/services", views.services)
    app.router.add_post("/api/v1/services", views_write.create_service)
    app.router.add_get("/api/v1/services/{id}", views.service)
    app.router.add_patch("/api/v1/services/{id}", views_write.update_service)
    app.router.add_delete("/api/v1/services/{id}", views_write.archive_service)
    app.router.add_get("/api/v1/services/{id}/history", views_write.service_history)
    app.router.add_post("/api/v1/organisations", views_people.create_organisation)
    app.router.add_post("/api/v1/leads", views_people.create_lead)
    app.router.add_get("/api/v1/me", views_people.me)
    app.router.add_post("/api/v1/imports/{kind}", views_files.import_file)
    app.router.add_get("/api/v1/exports/services.csv", views_files.export_csv)
    app.router.add_get(
        "/api/v1/exports/data-inclusion/services.json", views_files.export_data_inclusion_services
    )
    app.router.add_get(
        "/api/v1/exports/data-inclusion/structures.json",
        views_files.export_data_inclusion_structures,
    )
    # The older address of the services, kept for existing consumers.
    app.router.add_get(
        "/api/v1/exports/data-inclusion.json", views_files.export_data_inclusion_services
    )
    app.router.add_get("/api/v1/openapi.json", views.openapi)
    app.router.add_get("/", pages.chat)
    app.router.add_get("/t/{slug}/services", pages.territory_services)
    widget.setup_widget_routes(app)
    setup_backoffice(app)  # /admin/: templates, pages, middleware, purge (backoffice/)
    setup_analytics(app)  # /admin/analytics and the conversation purge (analytics/)
