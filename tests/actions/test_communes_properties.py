"""Properties of the commune resolver, over the real communes of the Massif central.

The examples in test_communes.py show single cases; these check the claims of
actions/communes.py over many generated inputs: folding ignores case, accents, ligatures,
hyphens, apostrophes and spacing; every commune of a territory's list is found again under
the ways newcomers type it; a name inside a sentence is found; any text at all is handled
without an error and quickly; and the answer always comes from the territory's own list.

The communes are read from ../shared/data/communes_france.csv (never copied into the
repository); one territory's list is one département of the Massif central, the largest case
the importer produces (`import communes --department`).
"""

from __future__ import annotations

import csv
import re
import time
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from actions.communes import MAX_SCANNED_CHARS, _keys, find_in_text, fold, pick, resolve
from actions.directory_client import Commune

COMMUNES_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "communes_france.csv"
MASSIF_CENTRAL = (
    "03 07 11 12 15 19 21 23 30 34 42 43 46 48 58 63 69 71 81 82 87 89".split()
)
# Words of newcomers' messages; none is a commune of these départements (checked below).
FILLER = (
    "je cherche une crèche pour mon fils près de on arrive à en septembre "
    "y a-t-il un bus pour aller du travail télétravail espace coworking nous voulons "
    "habiter avec deux enfants l'école est où c'est loin merci bonjour s'il vous plaît"
).split()
FRENCH_LETTERS = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ"
QUICK_SECONDS = 2.0  # generous for 2 shared cores; the largest list answers in ~0.3 s

pytestmark = pytest.mark.skipif(
    not COMMUNES_CSV.exists(), reason=f"reference data missing: {COMMUNES_CSV}"
)


@lru_cache(maxsize=1)
def territories() -> dict[str, list[Commune]]:
    """Each département's communes (one row per INSEE code), as a territory's list."""
    by_department: dict[str, dict[str, Commune]] = {code: {} for code in MASSIF_CENTRAL}
    with COMMUNES_CSV.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            if row["commune_type"] == "COM" and row["insee_dep"] in by_department:
                communes = by_department[row["insee_dep"]]
                communes.setdefault(
                    row["insee_com"], Commune(row["insee_com"], row["commune"], row["code_postal"])
                )
    return {code: list(communes.values()) for code, communes in by_department.items()}


departments = st.sampled_from(MASSIF_CENTRAL)


@st.composite
def territory_and_commune(draw) -> tuple[list[Commune], Commune]:
    """A département's list and one of its communes (drawn by index: short failure reports)."""
    communes = territories()[draw(departments)]
    return communes, communes[draw(st.integers(0, len(communes) - 1))]


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@st.composite
def typed_like_a_newcomer(draw, name: str) -> str:
    """One way of typing a commune's name: case, accents, ligatures, separators, "St"."""
    text = name
    if draw(st.booleans()):
        text = re.sub(r"\bSainte\b", draw(st.sampled_from(["Ste", "ste", "STE", "Ste."])), text)
        text = re.sub(r"\bSaint\b", draw(st.sampled_from(["St", "st", "ST", "St."])), text)
    if draw(st.booleans()):
        text = strip_accents(text)
    if draw(st.booleans()):
        text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    separator = draw(st.sampled_from(["-", " ", "  ", " - ", "_"]))
    text = text.replace("-", separator)
    text = text.replace("'", draw(st.sampled_from(["'", "’", " ", " ' "])))
    text = "".join(
        ch.upper() if draw(st.booleans()) else ch.lower() if draw(st.booleans()) else ch
        for ch in text
    )
    return draw(st.sampled_from(["", " ", "  \t"])) + text + draw(st.sampled_from(["", " ", "\n"]))


def test_filler_words_are_not_communes():
    keys = {key for communes in territories().values() for c in communes for key in _keys(c)}
    assert not [word for word in FILLER if fold(word) in keys]


# --- fold --------------------------------------------------------------------------------


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_fold_gives_plain_words(text):
    folded = fold(text)
    assert re.fullmatch(r"([a-z0-9]+( [a-z0-9]+)*)?", folded)


french_words = st.lists(st.text(alphabet=FRENCH_LETTERS, min_size=1, max_size=12), min_size=1)


@settings(deadline=None, max_examples=200)
@given(french_words, st.data())
def test_fold_ignores_case_accents_ligatures_and_separators(words, data):
    plain = " ".join(words)
    separators = st.sampled_from([" ", "-", "'", "’", "  ", " - ", "\t", ", "])
    messy = words[0]
    for word in words[1:]:
        messy += data.draw(separators) + word
    messy = data.draw(st.sampled_from([str.upper, str.lower, str.title, str]))(messy)
    unaccented = strip_accents(plain).replace("œ", "oe").replace("æ", "ae")
    assert fold(messy) == fold(plain) == fold(unaccented) == fold(unaccented.upper())


# --- resolve -----------------------------------------------------------------------------


@settings(deadline=None, max_examples=300)
@given(st.data())
def test_every_commune_resolves_to_itself_however_it_is_typed(data):
    communes, commune = data.draw(territory_and_commune())
    typed = data.draw(typed_like_a_newcomer(commune.name))
    assert resolve(typed, communes) == commune, typed


ARTICLE = re.compile(r"(?:(?:Le|La|Les) |L')(.+)")


@lru_cache(maxsize=1)
def communes_with_an_article() -> list[tuple[str, Commune]]:
    """(département, commune) for "Le Vigan", "L'Hôpital"…: 1 commune in 20 or so."""
    return [
        (department, commune)
        for department, communes in territories().items()
        for commune in communes
        if ARTICLE.match(commune.name)
    ]


