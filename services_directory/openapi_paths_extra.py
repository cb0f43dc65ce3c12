"""OpenAPI paths of the import and export routes (kept apart to keep openapi.py short)."""

from typing import Any

from .importers import KINDS

_ERROR = {
    "description": "Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_TERRITORY = {
    "name": "territory",
    "in": "query",
    "required": False,
    "description": "Only this territory's entries.",
    "schema": {"type": "string"},
}
_REPORT = {
    "type": "object",
    "properties": {
        "kind": {"type": "string"},
        "dry_run": {"type": "boolean"},
        "read": {"type": "integer"},
        "created": {"type": "integer"},
        "updated": {"type": "integer"},
        "unchanged": {"type": "integer"},
        "communes": {"type": "integer"},
        "skipped": {"type": "object", "additionalProperties": {"type": "integer"}},
        "rejected": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}},
        "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}},
        "rejected_total": {"type": "integer"},
        "warnings_total": {"type": "integer"},
        "written": {"type": "boolean"},
    },
}


# data·inclusion v1 records: the schema's required fields (the schema itself is the reference).
_DI_STRUCTURE = {
    "type": "object",
    "required": ["source", "id", "nom", "date_maj"],
    "properties": {
        "source": {"type": "string"},
        "id": {"type": "string"},
        "nom": {"type": "string", "minLength": 3, "maxLength": 150},
        "date_maj": {"type": "string", "format": "date"},
    },
}
_DI_SERVICE = {
    "type": "object",
    "required": ["source", "structure_id", "id", "nom", "description", "date_maj"],
    "properties": {
        **_DI_STRUCTURE["properties"],
        "structure_id": {"type": "string"},
        "description": {"type": "string", "minLength": 5},
        "thematiques": {"type": "array", "items": {"type": "string"}},
        "publics": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    },
}


def _data_inclusion(what: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": f"data·inclusion v1 {what}",
        "content": {"application/json": {"schema": {"type": "array", "items": item}}},
    }


def _report(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _REPORT}}}


EXTRA_PATHS: dict[str, Any] = {
    "/api/v1/imports/{kind}": {
        "post": {
            "summary": "Import a file (the body): a dry run unless dry_run=false",
            "description": "communes and tiers-lieux: GIP only. A real run is all or nothing:"
            " 201 when written, 422 when rejected rows kept everything out.",
            "security": [{"bearer": []}],
            "parameters": [
                {
                    "name": "kind",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": list(KINDS)},
                },
                {
                    "name": "dry_run",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["true", "false"], "default": "true"},
                },
                {**_TERRITORY, "description": "communes: attach them to this territory."},
                {
                    "name": "departments",
                    "in": "query",
                    "required": False,
                    "description": "communes: only these départements (comma-separated).",
                    "schema": {"type": "string"},
                },
            ],  # fmt: skip
            "requestBody": {
                "required": True,
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "array", "items": {}}},
                },
            },
            "responses": {
                "200": _report("Dry run report"),
                "201": _report("Written"),
                "422": _report("Rejected rows: nothing written"),
                "400": _ERROR,
                "401": _ERROR,
                "403": _ERROR,
                "404": _ERROR,
            },
        }
    },
    "/api/v1/exports/services.csv": {
        "get": {
            "summary": "Entries as the agents' CSV template (with a token: also unpublished)",
            "parameters": [_TERRITORY],
            "responses": {
                "200": {
                    "description": "CSV",
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                },
                "404": _ERROR,
            },
        }
    },
    "/api/v1/exports/data-inclusion/services.json": {
        "get": {
            "summary": "Entries as data·inclusion v1 services (with a token: also unpublished)",
            "description": "Valid against data-inclusion-schema 1.0.10; docs/data-inclusion.md"
            " maps our topics and kinds to its vocabulary.",
            "parameters": [_TERRITORY],
            "responses": {"200": _data_inclusion("services", _DI_SERVICE), "404": _ERROR},
        }
    },
    "/api/v1/exports/data-inclusion/structures.json": {
        "get": {
            "summary": "The data·inclusion v1 structures those services name: organisations,"
            " and each territory's welcome service",
            "parameters": [_TERRITORY],
            "responses": {"200": _data_inclusion("structures", _DI_STRUCTURE), "404": _ERROR},
        }
    },
    "/api/v1/exports/data-inclusion.json": {
        "get": {
            "summary": "Older address of /api/v1/exports/data-inclusion/services.json",
            "deprecated": True,
            "parameters": [_TERRITORY],
            "responses": {"200": _data_inclusion("services", _DI_SERVICE), "404": _ERROR},
        }
    },
}
PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "line": {"type": "integer"},
        "field": {"type": "string"},
        "reason": {"type": "string"},
    },
}
