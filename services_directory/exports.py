"""
Exports: the agents' CSV template, and data·inclusion v1 JSON.

The CSV has the template's columns, so an export can be edited and imported back.
"""

from typing import Any

from .entries import Service
from .importers.template import TEMPLATE_COLUMNS
from .safe_csv import csv_text

SOURCE = "accueil-massif-central"
# Our kind -> data·inclusion thematique (telework has no national theme: a local code).
THEMATIQUES = {
    "childcare": "famille--garde-denfants",
    "transport": "mobilite",
    "jobs": "trouver-un-emploi",
    "telework": "accueil-massif-central--teletravail",
}


def to_csv(services: list[Service]) -> str:
    """
    The entries as the agents' CSV template (lists joined by commas), header first.

    Written by `safe_csv`: a text cell a spreadsheet would read as a formula gets a quote,
    which the template importer takes off again.
    """
    rows = []
    for service in services:
        data = service.to_dict()
        row = []
        for column in TEMPLATE_COLUMNS:
            value = data.get(column)
            row.append(", ".join(value) if isinstance(value, list) else value)
        rows.append(row)
    return csv_text(TEMPLATE_COLUMNS, rows)


def to_data_inclusion(services: list[Service]) -> list[dict[str, Any]]:
    """The entries as data·inclusion v1 services."""
    items = []
    for service in services:
        theme = THEMATIQUES[service.topic]
        if service.kind == "business_takeover":
            theme = "creation-activite"
        items.append(
            {
                "id": service.id,
                "source": SOURCE,
                "structure_id": service.organisation,
                "nom": service.name,
                "description": service.description or None,
                "thematiques": [theme],
                "type": service.kind,
                "adresse": service.address,
                "code_insee": service.commune,
                "commune": service.commune_name,
                "latitude": service.lat,
                "longitude": service.lon,
                "telephone": service.phone,
                "courriel": service.email,
                "lien_source": service.website,
                "horaires_accueil": service.opening_hours,
                "frais": [service.fees] if service.fees else [],
                "frais_precisions": service.fees_details,
                "publics": list(service.audience),
                "zone_eligibilite": list(service.eligibility_zone) or None,
                "modes_accueil": ["en-presentiel"],
                "date_maj": (
                    service.verified_on.isoformat()
                    if service.verified_on
                    else service.updated_at[:10]
                ),
            }  # fmt: skip
        )
    return items
