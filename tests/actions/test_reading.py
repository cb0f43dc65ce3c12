"""Reading a message as people write it: places and their roles, trades, needs, French."""

import pytest

from actions.french import a, de, de_territory, place_name
from actions.kinds import topics_named
from actions.places import DESTINATION, HOME, ORIGIN, PLACE, places_in
from actions.trades import trade_named
from tests.actions.conftest import COMMUNES


def roles(text):
    return [(p.role, p.commune.name if p.commune else p.typed) for p in places_in(text, COMMUNES)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ramassage scolaire pour Murat depuis Allanche",
         [(PLACE, "Murat"), (ORIGIN, "Allanche")]),
        ("un bus de Condat à Murat", [(ORIGIN, "Condat"), (DESTINATION, "Murat")]),
        ("un bus pour aller à Murat", [(DESTINATION, "Murat")]),
        ("j'habite à mura", [(HOME, "Murat")]),
        ("on arrive à Mende avec deux enfants", [(HOME, "Mende")]),
        ("une crèche à La Chapelle d'Alagnon", [(PLACE, "La Chapelle-d'Alagnon")]),
        ("une crèche près d'Aubusson", [(PLACE, "Aubusson")]),
        ("covoiturage vers st flour le matin", [(PLACE, "st flour")]),
        ("dans le coin de vic sur cere y a des ass mat", [(PLACE, "vic sur cere")]),
        ("je cherche un emploi à Clermont-Ferrand", [(PLACE, "Clermont-Ferrand")]),
        ("une nounou à temps plein pour mon fils", []),
        ("mon grand peut aller au centre aéré à Murat ?", [(PLACE, "Murat")]),
        ("besoin d'aller au supermarché le samedi", []),
    ],
)
def test_places_and_their_roles(text, expected):
    assert roles(text) == expected


@pytest.mark.parametrize(
    ("text", "trade"),
    [
        ("je suis électricien", "électricien"),
        ("un poste de maçon vers Murat", "maçon"),
        ("charpentier, du boulot vers Aubusson ?", "charpentier"),
        ("un emploi d'auxiliaire de puériculture en crèche", "auxiliaire de puériculture"),
        ("aide à domicile, vous avez des offres ?", "aide à domicile"),
        ("je voudrais m'installer comme infirmier libéral", "infirmier"),
        ("du travail d'infirmière, une crèche", "infirmière"),
        ("cession d'entreprise secteur Massiac", None),
        ("je suis à la recherche d'un emploi", None),
        ("un poste de travail partagé", None),
    ],
)
def test_the_trade_a_message_names(text, trade):
    assert trade_named(text) == trade


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("je cherche du travail de charpentier et une crèche, et on n'a qu'une voiture",
         ["jobs", "childcare", "transport"]),
        ("j'ai trouvé du travail à Aurillac, il me faut une nounou", ["childcare"]),
        ("la crèche de Condat recrute ?", []),
        ("un coworking avec garderie", ["telework"]),
        ("une salle de visio pour un entretien d'embauche", ["telework"]),
        ("du covoiturage pour aller au boulot", ["transport"]),
    ],
)
def test_the_needs_a_message_asks_for(text, topics):
    assert topics_named(text) == topics


def test_french_around_names():
    assert de("Aubusson") == "d'Aubusson" and de("Murat") == "de Murat"
    assert de("Le Malzieu-Ville") == "du Malzieu-Ville" and de("Les Vans") == "des Vans"
    assert de("L'Isle-Jourdain") == "de L'Isle-Jourdain"
    assert a("Le Malzieu-Ville") == "au Malzieu-Ville" and a("La Canourgue") == "à La Canourgue"
    assert place_name("clermont-ferrand") == "Clermont-Ferrand"
    assert place_name("riom es montagnes") == "Riom es Montagnes"


def test_french_around_territory_names():
    assert de_territory("Communauté de communes Cœur de Lozère") == (
        "de la Communauté de communes Cœur de Lozère")
    assert de_territory("Pays de Saint-Flour") == "du Pays de Saint-Flour"
    assert de_territory("Hautes Terres Communauté") == "de Hautes Terres Communauté"
    assert de_territory("Agglomération du Puy") == "de l'Agglomération du Puy"
