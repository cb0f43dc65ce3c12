"""French HTML pages: the chat test page and a territory's entries. Every value is escaped."""

from datetime import date
from functools import cache
from html import escape
from pathlib import Path
from string import Template
from urllib.parse import urlencode

from aiohttp import web

from .appkeys import SETTINGS, STORAGE
from .models import Commune, Page, Service, Territory
from .search import SearchQuery
from .vocabulary import KIND_LABELS, TOPICS

_TEMPLATES = Path(__file__).with_name("templates")
_ERROR_TITLES = {
    400: "Demande invalide", 404: "Page introuvable", 405: "Méthode non autorisée",
    429: "Trop de demandes",
}


@cache
def _template(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def render(title: str, body: str, status: int = 200) -> web.Response:
    """A full HTML page around an already escaped body."""
    html = Template(_template("page.html")).substitute(title=escape(title), body=body)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def error_page(status: int, message: str) -> web.Response:
    """The French error page for people (the error middleware's HTML answer)."""
    title = _ERROR_TITLES.get(status, "Erreur du service")
    home = '<p><a href="/">Retour à l\'accueil</a></p>'
    body = f"<h1>{escape(title)}</h1>\n<p>{escape(message)}</p>\n{home}"
    return render(title, body, status)


def _options(choices: list[tuple[str, str]], selected: str | None) -> str:
    lines = []
    for value, label in choices:
        chosen = " selected" if value == selected else ""
        lines.append(f'<option value="{escape(value)}"{chosen}>{escape(label)}</option>')
    return "\n".join(lines)


async def chat(request: web.Request) -> web.Response:
    """`GET /`: a page to chat with the assistant through Rasa's REST channel."""
    territories = await request.app[STORAGE].list_territories()
    body = Template(_template("chat.html")).substitute(
        rasa_url=escape(request.app[SETTINGS].rasa_url),
        territory_options=_options([(t.slug, t.name) for t in territories], None),
        script=_template("chat.js"),
    )
    return render("Tester l'assistant d'accueil", body)


async def territory_services(request: web.Request) -> web.Response:
    """`GET /t/{slug}/services`: a territory's published entries, with the API's filters."""
    storage = request.app[STORAGE]
    territory = await storage.get_territory(request.match_info["slug"])
    query = SearchQuery.from_params(request.query, territory=territory.slug)
    page = await storage.search(query)
    communes = await storage.list_communes(territory.slug)
    heading = TOPICS.get(query.topic or "", "Tous les services")
    parts = [
        '<p><a href="/">Tester l\'assistant</a></p>',
        f"<h1>{escape(heading)} — {escape(territory.name)}</h1>",
        _filters(query, communes),
        f'<p role="status">{page.total} fiche{"s" if page.total != 1 else ""}</p>',
        '<ol class="cards">' + "".join(_card(item) for item in page.items) + "</ol>",
        _pagination(request, page),
        _welcome(territory),
    ]
    return render(f"{heading} — {territory.name}", "\n".join(parts))


def _filters(query: SearchQuery, communes: list[Commune]) -> str:
    topics = _options([("", "Tous les thèmes"), *TOPICS.items()], query.topic or "")
    places = _options(
        [("", "Toutes les communes")] + [(c.insee, c.name) for c in communes], query.commune or ""
    )
    near = query.near if isinstance(query.near, str) else ""
    return (
        '<form method="get" role="search">'
        f'<label for="topic">Thème</label><select id="topic" name="topic">{topics}</select>'
        '<label for="commune">Dans la commune</label>'
        f'<select id="commune" name="commune">{places}</select>'
        f'<input type="hidden" name="near" value="{escape(near)}">'
        f'<label for="q">Mots-clés</label><input id="q" name="q" value="{escape(query.q or "")}">'
        ' <button type="submit">Filtrer</button></form>'
    )


def _card(item: Service) -> str:
    where = ", ".join(part for part in (item.address, item.commune_name) if part)
    if item.distance_km is not None:
        where += f" · {item.distance_km:.1f} km".replace(".", ",")
    lines = [
        f"<h2>{escape(item.name)}</h2>",
        f'<p class="muted">{escape(KIND_LABELS.get(item.kind, item.kind))}</p>',
        f"<p>{escape(item.description)}</p>" if item.description else "",
        f"<p>{escape(where)}</p>",
    ]
    if item.phone:
        tel = "".join(c for c in item.phone if c.isdigit() or c == "+")
        lines.append(f'<p>Tél. <a href="tel:{escape(tel)}">{escape(item.phone)}</a></p>')
    if item.email:
        lines.append(f'<p><a href="mailto:{escape(item.email)}">{escape(item.email)}</a></p>')
    if item.website and item.website.startswith(("https://", "http://")):
        lines.append(f'<p><a href="{escape(item.website)}">Site web</a></p>')
    if item.verified_on:
        lines.append(f'<p class="muted">Vérifié le {_french_date(item.verified_on)}</p>')
    return '<li class="card">' + "".join(lines) + "</li>"


def _french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _pagination(request: web.Request, page: Page) -> str:
    links = []
    params = {name: value for name, value in request.query.items() if name != "page"}
    if page.page > 1:
        href = "?" + urlencode({**params, "page": page.page - 1})
        links.append(f'<a href="{escape(href)}" rel="prev">Page précédente</a>')
    if page.page * page.per_page < page.total:
        href = "?" + urlencode({**params, "page": page.page + 1})
        links.append(f'<a href="{escape(href)}" rel="next">Page suivante</a>')
    return f'<nav aria-label="Pagination"><p>{" · ".join(links)}</p></nav>' if links else ""


def _welcome(territory: Territory) -> str:
    contact = territory.welcome_contact
    return (
        f"<h2>Parler à une personne</h2><p>{escape(contact.name)} · "
        f'<a href="mailto:{escape(contact.email)}">{escape(contact.email)}</a> · '
        f"{escape(contact.phone)}</p>"
    )
