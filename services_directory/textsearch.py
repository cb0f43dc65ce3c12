"""
Free text as newcomers type it, turned into a full-text query both backends understand.

A query becomes a list of *groups*, all required; a group is a list of *alternatives*, any of
which may match; an alternative is a tuple of word prefixes, all required. So
"ass mat st flour" gives `[[("assistante", "maternelle"), ("assmat",)], [("saint",), ("st",)],
[("flour",)]]`. Words are folded first (text.py), little words dropped, French abbreviations
expanded; storage adds typo alternatives for words its vocabulary does not know.

Cost cap: the typo search scans the whole vocabulary for each unknown word (5 to 25 ms with
the demo data, more with a bigger directory), so an anonymous 200-character query of made-up
words cost 0.13 to 0.8 s of CPU. Only the first
`MAX_WORDS` searchable words are searched (the others are ignored), and only the first
`MAX_TYPO_LOOKUPS` unknown ones get typo alternatives.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .text import STOP_WORDS, allowed_typos, close, words

Alternative = tuple[str, ...]

# Folded abbreviations and spellings -> what entries say. Longest phrases are tried first.
ABBREVIATIONS: dict[Alternative, tuple[Alternative, ...]] = {
    ("ass", "mat"): (("assistante", "maternelle"),),
    ("assmat",): (("assistante", "maternelle"),),
    ("asmat",): (("assistante", "maternelle"),),
    ("nounou",): (("assistante", "maternelle"),),
    ("am",): (("assistante", "maternelle"),),
    ("rpe",): (("relais", "petite", "enfance"),),
    ("ram",): (("relais",),),
    ("alsh",): (("accueil", "loisirs"),),
    ("centre", "aere"): (("accueil", "loisirs"),),
    ("garderie",): (("periscolaire",),),
    ("st",): (("saint",),),
    ("ste",): (("sainte",),),
    ("co", "working"): (("coworking",),),
    ("co", "work"): (("coworking",),),
    ("tiers", "lieux"): (("tiers", "lieu"),),
    ("fab", "lab"): (("fablab",),),
    ("tad",): (("transport", "demande"),),
    ("covoit",): (("covoiturage",),),
    ("train",): (("gare",),),
    ("sncf",): (("gare",),),
    ("car",): (("bus",),),
    ("boulot",): (("emploi",),),
    ("taf",): (("emploi",),),
    ("job",): (("emploi",),),
    ("travail",): (("emploi",),),
}
_LONGEST = max(len(key) for key in ABBREVIATIONS)
# Newcomers search with a few words ("assistante maternelle saint flour"): more narrow
# nothing down (every word is required), they only cost time.
MAX_WORDS = 8
MAX_TYPO_LOOKUPS = 3


@dataclass
class Group:
    """One required part of the query: any alternative may match."""

    alternatives: list[Alternative] = field(default_factory=list)
    word: str | None = None  # the single query word it came from, when typos may apply

    def add(self, alternative: Alternative) -> None:
        """Add an alternative once."""
        if alternative and alternative not in self.alternatives:
            self.alternatives.append(alternative)


def parse(q: str | None) -> list[Group]:
    """
    The groups of a free-text query (empty when nothing searchable is left), `MAX_WORDS` at most.

    Args:
        q: the raw text, e.g. "Une crêche vers St Flour ?".
    """
    tokens = [t for t in words(q or "") if t not in STOP_WORDS]
    groups: list[Group] = []
    i = 0
    while i < len(tokens) and len(groups) < MAX_WORDS:
        for size in range(min(_LONGEST, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i : i + size])
            if phrase in ABBREVIATIONS:
                group = Group()
                for expansion in ABBREVIATIONS[phrase]:
                    group.add(expansion)
                group.add(("".join(phrase),))
                i += size
                break
        else:
            token = tokens[i]
            i += 1
            if len(token) < 2 and not token.isdigit():
                continue
            group = Group([(token,)], word=token if allowed_typos(token) else None)
        if group.alternatives not in [g.alternatives for g in groups]:
            groups.append(group)
    return groups


def typo_alternatives(word: str, vocabulary: Iterable[str], limit: int = 12) -> list[Alternative]:
    """
    Known words within the typos allowed for `word` (or starting with such a word).

    Args:
        word: one folded query word.
        vocabulary: the folded words present in entries.
        limit: keep at most this many, closest (then shortest) first.
    """
    typos = allowed_typos(word)
    found: list[tuple[int, int, str]] = []
    for term in vocabulary:
        if abs(len(term) - len(word)) <= typos and close(term, word, typos):
            found.append((0, len(term), term))
        elif len(term) > len(word) and close(term[: len(word)], word, typos):
            found.append((1, len(term), term))
    return [(term,) for _, _, term in sorted(found)[:limit]]


def fts5_query(groups: list[Group]) -> str:
    """SQLite FTS5 MATCH expression: words are [0-9a-z]+, so quoting is enough."""
    return " AND ".join(
        "(" + " OR ".join(_fts5_all(alt) for alt in group.alternatives) + ")" for group in groups
    )


def _fts5_all(alternative: Alternative) -> str:
    return "(" + " AND ".join(f'"{token}"*' for token in alternative) + ")"


def tsquery(groups: list[Group]) -> str:
    """PostgreSQL `to_tsquery('simple', ...)` text, with prefix matching."""
    return " & ".join(
        "(" + " | ".join(_ts_all(alt) for alt in group.alternatives) + ")" for group in groups
    )


def _ts_all(alternative: Alternative) -> str:
    return "(" + " & ".join(f"{token}:*" for token in alternative) + ")"
