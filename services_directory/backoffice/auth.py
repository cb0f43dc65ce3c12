"""
Who may see a back-office page: `require_user`, then `require_territory` for a territory's.

Not signed in: to the login page. Signed in but not allowed: 404, exactly as
for a page that does not exist (and a line in the security log).
"""

from urllib.parse import quote

from aiohttp import web

from ..models import User
from .audit import log_event
from .sessions import current_session

LOGIN_PATH = "/admin/login"


def can_see_territory(user: User, slug: str) -> bool:
    """True when the account may read and write the territory's data (GIP: every one)."""
    return user.can_see(slug)


def login_url(request: web.Request) -> str:
    """The login page, coming back to the current page (GET) after signing in."""
    target = request.path_qs if request.method == "GET" else request.path
    return f"{LOGIN_PATH}?next={quote(target, safe='')}"


async def require_user(request: web.Request, roles: set[str] | None = None) -> User:
    """
    The signed-in account.

    Args:
        request: the request.
        roles: the roles allowed here ("gip", "agent"); None: any signed-in account.

    Raises:
        web.HTTPFound: not signed in (or the session ended): to /admin/login?next=….
        web.HTTPNotFound: the account's role is not allowed here (logged).
    """
    found = await current_session(request)
    if found is None:
        raise web.HTTPFound(login_url(request))
    user = found[1]
    if roles is not None and user.role not in roles:
        await log_event(request, "denied", user.email, f"role {user.role}")
        raise web.HTTPNotFound()
    return user


async def require_territory(request: web.Request, user: User, slug: str) -> None:
    """
    Raises 404 (logged) unless the account may see the territory.

    Raises:
        web.HTTPNotFound: another territory's page (or an unknown one).
    """
    if not can_see_territory(user, slug):
        await log_event(request, "denied", user.email, f"territory {slug[:60]}")
        raise web.HTTPNotFound()


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a back-office path of this site (no open redirect)."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        if "\\" not in target and not target.startswith(LOGIN_PATH):
            return target
    return "/admin/"
