"""The widget's files and the demo territory sites, served by the directory."""

import gzip
import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from services_directory.widget import WIDGET_DIR

BUDGET_GZIPPED = 50 * 1024


@pytest.mark.asyncio
async def test_widget_script_is_served_with_its_settings_and_cache_headers(
    client: TestClient,
) -> None:
    response = await client.get("/widget.js")
    assert response.status == 200
    assert response.content_type == "text/javascript" and response.charset == "utf-8"
    assert "max-age=" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    script = await response.text()
    assert "__AMC_" not in script  # both placeholders filled in
    assert 'var DEFAULT_RASA_URL = "http://127.0.0.1:5005";' in script
    assert ".launcher {" in script  # the styles travel inside the script


@pytest.mark.asyncio
async def test_widget_script_takes_rasa_url_from_settings(aiohttp_client, make_settings) -> None:
    from services_directory.app import create_app

    settings = make_settings(RASA_URL="https://chat.example.org/", DIRECTORY_SEED="none")
    client = await aiohttp_client(create_app(settings))
    script = await (await client.get("/widget.js")).text()
    assert 'var DEFAULT_RASA_URL = "https://chat.example.org";' in script


@pytest.mark.asyncio
async def test_widget_files_revalidate_with_their_etag(client: TestClient) -> None:
    for path in ("/widget.js", "/widget.css"):
        first = await client.get(path)
        etag = first.headers["ETag"]
        again = await client.get(path, headers={"If-None-Match": etag})
        assert again.status == 304, path
        assert await again.read() == b""


@pytest.mark.asyncio
async def test_widget_styles(client: TestClient) -> None:
    response = await client.get("/widget.css")
    assert response.status == 200
    assert response.content_type == "text/css"
    assert ":host" in await response.text()


@pytest.mark.asyncio
async def test_widget_is_compressed_when_the_browser_accepts_it(client: TestClient) -> None:
    response = await client.get("/widget.js", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"


@pytest.mark.asyncio
async def test_demo_site_embeds_the_widget_with_one_tag(client: TestClient) -> None:
    response = await client.get("/t/hautes-terres")
    assert response.status == 200 and response.content_type == "text/html"
    html = await response.text()
    assert '<html lang="fr">' in html
    assert "<h1>S'installer sur le territoire Hautes Terres Communauté</h1>" in html
    assert "Murat" in html and "Service accueil de Hautes Terres (démo)" in html
    tags = re.findall(r"<script[^>]*>", html)
    assert tags == ['<script src="/widget.js" data-territory="hautes-terres" defer>']
    assert 'href="/t/hautes-terres/services"' in html


@pytest.mark.asyncio
@pytest.mark.parametrize("slug", ["creuse-grand-sud", "coeur-de-lozere"])
async def test_every_demo_territory_has_its_site(client: TestClient, slug: str) -> None:
    html = await (await client.get(f"/t/{slug}")).text()
    assert f'data-territory="{slug}"' in html


@pytest.mark.asyncio
async def test_unknown_territory_site_is_a_french_404(client: TestClient) -> None:
    response = await client.get("/t/atlantide")
    assert response.status == 404 and response.content_type == "text/html"
    assert "<title>Page introuvable</title>" in await response.text()


def test_widget_stays_under_its_size_budget() -> None:
    size = sum(len(gzip.compress((WIDGET_DIR / name).read_bytes(), 9))
               for name in ("widget.js", "widget.css"))
    assert size < BUDGET_GZIPPED, f"widget.js + widget.css: {size} bytes gzipped"


def test_widget_never_parses_markup() -> None:
    # Bot and directory text reaches the page through textContent only (no injection).
    source = (WIDGET_DIR / "widget.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "DOMParser", "createContextualFragment", "srcdoc"):
        assert sink not in source, sink


def test_widget_sources_are_where_the_service_reads_them() -> None:
    assert Path(WIDGET_DIR, "widget.js").is_file() and Path(WIDGET_DIR, "demo.html").is_file()
