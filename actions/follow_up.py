"""
Reading a follow-up about the last results ("le 2", "d'autres ?", "c'est ouvert le mercredi ?").

The forms read: "le 2", "la première", "celle de Condat", a part of a name, "d'autres ?",
"plus près de Murat", and questions on hours, fees, address, booking, places, contact.

The actions read the words themselves, so that the model needs no intent for them: whatever
intent such a message gets today (nlu_fallback, a topic, inform_commune, ask_territory), the
action it leads to asks this reader first. Folded text (communes.fold): no accents, no case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from actions.communes import fold
from actions.directory_client import Service

MORE, NEARER, CHOOSE, DETAIL = "more", "nearer", "choose", "detail"
HOURS, DAY, NOW, FEES, ADDRESS, BOOKING, PLACES, CONTACT, DESCRIPTION = (
    "hours", "day", "now", "fees", "address", "booking", "places", "contact", "description")

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
            "dimanche": 6}
ORDINALS = {
    "premier": 1, "premiere": 1, "1er": 1, "1ere": 1, "deuxieme": 2, "second": 2,
    "seconde": 2, "2eme": 2, "2e": 2, "troisieme": 3, "3eme": 3, "3e": 3, "quatrieme": 4,
    "4eme": 4, "4e": 4, "cinquieme": 5, "5eme": 5, "5e": 5, "dernier": -1, "derniere": -1,
}
NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}

# Folded patterns of each question, the most specific first.
DETAIL_PATTERNS: tuple[tuple[str, str], ...] = (
    (PLACES, r"\b(reste|restent|il y a|encore) (t il )?(de la |des )?places?\b"
             r"|\bplaces? (libres?|disponibles?|dispo)\b|\bcomplets?\b"),
    (BOOKING, r"\b(reserv\w*|inscri\w*|rendez vous|rdv)\b"),
    (NOW, r"\b(ouvert|ouverte|ferme|fermee)s? (en ce moment|maintenant|actuellement"
          r"|aujourd hui|la)\b|\bouvert (ce|cet) (matin|apres midi|soir)\b"),
    (DAY, r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s?\b"),
    # "ferme" is also a farm: "une cession de ferme", "la ferme de Chanet".
    (HOURS, r"\b(horaires?|heures? d ouverture|ouvert|ouverte|ouvre|ouvrent|ouverture"
            r"|(?<!de )(?<!une )(?<!la )(?<!d une )ferme(?! \w+ine\b)"
            r"|ferment|fermeture|a quelle heure|le week end|le weekend)\b"),
    (FEES, r"\b(combien|prix|tarifs?|coute|coutent|cout|payant|payer|gratuit|gratuite|euros?"
           r"|cher|paie|paye|frais|abonnement)\b"),
    (ADDRESS, r"\b(c est ou|ou est ce|ou c est|ou se trouve|ou ca se trouve|ou ils sont"
              r"|ou elle est|ou il est|adresse|ou exactement|situe|situee|y aller"
              r"|s y rendre)\b|^(c )?ou( ca| c est| est ce| sont ils| est elle| est il)?$"),
    (CONTACT, r"\b(contact\w*|joindre|appeler|telephone|tel|numero(?! \d)|mail|e mail|email"
              r"|courriel|site)\b"),
    (DESCRIPTION, r"\b(c est quoi|qu est ce que c est|ca consiste|en quoi|description|details?"
                  r"|plus d infos?|plus d informations?|en savoir plus|ils font quoi"
                  r"|presentation|quel age|a partir de quel|cdi|cdd|temps plein|temps partiel"
                  r"|salaire|experience|diplome)\b"),
)
MORE_PATTERN = re.compile(
    r"\b(d autres?|autres? (adresses?|choses?|resultats?|solutions?|propositions?|lieux"
    r"|options?|possibilites?)|autre chose|la suite|encore d autres"
    r"|plus de (choix|resultats?|adresses?)|les suivants?|suivants?|pas d autres?)\b"
)
# A new need, not a question about the results: "je cherche une nounou".
NEW_NEED_PATTERN = re.compile(r"\b(cherche|cherchons|recherche|trouver|besoin d|il me faut)\b")
NEARER_PATTERN = re.compile(r"\bplus (pres|proche|proches) (de |d |du |des )?(?P<place>.+)$")
CHOOSE_PLACE_PATTERN = re.compile(
    r"\b(celle|celui|celles|ceux|la|le|les|l) (de|d|du|a|au|sur) (?P<place>.+)$")
PICK_BY_PLACE_PATTERN = re.compile(r"^(celle|celui|celles|ceux) (de|d|du|a|au|sur) (?P<place>.+)$")
CHOOSE_NUMBER_PATTERN = re.compile(r"\b(?:le|la|l|numero|n|no|choix|option) (?P<n>[1-9])\b")
MAX_NAME_WORDS = 4  # "et les marmottes ?"; a longer message naming a word is a new question
# Words too common to pick an entry by its name.
NOT_NAME_WORDS = frozenset({
    "les", "des", "une", "pour", "avec", "dans", "est", "elle", "ils", "elles", "quoi", "quel",
    "quelle", "cette", "celle", "celui", "vous", "nous", "moi", "plus", "tout", "aussi", "merci",
    "bonjour", "oui", "non", "creche", "micro", "maison", "ligne", "espace", "centre", "relais",
    "accueil", "service", "services", "point", "emploi", "offre", "autre", "autres", "adresse",
    "adresses", "horaires", "ouvert", "combien", "prix", "tarif", "tarifs", "places", "place",
    "reserver", "contact", "numero", "mercredi", "lundi", "mardi", "jeudi", "vendredi",
    "samedi", "dimanche", "garde", "enfant", "enfants", "travail", "bus", "car", "gare",
})


@dataclass(frozen=True)
class FollowUp:
    """What a message asks about the last results."""

    act: str  # MORE, NEARER, CHOOSE or DETAIL
    detail: Optional[str] = None  # for DETAIL: HOURS, DAY, NOW, FEES, ...
    weekday: Optional[int] = None  # for DAY
    place: Optional[str] = None  # for NEARER: the place as typed (folded)
    chosen: Optional[int] = None  # index in the results, when the message picks one


def read(text: str, results: Sequence[Service]) -> Optional[FollowUp]:
    """The follow-up this message is, or None when it is not one (a new question)."""
    folded = fold(text)
    if not folded or not results:
        return None
    nearer = NEARER_PATTERN.search(folded)
    if nearer:
        return FollowUp(NEARER, place=nearer.group("place").strip())
    if NEW_NEED_PATTERN.search(folded):
        return None
    chosen = chosen_index(folded, results)
    detail = _detail(folded)
    if detail:
        weekday = next((d for w, d in WEEKDAYS.items() if re.search(rf"\b{w}s?\b", folded)), None)
        return FollowUp(DETAIL, detail=detail, weekday=weekday, chosen=chosen)
    if MORE_PATTERN.search(folded) and chosen is None:
        return FollowUp(MORE)
    if chosen is not None:
        return FollowUp(CHOOSE, chosen=chosen)
    by_place = PICK_BY_PLACE_PATTERN.search(folded)
    if by_place:  # "celle de Condat" when none is at Condat: said, not searched again
        return FollowUp(CHOOSE, place=by_place.group("place"))
    return None


def _detail(folded: str) -> Optional[str]:
    for detail, pattern in DETAIL_PATTERNS:
        if re.search(pattern, folded):
            return detail
    return None


def chosen_index(folded: str, results: Sequence[Service]) -> Optional[int]:
    """Which result the message picks: an ordinal, a number, its commune, or its name."""
    words = folded.split()
    for word in words:
        if word in ORDINALS:
            return _in_range(ORDINALS[word], results)
    number = CHOOSE_NUMBER_PATTERN.search(folded)
    if number:
        return _in_range(int(number.group("n")), results)
    if len(words) == 1 and words[0].isdigit():  # "2" alone; "2 enfants" is no choice
        return _in_range(int(words[0]), results)
    if len(words) <= 3 and words[-1] in NUMBER_WORDS and words[0] in ("le", "la", "l"):
        return _in_range(NUMBER_WORDS[words[-1]], results)
    by_place = CHOOSE_PLACE_PATTERN.search(folded)
    if by_place:
        place = by_place.group("place")
        found = [i for i, s in enumerate(results)
                 if s.commune_name and _starts(place, fold(s.commune_name))]
        if len(found) == 1:
            return found[0]
    return _by_name(words, results) if len(words) <= MAX_NAME_WORDS else None


def _starts(typed: str, name: str) -> bool:
    if typed == name or typed.startswith(name + " "):
        return True
    return len(typed) >= 4 and name.startswith(typed)  # "celle de neussargues"


def _in_range(number: int, results: Sequence[Service]) -> Optional[int]:
    if number == -1:
        return len(results) - 1
    return number - 1 if 1 <= number <= len(results) else None


def _by_name(words: list[str], results: Sequence[Service]) -> Optional[int]:
    """The one result whose name holds a distinctive word of the message ("les marmottes")."""
    places = {w for s in results for w in fold(s.commune_name or "").split()}
    wanted = {w for w in words
              if len(w) >= 4 and w not in NOT_NAME_WORDS and w not in places and not w.isdigit()}
    if not wanted:
        return None
    found = [i for i, s in enumerate(results) if wanted & set(fold(s.name).split())]
    return found[0] if len(found) == 1 else None
