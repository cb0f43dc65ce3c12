"""
Text folding and typo-tolerant word matching for free-text search.

Both the stored text and the query go through `fold`, so "Crèche", "CRECHE" and "creche"
meet; `typo_match` then forgives one typo in words of 5+ letters and two from 9 letters
(Meilisearch's rule), which is what people typing fast on a phone need.
"""

import re
import unicodedata
from functools import lru_cache

# Ligatures that Unicode decomposition leaves whole.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """
    Lower-case, strip accents and punctuation: "L'Île-d'Yeu" -> "l ile d yeu".

    Args:
        text: any text.

    Returns:
        ASCII words separated by single spaces.
    """
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", text.casefold()).strip()


# Little French words that carry no meaning in a search ("une creche vers murat").
STOP_WORDS = frozenset(
    "a au aux avec c ca chez d de des du en est et il j je l la le les ma mes mon ou par pour pres "
    "qu que qui s se sur t un une vers y".split()
)


def words(text: str) -> list[str]:
    """Split text into folded words."""
    return fold(text).split()


def query_words(text: str) -> list[str]:
    """The folded words of a search, without stop words (nor duplicates)."""
    return list(dict.fromkeys(w for w in words(text) if w not in STOP_WORDS))


def allowed_typos(word: str) -> int:
    """How many edits a query word of this length may carry."""
    if len(word) >= 9:
        return 2
    return 1 if len(word) >= 5 else 0


@lru_cache(maxsize=65536)
def close(token: str, word: str, limit: int) -> bool:
    """True when token and word are within `limit` edits (optimal string alignment)."""
    if abs(len(token) - len(word)) > limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(word) + 1))
    for i, t in enumerate(token, 1):
        current = [i] + [0] * len(word)
        for j, w in enumerate(word, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (t != w))
            if i > 1 and j > 1 and t == word[j - 2] and token[i - 2] == w:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


def typo_match(folded_text: str | None, word: str) -> bool:
    """
    True when a word of already folded text is the query word, give or take its typos.

    Args:
        folded_text: text produced by `fold` (None never matches).
        word: one folded query word.
    """
    if not folded_text:
        return False
    limit = allowed_typos(word)
    if limit == 0:
        return False
    # A token may also start with the word: "covoit" -> "covoiturage".
    return any(
        close(token, word, limit) or close(token[: len(word)], word, limit)
        for token in folded_text.split()
    )
