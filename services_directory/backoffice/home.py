"""`GET /admin/`: the territories of the signed-in account, with what needs attention."""

from datetime import date

from aiohttp import web

from ..appkeys import SETTINGS, STORAGE
from .auth import can_see_territory, require_user
from .freshness import is_expired, is_stale
from .render import render


async def home(request: web.Request) -> web.Response:
    """Each territory the account may see, with counts of drafts, stale entries, new leads."""
    user = await require_user(request)
    storage = request.app[STORAGE]
    stale_days = request.app[SETTINGS].stale_days
    today = date.today()
    rows = []
    for territory in await storage.list_territories():
        if not can_see_territory(user, territory.slug):
            continue
        services = await storage.list_services(territory.slug)
        live = [s for s in services if s.status == "published"]
        leads = await storage.list_leads(territory.slug)
        rows.append({
            "territory": territory,
            "published": len(live),
            "drafts": sum(1 for s in services if s.status == "draft"),
            "stale": sum(1 for s in live if is_stale(s, stale_days, today)),
            "expired": sum(1 for s in live if is_expired(s, today)),
            "new_leads": sum(1 for lead in leads if lead.status == "new"),
        })  # fmt: skip
    return render(request, "backoffice/home.html", {"rows": rows})


async def root_redirect(request: web.Request) -> web.Response:
    """`GET /admin`: to `/admin/`."""
    raise web.HTTPFound("/admin/")
