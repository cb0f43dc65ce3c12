"""
Import and export from the browser: the agents' CSV template, a dry run first, then confirm.

The confirmation sends the same file back (in the page, base64): the import runs again for
real, all or nothing, with the same checks.
"""

import base64
import binascii

from aiohttp import web

from ..appkeys import STORAGE
from ..errors import InvalidEntry
from ..exports import to_csv
from ..importers import run_import
from .render import check_csrf, render
from .scope import territory_scope

MAX_FILE_BYTES = 5 * 1024 * 1024


async def import_page(request: web.Request) -> web.Response:
    """`GET /admin/t/{slug}/import`: upload form and export link."""
    _, territory = await territory_scope(request)
    return render(request, "backoffice/import.html", {"territory": territory, "report": None,
                                                      "error": None, "payload": ""})  # fmt: skip


async def upload(request: web.Request) -> web.Response:
    """`POST /admin/t/{slug}/import`: a dry run (`file`), or the real import (`payload`)."""
    user, territory = await territory_scope(request)
    form = await check_csrf(request)
    dry_run = "payload" not in form
    context = {"territory": territory, "report": None, "error": None, "payload": ""}
    try:
        data = _file(form) if dry_run else _decode(str(form.get("payload", "")))
        report = await run_import(
            request.app[STORAGE], "services", data, dry_run=dry_run, by=user.email,
            allowed={territory.slug},
        )  # fmt: skip
    except InvalidEntry as error:
        context["error"] = error.message
        return render(request, "backoffice/import.html", context, status=400)
    if report.written:
        raise web.HTTPFound(f"/admin/t/{territory.slug}/entries?ok=imported")
    context |= {"report": report, "payload": base64.b64encode(data).decode("ascii")}
    return render(request, "backoffice/import.html", context, status=200 if dry_run else 422)


def _file(form: object) -> bytes:
    field = form.get("file") if hasattr(form, "get") else None
    if not isinstance(field, web.FileField):
        raise InvalidEntry("file", "Choisissez un fichier CSV.")
    data = field.file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidEntry("file", "Fichier trop gros (5 Mo au plus).")
    if not data.strip():
        raise InvalidEntry("file", "Le fichier est vide.")
    return data


def _decode(payload: str) -> bytes:
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidEntry("file", "Fichier à confirmer illisible : recommencez l'envoi.") from None
    if not data or len(data) > MAX_FILE_BYTES:
        raise InvalidEntry("file", "Fichier à confirmer illisible : recommencez l'envoi.")
    return data


async def export_csv(request: web.Request) -> web.Response:
    """`GET /admin/t/{slug}/export.csv`: every entry of the territory, whatever its status."""
    _, territory = await territory_scope(request)
    services = await request.app[STORAGE].list_services(territory.slug)
    filename = f"fiches-{territory.slug}.csv"
    return web.Response(
        text=to_csv(services), content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )  # fmt: skip
