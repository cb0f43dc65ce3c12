"""
Rendering back-office pages and checking their forms' CSRF token.

`render` adds `user`, `csrf_token`, `nav` and `notice` to every template's context; the
analytics pages use it too. Before sign-in the token is a double-submit cookie; afterwards it
is the session's own token, kept on the server.
"""

import hmac
import secrets
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from multidict import MultiDict, MultiDictProxy

from .audit import log_event
from .sessions import CSRF_COOKIE, cached_session, current_session, set_cookie

_NOTICES = {
    "saved": "Fiche enregistrée.",
    "created": "Fiche créée (brouillon tant qu'elle n'est pas publiée).",
    "duplicated": "Copie créée en brouillon : modifiez-la puis publiez-la.",
    "verified": "Fiche marquée vérifiée aujourd'hui.",
    "published": "Fiche publiée : l'assistant la propose dès maintenant.",
    "archived": "Fiche archivée : elle ne sort plus dans les réponses.",
    "unpublished": "Fiche repassée en brouillon.",
    "imported": "Import effectué.",
    "lead": "Statut de la demande mis à jour.",
    "settings": "Réglages du territoire enregistrés.",
    "account": "Compte enregistré.",
    "token": "Jeton d'API révoqué : il ne fonctionne plus.",
    "password": "Mot de passe changé ; vos autres sessions ont été fermées.",
    "territory": "Territoire créé.",
    "logout": "Vous êtes déconnecté·e.",
}


def nav_items(request: web.Request) -> list[dict[str, Any]]:
    """The main menu for the signed-in account (empty before sign-in)."""
    found = cached_session(request)
    if found is None:
        return []
    user = found[1]
    items = [("Mes territoires", "/admin/"), ("Tableau de bord", "/admin/analytics")]
    if user.role == "gip":
        items += [("Comptes", "/admin/accounts"), ("Journal de sécurité", "/admin/security")]
    items.append(("Mon mot de passe", "/admin/password"))
    path = request.path
    return [
        {"label": label, "href": href,
         "current": path == href or (href != "/admin/" and path.startswith(href))}
        for label, href in items
    ]  # fmt: skip


def render(
    request: web.Request, template: str, context: dict[str, Any], status: int = 200
) -> web.Response:
    """
    A back-office page from `templates/<template>`, e.g. "backoffice/entries.html".

    Args:
        request: the request (its session, if any, was looked up by `require_user`).
        template: path under services_directory/templates.
        context: the template's values; `user`, `csrf_token`, `nav`, `notice` are added.
        status: the HTTP status.
    """
    found = cached_session(request)
    new_cookie = None
    if found is not None:
        token = found[0].csrf_token
    else:
        token = request.cookies.get(CSRF_COOKIE) or ""
        if not 30 <= len(token) <= 100:
            token = new_cookie = secrets.token_urlsafe(32)
    values = {
        "user": found[1] if found else None,
        "csrf_token": token,
        "nav": nav_items(request),
        "notice": _NOTICES.get(request.query.get("ok", "")),
        **context,
    }
    response = aiohttp_jinja2.render_template(template, request, values, status=status)
    if new_cookie is not None:
        set_cookie(request, response, CSRF_COOKIE, new_cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


async def check_csrf(request: web.Request) -> MultiDictProxy[Any] | MultiDict[Any]:
    """
    The POSTed form, once its `csrf_token` matches the session's (before sign-in: the cookie's).

    Raises:
        web.HTTPForbidden: missing or wrong token (logged; the page says to reload).
    """
    form = await request.post()
    sent = form.get("csrf_token")
    found = await current_session(request)
    expected = found[0].csrf_token if found else request.cookies.get(CSRF_COOKIE, "")
    if not (isinstance(sent, str) and expected and hmac.compare_digest(sent, expected)):
        await log_event(request, "csrf_refused", found[1].email if found else "")
        raise web.HTTPForbidden()
    return form
