"""A territory's call-back requests: newest first, status new -> contacted -> closed."""

from aiohttp import web

from ..appkeys import SETTINGS, STORAGE
from ..vocabulary import LEAD_STATUSES
from .render import check_csrf, render
from .scope import territory_scope


async def lead_list(request: web.Request) -> web.Response:
    """`GET /admin/t/{slug}/leads` (the territory's agents and the GIP only)."""
    _, territory = await territory_scope(request)
    leads = await request.app[STORAGE].list_leads(territory.slug)
    status = request.query.get("status", "")
    if status in LEAD_STATUSES:
        leads = [lead for lead in leads if lead.status == status]
    context = {"territory": territory, "leads": leads, "status": status,
               "statuses": LEAD_STATUSES,
               "retention_days": request.app[SETTINGS].lead_retention_days}  # fmt: skip
    return render(request, "backoffice/leads.html", context)


async def set_lead_status(request: web.Request) -> web.Response:
    """`POST /admin/t/{slug}/leads/{id}`: change the status (404 for another territory's)."""
    _, territory = await territory_scope(request)
    form = await check_csrf(request)
    status = str(form.get("status", ""))
    if status not in LEAD_STATUSES:
        raise web.HTTPBadRequest()
    await request.app[STORAGE].set_lead_status(territory.slug, request.match_info["id"], status)
    raise web.HTTPFound(f"/admin/t/{territory.slug}/leads?ok=lead")
