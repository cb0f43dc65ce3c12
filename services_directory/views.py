"""JSON handlers of the public read API. Domain errors propagate to the error middleware."""

import json
from functools import partial
from typing import Any

from aiohttp import web

from .appkeys import STORAGE
from .auth import optional_user
from .errors import InvalidEntry, NotFound
from .openapi import openapi_document
from .search import SearchQuery

_dumps = partial(json.dumps, ensure_ascii=False)


def json_response(data: Any, status: int = 200) -> web.Response:
    """A JSON response in UTF-8 (accents kept readable)."""
    return web.json_response(data, status=status, dumps=_dumps)


def listing(items: list[dict[str, Any]]) -> dict[str, Any]:
    # Short lists come whole, in the same envelope as paginated ones.
    return {"items": items, "total": len(items), "page": 1, "per_page": len(items)}


async def healthz(request: web.Request) -> web.Response:
    """`{"status": "ok", "entries": N}`, N the published entries (proves the database answers)."""
    return json_response({"status": "ok", "entries": await request.app[STORAGE].count_services()})


async def territories(request: web.Request) -> web.Response:
    """Every territory, in one page."""
    found = await request.app[STORAGE].list_territories()
    return json_response(listing([territory.to_dict() for territory in found]))


async def territory(request: web.Request) -> web.Response:
    """One territory, 404 if unknown."""
    found = await request.app[STORAGE].get_territory(request.match_info["slug"])
    return json_response(found.to_dict())


async def territory_communes(request: web.Request) -> web.Response:
    """A territory's communes, in one page; 404 if the territory is unknown."""
    found = await request.app[STORAGE].list_communes(request.match_info["slug"])
    return json_response(listing([commune.to_dict() for commune in found]))


async def services(request: web.Request) -> web.Response:
    """Search published entries (parameters in search.py); 400 names a bad parameter."""
    query = SearchQuery.from_params(request.query)
    page = await request.app[STORAGE].search(query)
    return json_response(page.to_dict())


async def service(request: web.Request) -> web.Response:
    """One published entry, 404 otherwise; with a token, also the caller's unpublished ones."""
    storage = request.app[STORAGE]
    found = await storage.get_service(request.match_info["id"], published_only=False)
    if found.status != "published":
        user = await optional_user(request)
        if user is None or not user.can_see(found.territory):
            raise NotFound(f"Fiche inconnue : « {found.id} ».")
    return json_response(found.to_dict())


async def openapi(request: web.Request) -> web.Response:
    """The OpenAPI 3 document of this API."""
    return json_response(openapi_document())


async def read_json(request: web.Request) -> Any:
    """
    The request's JSON body.

    Raises:
        InvalidEntry: the body is not JSON (or not UTF-8).
    """
    try:
        return await request.json(loads=json.loads)
    except (ValueError, RecursionError):
        raise InvalidEntry("body", "Le corps de la requête doit être du JSON valide.") from None
