"""
Security headers on every answer of the directory service, chosen by the kind of answer.

Set in `on_response_prepare`, so they reach every answer whoever builds it: handlers, error
pages, redirects, static files, the rate limiter's 429.

| kind | paths | policy | framed by |
| --- | --- | --- | --- |
| back-office | `/admin…` | `default-src 'self'`, no inline code | nobody |
| API | `/api…`, `/healthz` | `default-src 'none'` (JSON, CSV: never rendered) | nobody |
| widget files | `/widget.js`, `/widget.css` | CORP `cross-origin` | nobody |
| territory directory page | `/t/<slug>/services` | public page | `DIRECTORY_FRAME_ANCESTORS` |
| other public pages | `/`, `/t/<slug>` (demo sites), errors | public page | nobody |

Territory sites include the widget as a script (no frame), so no page needs framing for the
chat; the territory's directory page (where the widget's "Voir tout" links lead) is the one a
territory site may want to show in a frame, from the origins it lists. Public pages allow
only their own inline style and script blocks, by hash (computed from the templates, never
from the answer), scripts from this service, and `fetch` to this service and to Rasa
(`RASA_URL`: the chat test page and the widget talk to it). Every answer also gets
`nosniff`, a Referrer-Policy, a Permissions-Policy denying powerful features and, when the
service is behind HTTPS (`DIRECTORY_SECURE_COOKIES`), Strict-Transport-Security.
"""

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from aiohttp import web

from .appkeys import SETTINGS
from .settings import Settings

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
WIDGET_DIR = PACKAGE.parent / "bot" / "widget"

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(),"
    " magnetometer=(), microphone=(), payment=(), usb=()"
)
BACKOFFICE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
WIDGET_FILES = ("/widget.js", "/widget.css")
FRAMABLE = re.compile(r"/t/[^/]+/services")
_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


def _common(settings: Settings) -> dict[str, str]:
    headers = {"X-Content-Type-Options": "nosniff", "Permissions-Policy": PERMISSIONS_POLICY}
    if settings.secure_cookies and settings.hsts_seconds:
        headers["Strict-Transport-Security"] = f"max-age={settings.hsts_seconds}"
    return headers


def _kind(path: str) -> str:
    if path == "/admin" or path.startswith("/admin/"):
        return "backoffice"
    if path in ("/api", "/healthz") or path.startswith("/api/"):
        return "api"
    if path in WIDGET_FILES:
        return "widget"
    if FRAMABLE.fullmatch(path):
        return "framable"
    return "page"


def headers_for(settings: Settings, path: str) -> dict[str, str]:
    """
    The security headers of an answer to `path`.

    Args:
        settings: the service's settings (RASA_URL, HTTPS, frame ancestors).
        path: the request's path.

    Returns:
        Header names and values, to set on the answer (replacing any already there).
    """
    kind = _kind(path)
    headers = _common(settings)
    if kind == "backoffice":
        headers |= {"Content-Security-Policy": BACKOFFICE_CSP, "X-Frame-Options": "DENY",
                    "Referrer-Policy": "same-origin"}  # fmt: skip
    elif kind in ("api", "widget"):
        headers |= {"Content-Security-Policy": API_CSP, "X-Frame-Options": "DENY",
                    "Referrer-Policy": "no-referrer"}  # fmt: skip
        if kind == "widget":  # territory sites load it from their own origin
            headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    else:
        ancestors = settings.frame_ancestors if kind == "framable" else "'none'"
        headers |= {
            "Content-Security-Policy": page_policy(settings.rasa_url, ancestors),
            "Referrer-Policy": "same-origin",
        }
        # X-Frame-Options cannot name other sites: browsers that know CSP ignore it anyway.
        legacy = {"'none'": "DENY", "'self'": "SAMEORIGIN"}.get(ancestors)
        if legacy:
            headers["X-Frame-Options"] = legacy
    return headers


def page_policy(rasa_url: str, ancestors: str) -> str:
    """The Content-Security-Policy of a public HTML page."""
    parts = urlsplit(rasa_url)
    rasa = f"{parts.scheme}://{parts.netloc}"
    scripts, styles = inline_hashes()
    return (
        f"default-src 'none'; script-src 'self' {scripts}; style-src {styles};"
        f" connect-src 'self' {rasa}; img-src 'self' data:; form-action 'self';"
        f" base-uri 'none'; object-src 'none'; frame-ancestors {ancestors}"
    )


def inline_hashes() -> tuple[str, str]:
    """The CSP hashes of the inline script and style blocks of the public pages' templates."""
    return _hashes(_stamp())


def _sources() -> list[tuple[Path, dict[str, str]]]:
    # Each template with the values substituted into its inline blocks (the chat page inlines
    # chat.js); a per-request value inside <script> or <style> would break its hash (the
    # headers test renders every page and checks each block against the policy).
    chat_js = (TEMPLATES / "chat.js").read_text(encoding="utf-8")
    return [
        (TEMPLATES / "page.html", {}),
        (TEMPLATES / "chat.html", {"script": chat_js}),
        (WIDGET_DIR / "demo.html", {}),
    ]


def _stamp() -> tuple[int, ...]:
    # Part of the cache key: an edited template gets its hash at once, as widget.py does.
    files = [path for path, _ in _sources()] + [TEMPLATES / "chat.js"]
    return tuple(path.stat().st_mtime_ns for path in files)


@lru_cache(maxsize=4)
def _hashes(_: tuple[int, ...]) -> tuple[str, str]:
    found: dict[str, list[str]] = {"script": [], "style": []}
    for path, values in _sources():
        text = Template(path.read_text(encoding="utf-8")).safe_substitute(values)
        for tag, content in _INLINE.findall(text):
            digest = base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest())
            source = f"'sha256-{digest.decode('ascii')}'"
            if source not in found[tag]:
                found[tag].append(source)
    return " ".join(found["script"]) or "'none'", " ".join(found["style"]) or "'none'"


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """`on_response_prepare` hook: the headers of the answer's kind, on every answer."""
    response.headers.update(headers_for(request.app[SETTINGS], request.path))
