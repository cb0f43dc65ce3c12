"""The one place where errors become HTTP answers: JSON for the API, French HTML for people."""

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from .errors import DirectoryError, InvalidInput
from .pages import error_page
from .views import json_response

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}
_HTTP_MESSAGES = {
    404: "Adresse inconnue : {path}.",
    405: "Méthode {method} non autorisée sur {path}.",
}


def _wants_json(request: web.Request) -> bool:
    return request.path == "/healthz" or request.path == "/api" or request.path.startswith("/api/")


def _answer(
    request: web.Request, status: int, code: str, message: str, field: str | None = None
) -> web.Response:
    if _wants_json(request):
        error = {"code": code, "message": message} | ({"field": field} if field else {})
        return json_response({"error": error}, status=status)
    return error_page(status, message)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn domain errors and HTTP errors into answers; never leak a traceback."""
    try:
        return await handler(request)
    except DirectoryError as error:
        field = error.name if isinstance(error, InvalidInput) else None  # field or parameter
        response = _answer(request, error.status, error.code, error.message, field)
        if error.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="directory"'
        return response
    except web.HTTPException as error:
        if error.status < 400:
            raise
        template = _HTTP_MESSAGES.get(error.status, "{reason}.")
        message = template.format(path=request.path, method=request.method, reason=error.reason)
        response = _answer(
            request, error.status, _HTTP_CODES.get(error.status, "http_error"), message
        )
        if "Allow" in error.headers:
            response.headers["Allow"] = error.headers["Allow"]
        return response
    except Exception:
        logger.exception("unexpected error on %s %s", request.method, request.path)
        return _answer(
            request, 500, "internal_error", "Erreur interne du service ; elle a été journalisée."
        )


PUBLIC_READS = ("/api/v1/territories", "/api/v1/services", "/api/v1/openapi.json")


@web.middleware
async def public_cors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let territory websites read the public API from the widget (no cookies are involved)."""
    response = await handler(request)
    if request.method in ("GET", "HEAD") and request.path.startswith(PUBLIC_READS):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response
