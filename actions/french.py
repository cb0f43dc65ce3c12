"""French as a person writes it around a name: "d'Aubusson", "au Malzieu", "des Vans"."""

from __future__ import annotations

VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæ")  # no "h": many are aspirated (les Hautes Terres)


def _starts_with_vowel(word: str) -> bool:
    return word[:1].lower() in VOWELS


def _article(name: str) -> tuple[str, str]:
    """("le" | "les" | "", rest): the article that contracts with "de" and "à"."""
    head, _, rest = name.partition(" ")
    if rest and head.lower() in ("le", "les"):
        return head.lower(), rest
    return "", name


def de(name: str) -> str:
    """Put "de" before a name: "de Murat", "d'Aubusson", "du Malzieu", "des Vans", "de L'Isle"."""
    article, rest = _article(name)
    if article:
        return f"{'du' if article == 'le' else 'des'} {rest}"
    return f"d'{name}" if _starts_with_vowel(name) else f"de {name}"


# Territory names that start with a common noun take its article: "de la Communauté de
# communes Cœur de Lozère", "du Pays de Saint-Flour", "du Parc naturel régional…".
TERRITORY_NOUNS = {"communauté": "de la ", "pays": "du ", "parc": "du ", "syndicat": "du ",
                   "pôle": "du ", "agglomération": "de l'"}


def de_territory(name: str) -> str:
    """Put "de" before a territory's name: "de Hautes Terres Communauté", "de la Communauté…"."""
    prefix = TERRITORY_NOUNS.get(name.split(" ", 1)[0].lower())
    return f"{prefix}{name}" if prefix else de(name)


def a(name: str) -> str:
    """Put "à" before a name: "à Murat", "au Malzieu", "aux Vans", "à La Canourgue"."""
    article, rest = _article(name)
    if article:
        return f"{'au' if article == 'le' else 'aux'} {rest}"
    return f"à {name}"


def de_noun(noun: str) -> str:
    """Put "de" before a common noun: "de crèche", "d'accueil de loisirs"."""
    return f"d'{noun}" if _starts_with_vowel(noun) else f"de {noun}"


def place_name(typed: str) -> str:
    """A place as typed, capitalised as names are ("clermont ferrand" → "Clermont Ferrand")."""
    small = {"de", "du", "des", "la", "le", "les", "en", "sur", "sous", "lès", "ès", "es", "et",
             "d", "l", "à", "aux", "au"}
    words = typed.strip().split(" ")
    shown = []
    for index, word in enumerate(words):
        parts = word.split("-")
        parts = [
            p if (p.lower() in small and (index or i)) else p[:1].upper() + p[1:]
            for i, p in enumerate(parts)
        ]
        shown.append("-".join(parts))
    return " ".join(shown)
