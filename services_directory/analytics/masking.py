"""
Personal data out of analytics.

E-mail addresses, phone numbers and the names given in the call-back form never reach a page
or an export.

Masking happens once, when conversations are read (conversations.py), so every figure, page
and export only ever sees masked text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# E-mail addresses, also as people write them to dodge robots: "prenom.nom (at) domaine.fr",
# "prenom.nom [at] domaine [dot] fr", "arobase", "point", spaced dots, the full-width and
# small at signs.
_AT = (
    r"(?:\s*[@＠﹫]\s*|\s*[(\[{<]\s*(?:at|arobase|@|＠)\s*[)\]}>]\s*"
    r"|\s+(?:at|arobase)\s+)"
)
_DOT = r"(?:[.．]|\s+[.．]\s+|\s*[(\[{<]\s*(?:dot|point|\.)\s*[)\]}>]\s*|\s+(?:dot|point)\s+)"
EMAIL = re.compile(rf"(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+", re.IGNORECASE)
# French numbers: 0 (or +33, 0033, 33, "(+33)", with an optional "(0)") and nine digits, the
# four pairs split by one same separator, "/" and "_" included: "06 / 12 / 34 / 56 / 78",
# "06_12_34_56_78". `\d` takes full-width digits too ("０６ １２ …"); `(?![0０])\d`: 1 to 9.
FRENCH_PHONE = re.compile(
    r"(?<![\w+])(?:[0０]|\(?(?:\+|00)?\s?33\)?\s?(?:\(0\)\s?)?)(?![0０])\d"
    r"(?P<sep>[\s./_-]{0,3})\d{2}(?:(?P=sep)\d{2}){3}(?!\w)"
)
# Mixed separators: ten digits from 0, spaces, dots or dashes between (no "/": dates and times,
# "le 01/09/2024 12h", must stay).
NATIONAL_PHONE = re.compile(r"(?<![\w+])[0０][\s.\-]{0,2}(?![0０])\d(?:[\s.\-]{0,2}\d){8}(?!\w)")
# International numbers (+44 20 7946 0958): 8 to 15 digits after "+" or "00". Without that
# prefix a run of digits is a year span, a population, a postcode: not masked.
PHONE = re.compile(r"(?<![\w+])(?:\+|00)\d(?:[\s.\-()/_]{0,3}\d){7,14}(?!\w)")
EMAIL_MASK = "[e-mail masqué]"
PHONE_MASK = "[téléphone masqué]"
NAME_MASK = "[nom masqué]"

# What the call-back form asks for, and what stands in for the answer.
FORM_ANSWER_MASKS = {
    "callback_name": NAME_MASK,
    "callback_contact": "[coordonnées masquées]",
    "callback_question": "[question du formulaire de rappel masquée]",
}


def mask(text: str, names: Iterable[str] = ()) -> str:
    """
    The text with e-mails, phone numbers and the given names replaced by a placeholder.

    Args:
        text: what was said.
        names: personal values known for the conversation (names given in the form...).
    """
    masked = EMAIL.sub(EMAIL_MASK, text)
    for phone in (FRENCH_PHONE, NATIONAL_PHONE, PHONE):
        masked = phone.sub(PHONE_MASK, masked)
    for name in _name_parts(names):
        masked = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", NAME_MASK, masked, flags=re.I)
    return masked


def _name_parts(names: Iterable[str]) -> list[str]:
    """Each name whole, then each of its words of 3 letters or more; longest first."""
    parts: set[str] = set()
    for name in names:
        words = (name or "").split()
        if words:
            parts.add(" ".join(words))
            parts.update(word for word in words if len(word) >= 3)
    return sorted(parts, key=len, reverse=True)
