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

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# French (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, 0033...) and international
# (+44 20 7946 0958) numbers: 8 to 15 digits, with spaces, dots, dashes or brackets between.
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s.\-()]{0,2}\d){7,14}(?!\w)")

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
    masked = PHONE.sub(PHONE_MASK, masked)
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
