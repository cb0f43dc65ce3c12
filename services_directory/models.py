"""The directory's records, as storage returns them and views serialise them."""

from dataclasses import asdict, dataclass, field
from typing import Any

from .entries import NewService, Service, check_entry  # noqa: F401  (entries live in entries.py)


@dataclass(frozen=True)
class Contact:
    """A territory's welcome contact."""

    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class Widget:
    """A territory's chat widget settings (null: the widget's defaults)."""

    greeting: str | None = None
    color: str | None = None  # "#rrggbb"


@dataclass(frozen=True)
class Territory:
    """A territory (usually an EPCI) running its own welcome policy."""

    slug: str
    name: str
    department: str  # département code, e.g. "15"
    welcome_contact: Contact
    widget: Widget = field(default_factory=Widget)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: `{slug, name, department, welcome_contact: {name, email, phone}, widget}`."""
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


@dataclass(frozen=True)
class Organisation:
    """The body that runs services (HSDS `organization`)."""

    id: str
    territory: str
    name: str
    siret: str | None = None
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


@dataclass(frozen=True)
class User:
    """An account: a GIP administrator (every territory) or an agent of some territories."""

    id: int
    email: str
    role: str  # "gip" or "agent"
    territories: tuple[str, ...] = ()

    def can_see(self, territory: str) -> bool:
        """True when this account may read and write the territory's data."""
        return self.role == "gip" or territory in self.territories

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"email": self.email, "role": self.role, "territories": list(self.territories)}


@dataclass(frozen=True)
class NewLead:
    """A newcomer's call-back request, sent by the assistant with their consent."""

    territory: str
    name: str
    email: str | None
    phone: str | None
    question: str


@dataclass(frozen=True)
class Lead:
    """A stored call-back request."""

    id: str
    territory: str
    name: str
    email: str | None
    phone: str | None
    question: str
    status: str  # new, contacted, closed
    consent_at: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)
