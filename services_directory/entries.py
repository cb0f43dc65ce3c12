"""
Directory entries (services), shaped on Open Referral HSDS with data·inclusion's vocabulary.

`NewService` is what is written (by the API, an importer or the seed); `Service` is what is
read back. Checks that need no database live here; storage checks territory, commune and
organisation.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from typing import Any

from .errors import InvalidEntry
from .vocabulary import CONTRACT_TYPES, FEES, KINDS, STATUSES, TOPICS


@dataclass(frozen=True)
class NewService:
    """An entry to write; storage fills id (when None), timestamps and missing coordinates."""

    territory: str
    topic: str
    kind: str
    name: str
    commune: str
    description: str = ""
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    verified_on: date | None = None
    status: str = "draft"
    id: str | None = None
    organisation: str | None = None
    opening_hours: str | None = None  # OpenStreetMap opening_hours syntax
    fees: str | None = None  # data·inclusion `frais`
    fees_details: str | None = None
    audience: tuple[str, ...] = ()  # data·inclusion `publics`
    eligibility_zone: tuple[str, ...] = ()  # 'france', département, EPCI or commune codes
    source: str | None = None
    source_id: str | None = None
    to_verify: bool = False
    contract_type: str | None = None
    sector: str | None = None
    expires_on: date | None = None


# Fields a write may change (everything but the id).
WRITABLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(NewService) if f.name != "id")


def check_entry(new: NewService) -> None:
    """
    Check what can be checked without the database (storage checks territory and commune).

    Raises:
        InvalidEntry: naming the field at fault.
    """
    if new.topic not in TOPICS:
        raise InvalidEntry("topic", f"Thème inconnu : « {new.topic} ».")
    if new.kind not in KINDS[new.topic]:
        raise InvalidEntry(
            "kind", f"Le type « {new.kind} » n'appartient pas au thème « {new.topic} »."
        )
    if new.status not in STATUSES:
        raise InvalidEntry("status", f"Statut inconnu : « {new.status} ».")
    if not new.name.strip():
        raise InvalidEntry("name", "Le nom est obligatoire.")
    if (new.lat is None) != (new.lon is None):
        raise InvalidEntry("lat", "Donner la latitude et la longitude, ou aucune des deux.")
    if new.fees is not None and new.fees not in FEES:
        raise InvalidEntry(
            "fees", f"Frais inconnus : « {new.fees} » (attendu : {', '.join(FEES)})."
        )
    if new.contract_type is not None and new.contract_type not in CONTRACT_TYPES:
        expected = ", ".join(CONTRACT_TYPES)
        message = f"Type de contrat inconnu : « {new.contract_type} » (attendu : {expected})."
        raise InvalidEntry("contract_type", message)


@dataclass(frozen=True)
class Service:
    """A directory entry as read back, with its commune's name (and distance, after `near`)."""

    id: str
    territory: str
    topic: str
    kind: str
    name: str
    description: str
    commune: str
    commune_name: str
    address: str | None
    lat: float | None
    lon: float | None
    phone: str | None
    email: str | None
    website: str | None
    verified_on: date | None
    status: str
    organisation: str | None = None
    opening_hours: str | None = None
    fees: str | None = None
    fees_details: str | None = None
    audience: tuple[str, ...] = ()
    eligibility_zone: tuple[str, ...] = ()
    source: str | None = None
    source_id: str | None = None
    to_verify: bool = False
    contract_type: str | None = None
    sector: str | None = None
    expires_on: date | None = None
    created_at: str = ""
    updated_at: str = ""
    created_by: str | None = None
    updated_by: str | None = None
    distance_km: float | None = field(default=None, compare=False)

    def to_dict(self, with_distance: bool = False) -> dict[str, Any]:
        """
        JSON form.

        Args:
            with_distance: keep `distance_km` (km, 2 decimals; null without coordinates),
                as a search with `near` does.
        """
        data = asdict(self)
        for name in ("verified_on", "expires_on"):
            data[name] = data[name].isoformat() if data[name] else None
        data["audience"] = list(self.audience)
        data["eligibility_zone"] = list(self.eligibility_zone)
        distance = data.pop("distance_km")
        if with_distance:
            data["distance_km"] = None if distance is None else round(distance, 2)
        data["version"] = entry_version(self)
        return data

    def as_new(self) -> NewService:
        """The writable part of this entry, to change with `dataclasses.replace`."""
        return NewService(**{name: getattr(self, name) for name in ("id", *WRITABLE_FIELDS)})


def logged_values(new: NewService) -> dict[str, str | None]:
    """Field values as the change log keeps them (text, or null)."""
    values: dict[str, str | None] = {}
    for name in WRITABLE_FIELDS:
        value = getattr(new, name)
        if isinstance(value, tuple):
            value = json.dumps(list(value), ensure_ascii=False) if value else None
        elif isinstance(value, bool):
            value = "true" if value else None
        elif isinstance(value, date):
            value = value.isoformat()
        elif value is not None:
            value = str(value)
        values[name] = value or None
    return values


def entry_version(service: Service) -> str:
    """
    A short fingerprint of an entry's fields: it changes whenever any field does.

    The one notion of version: the back-office's edit form and the API's `version`, `ETag`
    and `If-Match` all use it.
    """
    data = json.dumps(logged_values(service.as_new()), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def changed(service: Service, changes: dict[str, Any]) -> NewService:
    """The entry with some fields replaced (unknown names are the caller's bug)."""
    return replace(service.as_new(), **changes)


@dataclass(frozen=True)
class Change:
    """One field change of an entry (the change log)."""

    service_id: str
    field: str
    old_value: str | None
    new_value: str | None
    changed_by: str
    changed_at: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)
