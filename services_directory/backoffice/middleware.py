"""
Back-office answers: French error pages in the back-office layout.

Their security headers (a strict Content-Security-Policy, no framing) are set with every other
answer's, in `security_headers.py`.
"""

from collections.abc import Awaitable, Callable

from aiohttp import web

from ..errors import DirectoryError
from .render import render

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_PAGES = {
    403: ("Action refusée", "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page"
          " et recommencez."),
    404: ("Page introuvable", "Cette page n'existe pas, ou elle ne vous est pas accessible."),
    405: ("Méthode non autorisée", "Cette adresse ne s'utilise pas ainsi."),
    413: ("Fichier trop gros", "Le fichier envoyé est trop gros."),
}  # fmt: skip


@web.middleware
async def backoffice_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Under /admin/: errors as back-office pages."""
    if not (request.path == "/admin" or request.path.startswith("/admin/")):
        return await handler(request)
    try:
        response = await handler(request)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        response = _error(request, error.status, None)
    except DirectoryError as error:
        response = _error(request, error.status, error.message)
    return response


def _error(request: web.Request, status: int, message: str | None) -> web.Response:
    heading, default = _PAGES.get(status, ("Erreur", "La demande n'a pas pu aboutir."))
    context = {"heading": heading, "message": message or default}
    return render(request, "backoffice/error.html", context, status=status)
