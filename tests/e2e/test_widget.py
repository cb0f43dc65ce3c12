"""
The chat widget in a real browser: Debian's Chromium driven by Playwright, on the demo
territory sites of the running stack (directory, action server and Rasa).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.conftest import get_json

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ANSWER_TIMEOUT_MS = 60_000
QUESTION = "je cherche une crèche à Murat"
EVIL = "<img src=x onerror=alert(1)>"
MURAT = ("15138", 45.1236, 2.8501)


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> BrowserContext:
    opened = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    opened.set_default_timeout(15_000)
    yield opened
    opened.close()


class Widget:
    """The widget on a page, found as a visitor (or a screen reader) finds it."""

    def __init__(self, page: Page):
        self.page = page
        # Playwright's CSS and role locators see inside open shadow roots.
        self.launcher = page.get_by_role("button", name=re.compile("Une question"))
        self.launcher_element = page.locator(".launcher")  # hidden while open on small screens
        self.panel = page.get_by_role("dialog")
        self.log = page.get_by_role("log")
        self.input = page.get_by_label("Votre message")

    def open(self) -> None:
        if self.launcher_element.get_attribute("aria-expanded") != "true":
            self.launcher.click()
        expect(self.panel).to_be_visible()
        expect(self.launcher_element).to_have_attribute("aria-expanded", "true")

    def ask(self, text: str) -> None:
        turns = self.log.locator(".turn").count()
        self.input.fill(text)
        self.input.press("Enter")
        self.wait_answer(turns + 1)

    def wait_answer(self, turns: int) -> None:
        expect(self.log.locator(".turn")).to_have_count(turns)
        last = self.log.locator(".turn").last
        expect(last.locator(".bot").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        expect(self.page.get_by_role("status")).to_have_text("", timeout=ANSWER_TIMEOUT_MS)

    def card_names(self) -> list[str]:
        return self.log.locator(".turn").last.locator(".card h3").all_inner_texts()


def csp_violations(page: Page) -> list[str]:
    """
    What the page's Content-Security-Policy refuses, as it happens: Chromium reports each
    refusal on the console ("Refused to …", "… violates the following Content Security Policy
    directive …"), whatever frame or shadow root it comes from.
    """
    seen: list[str] = []

    def note(message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            seen.append(message.text)

    page.on("console", note)
    return seen


def open_site(context: BrowserContext, stack, slug: str = "hautes-terres") -> Widget:
    page = context.new_page()
    page.goto(f"{stack.directory_url}/t/{slug}")
    widget = Widget(page)
    expect(widget.launcher).to_be_visible()
    return widget


def nearest_childcare_names(stack) -> list[str]:
    api = get_json(
        f"{stack.directory_url}/api/v1/services?topic=childcare&territory=hautes-terres"
        f"&near={MURAT[0]}&per_page=10"
    )
    return [item["name"] for item in api["items"]]


def test_nothing_is_fetched_or_stored_before_the_chat_is_opened(context, stack):
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    site = f"{stack.directory_url}/t/hautes-terres"
    page.goto(site, wait_until="networkidle")
    widget = Widget(page)
    expect(widget.launcher).to_be_visible()
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    expect(widget.panel).to_be_hidden()
    page.wait_for_timeout(1000)

    fetched = {url for url in requests if not url.endswith("/favicon.ico")}
    assert fetched == {site, f"{stack.directory_url}/widget.js"}
    assert page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]") == [
        0, 0, ""
    ]
    assert page.evaluate("async () => (await indexedDB.databases()).length") == 0
    assert context.cookies() == []

    # Opening asks for the territory's settings and keeps a random sender id; Rasa hears
    # nothing until the visitor writes.
    with page.expect_request(f"{stack.directory_url}/api/v1/territories/hautes-terres"):
        widget.open()
    saved = json.loads(page.evaluate("localStorage.getItem('amc-chat:hautes-terres')"))
    assert re.fullmatch(r"[0-9a-f]{32}", saved["sender"]) and saved["turns"] == []
    assert not [url for url in requests if url.startswith(stack.rasa_url)]
    assert context.cookies() == []


def test_conversation_with_cards_and_quick_reply_survives_a_reload(context, stack):
    widget = open_site(context, stack)
    page = widget.page
    sent: list[dict] = []
    webhook = f"{stack.rasa_url}/webhooks/rest/webhook"
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url == webhook else None)
    widget.open()
    expect(widget.input).to_be_focused()
    expect(page.get_by_role("heading", name="Accueil · Hautes Terres Communauté")).to_be_visible()

    widget.ask(QUESTION)
    assert sent[0]["message"] == QUESTION
    assert sent[0]["metadata"] == {"territory": "hautes-terres"}
    assert re.fullmatch(r"[0-9a-f]{32}", sent[0]["sender"])
    names = widget.card_names()
    assert names and names == nearest_childcare_names(stack)[: len(names)]
    card = widget.log.locator(".card").first
    expect(card).to_contain_text(re.compile(r"Murat · \d+,\d\s?km"))
    expect(card).to_contain_text(re.compile(r"vérifié le \d\d/\d\d/\d{4}"))
    assert card.get_by_role("link").first.get_attribute("href").startswith("tel:0")
    more = widget.log.get_by_role("link", name=re.compile("^Voir tout"))
    assert more.get_attribute("href").endswith("/t/hautes-terres/services?topic=childcare")
    expect(widget.log.locator(".notice")).to_contain_text("assistant automatique")
    feedback = page.get_by_role("group", name="Cette réponse vous a-t-elle été utile ?")
    expect(feedback.get_by_role("button", name="Pas utile")).to_be_visible()

    # A quick reply sends its payload and shows its title as the visitor's message.
    page.get_by_role("group", name="Réponses suggérées").get_by_role(
        "button", name="Parler à l'accueil"
    ).click()
    widget.wait_answer(2)
    assert sent[-1]["message"] == "/ask_human"
    expect(widget.log.locator(".turn").last.locator(".user")).to_contain_text("Parler à l'accueil")
    contact = get_json(f"{stack.directory_url}/api/v1/territories/hautes-terres")["welcome_contact"]
    expect(widget.log.locator(".handoff")).to_contain_text(contact["name"])
    expect(widget.input).to_be_focused()

    page.reload()
    widget = Widget(page)
    widget.open()
    expect(widget.log.locator(".turn")).to_have_count(2)
    expect(widget.log).to_contain_text(QUESTION)
    assert widget.log.locator(".turn").first.locator(".card h3").all_inner_texts() == names
    expect(widget.log.locator(".handoff")).to_contain_text(contact["name"])

    # Escape closes the dialog and gives the focus back to the launcher.
    widget.input.focus()
    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.input).to_be_focused()


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_open_widget_has_no_serious_accessibility_violation(context, stack):
    widget = open_site(context, stack)
    widget.open()
    widget.ask(QUESTION)
    assert serious_violations(widget.page) == []


def test_widget_fits_a_320px_screen_and_200_percent_zoom(browser, stack):
    # 200 % zoom of a 1280×800 window lays out like a 640×400 one.
    for width, height in [(320, 640), (640, 400)]:
        context = browser.new_context(viewport={"width": width, "height": height})
        try:
            widget = open_site(context, stack, "creuse-grand-sud")
            widget.open()
            widget.ask("une assistante maternelle à Aubusson ?")
            page = widget.page
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            box = widget.panel.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            assert box["y"] >= 0 and box["y"] + box["height"] <= height
            send = page.get_by_role("button", name="Envoyer")
            close = page.get_by_role("button", name="Fermer la discussion")
            for control in (widget.input, send, close):
                expect(control).to_be_in_viewport()
            overflowing = widget.log.locator(".card").evaluate_all(
                "cards => cards.filter(c => c.scrollWidth > c.clientWidth).length"
            )
            assert overflowing == 0
            assert serious_violations(page) == [], (width, height)
        finally:
            context.close()


@pytest.fixture
def evil_entry(stack):
    """An entry whose name is markup, at Murat itself (so it comes first), removed afterwards."""
    database = stack.var_dir / "directory.sqlite3"
    entry_id = str(uuid.uuid4())
    with sqlite3.connect(database, timeout=10) as connection:
        connection.row_factory = sqlite3.Row
        # Copy a published childcare entry: whatever columns the schema has, they stay valid.
        model = dict(connection.execute(
            "SELECT * FROM services WHERE territory = 'hautes-terres' AND topic = 'childcare' "
            "AND kind = 'creche' AND status = 'published' LIMIT 1"
        ).fetchone())
        model.update(id=entry_id, name=EVIL, sort_name=EVIL.lower(), commune=MURAT[0],
                     lat=MURAT[1], lon=MURAT[2])
        if "source_id" in model:
            model["source_id"] = None
        columns = ", ".join(model)
        marks = ", ".join("?" for _ in model)
        connection.execute(f"INSERT INTO services ({columns}) VALUES ({marks})", [*model.values()])
    yield EVIL
    with sqlite3.connect(database, timeout=10) as connection:
        connection.execute("DELETE FROM services WHERE id = ?", (entry_id,))


def test_directory_text_is_shown_as_text_never_as_html(context, stack, evil_entry):
    assert nearest_childcare_names(stack)[0] == evil_entry
    widget = open_site(context, stack)
    page = widget.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    widget.open()
    widget.ask(QUESTION)
    expect(widget.log.locator(".card h3").first).to_have_text(evil_entry)
    expect(widget.log).to_contain_text(evil_entry)
    page.wait_for_timeout(500)
    assert page.locator("img").count() == 0  # locators pierce the widget's shadow root
    assert dialogs == []
    page.reload()
    Widget(page).open()
    expect(Widget(page).log.locator(".card h3").first).to_have_text(evil_entry)
    assert page.locator("img").count() == 0 and dialogs == []


def test_a_message_survives_a_network_drop(context, stack):
    widget = open_site(context, stack)
    page = widget.page
    widget.open()
    context.set_offline(True)
    widget.input.fill(QUESTION)
    widget.input.press("Enter")
    error = page.get_by_role("alert")
    expect(error).to_contain_text("n'a pas pu être envoyé")
    expect(widget.log.locator(".user")).to_contain_text("Non envoyé")
    expect(error.get_by_role("button", name="Réessayer")).to_be_visible()

    # Back online: the kept message goes by itself.
    context.set_offline(False)
    expect(widget.log.locator(".card h3").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(error).to_be_hidden()
    expect(widget.log.locator(".user")).not_to_contain_text("Non envoyé")

    # A failing server: "Réessayer" sends the same message again.
    webhook = f"{stack.rasa_url}/webhooks/rest/webhook"
    page.route(webhook, lambda route: route.fulfill(status=503, body="busy"))
    widget.input.fill("et à Condat ?")
    widget.input.press("Enter")
    expect(error).to_be_visible()
    page.unroute(webhook)
    error.get_by_role("button", name="Réessayer").click()
    widget.wait_answer(2)
    expect(widget.log.locator(".turn").last).to_contain_text("Condat")
    assert len(json.loads(page.evaluate("localStorage.getItem('amc-chat:hautes-terres')"))[
        "turns"]) == 2


def test_when_the_assistant_cannot_be_reached_the_welcome_contact_is_offered(context, stack):
    territory = get_json(f"{stack.directory_url}/api/v1/territories/hautes-terres")
    widget = open_site(context, stack)
    widget.open()
    # The territory's settings, read on opening, hold its welcome contact.
    title = widget.page.get_by_role("heading", name=f"Accueil · {territory['name']}")
    expect(title).to_be_visible()
    widget.page.route(f"{stack.rasa_url}/webhooks/rest/webhook", lambda route: route.abort())
    widget.input.fill(QUESTION)
    widget.input.press("Enter")
    error = widget.page.get_by_role("alert")
    expect(error).to_contain_text("n'a pas pu être envoyé")
    expect(error).to_contain_text(territory["welcome_contact"]["phone"])


@pytest.fixture
def other_site(stack, listed_site_port):
    """
    A territory's own site on another origin (another loopback port, as Chromium forbids public
    pages from loading loopback resources), embedding the widget with every override, behind a
    strict Content-Security-Policy (no inline script or style) and
    `Cross-Origin-Embedder-Policy: require-corp`: the widget's script loads only because the
    directory sends it with `Cross-Origin-Resource-Policy: cross-origin` (checked: without that
    header the launcher never appears and the test below fails).
    """
    policy = (
        f"default-src 'none'; script-src {stack.directory_url}; "
        f"connect-src {stack.directory_url} {stack.rasa_url}; style-src 'none'"
    )
    html = (
        '<!doctype html><html lang="fr"><head><title>Lozère</title></head><body><main>'
        '<h1>Vivre en Lozère</h1>'
        f'<script src="{stack.directory_url}/widget.js" data-territory="coeur-de-lozere" '
        'data-color="#ffd500" data-title="Bienvenue en Lozère" '
        'data-greeting="Bonjour depuis la Lozère, voir https://example.org/accueil."'
        ' defer></script></main></body></html>'
    ).encode()

    class Site(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", policy)
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", listed_site_port), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listed_site_port}/"
    server.shutdown()
    server.server_close()


def test_tag_overrides_on_another_site_keep_text_readable(context, other_site):
    page = context.new_page()
    refused = csp_violations(page)
    page.goto(other_site)
    widget = Widget(page)
    widget.open()
    expect(page.get_by_role("heading", name="Bienvenue en Lozère")).to_be_visible()
    # A light territory colour gets dark text (contrast at least 4.5:1).
    expect(widget.launcher).to_have_css("color", "rgb(0, 0, 0)")
    expect(widget.launcher).to_have_css("background-color", "rgb(255, 213, 0)")
    link = widget.log.get_by_role("link", name="https://example.org/accueil")
    assert link.get_attribute("href") == "https://example.org/accueil"
    widget.ask("un coworking à Mende")
    assert widget.card_names()
    assert serious_violations(page) == []
    assert refused == []  # the widget needs nothing the site's strict policy forbids


@pytest.fixture
def lozere_settings(stack):
    """Widget settings of a territory, written where the directory keeps them, then reset."""
    database = stack.var_dir / "directory.sqlite3"
    with sqlite3.connect(database, timeout=10) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(territories)")}
        if not {"widget_color", "widget_greeting"} <= columns:
            pytest.skip("the directory has no widget settings yet")
        connection.execute(
            "UPDATE territories SET widget_color = '#7a1f5c', widget_greeting = ? "
            "WHERE slug = 'coeur-de-lozere'",
            ("Bienvenue en Cœur de Lozère ! Que cherchez-vous ?",),
        )
    yield
    with sqlite3.connect(database, timeout=10) as connection:
        connection.execute(
            "UPDATE territories SET widget_color = NULL, widget_greeting = NULL "
            "WHERE slug = 'coeur-de-lozere'"
        )


def test_territory_settings_give_name_colour_and_greeting(context, stack, lozere_settings):
    territory = get_json(f"{stack.directory_url}/api/v1/territories/coeur-de-lozere")
    assert territory["widget"]["color"] == "#7a1f5c"
    widget = open_site(context, stack, "coeur-de-lozere")
    widget.open()
    title = widget.page.get_by_role("heading", name=f"Accueil · {territory['name']}")
    expect(title).to_be_visible()
    expect(widget.log).to_contain_text("Bienvenue en Cœur de Lozère ! Que cherchez-vous ?")
    expect(widget.launcher).to_have_css("background-color", "rgb(122, 31, 92)")
    expect(widget.launcher).to_have_css("color", "rgb(255, 255, 255)")


def test_demo_site_chat_page_and_directory_page_work_under_their_own_policy(context, stack):
    """
    The directory's public pages send a hash-only Content-Security-Policy (security_headers.py);
    their inline styles and script, the widget and the chat page's calls to Rasa must all pass.
    Checked that it can fail: with `connect-src 'self'` alone (RASA_URL left out) both chats
    fail; with the hashes left out the pages lose their styles and the chat page its script.
    """
    page = context.new_page()
    refused = csp_violations(page)
    response = page.goto(f"{stack.directory_url}/t/hautes-terres")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    widget = Widget(page)
    widget.open()
    widget.ask(QUESTION)
    assert widget.card_names()
    # The demo site's inline styles applied (its header colour).
    header = page.locator("header").first
    expect(header).to_have_css("background-color", "rgb(29, 90, 58)")

    response = page.goto(f"{stack.directory_url}/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.select_option("#territory", "hautes-terres")
    page.fill("#message", QUESTION)
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("#log .msg.bot").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#status")).to_have_text("", timeout=ANSWER_TIMEOUT_MS)

    page.goto(f"{stack.directory_url}/t/hautes-terres/services?topic=childcare")
    expect(page.locator(".card").first).to_be_visible()
    expect(page.locator(".card").first).to_have_css("border-top-style", "solid")
    assert refused == []
