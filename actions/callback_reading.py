"""Reading what the newcomer types during the call-back form, whatever the model's intent.

The model was not trained on names, phone numbers or ways to leave a form ("Claire Martin"
reads as a childcare question, "annuler" as nothing): these words are read here, so the form
can always be left and details given up front fill it instead of being searched as places.
"""

from __future__ import annotations

import re
from typing import Optional

from actions.communes import fold
from actions.kinds import kinds_named, topics_named

# Ways to leave, in folded form (lower case, no accents, words split on punctuation).
EXITS = re.compile(
    r"\b(annul\w*|stop|stoppe[rz]?|arrete[rz]?|on arrete|je refuse|refuse|laisse[rz]? tomber"
    r"|non merci|change d avis|changer d avis|pas la peine|sans facon|abandonn\w*"
    r"|finalement non|quitter|cancel|forget it|never mind|no thanks)\b"
    # "je ne veux pas" ends the message: "je veux plus d'informations" is a question
    r"|\bje (ne )?veux (pas|plus)( finalement| en fait| merci)*$"
)
# "non" leaves when it is the answer, not a word inside a sentence ("Nonna" is a name).
LEADING_NO = re.compile(r"^(?:(?:euh|ah|bon|heu|oh|ben|bah)\s+)*(?:non|no|nan|nope)\b")
NO_PHONE = re.compile(r"\bpas (de|d un) (telephone|tel|portable|numero|mobile)\b")
EXIT_MAX_WORDS = 8  # exits are short; a longer question may say "annuler" about something else
QUESTION_EXIT_MAX_WORDS = 5  # the question step is free text: "annulation de mon bail"
YES = re.compile(
    r"^(?:(?:euh|ah|bon|ben)\s+)*(oui|ouais|yes|ok|okay|d accord|dac|j accepte|je suis d accord"
    r"|volontiers|bien sur|allez|c est parti|on continue|on reprend|continuons|reprenons)\b"
)

EMAIL_IN_TEXT = re.compile(r"[^@\s,;:<>()]+@[^@\s,;:<>()]+\.[A-Za-z]{2,}")
PHONE_IN_TEXT = re.compile(r"(?:\+|00)?\d[\d .\-()]{7,}\d")
FRENCH_PHONE = re.compile(r"^(?:0|\+33|0033)[1-9]\d{8}$")
INTERNATIONAL_PHONE = re.compile(r"^\+[1-9]\d{7,14}$")

NAME_WORD = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+"
# "je m'appelle Paul Girard", "mon nom c'est jean dupont", "je suis Marie de La Tour".
INTRODUCED = re.compile(
    r"(?i:\bje m['’ ]?appelle|\bmon nom est|\bmon nom c['’ ]?est|\bmoi c['’ ]?est"
    r"|\bici|\bje suis)\s+([^,.;:!?\d@()]+)"
)
# Two or three capitalised words ("Bonjour, Anne Leroy, anne.leroy@…"), read as a name
# only when the message also gives a contact.
CAPITALISED = re.compile(rf"\b({NAME_WORD}(?:\s+{NAME_WORD}){{1,2}})\b")
NAME_ENDS = {"et", "mon", "ma", "mes", "numero", "tel", "telephone", "mail", "email", "je",
             "j", "rappel", "rappelez", "pouvez", "svp", "merci", "au", "a"}
# Capitalised words that start a sentence or greet, not names.
NOT_NAMES = {
    "bonjour", "bonsoir", "salut", "merci", "madame", "monsieur", "pouvez", "pourriez",
    "je", "j", "mon", "ma", "moi", "nous", "on", "oui", "non", "est", "c", "vous", "bien",
    "cordialement", "hello", "hi", "my", "i",
}
# Words of a question or a sentence: a name has none of them.
SENTENCE_WORDS = {
    "je", "j", "tu", "il", "elle", "on", "nous", "vous", "ils", "y", "a", "au", "aux", "un",
    "une", "des", "les", "est", "c", "ce", "ca", "qui", "que", "quoi", "ou", "pour", "avec",
    "dans", "sur", "par", "pas", "ne", "mon", "ma", "mes", "votre", "vos", "fait", "cherche",
    "veux", "voudrais", "faut", "quel", "quelle", "comment", "combien", "bus", "car", "train",
    "oui", "non", "merci", "svp", "bonjour", "the", "is", "and", "my", "i",
}
CALL_BACK_WORDS = re.compile(
    r"\b(rappel\w*|recontact\w*|me contacte\w*|m appele\w*|me telephone\w*|me joindre"
    r"|(contactez|appelez|ecrivez|joignez) moi|call me|call back|contact me)\b"
)
TOPIC_INTENTS = {"ask_jobs", "ask_telework", "ask_childcare", "ask_transport"}


