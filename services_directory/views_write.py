"""
Authenticated writes: territories, their communes, entries (create, change, archive), history.

Every handler first finds who is calling (auth.py); an agent sees only their territories, and
any other one answers 404 exactly like a territory or entry that does not exist.
"""

from collections.abc import Callable

from aiohttp import web

from . import payloads
from .appkeys import STORAGE
from .auth import current_user, require_gip, require_territory
from .entries import NewService, Service, changed
from .entry_writes import change_entry
from .errors import Conflict, Forbidden, InvalidEntry, NotFound
from .models import User
from .validation import body_object
from .views import entry_response, json_response, listing, read_json

_AGENT_TERRITORY_FIELDS = ("welcome_contact", "widget")
MAX_COMMUNES_BYTES = 8 * 1024 * 1024  # 50,000 communes of about 100 bytes


async def create_territory(request: web.Request) -> web.Response:
    """`POST /api/v1/territories` (GIP): 201 with the territory, 409 if the slug is taken."""
    require_gip(await current_user(request))
    territory = payloads.territory(await read_json(request))
    storage = request.app[STORAGE]
    try:
        await storage.get_territory(territory.slug)
    except NotFound:
        await storage.put_territory(territory)
        return json_response(territory.to_dict(), status=201)
    raise Conflict(f"Le territoire « {territory.slug} » existe déjà.")


async def update_territory(request: web.Request) -> web.Response:
    """`PATCH /api/v1/territories/{slug}`: the GIP changes anything, an agent contact and widget."""
    user = await current_user(request)
    slug = request.match_info["slug"]
    require_territory(user, slug)
    storage = request.app[STORAGE]
    current = await storage.get_territory(slug)
    body = body_object(await read_json(request))
    if user.role != "gip":
        for name in body:
            if name not in _AGENT_TERRITORY_FIELDS:
                raise Forbidden(f"Seul le GIP peut changer « {str(name)[:60]} ».")
    updated = payloads.territory_changes(body, current, admin=user.role == "gip")
    await storage.put_territory(updated)
    return json_response(updated.to_dict())


async def put_communes(request: web.Request) -> web.Response:
    """`POST /api/v1/territories/{slug}/communes` (GIP): add or update a list of communes."""
    require_gip(await current_user(request))
    slug = request.match_info["slug"]
    storage = request.app[STORAGE]
    await storage.get_territory(slug)
    body = await read_json(request, MAX_COMMUNES_BYTES)
    if isinstance(body, dict) and "items" in body:
        body = body["items"]
    if not isinstance(body, list) or not body or len(body) > 50_000:
        raise InvalidEntry("body", "Attendu une liste de communes (1 à 50 000).")
    communes = [payloads.commune(item, index) for index, item in enumerate(body)]
    await storage.put_communes(slug, communes)
    return json_response(listing([commune.to_dict() for commune in communes]))


async def create_service(request: web.Request) -> web.Response:
    """`POST /api/v1/services`: 201 with the entry and its id."""
    user = await current_user(request)
    fields = payloads.entry_fields(await read_json(request))
    require_territory(user, fields["territory"])
    added = await request.app[STORAGE].add_service(NewService(**fields), by=user.email)
    return entry_response(added, status=201)


async def update_service(request: web.Request) -> web.Response:
    """`PATCH /api/v1/services/{id}`: change some fields; each change goes to the history."""
    user = await current_user(request)
    found = await _own_service(request, user)
    fields = payloads.entry_fields(await read_json(request), partial=True)
    if "territory" in fields:
        require_territory(user, fields["territory"])

    def patched(entry: Service) -> NewService:
        moved = "commune" in fields and fields["commune"] != entry.commune
        if moved and "lat" not in fields and "lon" not in fields:
            return changed(entry, fields | {"lat": None, "lon": None})  # the commune's place
        return changed(entry, fields)

    return entry_response(await _write(request, user, found, patched))


async def archive_service(request: web.Request) -> web.Response:
    """`DELETE /api/v1/services/{id}`: archives the entry (it leaves search; history kept)."""
    user = await current_user(request)
    found = await _own_service(request, user)
    archived = await _write(request, user, found, lambda e: changed(e, {"status": "archived"}))
    return entry_response(archived)


async def _write(
    request: web.Request, user: User, found: Service, change: Callable[[Service], NewService]
) -> Service:
    """`change` written on the entry as it is then, unless `If-Match` names another version."""
    accepted = _if_match(request)
    return await change_entry(request.app[STORAGE], user, found, change, accepted)


def _if_match(request: web.Request) -> set[str] | None:
    """
    The versions `If-Match` accepts, or None without the header.

    Lenient on purpose: a weak tag (nginx's gzip weakens ETags) or a bare version taken from
    the JSON body count as the version they name.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    return {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}


async def service_history(request: web.Request) -> web.Response:
    """`GET /api/v1/services/{id}/history`: every field change, oldest first."""
    user = await current_user(request)
    found = await _own_service(request, user)
    changes = await request.app[STORAGE].service_history(found.id)
    return json_response(listing([change.to_dict() for change in changes]))


async def _own_service(request: web.Request, user: User) -> Service:
    """The entry of the URL, if the account may see it (404 otherwise, as if unknown)."""
    service_id = request.match_info["id"]
    found = await request.app[STORAGE].get_service(service_id, published_only=False)
    if not user.can_see(found.territory):
        raise NotFound(f"Fiche inconnue : « {service_id} ».")
    return found
