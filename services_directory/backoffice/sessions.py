"""
Server-side web sessions: the cookie holds a random secret; the table holds its SHA-256.

A session ends on logout, after DIRECTORY_SESSION_MINUTES of inactivity, after 12 hours in
any case, and when its account is disabled or its password changed.
"""

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from aiohttp import web

from ..appkeys import SETTINGS, STORAGE
from ..models import User
from ..sqlbase import now
from .audit import client_ip
from .records import WebSession

SESSION_COOKIE = "amc_session"
CSRF_COOKIE = "amc_csrf"  # before sign-in: double-submit token of the login form
COOKIE_PATH = "/admin"
MAX_AGE = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)
_CACHE = web.RequestKey("backoffice_session", object)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str) -> None:
    """Set a back-office cookie: HttpOnly, SameSite=Lax, Secure unless configured off."""
    response.set_cookie(
        name, value, path=COOKIE_PATH, httponly=True, samesite="Lax",
        secure=request.app[SETTINGS].secure_cookies,
    )  # fmt: skip


def clear_cookie(response: web.StreamResponse, name: str) -> None:
    """Remove a back-office cookie from the browser."""
    response.del_cookie(name, path=COOKIE_PATH)


async def start_session(request: web.Request, response: web.StreamResponse, user: User) -> None:
    """A brand-new session for the account (any earlier one of this browser ends first)."""
    storage = request.app[STORAGE]
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await storage.delete_session(_hash(old))
    secret = secrets.token_urlsafe(32)
    moment = datetime.now(timezone.utc)
    session = WebSession(
        id_hash=_hash(secret), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
        created_at=_stamp(moment), last_seen_at=_stamp(moment),
        expires_at=_stamp(moment + MAX_AGE), ip=client_ip(request),
    )  # fmt: skip
    await storage.add_session(session)
    set_cookie(request, response, SESSION_COOKIE, secret)
    clear_cookie(response, CSRF_COOKIE)
    request[_CACHE] = (session, user)


async def end_session(request: web.Request, response: web.StreamResponse) -> None:
    """End the request's session on the server and in the browser."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        await request.app[STORAGE].delete_session(_hash(secret))
    clear_cookie(response, SESSION_COOKIE)
    request[_CACHE] = None


async def current_session(request: web.Request) -> tuple[WebSession, User] | None:
    """The request's live session and account (looked up once per request), or None."""
    if _CACHE in request:
        return request[_CACHE]  # type: ignore[no-any-return]
    request[_CACHE] = None
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret or len(secret) > 100:
        return None
    storage = request.app[STORAGE]
    found = await storage.get_session(_hash(secret))
    if found is None:
        return None
    session, user = found
    moment = datetime.now(timezone.utc)
    idle = timedelta(minutes=request.app[SETTINGS].session_minutes)
    if session.expires_at < now() or session.last_seen_at < _stamp(moment - idle):
        await storage.delete_session(session.id_hash)
        return None
    if session.last_seen_at < _stamp(moment - TOUCH_EVERY):
        await storage.touch_session(session.id_hash, _stamp(moment))
    request[_CACHE] = found
    return found


def cached_session(request: web.Request) -> tuple[WebSession, User] | None:
    """The session `current_session` already found for this request (for sync code)."""
    return request.get(_CACHE)  # type: ignore[no-any-return]
