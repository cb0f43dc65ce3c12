"""
Analytics of the conversations (issue 7): what newcomers ask, where, and which needs go unserved.

Read from Rasa's conversation store (tracker.py), masked on reading (masking.py,
conversations.py), counted (figures.py), drawn (charts.py), exported with small counts
suppressed (exports.py), purged after the retention period (retention.py, schedule.py).
docs/analytics.md defines every figure.
"""

from aiohttp import web

from .schedule import purge_on_schedule


def setup_analytics(app: web.Application) -> None:
    """Register the /admin/analytics pages and the scheduled purge of old conversations."""
    from . import views  # the pages need the back-office (templates, sessions)

    add = app.router.add_route
    add("GET", "/admin/analytics", views.dashboard_page)
    add("GET", "/admin/analytics/conversations", views.queue)
    add("GET", "/admin/analytics/conversations/{sender}", views.conversation)
    add("POST", "/admin/analytics/conversations/{sender}", views.mark_conversation)
    add("GET", "/admin/analytics/export/{table}.csv", views.export)
    app.cleanup_ctx.append(purge_on_schedule)
