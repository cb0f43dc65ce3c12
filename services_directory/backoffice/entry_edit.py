"""
Creating and editing an entry, without lost updates.

The edit form carries the entry's version: a save made on an
older version is refused, and the page shows what the other person changed meanwhile.
"""

from dataclasses import replace
from datetime import date, datetime, timezone
from typing import Any

from aiohttp import web

from ..appkeys import STORAGE
from ..entries import NewService, Service, changed, entry_version
from ..errors import InvalidEntry
from ..models import Territory
from ..vocabulary import CONTRACT_TYPES, FEES, KINDS, TOPICS
from .entry_form import (
    LABELS,
    complete,
    cross_check,
    french,
    publish_problems,
    read_form,
    values_of,
)
from .records import EditConflict
from .render import check_csrf, render
from .scope import entries_url, entry_scope, territory_scope


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


async def _page(
    request: web.Request, territory: Territory, entry: Service | None, values: dict[str, str],
    errors: dict[str, str], status: int = 200, **extra: Any,
) -> web.Response:  # fmt: skip
    communes = await request.app[STORAGE].list_communes(territory.slug)
    context = {
        "territory": territory, "entry": entry, "values": values, "errors": errors,
        "labels": LABELS, "version": entry_version(entry) if entry else "",
        "loaded_at": _now(), "topics": list(TOPICS.items()), "kinds": KINDS,
        "communes": [(c.insee, f"{c.name} ({c.postcode})") for c in communes],
        "fees": FEES, "contract_types": CONTRACT_TYPES, "conflict": None,
        "publish_problems": publish_problems(entry) if entry else {},
        **extra,
    }  # fmt: skip
    return render(request, "backoffice/entry.html", context, status=status)


async def new_entry(request: web.Request) -> web.Response:
    """`GET /admin/t/{slug}/entries/new`: an empty form (a draft until published)."""
    _, territory = await territory_scope(request)
    return await _page(request, territory, None, values_of(None), {})


async def create_entry(request: web.Request) -> web.Response:
    """`POST /admin/t/{slug}/entries`: a new draft, or published at once (`action=publish`)."""
    user, territory = await territory_scope(request)
    form = await check_csrf(request)
    fields, errors, raw = read_form(form)
    status = "published" if form.get("action") == "publish" else "draft"
    new = None
    if not errors:
        fields = complete(fields, date.today())
        new = NewService(territory=territory.slug, status=status, **fields)
        cross_check(new, errors)
        if status == "published" and not errors:
            errors |= publish_problems(new)
    if errors or new is None:
        return await _page(request, territory, None, raw, errors, status=400)
    try:
        added = await request.app[STORAGE].add_service(new, by=user.email)
    except InvalidEntry as error:
        errors = {error.name: french(error.name, error.message)}
        return await _page(request, territory, None, raw, errors, status=400)
    raise web.HTTPFound(entries_url(territory, added, "created"))


async def edit_entry(request: web.Request) -> web.Response:
    """`GET /admin/t/{slug}/entries/{id}`: the entry's form, with its version."""
    _, territory, entry = await entry_scope(request)
    return await _page(request, territory, entry, values_of(entry), {})


async def save_entry(request: web.Request) -> web.Response:
    """`POST /admin/t/{slug}/entries/{id}`: save (refused if the entry changed meanwhile)."""
    user, territory, entry = await entry_scope(request)
    form = await check_csrf(request)
    fields, errors, raw = read_form(form)
    publish = form.get("action") == "publish"
    new = None
    if not errors:
        fields = complete(fields, date.today())
        if fields["commune"] != entry.commune:
            fields |= {"lat": None, "lon": None}  # the entry takes its new commune's place
        new = changed(entry, fields)
        if publish:
            new = replace(new, status="published")
        cross_check(new, errors)
        if publish and not errors:
            errors |= publish_problems(new)
    if errors or new is None:
        return await _page(request, territory, entry, raw, errors, status=400)
    storage = request.app[STORAGE]
    try:
        await storage.update_service_checked(new, user.email, str(form.get("version", "")))
    except EditConflict as conflict:
        return await _conflict(
            request, territory, conflict.current, raw, str(form.get("loaded_at", ""))
        )
    except InvalidEntry as error:
        errors = {error.name: french(error.name, error.message)}
        return await _page(request, territory, entry, raw, errors, status=400)
    raise web.HTTPFound(entries_url(territory, entry, "published" if publish else "saved"))


async def _conflict(
    request: web.Request, territory: Territory, current: Service, mine: dict[str, str],
    loaded_at: str,
) -> web.Response:  # fmt: skip
    """The form again with the person's values, what changed meanwhile, and the new version."""
    history = await request.app[STORAGE].service_history(current.id)
    theirs = values_of(current)
    meanwhile = [c for c in history if c.changed_at >= loaded_at[:25]] if loaded_at else []
    differences = [
        {"label": label, "mine": mine.get(name, ""), "theirs": theirs.get(name, "")}
        for name, label in LABELS.items()
        if mine.get(name, "") != theirs.get(name, "")
    ]
    conflict = {"current": current, "changes": meanwhile, "differences": differences}
    return await _page(request, territory, current, mine, {}, status=409, conflict=conflict)
