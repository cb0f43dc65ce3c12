"""
Where a message's places stand: the newcomer's home, where a trip starts, where it goes.

"j'habite à Allanche", "on arrive à Mende" name the home; "depuis Allanche", "de Condat à
Murat" name a trip's origin then its destination; "à Murat", "vers Murat" name the place asked
about. Each place is resolved against the territory's communes (communes.resolve, with
truncations such as "mura" allowed after a place word); a place that is no commune of the
territory is kept as typed, so the answer can say it lies outside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from actions import communes as commune_names
from actions.directory_client import Commune
from actions.kinds import KIND_WORDS, TOPIC_WORDS

HOME, ORIGIN, DESTINATION, PLACE = "home", "origin", "destination", "place"

# Folded words before a place, and the role they give it. Longest first when matching.
ROLE_WORDS: dict[str, str] = {
    "j habite a": HOME, "j habite au": HOME, "j habite": HOME, "on habite a": HOME,
    "on habite": HOME, "nous habitons a": HOME, "nous habitons": HOME, "je vis a": HOME,
    "on vit a": HOME, "nous vivons a": HOME, "je suis a": HOME, "on est a": HOME,
    "nous sommes a": HOME, "je reside a": HOME, "on s installe a": HOME,
    "nous nous installons a": HOME, "je m installe a": HOME, "on arrive a": HOME,
    "nous arrivons a": HOME, "j arrive a": HOME, "on demenage a": HOME,
    "je demenage a": HOME, "on emmenage a": HOME, "ma commune c est": HOME,
    "depuis": ORIGIN, "au depart de": ORIGIN, "en partant de": ORIGIN, "partant de": ORIGIN,
    "pour aller a": DESTINATION, "pour aller au": DESTINATION, "aller a": DESTINATION,
    "aller au": DESTINATION, "jusqu a": DESTINATION, "direction": DESTINATION,
    "en direction de": DESTINATION, "a destination de": DESTINATION,
    "a": PLACE, "au": PLACE, "vers": PLACE, "pres de": PLACE, "pres d": PLACE,
    "proche de": PLACE, "autour de": PLACE, "du cote de": PLACE, "sur": PLACE,
    "secteur": PLACE, "dans le coin de": PLACE, "pour": PLACE, "de": PLACE, "d": PLACE,
    "commune de": PLACE, "aux environs de": PLACE, "environs de": PLACE,
}  # fmt: skip
# After these, a place typed in lower case is still a place ("depuis lyon").
SURE_PLACE_WORDS = frozenset(
    word for word, role in ROLE_WORDS.items() if role != PLACE or len(word) > 3
) - {"pour", "sur", "secteur", "direction"}
MAX_PLACE_WORDS = 5
NOT_PLACES = frozenset({
    "la", "le", "les", "l", "un", "une", "des", "du", "mon", "ma", "mes", "notre", "nos",
    "votre", "vos", "ce", "cette", "quoi", "qui", "moi", "nous", "vous", "temps", "pied",
    "domicile", "distance", "proximite", "cote", "partir", "plein", "mi", "demande", "midi",
    "velo", "cheval", "bientot", "reprendre", "vendre", "louer", "trouver", "garder",
    "travailler", "faire", "aller", "venir", "rester", "dire", "savoir", "voir",
    "quelle", "quel", "quelles", "quels", "combien", "comment", "enfant", "enfants", "fils",
    "fille", "bebe", "mari", "femme", "famille", "ans", "mois", "semaine", "jour", "heure",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "part", "peu",
    "tout", "tous", "toute", "plus", "moins", "rien", "autre", "autres", "chaque", "y",
    "il", "elle", "ils", "elles", "on", "je", "j", "tu", "en", "et", "ou", "oui", "non",
    "si", "merci", "bonjour", "svp", "stp", "s", "c", "qu", "que", "ne", "pas", "aide",
    "emploi", "travail", "partiel", "complet", "ecole", "college", "lycee", "creche",
    "france", "pole", "mission", "point", "transport", "train", "bus", "car", "plusieurs",
    "son", "sa", "ses", "leur", "leurs", "supermarche", "marche", "boulot", "hopital",
    "medecin", "rendez", "mairie", "centre", "village", "bourg", "coin", "secteur", "region",
    "campagne", "ville", "montagne", "british", "the", "my", "our", "your", "family",
    "soir", "matin", "chez", "maison", "heures", "place",
    "places", "possible", "pourvoir", "d", "toi", "eux", "lui", "entre", "cause", "condition",
    "nouveau", "priori", "peine", "fond", "deux", "trois", "quatre", "cinq", "proche",
    "proches", "noel", "paques", "rentree", "ete", "hiver",
    "automne", "printemps", "vacances", "vie", "long", "terme", "court", "loyer", "vente",
    "acheter", "avance",
})  # fmt: skip


# Little words inside names ("Chaudes-Aigues" no, "Vic sur Cère", "Le Puy en Velay").
NAME_LINKS = frozenset({"sur", "en", "es", "les", "le", "la", "de", "du", "des", "d", "l",
                        "sous", "saint", "sainte", "et"})
# Words that end a place typed in lower case.
RUN_STOPS = frozenset({
    "a", "au", "aux", "pour", "avec", "ou", "y", "il", "elle", "on", "je", "j", "depuis",
    "ce", "cet", "cette", "ca", "c", "qui", "que", "quand", "un", "une", "svp", "stp", "sans",
    "matin", "soir", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "merci", "car", "mais", "donc", "par", "pas", "ne", "n", "est", "sont", "dans",
    "vers", "pres", "entre", "chez",
})  # fmt: skip
_KIND_WORDS = frozenset(
    word for words in (*KIND_WORDS.values(), *TOPIC_WORDS.values()) for phrase in words
    for word in commune_names.fold(phrase).split() if len(word) > 3
)


@dataclass(frozen=True)
class Place:
    """A place a message names: the commune of the territory it is, else None, and how typed."""

    role: str
    typed: str
    commune: Optional[Commune]


_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _tokens(text: str) -> list[tuple[str, str]]:
    """(as typed, folded) for each word; hyphenated or elided names stay one token."""
    found = []
    for match in _WORD.finditer(text[: commune_names.MAX_SCANNED_CHARS]):
        folded = commune_names.fold(match.group())
        if folded:
            found.append((match.group(), folded))
    return found


def _role_before(folded_words: list[str], start: int) -> Optional[tuple[str, int]]:
    """The role given by the words just before `start`, and how many words gave it."""
    for size in range(4, 0, -1):
        if start - size < 0:
            continue
        words = " ".join(folded_words[start - size : start])
        if words in ROLE_WORDS:
            return ROLE_WORDS[words], size
    return None


def places_in(text: str, communes: Sequence[Commune]) -> list[Place]:
    """The places a message names, in order, each with its role.

    A run of words after a place word is a place when it resolves to a commune (longest run
    first), or when it looks like a name: capitalised, or after a word that only places follow
    ("depuis", "j'habite à"). "de X à Y" makes X the origin and Y the destination.
    """
    tokens = _tokens(text)
    # Elided words split: "d'Aubusson" → "d", "aubusson"; keep typed forms aligned.
    typed_words: list[str] = []
    folded_words: list[str] = []
    for typed, folded in tokens:
        parts = folded.split()
        typed_parts = re.split(r"['’]", typed, maxsplit=1) if len(parts) > 1 else [typed]
        if len(typed_parts) != len(parts):
            typed_parts = [typed] + [""] * (len(parts) - 1)
        typed_words += typed_parts
        folded_words += parts
    known = commune_names.index(communes)
    places: list[Place] = []
    index = 0
    while index < len(folded_words):
        before = _role_before(folded_words, index)
        if before is None:
            index += 1
            continue
        role, size = before
        looks_like_name = typed_words[index][:1].isupper()
        said_as_place = " ".join(folded_words[index - size : index]) in SURE_PLACE_WORDS
        partial = looks_like_name or said_as_place
        place = _place_at(typed_words, folded_words, index, known, partial)
        unnamed = place is None or place[1] is None
        if unnamed and (not partial or folded_words[index] in NOT_PLACES or place is None):
            index += 1
            continue
        words_used, commune = place
        typed = " ".join(typed_words[index : index + words_used]).strip()
        places.append(Place(role, typed, commune))
        index += words_used
    return _trip_roles(text, places)


def _place_at(
    typed_words: list[str],
    folded_words: list[str],
    start: int,
    communes: commune_names.Index,
    partial: bool,
) -> Optional[tuple[int, Optional[Commune]]]:
    """(words used, commune) for the longest run at `start` naming a commune.

    Else the run of capitalised words, a place outside the territory (None when too short to
    be a name).
    """
    longest = min(MAX_PLACE_WORDS, len(folded_words) - start)
    runs = [(size, " ".join(folded_words[start : start + size])) for size in range(longest, 0, -1)]
    for size, run in runs:  # an exact name first: "Condat" in "de Condat à Murat"
        commune = commune_names.exact(run, communes)
        if commune is not None:
            return size, commune
    for size, run in runs:
        commune = commune_names.resolve(run, communes, partial=partial and size == 1)
        if commune is not None:
            return size, commune
    # Not a commune of the territory: a capitalised name runs over its capitalised words
    # ("Clermont Ferrand"; "Clermont-Ferrand" is one typed word); one typed in lower case
    # after a place word runs to the next little word ("vers st flour le matin").
    first = folded_words[start]
    if len(first) < 3 or first.isdigit() or first in NOT_PLACES or first in _KIND_WORDS:
        return None
    capitalised = typed_words[start][:1].isupper()
    size = 1
    while start + size < len(folded_words) and size < MAX_PLACE_WORDS:
        typed, folded = typed_words[start + size], folded_words[start + size]
        is_role = folded in ROLE_WORDS and folded not in NAME_LINKS
        if typed and (folded in RUN_STOPS or is_role or folded in _KIND_WORDS):
            break
        if typed and capitalised and not typed[:1].isupper() and folded not in NAME_LINKS:
            break
        size += 1
    while size > 1 and folded_words[start + size - 1] in NAME_LINKS:  # "Murat en" → "Murat"
        size -= 1
    return size, None


def _trip_roles(text: str, places: list[Place]) -> list[Place]:
    """Read "de X à Y": the first place is where the trip starts, the second where it goes."""
    if len(places) < 2 or places[0].role != PLACE or places[1].role != PLACE:
        return places
    folded = f" {commune_names.fold(text)} "
    first, second = commune_names.fold(places[0].typed), commune_names.fold(places[1].typed)
    trip = re.search(rf" (?:de|d|du) {re.escape(first)} (?:a|au|vers|jusqu a) "
                     rf"{re.escape(second)} ", folded)
    if trip is None:
        return places
    return [
        Place(ORIGIN, places[0].typed, places[0].commune),
        Place(DESTINATION, places[1].typed, places[1].commune),
        *places[2:],
    ]
