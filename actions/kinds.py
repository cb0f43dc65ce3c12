"""
The words newcomers use for each kind of service, read by the actions themselves.

The model's `kind` entity covers the words it was trained on; this lexicon covers the rest
(car, navette, TER, nounou, halte-garderie, bureau partagé, atelier, CV, cession…) without
retraining, and tells which topics a message is about when it asks for several things.
Phrases are folded like commune names (communes.fold) and matched as whole words, the
longest first: "point emploi" is employment support before "emploi" is a job offer.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from actions.communes import fold
from actions.names import KINDS
from services_directory.vocabulary import KIND_TOPICS

KIND_WORDS: dict[str, tuple[str, ...]] = {
    "job_offer": (
        "offre d emploi", "offres d emploi", "offre emploi", "offres emploi", "annonce",
        "annonces", "poste", "postes", "emploi", "emplois", "job", "jobs", "boulot", "boulots",
        "travail", "travailler", "taf", "taff", "embauche", "recrute", "recrutement", "cdi",
        "cdd", "interim", "metier", "work",
    ),
    "business_takeover": (
        "reprise", "reprises", "reprendre", "a reprendre", "cession", "cessions", "ceder",
        "cede", "transmission", "rachat", "racheter", "repreneur", "fonds de commerce",
        "commerce a vendre", "affaire a reprendre", "a vendre", "en vente", "takeover",
    ),
    "employment_support": (
        "point emploi", "pole emploi", "france travail", "mission locale", "cap emploi",
        "maison de l emploi", "cv", "curriculum", "lettre de motivation", "conseiller emploi",
        "accompagnement", "aide a la recherche d emploi", "bilan de competences", "formation",
        "formations", "chomage", "inscription", "creation d entreprise", "creer mon entreprise",
        "creer une entreprise", "job centre", "job center",
    ),
    "coworking": (
        "coworking", "co working", "cowork", "bureau partage", "bureaux partages", "bureau",
        "bureaux", "espace de travail", "poste de travail", "shared office",
    ),
    "tiers_lieu": ("tiers lieu", "tiers lieux", "tierslieu", "third place", "lieu partage"),
    "fablab": (
        "fablab", "fab lab", "fablabs", "atelier", "ateliers", "atelier partage",
        "imprimante 3d", "makerspace", "repair cafe",
    ),
    "meeting_room": (
        "salle de reunion", "salles de reunion", "salle", "salles", "visio",
        "visioconference", "salle de visio", "reunion", "meeting room",
    ),
    "creche": (
        "creche", "creches", "crech", "creshe", "halte garderie", "haltes garderies",
        "multi accueil", "multiaccueil", "daycare", "day care", "nursery",
    ),
    "micro_creche": ("micro creche", "micro creches", "microcreche", "microcreches"),
    "assistante_maternelle": (
        "assistante maternelle", "assistantes maternelles", "assistant maternel",
        "assistants maternels", "assmat", "assmats", "asmat", "ass mat", "nounou", "nounous",
        "nourrice", "nourrices", "mam", "maison d assistantes maternelles", "childminder",
        "nanny",
    ),
    "relais_petite_enfance": (
        "relais petite enfance", "rpe", "ram", "relais", "relais assistantes maternelles",
        "relais assistants maternels",
    ),
    "accueil_loisirs": (
        "centre de loisirs", "centre de loisir", "centres de loisirs", "accueil de loisirs",
        "centre aere", "centres aeres", "alsh", "loisirs", "mercredis", "holiday club",
    ),
    "periscolaire": (
        "periscolaire", "peri scolaire", "garderie", "garderies", "apres l ecole",
        "avant l ecole", "after school",
    ),
    "bus": (
        "bus", "autobus", "autocar", "autocars", "un car", "le car", "les cars", "des cars",
        "en car", "du car", "au car", "ligne de car", "lignes de car", "ligne de bus", "cars",
        "ligne", "lignes", "navette", "navettes", "ramassage scolaire", "ramassage",
        "transport scolaire", "transports scolaires", "coach",
    ),
    "transport_a_la_demande": (
        "transport a la demande", "transports a la demande", "tad", "a la demande",
    ),
    "covoiturage": (
        "covoiturage", "covoiturages", "co voiturage", "covoit", "blablacar", "rezo pouce",
        "aire de covoiturage", "carpool", "carpooling", "autostop",
    ),
    "gare": ("gare", "gares", "train", "trains", "ter", "sncf", "intercites", "railway"),
    "location_velo": (
        "velo", "velos", "vae", "location de velo", "location de velos", "velo electrique",
        "velos electriques", "bike", "bikes", "e bike",
    ),
    "transport_solidaire": (
        "transport solidaire", "transports solidaires", "chauffeur solidaire",
        "chauffeurs solidaires", "chauffeurs benevoles", "mobilite solidaire",
    ),
}

# Words that name a topic without naming a kind.
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "jobs": ("emploi", "travail", "boulot", "job", "offre d emploi", "metier", "embauche"),
    "telework": (
        "teletravail", "teletravailler", "coworking", "tiers lieu", "bureau partage",
        "remote",
    ),
    "childcare": (
        "garde d enfant", "garde d enfants", "garde des enfants", "faire garder",
        "mode de garde", "modes de garde", "garde pour", "bebe", "petite enfance",
    ),
    "transport": (
        "transport", "transports", "se deplacer", "me deplacer", "nous deplacer",
        "deplacements", "mobilite", "sans voiture", "pas de voiture", "qu une voiture",
        "une seule voiture", "permis",
    ),
}

# Kind words too common to tell a topic on their own ("en ligne", "une salle", "formation").
WEAK_WORDS = frozenset({
    "ligne", "lignes", "salle", "salles", "bureau", "bureaux", "atelier", "ateliers",
    "reunion", "formation", "formations", "accompagnement", "inscription", "loisirs",
    "mercredis", "relais", "poste", "postes", "a la demande", "annonce", "annonces",
    "a vendre", "en vente", "vae", "cars", "coach", "work", "visio", "ramassage", "reprise",
    "reprendre", "cv",
})  # fmt: skip

# The kinds worth offering when the asked one is missing, closest first.
CLOSE_KINDS: dict[str, tuple[str, ...]] = {
    "job_offer": ("employment_support", "business_takeover"),
    "business_takeover": ("employment_support", "job_offer"),
    "employment_support": ("job_offer", "business_takeover"),
    "coworking": ("tiers_lieu", "meeting_room", "fablab"),
    "tiers_lieu": ("coworking", "fablab", "meeting_room"),
    "fablab": ("tiers_lieu", "coworking", "meeting_room"),
    "meeting_room": ("coworking", "tiers_lieu", "fablab"),
    "creche": ("micro_creche", "assistante_maternelle", "relais_petite_enfance"),
    "micro_creche": ("creche", "assistante_maternelle", "relais_petite_enfance"),
    "assistante_maternelle": ("relais_petite_enfance", "micro_creche", "creche"),
    "relais_petite_enfance": ("assistante_maternelle", "creche", "micro_creche"),
    "accueil_loisirs": ("periscolaire", "relais_petite_enfance", "assistante_maternelle"),
    "periscolaire": ("accueil_loisirs", "assistante_maternelle", "relais_petite_enfance"),
    "bus": ("transport_a_la_demande", "gare", "covoiturage"),
    "transport_a_la_demande": ("transport_solidaire", "bus", "covoiturage"),
    "covoiturage": ("transport_a_la_demande", "bus", "transport_solidaire"),
    "gare": ("bus", "covoiturage", "transport_a_la_demande"),
    "location_velo": ("bus", "covoiturage", "transport_a_la_demande"),
    "transport_solidaire": ("transport_a_la_demande", "covoiturage", "bus"),
}


@lru_cache(maxsize=1)
def _phrases() -> list[tuple[str, str]]:
    """(folded phrase, kind), longest phrase first."""
    pairs = [(fold(word), kind) for kind, words in KIND_WORDS.items() for word in words]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _found(phrase: str, padded: str) -> bool:
    return f" {phrase} " in padded


def kinds_named(text: str) -> list[str]:
    """The kinds a text names, in the order of their longest phrases, each once.

    A phrase inside a longer one already found does not count: "halte garderie" is a crèche,
    not also a garderie.
    """
    padded = f" {fold(text)} "
    found: list[str] = []
    for phrase, kind in _phrases():
        if _found(phrase, padded):
            padded = padded.replace(f" {phrase} ", " | ")
            if kind not in found:
                found.append(kind)
    return found


def kind_named(text: str, topic: Optional[str]) -> Optional[str]:
    """The kind a text names within a topic (any topic when None), or None."""
    for kind in kinds_named(text):
        if topic is None or kind in KINDS[topic]:
            return kind
    return None


# Phrases that say a need on their own; any other topic or kind word is a need only after
# "un", "une", "du", "des"…: "je cherche du travail et une crèche" asks for both, while
# "j'ai trouvé du travail, il me faut une nounou" or "la crèche recrute ?" ask for one.
NEED_PHRASES: dict[str, tuple[str, ...]] = {
    "telework": ("teletravailler",),
    "childcare": ("faire garder", "mode de garde", "modes de garde"),
    "transport": (
        "sans voiture", "pas de voiture", "qu une voiture", "une seule voiture", "se deplacer",
        "me deplacer", "nous deplacer",
    ),
}
DETERMINERS = ("un", "une", "des", "du", "de la", "de l", "d un", "d une")
NOT_SOUGHT_AFTER = frozenset({
    "trouve", "quitte", "reprends", "reprend", "perdu", "garde", "commence", "commencer",
})


def topics_named(text: str) -> list[str]:
    """The topics a message asks for, in the order it names them (item 3 of issue 16)."""
    padded = f" {fold(text)} "
    first_at: dict[str, int] = {}
    nouns = [(p, KIND_TOPICS[k]) for p, k in _phrases() if p not in WEAK_WORDS]
    nouns += [(fold(w), topic) for topic, words in TOPIC_WORDS.items() for w in words]
    sought = [(f" {d} {p} ", topic) for p, topic in nouns for d in DETERMINERS]
    sought += [(f" {p} ", topic) for topic, words in NEED_PHRASES.items() for p in words]
    for phrase, topic in sought:
        at = padded.find(phrase)
        while at >= 0 and padded[:at].split()[-1:] in [[w] for w in NOT_SOUGHT_AFTER]:
            at = padded.find(phrase, at + 1)
        if at >= 0 and at < first_at.get(topic, len(padded)):
            first_at[topic] = at
    return sorted(first_at, key=first_at.__getitem__)


INDEFINITE = ("un", "une", "des", "d un", "d une", "d autres")


def kinds_sought(text: str) -> list[str]:
    """The kinds a message asks for anew: named after "un", "une", "des"… ("et un fablab ?").

    After "le", "la", "ce"… a kind points at something already shown ("le relais, c'est où ?").
    """
    padded = f" {fold(text)} "
    return [kind for phrase, kind in _phrases()
            if any(f" {article} {phrase} " in padded for article in INDEFINITE)]


def close_kinds(kind: Optional[str], topic: str) -> list[str]:
    """The topic's other kinds, those closest to `kind` first."""
    close = [k for k in CLOSE_KINDS.get(kind or "", ()) if k in KINDS[topic]]
    return close + [k for k in KINDS[topic] if k != kind and k not in close]
