"""The French HTML pages: chat test page, a territory's entries, error pages; all escaped."""

from collections.abc import Callable
from datetime import date

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp.plugin import AiohttpClient

from services_directory.app import create_app
from services_directory.models import Contact, NewService, Territory
from services_directory.seed import load_seed
from services_directory.settings import Settings
from services_directory.sqlite import SQLiteStorage

pytestmark = pytest.mark.asyncio

EVIL = "<img src=x onerror=alert(1)>"


async def get_html(client: TestClient, path: str, status: int = 200) -> str:
    response = await client.get(path)
    assert response.status == status
    assert response.content_type == "text/html"
    html = await response.text()
    assert '<html lang="fr">' in html
    return html


async def test_chat_page(client: TestClient) -> None:
    html = await get_html(client, "/")
    assert '<option value="hautes-terres">Hautes Terres Communauté</option>' in html
    assert "Communauté de communes Cœur de Lozère" in html
    assert 'data-rasa-url="http://127.0.0.1:5005"' in html
    assert "/webhooks/rest/webhook" in html
    assert ".innerHTML" not in html and "insertAdjacentHTML" not in html  # textContent only
    assert 'role="log"' in html and 'for="message"' in html


async def test_territory_services_page(client: TestClient) -> None:
    html = await get_html(client, "/t/hautes-terres/services?topic=childcare")
    assert "<h1>Garde d&#x27;enfants — Hautes Terres Communauté</h1>" in html
    assert "Crèche Les Petits Volcans" in html
    assert "Gare de Murat" not in html  # another topic
    assert "Projet de micro-crèche" not in html  # a draft
    assert 'href="tel:0465710168"' in html
    assert "Vérifié le " in html and "/2026</p>" in html
    assert "Service accueil de Hautes Terres (démo)" in html


async def test_territory_services_page_paginates(client: TestClient) -> None:
    html = await get_html(client, "/t/hautes-terres/services?topic=jobs&per_page=5")
    assert 'href="?topic=jobs&amp;per_page=5&amp;page=2" rel="next"' in html
    html = await get_html(client, "/t/hautes-terres/services?topic=jobs&per_page=5&page=2")
    assert 'rel="prev"' in html and 'rel="next"' not in html


async def test_unknown_territory_page_is_a_french_404(client: TestClient) -> None:
    html = await get_html(client, "/t/atlantide/services", 404)
    assert "<title>Page introuvable</title>" in html
    assert "Territoire inconnu : « atlantide »." in html


async def test_bad_filter_on_the_page_is_a_french_400(client: TestClient) -> None:
    html = await get_html(client, "/t/hautes-terres/services?topic=peche", 400)
    assert "Demande invalide" in html and "« topic »" in html


async def test_unknown_page_is_a_french_404(client: TestClient) -> None:
    html = await get_html(client, "/nulle-part", 404)
    assert "Adresse inconnue : /nulle-part." in html


async def test_every_value_is_escaped(
    aiohttp_client: AiohttpClient, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(RASA_URL='http://bot.example.org/"><b>x')
    storage = SQLiteStorage(settings.database)
    await storage.open()
    await load_seed(storage)
    contact = Contact(EVIL, "a@example.org", "04 65 71 99 99")
    await storage.put_territory(Territory("evil", f"Évil {EVIL}", "15", contact))
    await storage.add_service(
        NewService(
            territory="hautes-terres",
            topic="childcare",
            kind="creche",
            name=EVIL,
            commune="15138",
            description="<script>alert(2)</script>",
            address='"><svg onload=alert(3)>',
            email='x"@example.org',
            website="javascript:alert(4)",
            verified_on=date(2026, 10, 12),
            status="published",
        )
    )
    await storage.close()
    client = await aiohttp_client(create_app(settings))

    chat = await get_html(client, "/")
    assert "&lt;img src=x onerror=alert(1)&gt;" in chat
    assert 'data-rasa-url="http://bot.example.org/&quot;&gt;&lt;b&gt;x"' in chat

    listing = await get_html(client, "/t/hautes-terres/services?topic=childcare&q=%3Cimg")
    assert "<h2>&lt;img src=x onerror=alert(1)&gt;</h2>" in listing
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in listing
    assert 'value="&lt;img"' in listing
    assert "Vérifié le 12/10/2026" in listing
    for raw in (EVIL, "<script>alert", "<svg", "javascript:", 'x"@'):
        assert raw not in listing
        assert raw not in chat

    error = await get_html(client, f"/t/{EVIL}/services", 404)
    assert EVIL not in error and "&lt;img" in error
