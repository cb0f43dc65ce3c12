"""The OpenAPI 3.0 document of the public read API, written by hand."""

from typing import Any

from .search import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_Q_LENGTH, MAX_RADIUS_KM
from .vocabulary import KIND_TOPICS, STATUSES, TOPICS


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "nullable": True, **extra}


def _list_of(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "total", "page", "per_page"],
        "properties": {
            "items": {"type": "array", "items": _ref(name)},
            "total": {"type": "integer", "description": "Matching items, all pages together."},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    }


def _ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR = _ok("Error", _ref("Error"))
_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "example": "hautes-terres",
}


def _query(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


_SEARCH_PARAMETERS = [
    _query("topic", "Topic code.", type="string", enum=list(TOPICS)),
    _query(
        "kind",
        "Kind code (must belong to `topic` when both are given).",
        type="string",
        enum=list(KIND_TOPICS),
    ),
    _query("territory", "Territory slug.", type="string"),
    _query(
        "commune",
        "INSEE code: entries located in this commune.",
        type="string",
        pattern="^([0-9]{5}|2[AB][0-9]{3})$",
    ),
    _query(
        "near",
        "INSEE code or `lat,lon`: results sorted nearest first, each with `distance_km`.",
        type="string",
        example="15138",
    ),
    _query(
        "radius_km",
        "With `near`: keep entries within this distance.",
        type="number",
        minimum=0,
        exclusiveMinimum=True,
        maximum=MAX_RADIUS_KM,
    ),
    _query(
        "q",
        "Free text on name, kind, commune and description; accents, case and small typos ignored.",
        type="string",
        maxLength=MAX_Q_LENGTH,
    ),
    _query("page", "Page number, from 1.", type="integer", minimum=1, maximum=MAX_PAGE, default=1),
    _query(
        "per_page",
        "Items per page.",
        type="integer",
        minimum=1,
        maximum=MAX_PER_PAGE,
        default=DEFAULT_PER_PAGE,
    ),
]

_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "example": "invalid_parameter"},
                    "message": {
                        "type": "string",
                        "description": "In French, names the parameter at fault.",
                    },
                },
            }
        },
    },
    "Health": {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["ok"]},
            "entries": {"type": "integer"},
        },
    },
    "Contact": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "email": {"type": "string"},
            "phone": {"type": "string"},
        },
    },
    "Territory": {
        "type": "object",
        "required": ["slug", "name", "department", "welcome_contact"],
        "properties": {
            "slug": {"type": "string", "example": "hautes-terres"},
            "name": {"type": "string"},
            "department": {"type": "string", "description": "Département code.", "example": "15"},
            "welcome_contact": _ref("Contact"),
        },
    },
    "Commune": {
        "type": "object",
        "required": ["insee", "name", "postcode", "lat", "lon"],
        "properties": {
            "insee": {"type": "string", "example": "15138"},
            "name": {"type": "string", "example": "Murat"},
            "postcode": {"type": "string", "example": "15300"},
            "lat": _nullable("number"),
            "lon": _nullable("number"),
        },
    },
    "Service": {
        "type": "object",
        "required": [
            "id",
            "territory",
            "topic",
            "kind",
            "name",
            "commune",
            "commune_name",
            "status",
        ],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "territory": {"type": "string"},
            "topic": {"type": "string", "enum": list(TOPICS)},
            "kind": {"type": "string", "enum": list(KIND_TOPICS)},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "commune": {"type": "string", "description": "INSEE code."},
            "commune_name": {"type": "string"},
            "address": _nullable("string"),
            "lat": _nullable("number"),
            "lon": _nullable("number"),
            "phone": _nullable("string"),
            "email": _nullable("string"),
            "website": _nullable("string"),
            "verified_on": _nullable(
                "string", format="date", description="When a person last checked it."
            ),
            "status": {"type": "string", "enum": list(STATUSES)},
            "distance_km": _nullable("number", description="Only in a search with `near`."),
        },
    },
    "TerritoryList": _list_of("Territory"),
    "CommuneList": _list_of("Commune"),
    "ServiceList": _list_of("Service"),
}

_PATHS: dict[str, Any] = {
    "/healthz": {"get": {"summary": "Health", "responses": {"200": _ok("Up", _ref("Health"))}}},
    "/api/v1/territories": {
        "get": {
            "summary": "Every territory (one page)",
            "responses": {"200": _ok("Territories", _ref("TerritoryList"))},
        }
    },
    "/api/v1/territories/{slug}": {
        "get": {
            "summary": "One territory",
            "parameters": [_SLUG],
            "responses": {"200": _ok("The territory", _ref("Territory")), "404": _ERROR},
        }
    },
    "/api/v1/territories/{slug}/communes": {
        "get": {
            "summary": "A territory's communes (one page)",
            "parameters": [_SLUG],
            "responses": {"200": _ok("Communes", _ref("CommuneList")), "404": _ERROR},
        }
    },
    "/api/v1/services": {
        "get": {
            "summary": "Search published entries",
            "description": "Sorted by name, or nearest first with `near`.",
            "parameters": _SEARCH_PARAMETERS,
            "responses": {"200": _ok("One page of entries", _ref("ServiceList")), "400": _ERROR},
        }
    },
    "/api/v1/services/{id}": {
        "get": {
            "summary": "One published entry",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {"200": _ok("The entry", _ref("Service")), "404": _ERROR},
        }
    },
    "/api/v1/openapi.json": {
        "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.0"}}}
    },
}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.0 document (a fresh dict each call)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Accueil Massif central — annuaire des services",
            "version": "1.0.0",
            "description": "Public read API: territories, their communes and directory entries.",
        },
        "paths": _PATHS,
        "components": {"schemas": _SCHEMAS},
    }
