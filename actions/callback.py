"""The call-back form: name, e-mail or phone, question, then explicit consent.

Nothing leaves the conversation before the newcomer consents; once sent, the details are
cleared from the slots.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers
from actions.contact import contact_of, territory_of
from actions.conversation import territory_slug
from actions.directory_client import DirectoryUnavailable, directory

FORM_SLOTS = ("callback_name", "callback_contact", "callback_question", "callback_consent")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
FRENCH_PHONE = re.compile(r"^(?:0|\+33|0033)[1-9]\d{8}$")
INTERNATIONAL_PHONE = re.compile(r"^\+[1-9]\d{7,14}$")


def parse_contact(text: str) -> tuple[Optional[str], Optional[str]]:
    """(email, phone) found in what the newcomer typed; both None when neither is valid."""
    value = text.strip()
    if EMAIL.match(value):
        return value.lower(), None
    digits = re.sub(r"[\s.\-()]", "", value)
    if FRENCH_PHONE.match(digits) or INTERNATIONAL_PHONE.match(digits):
        return None, digits
    return None, None


class _Ask(Action):
    """Ask for one slot of the form (Rasa calls `action_ask_<slot>`)."""

    slot = ""
    question = ""
    buttons: list[dict[str, str]] = []

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=self.question, buttons=self.buttons)
        return []


class AskName(_Ask):
    slot = "callback_name"
    question = "Pour qu'un agent vous rappelle, quel est votre nom ?"


class AskContact(_Ask):
    slot = "callback_contact"
    question = "Où vous joindre ? Donnez une adresse e-mail ou un numéro de téléphone."


class AskQuestion(_Ask):
    slot = "callback_question"
    question = "Quelle est votre question ou votre projet, en quelques mots ?"


class AskConsent(_Ask):
    slot = "callback_consent"
    question = (
        "J'envoie votre nom, votre contact et votre question au service d'accueil du "
        "territoire, qui s'en servira seulement pour vous répondre. Êtes-vous d'accord ?"
    )
    buttons = [
        {"title": "J'accepte", "payload": "/affirm"},
        {"title": "Je refuse", "payload": "/deny"},
    ]


class ValidateCallbackForm(FormValidationAction):
    """Check each answer and explain what is expected when it does not fit."""

    def name(self) -> str:
        return "validate_callback_form"

    async def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = " ".join(str(value or "").split())
        if 2 <= len(name) <= 80 and not any(ch.isdigit() for ch in name) and "@" not in name:
            return {"callback_name": name}
        dispatcher.utter_message(
            text="Je n'ai pas reconnu un nom. Écrivez simplement votre prénom et votre nom, "
            "par exemple « Marie Dupont »."
        )
        return {"callback_name": None}

    async def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        email, phone = parse_contact(str(value or ""))
        if email or phone:
            return {"callback_contact": email or phone}
        dispatcher.utter_message(
            text="Je n'ai reconnu ni une adresse e-mail ni un numéro de téléphone. "
            "Par exemple : marie.dupont@exemple.fr ou 06 12 34 56 78."
        )
        return {"callback_contact": None}

    async def validate_callback_question(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        question = " ".join(str(value or "").split())
        if 3 <= len(question) <= 1000:
            return {"callback_question": question}
        dispatcher.utter_message(
            text="Dites en quelques mots (1000 caractères au plus) ce que vous souhaitez."
        )
        return {"callback_question": None}


class ActionSubmitLead(Action):
    """Send the call-back request to the territory's agents, only with consent."""

    def name(self) -> str:
        return "action_submit_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        cleared: list[EventType] = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if tracker.get_slot("callback_consent") is not True:
            dispatcher.utter_message(
                text="D'accord, je n'ai rien enregistré. Vous pouvez toujours contacter "
                "directement le service d'accueil."
            )
            return cleared
        client = directory()
        slug = territory_slug(tracker)
        email, phone = parse_contact(tracker.get_slot("callback_contact") or "")
        territory = await territory_of(slug, client)
        try:
            if territory is None:
                raise DirectoryUnavailable("no territory to send the request to")
            await client.add_lead(
                territory.slug,
                name=tracker.get_slot("callback_name") or "",
                question=tracker.get_slot("callback_question") or "",
                email=email,
                phone=phone,
            )
        except DirectoryUnavailable:
            contact = contact_of(territory)  # the directory already had its chance
            dispatcher.utter_message(
                text="Désolé, je n'ai pas pu transmettre votre demande : rien n'a été "
                "enregistré. Contactez directement le service d'accueil. "
                f"{answers.contact_text(contact)}"
            )
            return cleared
        dispatcher.utter_message(
            text=f"C'est transmis : le service d'accueil de {territory.name} vous recontactera. "
            "Merci !"
        )
        return cleared
