"""
Who is calling: API tokens (`Authorization: Bearer <token>`) and the checks views make.

Only a SHA-256 hash of each token is stored; tokens are 256-bit random strings, so a fast
hash is enough (no password stretching needed). A token expires (90 days unless chosen at
creation) and can be revoked on its own; an expired or revoked one is refused like an unknown
one (401). An agent asking for another territory's data gets the same 404 as for a territory
that does not exist.
"""

import hashlib
import hmac
import secrets

from aiohttp import web

from .appkeys import SETTINGS, STORAGE
from .errors import Forbidden, NotFound, Unauthorized, Unavailable
from .models import User


def new_token() -> str:
    """A fresh API token (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer(request: web.Request) -> str | None:
    """The Bearer token of a request, if it carries one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def optional_user(request: web.Request) -> User | None:
    """The account behind the request's token; None without a token or with an unknown one."""
    token = bearer(request)
    if token is None or len(token) > 200:
        return None
    return await request.app[STORAGE].user_for_token(hash_token(token))


async def current_user(request: web.Request) -> User:
    """
    The account behind the request's token.

    Raises:
        Unauthorized: no token, or one no enabled account holds.
    """
    if bearer(request) is None:
        raise Unauthorized("Authentification requise : en-tête « Authorization: Bearer <jeton> ».")
    user = await optional_user(request)
    if user is None:
        raise Unauthorized("Jeton d'API inconnu, expiré ou révoqué.")
    return user


def require_gip(user: User) -> None:
    """Raises `Forbidden` unless the account is a GIP administrator."""
    if user.role != "gip":
        raise Forbidden("Réservé à l'administration du GIP Massif central.")


def require_territory(user: User, slug: str) -> None:
    """Raises `NotFound` (as for an unknown territory) unless the account may see it."""
    if not user.can_see(slug):
        raise NotFound(f"Territoire inconnu : « {slug} ».")


def require_assistant(request: web.Request) -> None:
    """
    Check the assistant's shared secret (DIRECTORY_ASSISTANT_TOKEN).

    Raises:
        Unavailable: the secret is not configured on this deployment.
        Unauthorized: the request does not carry it.
    """
    expected = request.app[SETTINGS].assistant_token
    if expected is None:
        raise Unavailable(
            "Demandes de rappel indisponibles : DIRECTORY_ASSISTANT_TOKEN non défini."
        )
    token = bearer(request) or ""
    if not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
        raise Unauthorized("Jeton de l'assistant absent ou invalide.")
