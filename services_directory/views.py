"""JSON handlers of the public read API. Domain errors propagate to the error middleware."""

import json
from functools import partial
from typing import Any

from aiohttp import web

from .appkeys import STORAGE
from .auth import optional_user
from .entries import Service
from .errors import InvalidEntry, NotFound, TooLarge
from .openapi import openapi_document
from .search import SearchQuery

_dumps = partial(json.dumps, ensure_ascii=False)
# A JSON write holds one record (an entry's description is 5,000 characters at most, 30 KB
# even with every character escaped); the app's own cap (32 MiB) is for imported files.
MAX_JSON_BYTES = 64 * 1024


def json_response(data: Any, status: int = 200) -> web.Response:
    """A JSON response in UTF-8 (accents kept readable)."""
    return web.json_response(data, status=status, dumps=_dumps)


def entry_response(service: Service, status: int = 200) -> web.Response:
    """One entry as JSON, its version also in the `ETag` header (for `If-Match`)."""
    data = service.to_dict()
    response = json_response(data, status=status)
    response.headers["ETag"] = f'"{data["version"]}"'
    return response


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
    return entry_response(found)


async def openapi(request: web.Request) -> web.Response:
    """The OpenAPI 3 document of this API."""
    return json_response(openapi_document())


async def read_body(request: web.Request, limit: int, what: str) -> bytes:
    """
    The request's body, refused as soon as it is over `limit` bytes.

    The announced length is checked before anything is read; a chunked body is counted as it
    comes, so an oversized one is never held whole in memory.

    Raises:
        TooLarge: the body is over the limit (`what` names it for the message).
    """
    refusal = TooLarge(f"{what} trop gros : {_size(limit)} au plus.")
    if request.content_length is not None and request.content_length > limit:
        raise refusal
    chunks, size = [], 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise refusal
        chunks.append(chunk)
    return b"".join(chunks)


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} Mo" if limit >= 1024 * 1024 else f"{limit // 1024} Ko"


async def read_json(request: web.Request, limit: int = MAX_JSON_BYTES) -> Any:
    """
    The request's JSON body.

    Raises:
        TooLarge: the body is over `limit` bytes.
        InvalidEntry: the body is not JSON (or not UTF-8).
    """
    data = await read_body(request, limit, "Corps de la requête")
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        raise InvalidEntry("body", "Le corps de la requête doit être du JSON valide.") from None
