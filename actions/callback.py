"""The call-back form: name, e-mail or phone, question, then explicit consent.

Nothing leaves the conversation before the newcomer consents; once sent, the details are
cleared from the slots.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers
from actions import callback_reading as reading
from actions.callback_reading import parse_contact as parse_contact  # re-exported
from actions.contact import contact_of, territory_of
from actions.conversation import intent_name, territory_slug, text
from actions.directory_client import DirectoryUnavailable, directory
from actions.french import de_territory

FORM = "callback_form"
FORM_SLOTS = ("callback_name", "callback_contact", "callback_question", "callback_consent")
REQUESTED_SLOT = "requested_slot"
RESUME_QUESTION = (
    "On reprend votre demande de rappel ? Répondez « oui » pour continuer, "
    "ou « non » pour l'arrêter."
)
RESUME_BUTTONS = [
    {"title": "Oui, continuer", "payload": "/affirm"},
    {"title": "Non, arrêter", "payload": "/deny"},
]
# No territory setting says how soon agents call back: promise no delay.
WHEN_TEXT = (
    "Un agent vous recontactera dès qu'il aura lu votre demande, pendant les jours ouvrés."
)


def _user_turns(tracker: Tracker) -> list[int]:
    return [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]


def _rejected_between(tracker: Tracker, start: int, end: Optional[int] = None) -> bool:
    return any(
        event.get("event") == "action_execution_rejected" and event.get("name") == FORM
        for event in tracker.events[start:end]
    )


def form_resumes(tracker: Tracker) -> bool:
    """The form was set aside for another answer this turn and now comes back."""
    turns = _user_turns(tracker)
    return bool(turns) and _rejected_between(tracker, turns[-1])


def resume_was_asked(tracker: Tracker) -> bool:
    """The previous turn set the form aside, so the bot last asked "On reprend ?"."""
    turns = _user_turns(tracker)
    return len(turns) >= 2 and _rejected_between(tracker, turns[-2], turns[-1])


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
        if form_resumes(tracker):  # a topic question was answered: ask before going on
            dispatcher.utter_message(text=RESUME_QUESTION, buttons=RESUME_BUTTONS)
            return []
        dispatcher.utter_message(text=await self.text(tracker), buttons=self.buttons)
        return []

    async def text(self, tracker: Tracker) -> str:
        return self.question


class AskName(_Ask):
    slot = "callback_name"
    question = (
        "Pour qu'un agent vous rappelle, quel est votre nom ? "
        "Vous pouvez arrêter à tout moment en écrivant « annuler »."
    )


class AskContact(_Ask):
    slot = "callback_contact"
    question = "Où vous joindre ? Donnez une adresse e-mail ou un numéro de téléphone."

    async def text(self, tracker: Tracker) -> str:
        if reading.has_no_phone(text(tracker)):  # "pas de téléphone"
            return (
                "Pas de souci : une adresse e-mail suffit. Laquelle ? "
                "Si vous préférez ne rien laisser, écrivez « annuler »."
            )
        return self.question


class AskQuestion(_Ask):
    slot = "callback_question"
    question = "Quelle est votre question ou votre projet, en quelques mots ?"


class AskConsent(_Ask):
    """The recap of what will be sent, to whom and when to expect the call, then consent."""

    slot = "callback_consent"
    buttons = [
        {"title": "J'accepte", "payload": "/affirm"},
        {"title": "Je refuse", "payload": "/deny"},
    ]

    async def text(self, tracker: Tracker) -> str:
        territory = await territory_of(territory_slug(tracker))
        to = (
            f"au service d'accueil {de_territory(territory.name)} ({territory.contact.name})"
            if territory else "au service d'accueil du territoire"
        )
        contact = tracker.get_slot("callback_contact") or ""
        return (
            f"Voici ce que je vais transmettre {to} :\n"
            f"- nom : {tracker.get_slot('callback_name')}\n"
            f"- pour vous joindre : {reading.phone_for_reading(contact)}\n"
            f"- votre question : {tracker.get_slot('callback_question')}\n"
            "Ces informations servent seulement à vous répondre. "
            f"{WHEN_TEXT} Êtes-vous d'accord pour que je les envoie ?"
        )


class ValidateCallbackForm(FormValidationAction):
    """Read each answer: a way out, details given up front, a topic question, or the answer.

    Rasa runs this action on every turn of the form, whatever the model's intent, so what
    is read here works even for words the model was not trained on.
    """

    def name(self) -> str:
        return "validate_callback_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if form_resumes(tracker):  # back after a topic answer: that message was read already
            return []
        typed = text(tracker)
        asked = tracker.get_slot(REQUESTED_SLOT)
        if asked is None:  # the form starts: take the details the request already gives
            return _details_up_front(typed)
        if reading.wants_to_leave(typed, free_text=asked == "callback_question") or (
            asked != "callback_contact" and reading.has_no_phone(typed)
        ):
            return leave_form()
        if resume_was_asked(tracker) and reading.says_yes(typed):
            return [SlotSet(asked, None)]  # the form asks its question again
        details = _details_up_front(typed) if asked != "callback_question" else []
        if details:  # "je m'appelle Claire Martin", "c'est le 06 12 34 56 78"
            return details
        if asked == "callback_name" and reading.looks_like_name(typed):
            return [SlotSet("callback_name", " ".join(typed.split()))]
        if asked == "callback_contact" and reading.has_no_phone(typed):
            return [SlotSet("callback_contact", None)]  # asked again: an e-mail will do
        if asked == "callback_contact" and reading.contact_in(typed):
            return [SlotSet("callback_contact", reading.contact_in(typed))]
        if asked == "callback_question" and intent_name(tracker) in ASKING_FOR_A_PERSON:
            # "Rappelez-moi, ou écrivez à …" answers the question; the slot mapping leaves
            # call-back requests out, so the form would set itself aside for a new request.
            return [SlotSet("callback_question", " ".join(typed.split())[:1000])]
        if asked != "callback_question" and intent_name(tracker) in reading.TOPIC_INTENTS:
            # Answered by the rules for topic questions; the form then asks to go on. The
            # question the slot mapping took as an answer is dropped.
            return [SlotSet(asked, None), ActionExecutionRejected(FORM)]
        if asked == "callback_consent" and tracker.get_slot("callback_consent") is None:
            if reading.says_yes(typed):
                return [SlotSet("callback_consent", True)]
            dispatcher.utter_message(
                text="Répondez « oui » pour que j'envoie votre demande, ou « non » pour "
                "l'annuler."
            )
            return [SlotSet("callback_consent", None)]
        return await super().run(dispatcher, tracker, domain)

    async def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = " ".join(str(value or "").split())
        if reading.wants_to_leave(name):  # never kept as a name ("je refuse")
            return {"callback_name": None}
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


ASKING_FOR_A_PERSON = {"request_callback", "ask_human"}


def _details_up_front(typed: str) -> list[EventType]:
    """The name and contact a call-back request already gives ("je m'appelle …, 06 …")."""
    found = {
        "callback_name": reading.name_in(typed),
        "callback_contact": reading.contact_in(typed),
    }
    return [SlotSet(slot, value) for slot, value in found.items() if value]


def leave_form() -> list[EventType]:
    """Clear what was given and close the form.

    Without consent, `action_submit_lead` then says nothing was kept and gives the contact.
    """
    return [*(SlotSet(slot, None) for slot in FORM_SLOTS), SlotSet(REQUESTED_SLOT, None)]


class ActionSubmitLead(Action):
    """Send the call-back request to the territory's agents, only with consent."""

    def name(self) -> str:
        return "action_submit_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        cleared: list[EventType] = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if tracker.get_slot("callback_consent") is not True:
            contact = contact_of(await territory_of(territory_slug(tracker)))
            dispatcher.utter_message(
                text="D'accord, j'arrête là : je n'ai rien enregistré et rien n'a été "
                "transmis. Vous pouvez joindre directement le service d'accueil, "
                f"{answers.contact_text(contact)}."
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
            text=f"C'est transmis : le service d'accueil {de_territory(territory.name)} "
            "vous recontactera. "
            "Merci !"
        )
        return cleared
