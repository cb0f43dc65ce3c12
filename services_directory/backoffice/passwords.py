"""
Passwords: Argon2id hashes (argon2-cffi, RFC 9106 low-memory profile) and the CNIL's rules.

CNIL (délibération 2022-100), for an account protected by a password alone, accepts any of:
12+ characters mixing upper case, lower case, digits and special characters; 14+ characters
mixing upper case, lower case and digits; or a passphrase of at least 7 words. Spaces at
either end and runs of spaces do not count. A password that is a common one once case,
accents, digits and symbols at either end, separators and l33t spellings are set aside
(`Password123!`, `Motdepasse2024`, `P@ssw0rd!`) is refused, whatever its length
(`common_passwords.txt`, shipped with the package).
"""

import asyncio
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # Argon2id, time_cost 3, 64 MiB, parallelism 4
_DUMMY_HASH = _HASHER.hash("a password nobody has, to spend the same time on unknown e-mails")
MAX_LENGTH = 1024
RULES = (
    "au moins 12 caractères avec majuscules, minuscules, chiffres et caractères spéciaux ; "
    "ou au moins 14 caractères avec majuscules, minuscules et chiffres ; "
    "ou une phrase de passe d'au moins 7 mots"
)
COMMON = (
    "Ce mot de passe est trop courant : à des chiffres, symboles ou majuscules près, il figure "
    "parmi les mots de passe les plus utilisés. Choisissez-en un autre, par exemple une phrase "
    "de plusieurs mots."
)
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")  # digits and symbols at either end
_SEPARATORS = re.compile(r"[\W_]+")
_LEET = str.maketrans("@4031!$57", "aaoeiisst")


def base_word(password: str) -> str:
    """
    What a password is made of once its cheap disguises are set aside.

    Lower case, no accents, no digits or symbols at either end, l33t spellings read back as
    letters, no separators: `P@ssw0rd2024!`, `Mot-de-passe 2024` and `MOTDEPASSE!` become
    `password` and `motdepasse`.
    """
    folded = unicodedata.normalize("NFKD", password.strip().lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _SEPARATORS.sub("", _EDGES.sub("", folded).translate(_LEET))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The base words of the most common passwords (read once from the shipped list)."""
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    words = (base_word(line) for line in lines if line and not line.startswith("#"))
    return frozenset(word for word in words if len(word) >= 3)


def password_problem(password: str, email: str = "") -> str | None:
    """What makes a password too weak (in French), or None when it follows the rules."""
    if len(password) > MAX_LENGTH:
        return f"Le mot de passe dépasse {MAX_LENGTH} caractères."
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in password.lower():
        return "Le mot de passe ne doit pas contenir votre adresse électronique."
    if not _strong_enough(" ".join(password.split())):  # padding does not count
        return f"Mot de passe trop faible : il faut {RULES} (sans compter les espaces en trop)."
    if base_word(password) in common_passwords():
        return COMMON
    return None


def _strong_enough(password: str) -> bool:
    """The CNIL's rules, on a password without padding."""
    upper = any(c.isupper() for c in password)
    lower = any(c.islower() for c in password)
    digit = any(c.isdigit() for c in password)
    special = any(not c.isalnum() and not c.isspace() for c in password)
    words = [w for w in re.split(r"[\s\-_.,;:]+", password) if len(w) >= 2]
    if len(password) >= 12 and upper and lower and digit and special:
        return True
    if len(password) >= 14 and upper and lower and digit:
        return True
    distinct = len(set(w.lower() for w in words))
    return len(words) >= 7 and distinct >= 7 and len(password) >= 20


def hash_password(password: str) -> str:
    """The Argon2id hash to store (salted, with its parameters)."""
    return _HASHER.hash(password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; None (unknown account) takes as long and is False."""
    if len(password) > MAX_LENGTH:
        return False
    return await asyncio.get_running_loop().run_in_executor(None, _verify, password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(password_hash)