@settings(deadline=None, max_examples=100)
@given(st.data())
def test_a_commune_resolves_without_its_article(data):
    department, commune = data.draw(st.sampled_from(communes_with_an_article()))
    communes = territories()[department]
    bare = ARTICLE.match(commune.name).group(1)
    # unless the territory has another commune of that very name
    assume(all(fold(c.name) != fold(bare) for c in communes))
    assert resolve(data.draw(typed_like_a_newcomer(bare)), communes) == commune


@settings(deadline=None, max_examples=300)
@given(st.data())
def test_resolve_answers_from_the_given_list_only(data):
    communes = territories()[data.draw(departments)]
    chosen = data.draw(st.lists(st.sampled_from(communes), max_size=20, unique=True))
    elsewhere = [c.name for cs in territories().values() for c in cs[:60]]
    mention = data.draw(st.one_of(st.text(), st.sampled_from(elsewhere), st.sampled_from(FILLER)))
    found = resolve(mention, chosen)
    assert found is None or found in chosen
    found_in_text = find_in_text(mention, chosen)
    assert found_in_text is None or found_in_text in chosen


# --- find_in_text and pick ---------------------------------------------------------------


@settings(deadline=None, max_examples=120)
@given(st.data())
def test_a_commune_in_a_sentence_is_found(data):
    communes, commune = data.draw(territory_and_commune())
    before = data.draw(st.lists(st.sampled_from(FILLER), max_size=12))
    after = data.draw(st.lists(st.sampled_from(FILLER), max_size=12))
    typed = data.draw(typed_like_a_newcomer(commune.name))
    punctuation = data.draw(st.sampled_from(["", " ?", ".", " !", ","]))
    sentence = " ".join([*before, typed + punctuation, *after])
    found = find_in_text(sentence, communes)
    # the longest name wins: a longer commune whose name holds this one is a right answer too
    assert found == commune or f" {fold(commune.name)} " in f" {fold(found.name)} ", (
        sentence,
        found,
    )
    assert pick([], sentence, communes) == (found, None)


@settings(deadline=None, max_examples=100)
@given(st.data())
def test_pick_prefers_the_territory_s_commune_among_mentions(data):
    communes, commune = data.draw(territory_and_commune())
    stranger = data.draw(st.sampled_from(["Paris", "Lyon 3e", "Bruxelles", "xyzzy"]))
    assert pick([stranger, commune.name], f"de {stranger} à {commune.name}", communes) == (
        commune,
        None,
    )


# --- any text at all ---------------------------------------------------------------------

hostile_text = st.one_of(
    st.text(),  # any unicode: control characters, surrogates excluded by Python strings
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=2000),
    st.text(st.sampled_from("\x00\x07\x1b\u200b\u202e\ufeff🏔️🐄👨‍👩‍👧 -'’ st murat"), max_size=500),
    st.integers(min_value=1_000, max_value=100_000).map(lambda n: ("Saint-Flour " * n)[:n]),
    st.integers(min_value=1_000, max_value=100_000).map(lambda n: "é" * n),
    st.integers(min_value=1_000, max_value=100_000).map(lambda n: "🐄 x" * (n // 3)),
)


@settings(deadline=None, max_examples=40)
@given(hostile_text, departments)
def test_any_text_is_handled_quickly(text, department):
    communes = territories()[department]
    started = time.perf_counter()
    fold(text)
    found = resolve(text, communes)
    picked, unmatched = pick([text], text, communes)
    elapsed = time.perf_counter() - started
    assert found is None or found in communes
    assert picked is None or picked in communes
    assert unmatched in (None, text)
    assert elapsed < QUICK_SECONDS, f"{elapsed:.2f} s for {len(text)} characters"


def test_the_longest_list_and_a_long_message_answer_quickly():
    """The worst case, checked once: the largest département and a 100 k-character message."""
    communes = max(territories().values(), key=len)
    names = " ".join(c.name[:-1] for c in communes)  # near-misses: fuzzy matching on every word
    message = (names * (100_000 // len(names) + 1))[:100_000]
    started = time.perf_counter()
    pick([message], message, communes)
    assert time.perf_counter() - started < QUICK_SECONDS


def test_a_name_beyond_the_scanned_part_is_not_searched():
    """What the time limit costs: a commune after MAX_SCANNED_CHARS characters is not seen."""
    communes = territories()["15"]
    murat = next(c for c in communes if c.name == "Murat")
    assert find_in_text("bonjour " * 10 + "Murat", communes) == murat
    assert find_in_text("bonjour " * (MAX_SCANNED_CHARS // 8 + 1) + "Murat", communes) is None


# --- what these properties found (each failed before the fix in actions/communes.py) ------


def commune(department: str, name: str) -> Commune:
    return next(c for c in territories()[department] if c.name == name)


def test_a_ligature_is_typed_oe():
    assert resolve("mercoeur", territories()["43"]) == commune("43", "Mercœur")


def test_an_exact_name_beats_a_near_miss_of_a_longer_one():
    meil = commune("07", "Saint-Barthélemy-le-Meil")
    assert find_in_text("une crèche à St-Barthélemy-le-Meil ?", territories()["07"]) == meil


def test_s_il_vous_plait_is_not_saint():
    ahun = commune("23", "Ahun")
    assert find_in_text("une crèche à Ahun s'il vous plaît", territories()["23"]) == ahun
