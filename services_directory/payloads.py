"""
Records built from JSON bodies (and CSV rows): each field checked by validation.py.

The API and the importers use the same functions, so a file and a request are held to the
same rules and name the same fields in their errors.
"""

from collections.abc import Callable, Mapping
from typing import Any

from . import validation as v
from .entries import WRITABLE_FIELDS
from .errors import InvalidEntry
from .models import Commune, Contact, NewLead, Territory, Widget

_STR = lambda name, value: v.text(name, value)  # noqa: E731
_LONG = lambda name, value: v.text(name, value, max_length=v.MAX_LONG_TEXT)  # noqa: E731

_ENTRY_FIELDS: dict[str, Callable[[str, Any], Any]] = {
    "territory": v.required,
    "topic": v.required,
    "kind": v.required,
    "name": lambda name, value: v.required(name, value, 200),
    "commune": v.insee,
    "description": lambda name, value: _LONG(name, value) or "",
    "address": _STR,
    "lat": v.latitude,
    "lon": v.longitude,
    "phone": v.phone,
    "email": v.email,
    "website": v.website,
    "verified_on": v.day,
    "status": v.required,
    "organisation": lambda name, value: v.matching(name, value, v.UUID, "un identifiant (UUID)"),
    "opening_hours": _STR,
    "fees": _STR,
    "fees_details": _STR,
    "audience": v.word_list,
    "eligibility_zone": lambda name, value: v.word_list(name, value, v.zone_code),
    "source": _STR,
    "source_id": _STR,
    "to_verify": v.boolean,
    "contract_type": _STR,
    "sector": _STR,
    "expires_on": v.day,
}
assert set(_ENTRY_FIELDS) == set(WRITABLE_FIELDS)
REQUIRED_ENTRY_FIELDS = ("territory", "topic", "kind", "name", "commune")


def entry_fields(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """
    The checked fields of an entry to create (or, with `partial`, to change).

    Raises:
        InvalidEntry: an unknown field, a missing required one, or a bad value (named).
    """
    data = v.body_object(data)
    v.only_known(data, tuple(_ENTRY_FIELDS))
    if not partial:
        for name in REQUIRED_ENTRY_FIELDS:
            if name not in data:
                raise InvalidEntry(name, f"Le champ « {name} » est obligatoire.")
    return {name: _ENTRY_FIELDS[name](name, value) for name, value in data.items()}


def contact(data: Any, name: str = "welcome_contact") -> Contact:
    """A welcome contact `{name, email, phone}`."""
    if not isinstance(data, dict):
        raise InvalidEntry(name, f"Le champ « {name} » doit être un objet {{name, email, phone}}.")
    v.only_known(data, ("name", "email", "phone"))
    return Contact(
        name=v.required(f"{name}.name", data.get("name"), 200),
        email=v.email(f"{name}.email", data.get("email")) or "",
        phone=v.phone(f"{name}.phone", data.get("phone")) or "",
    )


def widget(data: Any, current: Widget | None = None) -> Widget:
    """Widget settings `{greeting, color}`; fields left out keep their current value."""
    if not isinstance(data, dict):
        raise InvalidEntry("widget", "Le champ « widget » doit être un objet {greeting, color}.")
    v.only_known(data, ("greeting", "color"))
    current = current or Widget()
    greeting = current.greeting
    if "greeting" in data:
        greeting = v.text("widget.greeting", data["greeting"], max_length=v.MAX_TEXT)
    color = current.color
    if "color" in data:
        color = v.matching("widget.color", data["color"], v.COLOR, "une couleur #rrggbb")
        color = color.lower() if color else None
    return Widget(greeting=greeting, color=color)


TERRITORY_FIELDS = ("slug", "name", "department", "welcome_contact", "widget")


def territory(data: Mapping[str, Any]) -> Territory:
    """A new territory `{slug, name, department, welcome_contact, widget?}`."""
    data = v.body_object(data)
    v.only_known(data, TERRITORY_FIELDS)
    slug = v.matching("slug", v.required("slug", data.get("slug"), 60), v.SLUG, "a-z, 0-9, -")
    department = v.matching(
        "department", v.required("department", data.get("department")), v.DEPARTMENT,
        "un code de département (ex. 15, 2A, 974)",
    )  # fmt: skip
    assert slug is not None and department is not None
    return Territory(
        slug=slug,
        name=v.required("name", data.get("name"), 200),
        department=department,
        welcome_contact=contact(data.get("welcome_contact")),
        widget=widget(data.get("widget") or {}),
    )


def territory_changes(data: Mapping[str, Any], current: Territory, *, admin: bool) -> Territory:
    """
    A territory with some fields changed; an agent may change only the contact and widget.

    Raises:
        InvalidEntry: a bad value, or a field the caller may not change (named).
    """
    data = v.body_object(data)
    allowed = ("name", "department", "welcome_contact", "widget") if admin else (
        "welcome_contact", "widget",
    )  # fmt: skip
    v.only_known(data, allowed)
    merged = {key: value for key, value in current.to_dict().items() if key != "widget"}
    merged |= {key: value for key, value in data.items() if key != "widget"}
    if "welcome_contact" in data and isinstance(data["welcome_contact"], dict):
        merged["welcome_contact"] = current.to_dict()["welcome_contact"] | data["welcome_contact"]
    updated = territory(merged)
    return Territory(
        **{**updated.__dict__, "widget": widget(data.get("widget", {}), current.widget)}
    )


def commune(data: Any, index: int = 0) -> Commune:
    """A commune `{insee, name, postcode, lat, lon}` (index: its place in a list, for errors)."""
    if not isinstance(data, dict):
        raise InvalidEntry(f"[{index}]", f"Commune n° {index + 1} : un objet est attendu.")
    v.only_known(data, ("insee", "name", "postcode", "lat", "lon"))
    postcode = v.matching("postcode", data.get("postcode"), v.POSTCODE, "5 chiffres")
    return Commune(
        insee=v.insee("insee", data.get("insee")),
        name=v.required("name", data.get("name"), 200),
        postcode=postcode or "",
        lat=v.latitude("lat", data.get("lat")),
        lon=v.longitude("lon", data.get("lon")),
    )


def lead(data: Mapping[str, Any]) -> NewLead:
    """A call-back request: consent must be true, and an e-mail or a phone given."""
    data = v.body_object(data)
    v.only_known(data, ("territory", "name", "email", "phone", "question", "consent"))
    if data.get("consent") is not True:
        raise InvalidEntry("consent", "Le consentement explicite (consent: true) est obligatoire.")
    found = NewLead(
        territory=v.required("territory", data.get("territory"), 60),
        name=v.text("name", data.get("name"), max_length=200) or "",
        email=v.email("email", data.get("email")),
        phone=v.phone("phone", data.get("phone")),
        question=v.text("question", data.get("question"), max_length=2000) or "",
    )
    if not found.email and not found.phone:
        raise InvalidEntry("email", "Donner une adresse électronique ou un numéro de téléphone.")
    return found
