"""The commune resolver: as newcomers type names, within the territory's list."""

import pytest

from actions.communes import find_in_text, fold, resolve
from actions.directory_client import Commune
from tests.actions.conftest import COMMUNES

SAINT_FLOUR = Commune("15187", "Saint-Flour", "15100")


@pytest.mark.parametrize(
    "typed, folded",
    [
        ("Saint-Étienne-du-Valdonnez", "saint etienne du valdonnez"),
        ("st flour", "saint flour"),
        ("STE FEYRE", "sainte feyre"),
        ("La Chapelle-d'Alagnon", "la chapelle d alagnon"),
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(
    "mention, insee",
    [
        ("murat", "15138"),
        ("MURAT", "15138"),
        ("Condat", "15054"),
        ("neussargues-en-pinatelle", "15141"),
        ("neusargues en pinatelle", "15141"),  # a typo
        ("chapelle d'alagnon", "15101"),  # without its article
        ("allanche", "15003"),
    ],
)
def test_resolve_known_names(mention, insee):
    assert resolve(mention, COMMUNES).insee == insee


@pytest.mark.parametrize("mention", ["paris", "mur", "", "aurillac"])
def test_resolve_unknown_names(mention):
    assert resolve(mention, COMMUNES) is None


def test_saint_abbreviation():
    assert resolve("st flour", [SAINT_FLOUR]) == SAINT_FLOUR


@pytest.mark.parametrize(
    "text, insee",
    [
        ("une creche vers murat ?", "15138"),
        ("on arrive à Neussargues en Pinatelle en septembre", "15141"),
        ("bus pour condat svp", "15054"),
        ("je cherche une demande de garde", None),
        ("rien ici", None),
    ],
)
def test_find_in_text(text, insee):
    found = find_in_text(text, COMMUNES)
    assert (found.insee if found else None) == insee
