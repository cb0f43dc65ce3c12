"""
The action server serves Rasa only: every call but `/health` must carry the shared secret.

Whoever reaches the action server could otherwise run any action with a forged conversation
(issue 15: `action_submit_lead` creating a call-back request nobody asked for). Rasa sends
`Authorization: Bearer <ACTION_SERVER_TOKEN>` (bot/endpoints.yml); the check runs as Sanic
request middleware, before rasa-sdk reads the call or runs anything. Without a usable secret
the action server refuses to start: a server that could never answer Rasa is better loud.
"""

from __future__ import annotations

import hmac
import os
from typing import Optional

from sanic import Sanic, response
from sanic.request import Request

ENVIRONMENT_NAME = "ACTION_SERVER_TOKEN"
MIN_SECRET_CHARS = 16
OPEN_PATHS = frozenset({"/health"})  # the supervisor's and `make run`'s health check


def secret_from_env() -> str:
    """The shared secret; SystemExit with the reason when it is unset or too short."""
    secret = os.environ.get(ENVIRONMENT_NAME, "")
    if len(secret) < MIN_SECRET_CHARS:
        raise SystemExit(
            f"{ENVIRONMENT_NAME} must be set to a secret of {MIN_SECRET_CHARS} characters or "
            "more, the same for Rasa and the action server: the action server does not start "
            "without it (make run makes one per run; deploy/accueil.env.example)."
        )
    return secret


def refusal(request: Request, secret: str) -> Optional[response.HTTPResponse]:
    """A JSON 401/403 for a call without the right secret, else None."""
    if request.path in OPEN_PATHS:
        return None
    given = request.headers.get("Authorization")
    if not given:
        answer = _error(401, "unauthorized", "Authorization: Bearer <secret> expected.")
        answer.headers["WWW-Authenticate"] = "Bearer"
        return answer
    if not hmac.compare_digest(given.encode(), f"Bearer {secret}".encode()):
        return _error(403, "forbidden", "Wrong secret.")
    return None


def protect(app: Sanic, secret: str) -> None:
    """Check the secret before any route of `app` runs."""

    @app.middleware("request")
    async def only_rasa(request: Request) -> Optional[response.HTTPResponse]:
        return refusal(request, secret)


def _error(status: int, code: str, message: str) -> response.HTTPResponse:
    return response.json({"error": {"code": code, "message": message}}, status=status)
