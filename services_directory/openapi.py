"""The OpenAPI 3.0 document of the directory API, written by hand (schemas in openapi_schemas.py).

tests/directory/test_api.py checks that it lists every route, and the schemathesis test that
no request it describes makes the service fail.
"""

from typing import Any

from .openapi_paths_extra import EXTRA_PATHS, PROBLEM_SCHEMA
from .openapi_schemas import SCHEMAS, ref
from .search import (
    DEFAULT_PER_PAGE,
    INSEE_PATTERN,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_Q_LENGTH,
    MAX_RADIUS_KM,
    NEAR_PATTERN,
)
from .textsearch import MAX_TYPO_LOOKUPS, MAX_WORDS
from .vocabulary import KIND_TOPICS, TOPICS


def answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON response."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def body(schema: dict[str, Any]) -> dict[str, Any]:
    """A required JSON request body."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}


ERROR = answer("Error", ref("Error"))
SECURED = [{"bearer": []}]
AUTH_ERRORS = {"400": ERROR, "401": ERROR, "404": ERROR}
# Anything else names no territory or entry: 404.
SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 60},
}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}


IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The entry's `version` (its `ETag`) as read: the write is refused with 412"
    " if the entry changed since. Without it, the fields sent are applied to the entry as it is"
    " (simultaneous writes never undo each other's fields).",
    "schema": {"type": "string", "example": '"3f2a9c0d1b4e5f60"'},
}
STALE = {"412": ERROR}


def entry_answer(description: str) -> dict[str, Any]:
    """A JSON entry, its `version` also in the `ETag` header."""
    etag = {"description": "The entry's `version`, quoted.", "schema": {"type": "string"}}
    return {**answer(description, ref("Service")), "headers": {"ETag": etag}}


def _query(name: str, description: str, **schema: Any) -> dict[str, Any]:
    """An optional search parameter; sent empty (a form's blank field), it counts as absent."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "allowEmptyValue": True,
        "description": description,
        "schema": schema,
    }


_INSEE = {"type": "string", "pattern": INSEE_PATTERN}
_SEARCH_PARAMETERS = [
    _query("topic", "Topic code.", type="string", enum=list(TOPICS)),
    _query("kind", "Kind code. Every filter applies: with a `topic` it does not belong to,"
           " nothing matches.", type="string", enum=list(KIND_TOPICS)),
    _query("prefer_kind", "Kind code: entries of this kind first, then the others (each part"
           " in the usual order); one call for a page completed with other kinds.", type="string",
           enum=list(KIND_TOPICS)),
    _query("territory", "Territory slug (an unknown one matches nothing).", type="string"),
    _query("commune", "INSEE code: entries located in this commune.", **_INSEE),
    _query("zone", "INSEE code: entries whose eligibility zone covers this commune (or that"
           " have none).", **_INSEE),
    _query("near", "INSEE code, or `lat,lon` in degrees (e.g. `45.11,2.87`): nearest first,"
           " each with `distance_km`. 404 if no commune with coordinates has that code.",
           type="string", pattern=NEAR_PATTERN, example="15138"),
    _query("radius_km", "With `near`: keep entries within this distance (ignored without"
           " `near`).", type="number", minimum=0, exclusiveMinimum=True, maximum=MAX_RADIUS_KM),
    _query("q", "Free text on name, kind, commune and description: accents, case, small typos"
           " and common abbreviations (ass mat, st, co-working) forgiven. Only the first"
           f" {MAX_WORDS} meaningful words are searched; typos are forgiven in the first"
           f" {MAX_TYPO_LOOKUPS} unknown ones.",
           type="string",
           maxLength=MAX_Q_LENGTH),
    _query("page", "Page number, from 1.", type="integer", minimum=1, maximum=MAX_PAGE, default=1),
    _query("per_page", "Items per page.", type="integer", minimum=1, maximum=MAX_PER_PAGE,
           default=DEFAULT_PER_PAGE),
]  # fmt: skip