def wants_to_leave(text: str, free_text: bool = False) -> bool:
    """The newcomer wants to leave the form ("annuler", "stop", "non merci", "je refuse").

    `free_text`: the step takes any text (the question), so only a very short message leaves.
    """
    folded = fold(text)
    words = len(text.split())
    if not folded or words > EXIT_MAX_WORDS:
        return False
    if LEADING_NO.search(folded):  # "non", "euh non, stop": an answer, not a question
        return True
    longest = QUESTION_EXIT_MAX_WORDS if free_text else EXIT_MAX_WORDS
    return words <= longest and bool(EXITS.search(folded))


def has_no_phone(text: str) -> bool:
    """No phone to give ("pas de téléphone"): maybe an e-mail."""
    return bool(NO_PHONE.search(fold(text)))


def says_yes(text: str) -> bool:
    return bool(YES.search(fold(text)))


def parse_contact(text: str) -> tuple[Optional[str], Optional[str]]:
    """(email, phone) when the whole text is one of them; both None otherwise."""
    value = text.strip()
    if EMAIL_IN_TEXT.fullmatch(value):
        return value.lower(), None
    digits = re.sub(r"[\s.\-()]", "", value)
    if FRENCH_PHONE.match(digits) or INTERNATIONAL_PHONE.match(digits):
        return None, digits
    return None, None


def contact_in(text: str) -> Optional[str]:
    """An e-mail address or a phone number anywhere in the text ("mon numéro est le 06…")."""
    email = EMAIL_IN_TEXT.search(text)
    if email:
        return email.group(0).lower().rstrip(".")
    for candidate in PHONE_IN_TEXT.findall(text):
        _, phone = parse_contact(candidate)
        if phone:
            return phone
    return None


def name_in(text: str) -> Optional[str]:
    """A name given in a sentence: "je m'appelle Paul Girard", "Bonjour, Anne Leroy, …"."""
    for match in INTRODUCED.finditer(text):
        words: list[str] = []
        for word in match.group(1).split():
            if fold(word) in NAME_ENDS or len(words) == 4:
                break
            words.append(word)
        is_je_suis = fold(match.group(0)).startswith("je suis")
        if words and not (is_je_suis and not words[0][0].isupper()):
            return " ".join(w[0].upper() + w[1:] if w.islower() and len(w) > 3 else w
                            for w in words)
    if contact_in(text) is None:
        return None
    for match in CAPITALISED.finditer(EMAIL_IN_TEXT.sub(" , ", text)):
        found = match.group(1).split()
        while found and fold(found[0]) in NOT_NAMES:
            found = found[1:]
        if len(found) >= 2:
            return " ".join(found)
    return None


def looks_like_name(text: str) -> bool:
    """A bare name ("Claire Martin", "Nonna"), not a question ("une crèche à Murat ?")."""
    value = " ".join(text.split())
    if not 2 <= len(value) <= 80 or "?" in value or any(ch.isdigit() for ch in value):
        return False
    if "@" in value or not re.fullmatch(r"[A-Za-zÀ-ÖØ-öø-ÿ'’ .-]+", value):
        return False
    words = fold(value).split()
    if not 1 <= len(words) <= 5 or any(word in SENTENCE_WORDS for word in words):
        return False
    return not kinds_named(value) and not topics_named(value)


def asks_call_back_with_details(text: str) -> bool:
    """A call-back request that already gives a name or a contact.

    "Rappelez-moi, je m'appelle Paul Girard, 06…": the form starts with them, and nothing
    is searched as a place.
    """
    return bool(CALL_BACK_WORDS.search(fold(text))) and gives_details(text)


def gives_details(text: str) -> bool:
    """The message gives a phone number, an e-mail address or a name stated as such."""
    return contact_in(text) is not None or name_in(text) is not None


def phone_for_reading(phone: str) -> str:
    """A French number as people read it ("06 98 76 54 32"); others as typed."""
    if re.fullmatch(r"0\d{9}", phone):
        return " ".join(phone[i:i + 2] for i in range(0, 10, 2))
    return phone
