"""Records the back-office keeps in storage: accounts with their state, sessions, log lines."""

from dataclasses import dataclass

from ..entries import Service
from ..errors import Conflict
from ..models import User


@dataclass(frozen=True)
class Account:
    """An account as the GIP's account page lists it."""

    user: User
    disabled: bool
    has_password: bool
    created_at: str


@dataclass(frozen=True)
class ApiToken:
    """An API token as listed: its id and first characters, never its hash."""

    id: int
    prefix: str  # the token's first characters ("" for tokens made before they were kept)
    owner: User
    created_at: str
    expires_at: str
    last_used_at: str | None


@dataclass(frozen=True)
class Login:
    """What signing in needs to know about an account."""

    user: User
    password_hash: str | None
    disabled: bool


@dataclass(frozen=True)
class WebSession:
    """A server-side web session; the cookie holds a secret whose SHA-256 is `id_hash`."""

    id_hash: str
    user_id: int
    csrf_token: str
    created_at: str
    last_seen_at: str
    expires_at: str
    ip: str = ""


@dataclass(frozen=True)
class AuthEvent:
    """One line of the security log."""

    at: str
    event: str
    email: str
    ip: str
    path: str
    detail: str


class EditConflict(Conflict):
    """The entry changed since the form was opened; `current` is what is stored now."""

    code = "edit_conflict"

    def __init__(self, current: Service) -> None:
        super().__init__("La fiche a été modifiée par quelqu'un d'autre entre-temps.")
        self.current = current