_PATHS: dict[str, Any] = {
    "/healthz": {"get": {"summary": "Health", "responses": {"200": answer("Up", ref("Health"))}}},
    "/api/v1/territories": {
        "get": {
            "summary": "Every territory (one page)",
            "responses": {"200": answer("Territories", ref("TerritoryList"))},
        },
        "post": {
            "summary": "Create a territory (GIP)",
            "security": SECURED,
            "requestBody": body(ref("TerritoryInput")),
            "responses": {
                "201": answer("Created", ref("Territory")),
                **AUTH_ERRORS,
                "403": ERROR,
                "409": ERROR,
            },
        },  # fmt: skip
    },
    "/api/v1/territories/{slug}": {
        "get": {
            "summary": "One territory",
            "parameters": [SLUG],
            "responses": {"200": answer("The territory", ref("Territory")), "404": ERROR},
        },
        "patch": {
            "summary": "Change a territory (GIP; its agents: welcome contact and widget)",
            "security": SECURED,
            "parameters": [SLUG],
            "requestBody": body(ref("TerritoryPatch")),
            "responses": {"200": answer("Changed", ref("Territory")), **AUTH_ERRORS, "403": ERROR},
        },
    },
    "/api/v1/territories/{slug}/communes": {
        "get": {
            "summary": "A territory's communes (one page)",
            "parameters": [SLUG],
            "responses": {"200": answer("Communes", ref("CommuneList")), "404": ERROR},
        },
        "post": {
            "summary": "Add or update communes of a territory (GIP)",
            "security": SECURED,
            "parameters": [SLUG],
            "requestBody": body({"type": "array", "items": ref("Commune"), "minItems": 1}),
            "responses": {
                "200": answer("Written", ref("CommuneList")),
                **AUTH_ERRORS,
                "403": ERROR,
            },
        },  # fmt: skip
    },
    "/api/v1/territories/{slug}/leads": {
        "get": {
            "summary": "A territory's call-back requests, newest first",
            "security": SECURED,
            "parameters": [SLUG],
            "responses": {"200": answer("Leads", ref("LeadList")), **AUTH_ERRORS},
        }
    },
    "/api/v1/territories/{slug}/organisations": {
        "get": {
            "summary": "A territory's organisations",
            "parameters": [SLUG],
            "responses": {"200": answer("Organisations", ref("OrganisationList")), "404": ERROR},
        }
    },
    "/api/v1/services": {
        "get": {
            "summary": "Search published entries",
            "description": "Sorted by name, by relevance with `q`, or nearest first with `near`."
            " Expired job offers are left out. A parameter sent empty counts as absent; any"
            " other value the document refuses is a 400 naming the parameter.",
            "parameters": _SEARCH_PARAMETERS,
            "responses": {
                "200": answer("One page of entries", ref("ServiceList")),
                "400": ERROR,
                "404": ERROR,
            },
        },
        "post": {
            "summary": "Add an entry (without coordinates it takes its commune's)",
            "security": SECURED,
            "requestBody": body(ref("ServiceInput")),
            "responses": {"201": entry_answer("Created"), **AUTH_ERRORS},
        },
    },
    "/api/v1/services/{id}": {
        "get": {
            "summary": "One published entry (with a token: also the caller's unpublished ones)",
            "parameters": [ID],
            "responses": {"200": entry_answer("The entry"), "404": ERROR},
        },
        "patch": {
            "summary": "Change some fields of an entry (each change is logged)",
            "security": SECURED,
            "parameters": [ID, IF_MATCH],
            "requestBody": body(ref("ServicePatch")),
            "responses": {"200": entry_answer("Changed"), **AUTH_ERRORS, **STALE, "409": ERROR},
        },
        "delete": {
            "summary": "Archive an entry (it leaves search; its history is kept)",
            "security": SECURED,
            "parameters": [ID, IF_MATCH],
            "responses": {"200": entry_answer("Archived"), **AUTH_ERRORS, **STALE, "409": ERROR},
        },
    },
    "/api/v1/services/{id}/history": {
        "get": {
            "summary": "An entry's change log, oldest first",
            "security": SECURED,
            "parameters": [ID],
            "responses": {"200": answer("Changes", ref("ChangeList")), "401": ERROR, "404": ERROR},
        }
    },
    "/api/v1/organisations": {
        "post": {
            "summary": "Add an organisation",
            "security": SECURED,
            "requestBody": body(ref("Organisation")),
            "responses": {"201": answer("Created", ref("Organisation")), **AUTH_ERRORS},
        }
    },
    "/api/v1/leads": {
        "post": {
            "summary": "A newcomer's call-back request, sent by the assistant with consent",
            "description": "Bearer: the DIRECTORY_ASSISTANT_TOKEN secret; 503 when unset.",
            "security": SECURED,
            "requestBody": body(ref("LeadInput")),
            "responses": {
                "201": answer("Stored", ref("LeadCreated")),
                "400": ERROR,
                "401": ERROR,
                "503": ERROR,
            },
        }  # fmt: skip
    },
    "/api/v1/me": {
        "get": {
            "summary": "The account behind the token",
            "security": SECURED,
            "responses": {"200": answer("Account", ref("User")), "401": ERROR},
        }
    },
    "/api/v1/openapi.json": {
        "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.0"}}}
    },
}


def _rate_limited(paths: dict[str, Any]) -> dict[str, Any]:
    """Every operation may be refused for going too fast (ratelimit.py: writes, public reads)."""
    return {
        path: {
            method: {**operation, "responses": {**operation["responses"], "429": ERROR}}
            for method, operation in operations.items()
        }
        for path, operations in paths.items()
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.0 document (a fresh dict each call)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Accueil Massif central — annuaire des services",
            "version": "1.1.0",
            "description": "Territories, their communes and directory entries: public reads,"
            " writes with an API token (GIP administrators and territory agents), imports and"
            " exports.",
        },
        "paths": _rate_limited({**_PATHS, **EXTRA_PATHS}),
        "components": {
            "schemas": {**SCHEMAS, "Problem": PROBLEM_SCHEMA},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
