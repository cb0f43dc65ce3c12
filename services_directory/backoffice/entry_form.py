"""
The entry form: read field by field, every error kept beside its field, in French.

Also the publish rule (a newcomer needs a name, a commune and a way to get in touch).
"""

from datetime import date
from typing import Any

from .. import payloads
from ..entries import NewService, Service, check_entry
from ..errors import InvalidEntry
from .freshness import JOB_OFFER_LIFETIME

# Fields the form edits, with their French labels (status and verification have buttons).
LABELS: dict[str, str] = {
    "topic": "Thème", "kind": "Type", "name": "Nom", "commune": "Commune",
    "description": "Description", "address": "Adresse", "phone": "Téléphone",
    "email": "Adresse électronique", "website": "Site web", "opening_hours": "Horaires",
    "fees": "Frais", "fees_details": "Précisions sur les frais", "audience": "Publics",
    "eligibility_zone": "Zone d'éligibilité", "contract_type": "Type de contrat",
    "sector": "Secteur", "expires_on": "Date de fin de l'offre",
}  # fmt: skip
REQUIRED = ("topic", "kind", "name", "commune")
CONTACT_MISSING = (
    "Pour publier, indiquez au moins un moyen de contact : téléphone, adresse électronique"
    " ou site web."
)


def french(name: str, message: str) -> str:
    """A validation message with the field's French label instead of its code."""
    return message.replace(f"« {name} »", f"« {LABELS.get(name, name)} »")


def read_form(form: Any) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """
    The entry fields of a POSTed form.

    Returns:
        (checked fields, errors by field, the raw values to show again in the form).
    """
    raw = {name: str(form.get(name, "")).strip() for name in LABELS}
    fields: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        if name in REQUIRED and not value:
            errors[name] = f"Le champ « {LABELS[name]} » est obligatoire."
            continue
        try:
            fields |= payloads.entry_fields({name: value or None}, partial=True)
        except InvalidEntry as error:
            errors[name] = french(name, error.message)
    return fields, errors, raw


def complete(fields: dict[str, Any], today: date) -> dict[str, Any]:
    """Defaults the form adds: a job offer saved without an end date expires in 60 days."""
    if fields.get("kind") == "job_offer" and not fields.get("expires_on"):
        return fields | {"expires_on": today + JOB_OFFER_LIFETIME}
    return fields


def cross_check(new: NewService, errors: dict[str, str]) -> None:
    """Checks across fields (a kind of the topic...), added to `errors` by field."""
    if errors:
        return
    try:
        check_entry(new)
    except InvalidEntry as error:
        errors[error.name] = french(error.name, error.message)


def publish_problems(entry: NewService | Service) -> dict[str, str]:
    """What keeps an entry from being published, by field (empty: it may be)."""
    problems = {}
    if not entry.name.strip():
        problems["name"] = "Pour publier, donnez un nom à la fiche."
    if not entry.commune:
        problems["commune"] = "Pour publier, choisissez la commune."
    if not (entry.phone or entry.email or entry.website):
        problems["phone"] = CONTACT_MISSING
    return problems


def values_of(entry: Service | NewService | None) -> dict[str, str]:
    """The form's values for an entry (empty for a new one)."""
    if entry is None:
        return {name: "" for name in LABELS}
    values = {}
    for name in LABELS:
        value = getattr(entry, name)
        if isinstance(value, tuple):
            value = ", ".join(value)
        elif isinstance(value, date):
            value = value.isoformat()
        values[name] = "" if value is None else str(value)
    return values
