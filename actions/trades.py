"""
The trade a newcomer looks for, when the model did not mark one.

"je suis électricien", "un poste de maçon", "charpentier, du boulot vers Aubusson ?".

The words found are the directory's `q`: it searches entries' names and descriptions.
"""

from __future__ import annotations

import re
from typing import Optional

from actions.communes import fold
from actions.kinds import KIND_WORDS, TOPIC_WORDS

# Words that introduce a trade; the trade is the next one to three words.
INTRODUCERS = (
    "en tant que", "comme", "travail de", "travail d", "poste de", "poste d", "postes de",
    "emploi de", "emploi d", "job de", "boulot de", "metier de", "metier d", "offre de",
    "offres de", "offre d", "je suis", "je suis un", "je suis une", "profession",
    "je travaille dans", "je travaille en", "dans le", "dans la",
)  # fmt: skip
MAX_TRADE_WORDS = 2  # "médecin généraliste", "maintenance industrielle"
# Common trades, folded: found anywhere in a jobs message.
TRADES = (
    "electricien", "electricienne", "macon", "maconne", "charpentier", "charpentiere",
    "menuisier", "menuisiere", "plombier", "couvreur", "peintre", "carreleur", "platrier",
    "infirmier", "infirmiere", "aide soignant", "aide soignante", "aide a domicile",
    "auxiliaire de vie", "auxiliaire de puericulture", "boulanger", "boulangere", "boucher",
    "cuisinier", "cuisiniere", "serveur", "serveuse", "secretaire", "comptable",
    "mecanicien", "mecanicienne", "chauffeur", "conducteur", "conductrice", "agriculteur",
    "eleveur", "ouvrier agricole", "fromager", "fromagere", "developpeur", "developpeuse",
    "informaticien", "enseignant", "enseignante", "professeur", "educateur", "educatrice",
    "animateur", "animatrice", "medecin", "kine", "kinesitherapeute", "pharmacien",
    "vendeur", "vendeuse", "coiffeur", "coiffeuse", "jardinier", "paysagiste", "bucheron",
    "soudeur", "magasinier", "cariste", "agent d entretien", "femme de menage", "menage",
    "graphiste", "ingenieur", "technicien", "technicienne", "lissier", "lissiere",
    "sage femme", "orthophoniste", "veterinaire",
)  # fmt: skip
STOPS = frozenset({
    "a", "au", "aux", "vers", "pres", "sur", "dans", "pour", "et", "ou", "en", "avec",
    "depuis", "le", "la", "les", "l", "du", "des", "de", "d", "svp", "stp", "merci",
    "autour", "cote", "qui", "que", "si", "mais", "donc", "car", "je", "j", "on", "nous",
    "cherche", "recherche", "voudrais", "veux", "aimerais", "possible", "un", "une",
    "ici", "rapidement", "liberal", "liberale", "freelance", "independant", "independante",
    "cdi", "cdd", "interim", "saisonnier", "saisonniere", "temps", "existe", "agree", "agreee",
})  # fmt: skip
NOT_TRADES = frozenset({
    "maman", "papa", "parent", "parents", "nouveau", "nouvelle", "nouveaux", "arrive",
    "arrivee", "arrives", "installe", "installee", "interesse", "interessee", "seul", "seule",
    "demandeur", "demandeuse", "disponible", "motive", "motivee", "ici", "perdu", "perdue",
    "retraite", "retraitee", "sans", "un", "une", "plein", "partiel", "complet", "recherche",
    "mobile", "francais", "francaise", "anglais", "anglaise", "britannique", "neerlandais",
    "belge", "diplome", "diplomee", "qualifie", "qualifiee", "temps", "chomage", "secteur",
    "coin", "centre", "bourg", "village", "region", "departement", "cantal", "creuse",
    "lozere", "territoire", "environs", "nuit", "jour", "week", "ville", "campagne",
    "massif", "saint", "sainte", "auto", "micro", "mi",
})  # fmt: skip
_GENERIC = frozenset(
    fold(word) for words in (*KIND_WORDS.values(), *TOPIC_WORDS.values()) for word in words
)


def trade_named(text: str) -> Optional[str]:
    """The trade a message names, as typed ("électricien"), or None."""
    trade = _folded_trade(text)
    return _as_typed(trade, text) if trade else None


def _as_typed(trade: str, text: str) -> str:
    """The words of the message that fold to `trade`, to echo them as the newcomer wrote them."""
    typed = [w for w in re.findall(r"[^\W_]+", text) for _ in fold(w).split()]
    folded = [part for w in re.findall(r"[^\W_]+", text) for part in fold(w).split()]
    wanted = trade.split()
    for start in range(len(folded) - len(wanted) + 1):
        run = folded[start : start + len(wanted)]
        if all(f == w or f == w + "s" for f, w in zip(run, wanted, strict=True)):
            return " ".join(typed[start : start + len(wanted)])
    return trade


def _folded_trade(text: str) -> Optional[str]:
    folded = f" {fold(text)} "
    for trade in sorted(TRADES, key=len, reverse=True):  # known trades first, whole
        if re.search(rf" {trade}s? ", folded):
            return trade
    # A trade ends with its clause: "du travail d'infirmière, une crèche".
    clauses = [f" {fold(clause)} " for clause in re.split(r"[,;:.!?()\n]", text)]
    for intro in sorted(INTRODUCERS, key=len, reverse=True):
        matches = (m for clause in clauses
                   for m in re.finditer(rf" {intro} ((?:[a-z0-9]+ ?){{1,3}})", clause))
        for match in matches:
            words: list[str] = []
            for word in match.group(1).split()[:MAX_TRADE_WORDS]:
                if word in STOPS:
                    break
                words.append(word)
            trade = " ".join(words)
            if trade and words[0] not in NOT_TRADES and words[0] not in _GENERIC:
                return trade
    return None
