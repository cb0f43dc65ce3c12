"""
Passwords: Argon2id hashes (argon2-cffi, RFC 9106 low-memory profile) and the CNIL's rules.

CNIL (délibération 2022-100), for an account protected by a password alone, accepts any of:
12+ characters mixing upper case, lower case, digits and special characters; 14+ characters
mixing upper case, lower case and digits; or a passphrase of at least 7 words.
"""

import asyncio
import re

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


def password_problem(password: str, email: str = "") -> str | None:
    """What makes a password too weak (in French), or None when it follows the rules."""
    if len(password) > MAX_LENGTH:
        return f"Le mot de passe dépasse {MAX_LENGTH} caractères."
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in password.lower():
        return "Le mot de passe ne doit pas contenir votre adresse électronique."
    upper = any(c.isupper() for c in password)
    lower = any(c.islower() for c in password)
    digit = any(c.isdigit() for c in password)
    special = any(not c.isalnum() and not c.isspace() for c in password)
    words = [w for w in re.split(r"[\s\-_.,;:]+", password) if len(w) >= 2]
    if len(password) >= 12 and upper and lower and digit and special:
        return None
    if len(password) >= 14 and upper and lower and digit:
        return None
    if len(words) >= 7 and len(set(w.lower() for w in words)) >= 7 and len(password) >= 20:
        return None
    return f"Mot de passe trop faible : il faut {RULES}."


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
