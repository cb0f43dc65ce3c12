"""
What the assistant says at its limits, in French.

A need outside the four topics, a turn it is unsure about.

One place for these sentences, so that an English version can sit beside it.
"""

from __future__ import annotations

from typing import Optional

from actions.answers import contact_text
from actions.directory_client import Contact

COVERED = "l'emploi, le télétravail, la garde d'enfants et les transports"

NEED_LABELS = {
    "housing": "le logement",
    "health": "la santé et les médecins",
    "school": "l'école et l'inscription scolaire",
    "broadband": "internet et le téléphone à la maison",
    "shops": "les commerces",
    "leisure": "les associations, le sport et les loisirs",
    "weather": "la météo",
    "taxes": "les impôts",
    "paperwork": "les démarches administratives",
}


def need_text(need: Optional[str], contact: Contact) -> str:
    """A need outside the four topics: what the assistant covers, and whom to ask."""
    label = NEED_LABELS.get(need or "")
    what = f"Pour {label}, le" if label else "Pour cette question, le"
    return (
        f"Je peux vous renseigner sur {COVERED}, mais pas sur ce sujet. "
        f"{what} service d'accueil du territoire peut vous aider : {contact_text(contact)}."
    )


CALL_BACK_OFFER = "Vous pouvez aussi laisser vos coordonnées pour qu'un agent vous rappelle."
CALL_BACK_BUTTONS = [
    {"title": "Être rappelé·e", "payload": "/request_callback"},
    {"title": "Non merci", "payload": "/deny"},
]

UNSURE_TEXT = (
    "Je ne suis pas sûr d'avoir bien compris. Votre question porte-t-elle sur l'un de ces sujets ?"
)
NOT_UNDERSTOOD = "Je n'ai pas bien compris. Votre question porte-t-elle sur l'un de ces sujets ?"
OUT_OF_SCOPE_CONTACT = (
    "Pour toute autre question, le service d'accueil du territoire peut vous aider : {contact}."
)
