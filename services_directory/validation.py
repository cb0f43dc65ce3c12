"""
Checking values sent by people and programs (JSON bodies, CSV cells) field by field.

Every checker raises `InvalidEntry` naming the field, with a French message; none trusts the
type it is given (JSON may hold a number where text is expected, or `true` for a latitude).
"""

import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from .errors import InvalidEntry
from .search import INSEE

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DEPARTMENT = re.compile(r"^(?:0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])$")
POSTCODE = re.compile(r"^[0-9]{5}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 .()-]{5,24}$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
EPCI = re.compile(r"^[0-9]{9}$")
SIRET = re.compile(r"^[0-9]{14}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MAX_TEXT = 500
MAX_LONG_TEXT = 5000
# Never stored: C0 controls but tab and newline, DEL, C1 controls, lone surrogates (not
# encodable: the database would refuse them) and the bidirectional marks, embeddings,
# overrides and isolates (U+202E turns "gpj.exe" around on screen).
_FORBIDDEN = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def text(
    name: str, value: Any, *, max_length: int = MAX_TEXT, required: bool = False
) -> str | None:
    """Trimmed text, None for null or blank (unless required)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidEntry(name, f"Le champ « {name} » est obligatoire.")
        return None
    if not isinstance(value, str):
        raise InvalidEntry(name, f"Le champ « {name} » doit être du texte.")
    value = value.strip()
    if len(value) > max_length:
        raise InvalidEntry(name, f"Le champ « {name} » dépasse {max_length} caractères.")
    if _FORBIDDEN.search(value):
        raise InvalidEntry(
            name, f"Le champ « {name} » contient des caractères de contrôle ou invisibles."
        )
    return value


def required(name: str, value: Any, max_length: int = MAX_TEXT) -> str:
    """Text that must be present."""
    result = text(name, value, max_length=max_length, required=True)
    assert result is not None
    return result


def matching(name: str, value: Any, pattern: re.Pattern[str], expected: str) -> str | None:
    """Optional text that must match a pattern."""
    result = text(name, value)
    if result is not None and not pattern.match(result):
        shown = result if len(result) <= 40 else result[:40] + "…"
        raise InvalidEntry(name, f"Champ « {name} » invalide (« {shown} ») : attendu {expected}.")
    return result


def email(name: str, value: Any) -> str | None:
    """An e-mail address (optional)."""
    return matching(name, value, EMAIL, "une adresse électronique")


def phone(name: str, value: Any) -> str | None:
    """A phone number (optional)."""
    return matching(name, value, PHONE, "un numéro de téléphone (chiffres, espaces, +)")


def website(name: str, value: Any) -> str | None:
    """An http(s) address (optional)."""
    result = text(name, value)
    if result is not None and (
        not result.startswith(("https://", "http://")) or any(c.isspace() for c in result)
    ):
        raise InvalidEntry(name, f"Champ « {name} » : attendu une adresse http:// ou https://.")
    return result


def insee(name: str, value: Any) -> str:
    """A commune's INSEE code (required)."""
    result = matching(name, required(name, value), INSEE, "un code INSEE (5 caractères)")
    assert result is not None
    return result


def number(name: str, value: Any, low: float, high: float) -> float | None:
    """A finite number within [low, high] (optional); numeric text is accepted."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InvalidEntry(name, f"Le champ « {name} » doit être un nombre.")
    try:
        result = float(value.replace(",", ".") if isinstance(value, str) else value)
    except (ValueError, OverflowError):  # OverflowError: an integer of 400 digits
        result = math.nan
    if not (math.isfinite(result) and low <= result <= high):
        raise InvalidEntry(name, f"Champ « {name} » : attendu un nombre entre {low:g} et {high:g}.")
    return result


def latitude(name: str, value: Any) -> float | None:
    """A latitude in degrees (optional)."""
    return number(name, value, -90, 90)


def longitude(name: str, value: Any) -> float | None:
    """A longitude in degrees (optional)."""
    return number(name, value, -180, 180)


def day(name: str, value: Any) -> date | None:
    """An ISO date YYYY-MM-DD (optional)."""
    result = text(name, value, max_length=10)
    if result is None:
        return None
    try:
        return date.fromisoformat(result)
    except ValueError:
        raise InvalidEntry(name, f"Champ « {name} » : attendu une date AAAA-MM-JJ.") from None


def boolean(name: str, value: Any) -> bool:
    """A boolean; CSV cells may say oui/non, true/false, 1/0."""
    if isinstance(value, bool):
        return value
    if value is None or value == "":
        return False
    if isinstance(value, str) and value.strip().lower() in ("oui", "true", "1", "vrai"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("non", "false", "0", "faux"):
        return False
    raise InvalidEntry(name, f"Champ « {name} » : attendu vrai ou faux.")


def word_list(name: str, value: Any, check: Callable[[str], bool] | None = None) -> tuple[str, ...]:
    """A list of short codes: a JSON list, or text separated by commas or semicolons."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [part for part in re.split(r"[,;|]", value) if part.strip()]
    if not isinstance(value, list) or len(value) > 50:
        raise InvalidEntry(name, f"Le champ « {name} » doit être une liste (50 au plus).")
    items = tuple(required(name, item, 100) for item in value)
    for item in items:
        if check is not None and not check(item):
            raise InvalidEntry(name, f"Champ « {name} » : code invalide « {item[:40]} ».")
    return tuple(dict.fromkeys(items))


def zone_code(code: str) -> bool:
    """An eligibility zone code: 'france', a département, an EPCI (SIREN) or a commune."""
    return code == "france" or bool(DEPARTMENT.match(code) or EPCI.match(code) or INSEE.match(code))


def department_of(insee_code: str) -> str:
    """The département code of a commune: "15138" -> "15", "97411" -> "974"."""
    return insee_code[:3] if insee_code.startswith("97") else insee_code[:2]


def only_known(data: Mapping[str, Any], allowed: tuple[str, ...] | frozenset[str]) -> None:
    """Refuse fields this write does not know (a typo in a field name would be lost)."""
    for name in data:
        if name not in allowed:
            raise InvalidEntry(str(name)[:60], f"Champ inconnu : « {str(name)[:60]} ».")


def body_object(data: Any) -> Mapping[str, Any]:
    """A JSON body must be an object."""
    if not isinstance(data, dict):
        raise InvalidEntry("body", "Le corps de la requête doit être un objet JSON.")
    return data
