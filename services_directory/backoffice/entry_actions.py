"""One-click actions on an entry: verified today, duplicate, status changes; its history."""

from dataclasses import replace
from datetime import date
from itertools import groupby

from aiohttp import web

from ..appkeys import STORAGE
from ..entries import changed
from ..entry_writes import change_entry
from ..vocabulary import STATUSES
from .entry_form import LABELS, publish_problems
from .render import check_csrf, render
from .scope import entries_url, entry_scope

_OUTCOMES = {"published": "published", "archived": "archived", "draft": "unpublished"}
_EXTRA_LABELS = {
    "status": "Statut", "verified_on": "Vérifiée le", "lat": "Latitude", "lon": "Longitude",
    "territory": "Territoire", "to_verify": "À vérifier (import)", "source": "Source",
    "source_id": "Identifiant source", "organisation": "Organisation",
}  # fmt: skip


async def verify(request: web.Request) -> web.Response:
    """`POST …/verify`: the entry was checked today (and no longer awaits a check)."""
    user, territory, entry = await entry_scope(request)
    await check_csrf(request)
    checked = {"verified_on": date.today(), "to_verify": False}
    await change_entry(request.app[STORAGE], user, entry, lambda now: changed(now, checked))
    raise web.HTTPFound(entries_url(territory, entry, "verified"))


async def duplicate(request: web.Request) -> web.Response:
    """`POST …/duplicate`: a draft copy, without the source, verification and history."""
    user, territory, entry = await entry_scope(request)
    await check_csrf(request)
    copy = replace(
        entry.as_new(), id=None, name=f"{entry.name} (copie)"[:200], status="draft",
        verified_on=None, source=None, source_id=None, to_verify=False,
    )  # fmt: skip
    added = await request.app[STORAGE].add_service(copy, by=user.email)
    raise web.HTTPFound(entries_url(territory, added, "duplicated"))


async def set_status(request: web.Request) -> web.Response:
    """`POST …/status`: publish (if complete), back to draft, or archive."""
    user, territory, entry = await entry_scope(request)
    form = await check_csrf(request)
    status = str(form.get("status", ""))
    if status not in STATUSES:
        raise web.HTTPBadRequest()
    if status == "published" and (problems := publish_problems(entry)):
        message = " ".join(problems.values())
        context = {"heading": "Publication impossible", "message": message}
        return render(request, "backoffice/error.html", context, status=400)
    await change_entry(  # another person's save meanwhile is kept, not undone
        request.app[STORAGE], user, entry, lambda now: changed(now, {"status": status})
    )
    raise web.HTTPFound(entries_url(territory, entry, _OUTCOMES[status]))


async def history(request: web.Request) -> web.Response:
    """`GET …/history`: every change, newest first, grouped by save: who, when, before, after."""
    _, territory, entry = await entry_scope(request)
    changes = await request.app[STORAGE].service_history(entry.id)
    saves = [
        {"at": at, "by": by, "changes": list(group)}
        for (at, by), group in groupby(changes, key=lambda c: (c.changed_at, c.changed_by))
    ]
    context = {"territory": territory, "entry": entry, "saves": list(reversed(saves)),
               "labels": LABELS | _EXTRA_LABELS}  # fmt: skip
    return render(request, "backoffice/history.html", context)
