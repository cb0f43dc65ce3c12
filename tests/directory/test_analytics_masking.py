"""Personal data is masked before any figure, page or export sees it."""

import pytest

from services_directory.analytics.masking import EMAIL_MASK, NAME_MASK, PHONE_MASK, mask


@pytest.mark.parametrize("text", [
    "06 12 34 56 78", "0612345678", "06.12.34.56.78", "06-12-34-56-78", "+33 6 12 34 56 78",
    "+33612345678", "0033 6 12 34 56 78", "+44 20 7946 0958", "+1 (555) 010-9999",
    "+32 470 12 34 56",
])  # fmt: skip
def test_phone_numbers(text):
    assert mask(f"appelez-moi au {text} svp") == f"appelez-moi au {PHONE_MASK} svp"


@pytest.mark.parametrize("text", [
    "marie.dupont@exemple.fr", "Jean-Luc+newcomer@mail.example.co.uk", "x_y@sub.domain.org",
])  # fmt: skip
def test_emails(text):
    assert mask(f"écrivez à {text}.") == f"écrivez à {EMAIL_MASK}."


def test_names_given_in_the_form():
    said = "C'est Marie Dupont, et marie pour les amis ; DUPONT aussi."
    assert mask(said, ["Marie Dupont"]) == (
        f"C'est {NAME_MASK}, et {NAME_MASK} pour les amis ; {NAME_MASK} aussi."
    )
    assert mask("Dupontel n'est pas un nom donné", ["Dupont"]) == "Dupontel n'est pas un nom donné"


@pytest.mark.parametrize("text", [
    "une crèche à Murat (15300) ?", "le 12/10/2026", "code INSEE 15138", "bus 42 vers 15h30",
])  # fmt: skip
def test_ordinary_text_is_kept(text):
    assert mask(text) == text
