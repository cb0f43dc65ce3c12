"""
Signing in and out, and changing one's password.

Password attempts, here and on the password form, are limited per account and per address
(throttle.py); every success and failure goes to the security log; a new session id is
issued at each sign-in.
"""

from aiohttp import web

from ..appkeys import STORAGE
from .audit import log_event
from .auth import require_user, safe_next
from .passwords import hash_password, needs_rehash, password_problem
from .render import check_csrf, render
from .sessions import current_session, end_session, start_session
from .throttle import check_password

WRONG = "Adresse électronique ou mot de passe incorrect."
THROTTLED = "Trop de tentatives de connexion. Réessayez dans 15 minutes."
THROTTLED_CURRENT = "Trop de tentatives avec un mot de passe erroné. Réessayez dans 15 minutes."


async def login_page(request: web.Request) -> web.Response:
    """`GET /admin/login`: the form (a signed-in account goes straight on)."""
    target = safe_next(request.query.get("next"))
    if await current_session(request) is not None:
        raise web.HTTPFound(target)
    return render(request, "backoffice/login.html", {"next": target, "email": "", "error": None})


async def login(request: web.Request) -> web.Response:
    """`POST /admin/login`: check the password (throttled), then start a brand-new session."""
    form = await check_csrf(request)
    email = str(form.get("email", "")).strip().lower()[:200]
    password = str(form.get("password", ""))
    target = safe_next(str(form.get("next", "")))
    storage = request.app[STORAGE]
    account = await storage.get_login(email) if email else None
    hashed = account.password_hash if account and not account.disabled else None
    right = await check_password(request, email, hashed, password)
    if right is None:
        await log_event(request, "login_throttled", email)
        return _again(request, email, target, THROTTLED, 429)
    if not right or account is None:
        reason = "disabled" if account and account.disabled else ""
        await log_event(request, "login_failed", email, reason)
        return _again(request, email, target, WRONG, 401)
    if hashed and needs_rehash(hashed):
        await storage.set_password(account.user.id, hash_password(password))
    await log_event(request, "login", email)
    response = web.HTTPFound(target)
    await start_session(request, response, account.user)
    raise response


def _again(request: web.Request, email: str, target: str, error: str, status: int) -> web.Response:
    context = {"next": target, "email": email, "error": error}
    return render(request, "backoffice/login.html", context, status=status)


async def logout(request: web.Request) -> web.Response:
    """`POST /admin/logout`: the session ends on the server, the cookie is removed."""
    await check_csrf(request)
    found = await current_session(request)
    if found is not None:
        await log_event(request, "logout", found[1].email)
    response = web.HTTPFound("/admin/login?ok=logout")
    await end_session(request, response)
    raise response


async def password_page(request: web.Request) -> web.Response:
    """`GET /admin/password`: change one's own password."""
    await require_user(request)
    return render(request, "backoffice/password.html", {"errors": {}})


async def change_password(request: web.Request) -> web.Response:
    """`POST /admin/password`: needs the current password; every session of the account ends."""
    user = await require_user(request)
    form = await check_csrf(request)
    storage = request.app[STORAGE]
    account = await storage.get_login(user.email)
    new = str(form.get("new_password", ""))
    errors: dict[str, str] = {}
    current = str(form.get("current_password", ""))
    hashed = account.password_hash if account is not None else None
    right = await check_password(request, user.email, hashed, current)
    if right is None:
        await log_event(request, "password_change_throttled", user.email)
        errors = {"current_password": THROTTLED_CURRENT}
        return render(request, "backoffice/password.html", {"errors": errors}, status=429)
    if not right:
        errors["current_password"] = "Mot de passe actuel incorrect."
        await log_event(request, "password_change_failed", user.email)
    elif problem := password_problem(new, user.email):
        errors["new_password"] = problem
    elif new != form.get("confirm_password"):
        errors["confirm_password"] = "Les deux saisies du nouveau mot de passe diffèrent."
    if errors:
        return render(request, "backoffice/password.html", {"errors": errors}, status=400)
    await storage.set_password(user.id, hash_password(new))
    await log_event(request, "password_changed", user.email)
    response = web.HTTPFound("/admin/?ok=password")
    await start_session(request, response, user)
    raise response
