"""Accounts and people: who am I, call-back requests (leads), organisations."""

from aiohttp import web

from . import payloads
from . import validation as v
from .appkeys import STORAGE
from .auth import current_user, require_assistant, require_territory
from .models import Organisation
from .views import json_response, listing, read_json


async def me(request: web.Request) -> web.Response:
    """`GET /api/v1/me`: the account behind the token."""
    return json_response((await current_user(request)).to_dict())


async def create_lead(request: web.Request) -> web.Response:
    """`POST /api/v1/leads` (the assistant's shared secret): 201 with the request's id."""
    require_assistant(request)
    lead = payloads.lead(await read_json(request))
    stored = await request.app[STORAGE].add_lead(lead)
    return json_response({"id": stored.id, "status": stored.status}, status=201)


async def territory_leads(request: web.Request) -> web.Response:
    """`GET /api/v1/territories/{slug}/leads`: the territory's call-back requests, newest first."""
    user = await current_user(request)
    slug = request.match_info["slug"]
    require_territory(user, slug)
    storage = request.app[STORAGE]
    await storage.get_territory(slug)
    leads = await storage.list_leads(slug)
    return json_response(listing([lead.to_dict() for lead in leads]))


async def create_organisation(request: web.Request) -> web.Response:
    """`POST /api/v1/organisations`: 201 with the organisation and its id."""
    user = await current_user(request)
    data = v.body_object(await read_json(request))
    v.only_known(data, ("territory", "name", "siret", "website", "phone", "email", "description"))
    territory = v.required("territory", data.get("territory"), 60)
    require_territory(user, territory)
    organisation = Organisation(
        id="",
        territory=territory,
        name=v.required("name", data.get("name"), 200),
        siret=v.matching("siret", data.get("siret"), v.SIRET, "14 chiffres"),
        website=v.website("website", data.get("website")),
        phone=v.phone("phone", data.get("phone")),
        email=v.email("email", data.get("email")),
        description=v.text("description", data.get("description"), max_length=v.MAX_LONG_TEXT)
        or "",
    )
    stored = await request.app[STORAGE].add_organisation(organisation)
    return json_response(stored.to_dict(), status=201)


async def territory_organisations(request: web.Request) -> web.Response:
    """`GET /api/v1/territories/{slug}/organisations`: public list, by name."""
    storage = request.app[STORAGE]
    slug = request.match_info["slug"]
    await storage.get_territory(slug)
    found = await storage.list_organisations(slug)
    return json_response(listing([organisation.to_dict() for organisation in found]))
