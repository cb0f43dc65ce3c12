"""The schemas (`components.schemas`) of the OpenAPI document, written by hand."""

from typing import Any

from .search import INSEE_PATTERN
from .vocabulary import CONTRACT_TYPES, FEES, KIND_TOPICS, LEAD_STATUSES, ROLES, STATUSES, TOPICS


def ref(name: str) -> dict[str, str]:
    """A reference to a schema of this document."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **extra: Any) -> dict[str, Any]:
    """A property that may be null."""
    return {"type": kind, "nullable": True, **extra}


def list_of(name: str) -> dict[str, Any]:
    """The list envelope around items of a schema."""
    return {
        "type": "object",
        "required": ["items", "total", "page", "per_page"],
        "properties": {
            "items": {"type": "array", "items": ref(name)},
            "total": {"type": "integer", "description": "Matching items, all pages together."},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    }


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


_STRINGS = {"type": "array", "items": {"type": "string"}}
_ENTRY_FIELDS: dict[str, Any] = {
    "territory": {"type": "string", "example": "hautes-terres"},
    "topic": {"type": "string", "enum": list(TOPICS)},
    "kind": {"type": "string", "enum": list(KIND_TOPICS), "description": "Belongs to `topic`."},
    "name": {"type": "string", "maxLength": 200},
    "description": {"type": "string"},
    "commune": {"type": "string", "description": "INSEE code.", "pattern": INSEE_PATTERN},
    "address": nullable("string"),
    "lat": nullable("number", minimum=-90, maximum=90),
    "lon": nullable("number", minimum=-180, maximum=180),
    "phone": nullable("string"),
    "email": nullable("string"),
    "website": nullable("string"),
    "verified_on": nullable("string", format="date", description="When a person last checked."),
    "status": {"type": "string", "enum": list(STATUSES)},
    "organisation": nullable("string", format="uuid"),
    "opening_hours": nullable("string", description="OpenStreetMap opening_hours syntax."),
    "fees": nullable("string", enum=[*FEES, None]),
    "fees_details": nullable("string"),
    "audience": {**_STRINGS, "description": "data·inclusion `publics`."},
    "eligibility_zone": {
        **_STRINGS,
        "description": "'france', département, EPCI (SIREN) or commune (INSEE) codes.",
    },
    "source": nullable("string", description="Attribution of an imported entry."),
    "source_id": nullable("string", description="Stable id in its source (no duplicates)."),
    "to_verify": {"type": "boolean", "description": "Imported, not yet checked by a person."},
    "contract_type": nullable("string", enum=[*CONTRACT_TYPES, None]),
    "sector": nullable("string"),
    "expires_on": nullable("string", format="date", description="Job offers leave search then."),
}
_READ_ONLY = {
    "id": {"type": "string", "format": "uuid"},
    "commune_name": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"},
    "created_by": nullable("string"),
    "updated_by": nullable("string"),
    "distance_km": nullable("number", description="Only in a search with `near`."),
    "version": {
        "type": "string",
        "description": "Changes whenever a field does (also the `ETag`): send it back in"
        " `If-Match` to change the entry only if nobody else did meanwhile.",
    },
}
_CONTACT = _object(
    {"name": {"type": "string"}, "email": {"type": "string"}, "phone": {"type": "string"}},
    ["name"],
)
_WIDGET = _object(
    {
        "greeting": nullable("string", maxLength=500),
        "color": nullable("string", pattern="^#[0-9a-fA-F]{6}$", example="#1d4f91"),
    }
)
_COMMUNE = _object(
    {
        "insee": {"type": "string", "example": "15138", "pattern": INSEE_PATTERN},
        "name": {"type": "string", "example": "Murat"},
        "postcode": {"type": "string", "example": "15300"},
        "lat": nullable("number"),
        "lon": nullable("number"),
    },
    ["insee", "name", "postcode", "lat", "lon"],
)

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {
            "error": _object(
                {
                    "code": {"type": "string", "example": "invalid_parameter"},
                    "message": {"type": "string", "description": "In French; names the culprit."},
                    "field": {"type": "string", "description": "The field or parameter at fault."},
                },
                ["code", "message"],
            )
        },
        ["error"],
    ),
    "Health": _object(
        {"status": {"type": "string", "enum": ["ok"]}, "entries": {"type": "integer"}}
    ),
    "Contact": _CONTACT,
    "Widget": _WIDGET,
    "Territory": _object(
        {
            "slug": {"type": "string", "example": "hautes-terres"},
            "name": {"type": "string"},
            "department": {"type": "string", "description": "Département code.", "example": "15"},
            "welcome_contact": ref("Contact"),
            "widget": ref("Widget"),
        },
        ["slug", "name", "department", "welcome_contact", "widget"],
    ),
    "TerritoryInput": {
        **_object(
            {
                "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 60},
                "name": {"type": "string"},
                "department": {"type": "string", "example": "15"},
                "welcome_contact": ref("Contact"),
                "widget": ref("Widget"),
            },
            ["slug", "name", "department", "welcome_contact"],
        ),
        "additionalProperties": False,
    },
    "TerritoryPatch": {
        **_object(
            {
                "name": {"type": "string", "description": "GIP only."},
                "department": {"type": "string", "description": "GIP only."},
                "welcome_contact": ref("Contact"),
                "widget": ref("Widget"),
            }
        ),
        "additionalProperties": False,
        "description": "An agent of the territory may change `welcome_contact` and `widget`.",
    },
    "Commune": _COMMUNE,
    "Service": _object(
        {**_READ_ONLY, **_ENTRY_FIELDS},
        ["id", "territory", "topic", "kind", "name", "commune", "commune_name", "status"],
    ),
    "ServiceInput": {
        **_object(_ENTRY_FIELDS, ["territory", "topic", "kind", "name", "commune"]),
        "additionalProperties": False,
    },
    "ServicePatch": {**_object(_ENTRY_FIELDS), "additionalProperties": False},
    "Change": _object(
        {
            "service_id": {"type": "string"},
            "field": {"type": "string"},
            "old_value": nullable("string"),
            "new_value": nullable("string"),
            "changed_by": {"type": "string"},
            "changed_at": {"type": "string", "format": "date-time"},
        }
    ),
    "Organisation": _object(
        {
            "id": {"type": "string", "format": "uuid"},
            "territory": {"type": "string"},
            "name": {"type": "string"},
            "siret": nullable("string", pattern="^[0-9]{14}$"),
            "website": nullable("string"),
            "phone": nullable("string"),
            "email": nullable("string"),
            "description": {"type": "string"},
        },
        ["territory", "name"],
    ),
    "LeadInput": {
        **_object(
            {
                "territory": {"type": "string"},
                "name": {"type": "string"},
                "email": nullable("string"),
                "phone": nullable("string"),
                "question": {"type": "string"},
                "consent": {"type": "boolean", "enum": [True]},
            },
            ["territory", "consent"],
        ),
        "additionalProperties": False,
        "description": "An e-mail or a phone is required.",
    },
    "Lead": _object(
        {
            "id": {"type": "string", "format": "uuid"},
            "territory": {"type": "string"},
            "name": {"type": "string"},
            "email": nullable("string"),
            "phone": nullable("string"),
            "question": {"type": "string"},
            "status": {"type": "string", "enum": list(LEAD_STATUSES)},
            "consent_at": {"type": "string", "format": "date-time"},
            "created_at": {"type": "string", "format": "date-time"},
        }
    ),
    "LeadCreated": _object(
        {"id": {"type": "string", "format": "uuid"}, "status": {"type": "string"}}, ["id"]
    ),
    "User": _object(
        {
            "email": {"type": "string"},
            "role": {"type": "string", "enum": list(ROLES)},
            "territories": _STRINGS,
        }
    ),
    "TerritoryList": list_of("Territory"),
    "CommuneList": list_of("Commune"),
    "ServiceList": list_of("Service"),
    "ChangeList": list_of("Change"),
    "LeadList": list_of("Lead"),
    "OrganisationList": list_of("Organisation"),
}
