"""Finding a page's territory and entry for the signed-in account (404 outside its scope)."""

from aiohttp import web

from ..appkeys import STORAGE
from ..entries import Service
from ..errors import NotFound
from ..models import Territory, User
from .auth import require_territory, require_user


async def territory_scope(request: web.Request) -> tuple[User, Territory]:
    """The account and the territory of the URL's `{slug}`, if the account may see it."""
    user = await require_user(request)
    slug = request.match_info["slug"]
    await require_territory(request, user, slug)
    territory = await request.app[STORAGE].get_territory(slug)
    return user, territory


async def entry_scope(request: web.Request) -> tuple[User, Territory, Service]:
    """The account, territory and entry of the URL (404 for an entry of another territory)."""
    user, territory = await territory_scope(request)
    entry_id = request.match_info["id"]
    entry = await request.app[STORAGE].get_service(entry_id, published_only=False)
    if entry.territory != territory.slug:
        raise NotFound(f"Fiche inconnue : « {entry_id[:60]} ».")
    return user, territory, entry


def entries_url(territory: Territory, entry: Service | None = None, ok: str | None = None) -> str:
    """The address of a territory's entry list, or of one entry's page."""
    url = f"/admin/t/{territory.slug}/entries" + (f"/{entry.id}" if entry else "")
    return url + (f"?ok={ok}" if ok else "")
