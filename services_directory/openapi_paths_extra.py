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
    "/api/v1/exports/data-inclusion.json": {
        "get": {
            "summary": "Entries as data·inclusion v1 services",
            "parameters": [_TERRITORY],
            "responses": {
                "200": {
                    "description": "data·inclusion services",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": {"type": "object"}}
                        }
                    },
                },
                "404": _ERROR,
            },
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
