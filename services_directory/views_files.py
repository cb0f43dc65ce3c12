"""Imports and exports over HTTP: the same code as the command line."""

from datetime import date

from aiohttp import web

from .appkeys import STORAGE
from .auth import current_user, optional_user, require_gip, require_territory
from .data_inclusion import export as data_inclusion_export
from .entries import Service
from .errors import InvalidQuery
from .exports import to_csv
from .importers import GIP_ONLY, KINDS, run_import
from .views import json_response, read_body

MAX_DEPARTMENTS = 30
# As the app's cap on bodies (app.MAX_BODY_BYTES): the national commune file is about 5 MB.
MAX_IMPORT_BYTES = 32 * 1024 * 1024


async def import_file(request: web.Request) -> web.Response:
    """
    `POST /api/v1/imports/{kind}?dry_run=true|false`: the file is the request body.

    A dry run is the default: the report says what would happen; `dry_run=false` writes, all
    or nothing (201 when written, 422 when rejected rows kept everything out).
    """
    user = await current_user(request)
    kind = request.match_info["kind"]
    if kind not in KINDS:
        raise InvalidQuery(
            "kind", f"Import inconnu : « {kind[:40]} » (attendu : {', '.join(KINDS)})."
        )
    if kind in GIP_ONLY:
        require_gip(user)
    dry_run = _flag(request.query.get("dry_run", "true"))
    territory = request.query.get("territory") or None
    if territory is not None:
        require_territory(user, territory)
    departments = [d for d in request.query.get("departments", "").split(",") if d][
        :MAX_DEPARTMENTS
    ]
    allowed = None if user.role == "gip" else set(user.territories)
    data = await read_body(request, MAX_IMPORT_BYTES, "Fichier")
    report = await run_import(
        request.app[STORAGE], kind, data, dry_run=dry_run, by=user.email,
        allowed=allowed, territory=territory, departments=departments,
    )  # fmt: skip
    status = 200 if dry_run else (201 if report.written else 422)
    return json_response(report.to_dict(), status=status)


async def export_csv(request: web.Request) -> web.Response:
    """`GET /api/v1/exports/services.csv`: published entries (with a token: all of one's)."""
    services = await _exported(request)
    return web.Response(
        text=to_csv(services), content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="services.csv"'},
    )  # fmt: skip


async def export_data_inclusion_services(request: web.Request) -> web.Response:
    """
    `GET /api/v1/exports/data-inclusion/services.json`: the entries as data·inclusion v1.

    Also served at the older `/api/v1/exports/data-inclusion.json`.
    """
    _, services = await data_inclusion_export(request.app[STORAGE], await _exported(request))
    return json_response(services)


async def export_data_inclusion_structures(request: web.Request) -> web.Response:
    """`GET /api/v1/exports/data-inclusion/structures.json`: the structures those services name."""
    structures, _ = await data_inclusion_export(request.app[STORAGE], await _exported(request))
    return json_response(structures)


async def _exported(request: web.Request) -> list[Service]:
    territory = request.query.get("territory") or None
    storage = request.app[STORAGE]
    if territory is not None:
        await storage.get_territory(territory)
    user = await optional_user(request)
    today = date.today()
    return [
        s for s in await storage.list_services(territory)
        if (user is not None and user.can_see(s.territory))
        or (s.status == "published" and (s.expires_on is None or s.expires_on >= today))
    ]  # fmt: skip


def _flag(value: str) -> bool:
    if value.lower() in ("true", "1", "oui", "yes"):
        return True
    if value.lower() in ("false", "0", "non", "no"):
        return False
    raise InvalidQuery("dry_run", "Paramètre « dry_run » : attendu true ou false.")
