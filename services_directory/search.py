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

INSEE_PATTERN = "^(?:[0-9]{5}|2[AB][0-9]{3})$"
# `near`: a commune's INSEE code, or "latitude,longitude" in degrees (within ±90 and ±180);
# spaces around are forgiven (a point pasted from a map).
_LATITUDE = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"
_LONGITUDE = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)"
NEAR_PATTERN = f"^ *(?:[0-9]{{5}}|2[AB][0-9]{{3}}|({_LATITUDE}) *, *({_LONGITUDE})) *$"
# Numbers as JSON writes them (what the document's `type: number` means; no "inf", "1_0").
_NUMBER = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$")
INSEE = re.compile(INSEE_PATTERN)
NEAR = re.compile(NEAR_PATTERN)
_DIGITS = re.compile(r"^[0-9]{1,9}$")
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

        Every value is checked as sent, against the OpenAPI document's constraints
        (openapi.py builds them from the patterns and bounds here); only `q` and `territory`
        are trimmed.

        Args:
            params: the request's query (first value of each name).
            **fixed: values imposed by the route, e.g. `territory` for `/t/{slug}/services`.

        Raises:
            InvalidQuery: a parameter has an invalid value; the message names it.
        """
        raw: dict[str, str] = {}
        for name, value in params.items():  # a repeated parameter keeps its first value
            if value:  # sent empty (an HTML form's blank field): absent
                raw.setdefault(name, value)
        raw.update(fixed)
        # A kind of another topic is not an error: both filters apply, and nothing matches
        # (OpenAPI cannot say that one parameter's values depend on another's).
        topic = _choice(raw, "topic", TOPICS)
        kind = _choice(raw, "kind", KIND_TOPICS)
        prefer_kind = _choice(raw, "prefer_kind", KIND_TOPICS)
        near = _near(raw.get("near"))
        radius_km = _number(raw, "radius_km", 0.0, MAX_RADIUS_KM)
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
            territory=_trimmed(raw.get("territory")),
            commune=commune,
            zone=zone,
            near=near,
            radius_km=radius_km if near is not None else None,  # no centre: ignored
            q=_trimmed(q),
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


def _trimmed(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


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
    number = float(value) if _NUMBER.match(value) else math.nan
    if not (math.isfinite(number) and low < number <= high):
        raise _invalid(
            name, value, f"un nombre de kilomètres supérieur à {low:g} et au plus {high:g}"
        )
    return number


def _near(value: str | None) -> str | Point | None:
    if value is None:
        return None
    found = NEAR.match(value)
    if found is None:
        raise _invalid(
            "near", value, "un code INSEE de commune ou « latitude,longitude » (ex. 45.12,2.85)"
        )
    latitude, longitude = found.groups()
    return value.strip() if latitude is None else (float(latitude), float(longitude))
