"""
A service search, parsed and checked from query-string parameters.

Parsing lives here, not in views, so the API and the HTML listing accept exactly the same
parameters and raise the same `InvalidQuery` (naming the parameter) on a bad value.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import InvalidQuery
from .vocabulary import KIND_TOPICS, TOPICS

INSEE = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")
_DIGITS = re.compile(r"^[0-9]{1,9}$")
_POINT = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*,\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")
Point = tuple[float, float]  # (latitude, longitude)
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PAGE = 10_000
MAX_RADIUS_KM = 1000.0
MAX_Q_LENGTH = 200


@dataclass(frozen=True)
class SearchQuery:
    """What to look for; every field optional. Public searches see published entries only."""

    topic: str | None = None
    kind: str | None = None
    prefer_kind: str | None = None  # entries of this kind first, then the others
    territory: str | None = None
    commune: str | None = None  # INSEE code: entries in this commune
    zone: str | None = None  # INSEE code: entries whose eligibility zone covers this commune
    near: str | Point | None = None  # INSEE code or (lat, lon)
    radius_km: float | None = None
    q: str | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    status: str = "published"

    @property
    def offset(self) -> int:
        """Rows to skip for this page."""
        return (self.page - 1) * self.per_page

    @classmethod
    def from_params(cls, params: Mapping[str, str], **fixed: str) -> "SearchQuery":
        """
        Parse query-string parameters; empty values count as absent, unknown ones are ignored.

        Args:
            params: the request's query (first value of each name).
            **fixed: values imposed by the route, e.g. `territory` for `/t/{slug}/services`.

        Raises:
            InvalidQuery: a parameter has an invalid value; the message names it.
        """
        raw: dict[str, str] = {}
        for name, value in params.items():  # a repeated parameter keeps its first value
            if value.strip():
                raw.setdefault(name, value.strip())
        raw.update(fixed)
        topic = _choice(raw, "topic", TOPICS)
        kind = _choice(raw, "kind", KIND_TOPICS)
        prefer_kind = _choice(raw, "prefer_kind", KIND_TOPICS)
        for name, value in (("kind", kind), ("prefer_kind", prefer_kind)):
            if topic and value and KIND_TOPICS[value] != topic:
                message = f"« {value} » n'est pas un type du thème « {topic} »."
                raise InvalidQuery(name, f"Paramètre « {name} » : {message}")
        near = _near(raw.get("near"))
        radius_km = _number(raw, "radius_km", 0.0, MAX_RADIUS_KM)
        if radius_km is not None and near is None:
            raise InvalidQuery("radius_km", "Le paramètre « radius_km » demande aussi « near ».")
        commune = raw.get("commune")
        if commune is not None and not INSEE.match(commune):
            raise _invalid("commune", commune, "un code INSEE de commune (5 caractères, ex. 15138)")
        zone = raw.get("zone")
        if zone is not None and not INSEE.match(zone):
            raise _invalid("zone", zone, "un code INSEE de commune (5 caractères, ex. 15138)")
        q = raw.get("q")
        if q is not None and len(q) > MAX_Q_LENGTH:
            raise InvalidQuery("q", f"Le paramètre « q » dépasse {MAX_Q_LENGTH} caractères.")
        return cls(
            topic=topic,
            kind=kind,
            prefer_kind=prefer_kind,
            territory=raw.get("territory"),
            commune=commune,
            zone=zone,
            near=near,
            radius_km=radius_km,
            q=q,
            page=_integer(raw, "page", 1, 1, MAX_PAGE),
            per_page=_integer(raw, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
        )


def _invalid(name: str, value: str, expected: str) -> InvalidQuery:
    shown = value if len(value) <= 40 else value[:40] + "…"
    return InvalidQuery(
        name, f"Paramètre « {name} » invalide (reçu « {shown} ») : attendu {expected}."
    )


def _choice(raw: Mapping[str, str], name: str, allowed: Mapping[str, object]) -> str | None:
    value = raw.get(name)
    if value is not None and value not in allowed:
        raise _invalid(name, value, "l'un de " + ", ".join(allowed))
    return value


def _integer(raw: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = raw.get(name)
    if value is None:
        return default
    if not _DIGITS.match(value) or not low <= int(value) <= high:
        raise _invalid(name, value, f"un entier entre {low} et {high}")
    return int(value)


def _number(raw: Mapping[str, str], name: str, low: float, high: float) -> float | None:
    value = raw.get(name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and low < number <= high):
        raise _invalid(
            name, value, f"un nombre de kilomètres supérieur à {low:g} et au plus {high:g}"
        )
    return number


def _near(value: str | None) -> str | Point | None:
    if value is None or INSEE.match(value):
        return value
    point = _POINT.match(value)
    if point:
        lat, lon = float(point.group(1)), float(point.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return (lat, lon)
    raise _invalid(
        "near", value, "un code INSEE de commune ou « latitude,longitude » (ex. 45.12,2.85)"
    )
