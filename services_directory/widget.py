"""
The embeddable chat widget: its script and styles, and demo territory sites that embed it.

`/widget.js` is `bot/widget/widget.js` with two values filled in when served: the Rasa address
of these settings (the tag's `data-rasa-url` overrides it) and the styles, so that loading the
widget costs one request. `/widget.css` serves the same styles alone.
"""

from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from html import escape
from json import dumps
from pathlib import Path
from string import Template

from aiohttp import web

from .appkeys import SETTINGS, STORAGE

WIDGET_DIR = Path(__file__).resolve().parent.parent / "bot" / "widget"
# Long enough to spare territory sites a request per page, short enough for fixes to spread.
CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400"

# What the demo sites say about living in each demo territory; any other gets the generic text.
PLACES = {
    "hautes-terres": (
        "Entre les monts du Cantal et le plateau du Cézallier, autour de Murat, Allanche, "
        "Condat et Massiac, les Hautes Terres offrent de grands espaces, une vie de village "
        "active et la station du Lioran à deux pas."
    ),
    "creuse-grand-sud": (
        "Autour d'Aubusson et de Felletin, capitales de la tapisserie, aux portes du plateau "
        "de Millevaches, Creuse Grand Sud accueille celles et ceux qui cherchent de l'espace, "
        "des savoir-faire et une vie culturelle vivante."
    ),
    "coeur-de-lozere": (
        "Autour de Mende, dans la vallée du Lot, entre causses et montagnes, Cœur de Lozère "
        "réunit les services d'une ville préfecture et la tranquillité des villages."
    ),
}
GENERIC_PLACE = (
    "Au cœur du Massif central, le territoire accueille chaque année de nouveaux habitants : "
    "familles, indépendants, salariés en télétravail, porteurs de projets."
)


@dataclass(frozen=True)
class Asset:
    """A file ready to serve: its bytes, content type and validator."""

    body: bytes
    content_type: str
    etag: str


def _asset(text: str, content_type: str) -> Asset:
    body = text.encode("utf-8")
    # Weak: the same content may leave gzipped or not.
    return Asset(body, content_type, f'W/"{sha256(body).hexdigest()[:20]}"')


def _read(name: str) -> str:
    return (WIDGET_DIR / name).read_text(encoding="utf-8")


def _stamp(*names: str) -> tuple[int, ...]:
    # Part of the cache keys: an edited source is served at once, without a restart.
    return tuple((WIDGET_DIR / name).stat().st_mtime_ns for name in names)


def widget_script(rasa_url: str) -> Asset:
    """The widget's script with the default Rasa address and its styles inlined."""
    return _script(rasa_url, _stamp("widget.js", "widget.css"))


def widget_styles() -> Asset:
    """The widget's styles alone."""
    return _styles(_stamp("widget.css"))


@lru_cache(maxsize=8)
def _script(rasa_url: str, _: tuple[int, ...]) -> Asset:
    source = _read("widget.js")
    # json.dumps gives a valid JS string literal; "</" never matters in a .js file.
    source = source.replace('"__AMC_RASA_URL__"', dumps(rasa_url))
    source = source.replace('"__AMC_CSS__"', dumps(_read("widget.css")))
    return _asset(source, "text/javascript")


@lru_cache(maxsize=8)
def _styles(_: tuple[int, ...]) -> Asset:
    return _asset(_read("widget.css"), "text/css")


def _serve(request: web.Request, asset: Asset) -> web.Response:
    # nosniff and Cross-Origin-Resource-Policy (territory sites load these files): see
    # security_headers.py, which sets every answer's security headers.
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": asset.etag}
    if asset.etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    response = web.Response(
        body=asset.body, content_type=asset.content_type, charset="utf-8", headers=headers
    )
    response.enable_compression()
    return response


async def script(request: web.Request) -> web.Response:
    """`GET /widget.js`: the widget a territory's site embeds."""
    return _serve(request, widget_script(request.app[SETTINGS].rasa_url))


async def styles(request: web.Request) -> web.Response:
    """`GET /widget.css`: the widget's styles (already inside widget.js)."""
    return _serve(request, widget_styles())


async def demo_site(request: web.Request) -> web.Response:
    """`GET /t/{slug}`: a page that looks like the territory's website, widget embedded."""
    territory = await request.app[STORAGE].get_territory(request.match_info["slug"])
    contact = territory.welcome_contact
    html = Template(_read("demo.html")).substitute(
        slug=escape(territory.slug),
        name=escape(territory.name),
        place=escape(PLACES.get(territory.slug, GENERIC_PLACE)),
        contact_name=escape(contact.name),
        contact_email=escape(contact.email),
        contact_phone=escape(contact.phone),
    )
    return web.Response(text=html, content_type="text/html", charset="utf-8")


def setup_widget_routes(app: web.Application) -> None:
    """Register the widget's files and the demo territory sites."""
    app.router.add_get("/widget.js", script)
    app.router.add_get("/widget.css", styles)
    app.router.add_get("/t/{slug}", demo_site)
