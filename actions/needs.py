"""
Honest limits (item 4 of issue 16): needs outside the four topics, unsure turns.

Newcomers also ask about housing, doctors, schools, home broadband, shops, clubs, weather,
taxes and paperwork. The assistant has no list for these: it says what it covers and gives
the territory's welcome contact, never another topic's list. A clear topic or kind word wins
when the message asks for it: "une crèche près de l'école", "un bus pour aller au lycée",
"un coworking avec une bonne connexion internet", "une offre d'emploi de boulanger".

Words are folded like commune names (communes.fold) and matched as whole words.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from actions import kinds, trades
from actions.communes import fold

# Each need: its words. Its French label is in limits_texts.NEED_LABELS.
NEED_WORDS: dict[str, tuple[str, ...]] = {
    "housing": (
        "logement", "logements", "se loger", "me loger", "nous loger", "louer", "loue",
        "a louer", "en location", "location d appartement", "location de maison",
        "location longue duree", "location a l annee", "maison", "maisons", "appartement",
        "appartements", "appart", "studio", "t2", "t3", "t4", "hlm", "logement social",
        "logements sociaux", "adil", "loyer", "loyers", "bail", "proprietaire", "immobilier",
        "agence immobiliere", "terrain a batir", "terrain", "terrains", "ferme a retaper",
        "apartment", "apartments", "to rent", "house", "houses", "housing",
        "gite", "hebergement", "colocation",
    ),
    "health": (
        "medecin", "medecins", "generaliste", "generalistes", "medecin traitant", "docteur",
        "dentiste", "dentistes", "pharmacie", "pharmacies", "maison de sante",
        "maisons de sante", "centre de sante", "hopital", "hopitaux", "urgences", "kine",
        "kines", "kinesitherapeute", "infirmier liberal", "cabinet medical", "sante",
        "pediatre", "gynecologue", "ophtalmo", "ophtalmologue", "sage femme", "medecin du travail",
        "orthophoniste", "prise de sang", "laboratoire", "doctor", "gp", "dentist",
    ),
    "school": (
        "ecole", "ecoles", "college", "colleges", "lycee", "lycees", "inscription scolaire",
        "inscrire a l ecole", "scolariser", "scolarisation", "cantine", "cantines",
        "ecole maternelle", "ecole primaire", "instituteur", "institutrice",
    ),
    "broadband": (
        "fibre", "fibre optique", "internet", "adsl", "4g", "5g", "box", "box internet",
        "wifi a la maison", "haut debit", "tres haut debit", "operateur", "reseau mobile",
        "couverture mobile", "forfait mobile", "forfait telephone", "internet provider",
        "telephone fixe", "ligne fixe",
    ),
    "shops": (
        "boulangerie", "boulangeries", "supermarche", "supermarches", "commerce", "commerces",
        "epicerie", "epiceries", "le marche", "un marche", "du marche", "jour de marche",
        "marche hebdomadaire", "marches de", "marche de producteurs", "magasin", "magasins",
        "courses",
        "boucherie", "superette", "hypermarche", "drive", "station service", "essence",
    ),
    "leisure": (
        "association", "associations", "club", "clubs", "club de foot", "foot", "football",
        "rugby", "sport", "sports", "salle de sport", "musique", "ecole de musique", "danse",
        "piscine", "randonnee", "loisir", "activite sportive", "cinema",
        "bibliotheque", "mediatheque", "theatre", "chorale", "ski", "skier", "skiing",
    ),
    "weather": (
        "meteo", "neige", "neiger", "enneigement", "pluie", "pleut", "pleuvoir", "temperature",
        "climat",
        "verglas", "quel temps", "il fait beau", "weather",
    ),
    "taxes": (
        "impot", "impots", "taxe fonciere", "taxe d habitation", "taxe", "taxes",
        "declaration de revenus", "fiscal", "fiscale",
    ),
    "paperwork": (
        "carte grise", "mairie", "mairies", "listes electorales", "liste electorale",
        "etat civil", "caf", "changement d adresse", "changer d adresse", "demarche",
        "demarches", "demarches administratives", "papiers", "carte d identite", "passeport",
        "securite sociale", "cpam", "carte vitale", "france services", "prefecture",
        "permis de conduire", "la poste", "bureau de poste", "allocations familiales",
    ),
}  # fmt: skip

# Need phrases that hold a topic word ("médecin du travail" is a doctor, not a job; "salle de
# sport" no meeting room): removed before looking for the topic words.
MASKED = (
    "medecin du travail", "salle de sport", "salles de sport", "salle des fetes",
    "ecole de musique", "bureau de poste", "inscription scolaire", "maison a vendre",
    "maisons a vendre", "appartement a vendre", "terrain a vendre", "ferme a vendre",
    "permis de conduire", "telephone fixe",
    "ligne fixe", "la poste", "bibliotheque", "mediatheque",
)  # fmt: skip

# Phrases that ask for work whatever follows ("un poste de kiné", "travail dans la santé").
JOB_PHRASES = (
    "poste de", "poste d", "postes de", "travail de", "travail d", "emploi de", "emploi d",
    "job de", "boulot de", "metier de", "metier d", "en tant que", "offre de", "offres de",
    "recrute", "recrutent", "recrutement", "embauche", "embauchent",
)  # fmt: skip


# Kind words that tell no topic next to a need word: "une ligne internet", "sport et loisirs",
# "annonces immobilières", "accompagnement pour les démarches", "inscription à l'école".
NOT_A_TOPIC_ALONE = frozenset({
    "ligne", "lignes", "loisirs", "annonce", "annonces", "accompagnement", "inscription",
})  # fmt: skip
# More words that ask for one of the four topics.
TOPIC_MORE = (
    "garder", "open space", "bosser", "se connecter", "teletravaille", "teletravaillons",
    "teletravailleur", "teletravailleuse", "periscolair", "alternance", "apprentissage",
    "stage", "remotely",
)  # fmt: skip
OWN_TRADE = ("je suis", "suis", "est", "installer", "liberal", "liberale", "comme")


@lru_cache(maxsize=1)
def _need_phrases() -> list[tuple[str, str]]:
    pairs = [(fold(w), need) for need, words in NEED_WORDS.items() for w in words]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _padded(text: str) -> str:
    return f" {fold(text)} "


def needs_named(text: str) -> list[str]:
    """The out-of-scope needs a message names, in the order of their first words."""
    padded = _padded(text)
    first_at: dict[str, int] = {}
    for phrase, need in _need_phrases():
        at = padded.find(f" {phrase} ")
        if at >= 0 and at < first_at.get(need, len(padded)):
            first_at[need] = at
    return sorted(first_at, key=first_at.__getitem__)


def names_a_topic(text: str) -> bool:
    """Whether a message names one of the four topics: a topic word, a kind or a job phrase.

    Words too common to tell a topic on their own ("ligne", "salle", "inscription") do not.
    """
    padded = _padded(text)
    for phrase in sorted((fold(m) for m in MASKED), key=len, reverse=True):
        padded = padded.replace(f" {phrase} ", " | ")
    strong = [p for p, _ in kinds._phrases() if p not in NOT_A_TOPIC_ALONE]
    strong += [fold(w) for words in kinds.TOPIC_WORDS.values() for w in words]
    strong += [fold(p) for p in (*JOB_PHRASES, *TOPIC_MORE)]
    if any(f" {phrase} " in padded for phrase in strong):
        return True
    # A trade said as one's own ("je suis médecin", "mon conjoint est kiné, installé en
    # libéral") asks for work; "je cherche un médecin" does not.
    return trades.trade_named(text) is not None and any(
        f" {word} " in padded for word in OWN_TRADE
    )


def outside_need(text: str) -> Optional[str]:
    """The need outside the four topics this message asks about, else None.

    None when the message also names a topic: that question gets its list.
    """
    named = needs_named(text)
    if not named or names_a_topic(text):
        return None
    return named[0]


UNSURE_BELOW = 0.6  # a topic intent under this confidence, with no topic word, is a guess


def confidence(latest_message: dict) -> float:
    """The model's confidence in the intent of a message (1.0 when it does not say)."""
    value = (latest_message.get("intent") or {}).get("confidence")
    return float(value) if isinstance(value, (int, float)) else 1.0


def unsure(latest_message: dict, has_place: bool) -> bool:
    """Whether a topic answer would be a guess: a low confidence and nothing that names a topic.

    A message that names a place alone ("et à Murat ?") is a follow-up, not a guess.
    """
    text = latest_message.get("text") or ""
    if confidence(latest_message) >= UNSURE_BELOW or has_place:
        return False
    return not names_a_topic(text) and trades.trade_named(text) is None
