"""
Passwords: common ones and their variants are refused, padding does not count (issue 15, 6).

Checked that these fail on the code before the fix: `Password123!`, `Azerty123456!` and
`Motdepasse2024` were accepted, and so was a short password padded with spaces.
"""

import pytest
from aiohttp.test_utils import TestClient
from backoffice_support import PASSWORD, bo, post_form, signed_in  # noqa: F401 (fixture)

from services_directory.appkeys import STORAGE
from services_directory.backoffice.passwords import password_problem

COMMON = "trop courant"


@pytest.mark.parametrize(
    "password",
    [
        "Password123!", "Azerty123456!", "Motdepasse2024", "MotDePasse2024!",
        "Soleil2024!!!!", "Marseille13!!!", "P@ssw0rd2024!", "!Azertyuiop123",
        "Qwertyuiop1234", "Jetaime123456!", "Bonjour2025!!!", "Doudou1234567!",
    ],
)  # fmt: skip
def test_common_passwords_and_their_variants_are_refused(password: str) -> None:
    problem = password_problem(password)
    assert problem is not None and COMMON in problem, password


@pytest.mark.parametrize(
    "password",
    [
        "   Ab1!cd   ",  # 6 characters padded to 12
        "Abcdefgh1!x" + " ",  # 11 characters and one space
        "\tAbcdefghijk1m\n",  # 13 characters padded to 15
    ],
)
def test_padding_does_not_count_towards_length(password: str) -> None:
    problem = password_problem(password)
    assert problem is not None and "trop faible" in problem


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD, "Une-Autre-Phrase-2026!", "Abcdefgh1!xy", "Zq7#vL2m!Rt9",
        "le chat de la voisine dort sur le toit", "Brouillard-Aubrac-42!",
    ],
)  # fmt: skip
def test_strong_passwords_are_still_accepted(password: str) -> None:
    assert password_problem(password) is None, password


def test_the_list_is_shipped_with_the_package() -> None:
    from services_directory.backoffice import passwords

    common = passwords.common_passwords()
    assert len(common) >= 1000
    assert {"azerty", "motdepasse", "soleil", "marseille", "password"} <= common


@pytest.mark.asyncio
async def test_the_password_form_refuses_a_common_password_in_french(bo: TestClient) -> None:  # noqa: F811
    await signed_in(bo, "agent@ht.example.org", "agent", "hautes-terres")
    weak = "Motdepasse2024"
    response = await post_form(
        bo, "/admin/password",
        {"current_password": PASSWORD, "new_password": weak, "confirm_password": weak},
    )  # fmt: skip
    assert response.status == 400
    html = await response.text()
    assert COMMON in html and 'id="f-new_password-error"' in html
    login = await bo.app[STORAGE].get_login("agent@ht.example.org")
    from services_directory.backoffice.passwords import verify_password

    assert await verify_password(login.password_hash, PASSWORD)  # unchanged
