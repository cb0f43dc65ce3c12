"""The directory's records, as storage returns them and views serialise them."""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from .errors import InvalidEntry
from .vocabulary import KINDS, STATUSES, TOPICS


@dataclass(frozen=True)
class Contact:
    """A territory's welcome contact."""

    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class Territory:
    """A territory (usually an EPCI) running its own welcome policy."""

    slug: str
    name: str
    department: str  # département code, e.g. "15"
    welcome_contact: Contact

    def to_dict(self) -> dict[str, Any]:
        """JSON form: `{slug, name, department, welcome_contact: {name, email, phone}}`."""
        return asdict(self)


@dataclass(frozen=True)
class Commune:
    """A commune, keyed by its INSEE code."""

    insee: str
    name: str
    postcode: str
    lat: float | None
    lon: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form: `{insee, name, postcode, lat, lon}`."""
        return asdict(self)


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
    distance_km: float | None = None

    def to_dict(self, with_distance: bool = False) -> dict[str, Any]:
        """
        JSON form.

        Args:
            with_distance: keep `distance_km` (km, 2 decimals; null without coordinates),
                as a search with `near` does.
        """
        data = asdict(self)
        data["verified_on"] = self.verified_on.isoformat() if self.verified_on else None
        distance = data.pop("distance_km")
        if with_distance:
            data["distance_km"] = None if distance is None else round(distance, 2)
        return data


@dataclass(frozen=True)
class Page:
    """One page of search results."""

    items: list[Service] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    near: tuple[float, float] | None = None  # the resolved (lat, lon) of a `near` search

    def to_dict(self) -> dict[str, Any]:
        """JSON form: `{items, total, page, per_page}`."""
        return {
            "items": [item.to_dict(with_distance=self.near is not None) for item in self.items],
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
        }
