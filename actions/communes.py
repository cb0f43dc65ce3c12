"""
Find which of a territory's communes a newcomer means, however they typed it.

The NLU model only marks a span as a commune; the territory's list decides which commune it
is. Names are folded first (case, accents, hyphens, "st" for "saint"), then matched exactly,
then with a small typo allowance. Scanning the whole message as well means that a commune an
agent added this morning is found without retraining.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Iterable, Optional, Sequence, Union

from actions.directory_client import Commune

ABBREVIATIONS = {"st": "saint", "ste": "sainte"}  # not "s": "s'il" is not "saint il"
ARTICLES = ("le ", "la ", "les ", "l ")
MIN_SIMILARITY = 0.85
MIN_FUZZY_LENGTH = 5  # shorter names match exactly or not at all
MAX_SCANNED_CHARS = 500  # the widget sends 500 characters at most: no place name lies beyond
MIN_PARTIAL_LENGTH = 4  # "mura" is Murat; "mur" could be anything
GENERIC_FIRST_WORDS = frozenset({"saint", "sainte", "la", "le", "les", "l", "chapelle"})
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})  # NFKD leaves them whole: "Mercœur"


def fold(text: str) -> str:
    """Lower-case, strip accents, split on punctuation and expand "st"/"ste"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(LIGATURES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.findall(r"[a-z0-9]+", plain)
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


@lru_cache(maxsize=8192)  # every message scans every commune: fold each name once
def _keys(commune: Commune) -> frozenset[str]:
    """The folded forms a commune answers to.

    With and without its article, and its former names: a commune merged into a new one
    keeps answering to its old name.
    """
    keys = set()
    for name in (commune.name, *commune.former_names):
        folded = fold(name)
        keys.add(folded)
        for article in ARTICLES:
            if folded.startswith(article):
                keys.add(folded[len(article):])
    return frozenset(keys)


def _similar(a: str, b: str) -> float:
    if a[:1] != b[:1] or min(len(a), len(b)) < MIN_FUZZY_LENGTH:
        return 0.0
    if 2 * min(len(a), len(b)) < MIN_SIMILARITY * (len(a) + len(b)):
        return 0.0  # the ratio cannot reach the threshold: skip the costly comparison
    matcher = SequenceMatcher(None, a, b)
    if matcher.quick_ratio() < MIN_SIMILARITY:  # an upper bound, cheap to compute
        return 0.0
    return matcher.ratio()


@dataclass(frozen=True)
class Index:
    """Communes by their folded names, built once per message: a message tries many runs."""

    by_key: dict[str, Commune]
    by_initial: dict[str, list[tuple[str, Commune]]]  # fuzzy matches share the first letter


def index(communes: Iterable[Commune]) -> Index:
    by_key: dict[str, Commune] = {}
    by_initial: dict[str, list[tuple[str, Commune]]] = {}
    for commune in communes:
        for key in sorted(_keys(commune)):
            by_key.setdefault(key, commune)
            by_initial.setdefault(key[:1], []).append((key, commune))
    return Index(by_key, by_initial)


Communes = Union[Index, Iterable[Commune]]


def _indexed(communes: Communes) -> Index:
    return communes if isinstance(communes, Index) else index(communes)


def exact(mention: str, communes: Communes) -> Optional[Commune]:
    """The commune a mention names exactly (once folded), or None."""
    return _indexed(communes).by_key.get(fold(mention))


def resolve(mention: str, communes: Communes, partial: bool = False) -> Optional[Commune]:
    """The commune a mention (an extracted entity) names, or None.

    With `partial`, for a mention known to be a place, a name cut short also counts: its first
    words ("neussargues" for Neussargues en Pinatelle) or its first letters ("mura" for Murat).
    """
    wanted = fold(mention)
    if not wanted:
        return None
    known = _indexed(communes)
    if wanted in known.by_key:
        return known.by_key[wanted]
    best: Optional[Commune] = None
    best_score = MIN_SIMILARITY
    for key, commune in known.by_initial.get(wanted[:1], []):
        score = _similar(wanted, key)
        if score > best_score:
            best, best_score = commune, score
    if best is None and partial:
        best = _cut_short(wanted, known)
    return best


def _cut_short(wanted: str, known: Index) -> Optional[Commune]:
    """The commune whose name starts with `wanted` (the shortest such name), else None."""
    if len(wanted) < MIN_PARTIAL_LENGTH or wanted.split()[0] in GENERIC_FIRST_WORDS:
        return None
    found = [
        (len(key), key, commune)
        for key, commune in known.by_initial.get(wanted[:1], [])
        if key.startswith(wanted)
    ]
    return min(found, key=lambda item: item[:2])[2] if found else None


def find_in_text(text: str, communes: Sequence[Commune]) -> Optional[Commune]:
    """The commune named anywhere in a message: the closest match, then the longest name.

    Only the message's first `MAX_SCANNED_CHARS` characters are scanned: the scan costs
    (words × communes), and one huge message must not hold the action server for seconds.
    """
    words = fold(text[:MAX_SCANNED_CHARS]).split()
    windows: dict[int, list[str]] = {}  # runs of n consecutive words, joined once per n
    best: Optional[Commune] = None
    best_rank = (MIN_SIMILARITY, 0)
    for commune in communes:
        for key in _keys(commune):
            size = len(key.split())
            if size not in windows:
                runs = range(len(words) - size + 1)
                windows[size] = [" ".join(words[start : start + size]) for start in runs]
            for window in windows[size]:
                score = 1.0 if window == key else _similar(window, key)
                rank = (score, len(key))  # an exact name beats a near miss of a longer one
                if score >= MIN_SIMILARITY and rank > best_rank:
                    best, best_rank = commune, rank
    return best


def pick(
    mentions: Sequence[str], text: str, communes: Sequence[Commune]
) -> tuple[Optional[Commune], Optional[str]]:
    """The commune a message names, and the first mention when none matched a commune.

    The extracted mentions are tried first, in order (a trip names two places: the one of the
    territory wins), then the whole text: the model may miss a name, or mark one that is not a
    commune of this territory.
    """
    for partial in (False, True):  # a name cut short only when no mention names a commune
        for mention in mentions:
            found = resolve(mention, communes, partial=partial)
            if found:
                return found, None
    found = find_in_text(text, communes)
    return found, (mentions[0] if mentions and not found else None)
