"""
The back-office in a real browser (Debian's Chromium, Playwright): an agent created with the
command line signs in, renames an entry, and the assistant's next answer carries the new name.
"""

from __future__ import annotations

import json
import re
import subprocess
import urllib.request
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
PASSWORD = "Volcans-du-Cantal-2026!"
OLD_NAME = "Crèche Les Petits Volcans"  # the demo crèche nearest to Murat
NEW_NAME = "Crèche Les Marmottes de Murat"


def create_agent(stack, email: str) -> None:
    """`users create … --password-stdin`, as the README tells a GIP administrator."""
    subprocess.run(
        [str(ROOT / ".venvs" / "directory" / "bin" / "python"), "-m", "services_directory",
         "users", "create", "--email", email, "--role", "agent", "--territory", "hautes-terres",
         "--password-stdin"],
        cwd=ROOT, env=stack.environment(), input=PASSWORD + "\n", capture_output=True,
        text=True, check=True,
    )  # fmt: skip


def ask(stack, message: str) -> list[dict]:
    body = {"sender": uuid.uuid4().hex, "message": message,
            "metadata": {"territory": "hautes-terres"}}  # fmt: skip
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook", data=json.dumps(body).encode(),
        method="POST", headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def result_names(messages: list[dict]) -> list[str]:
    found = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)
             and m["custom"].get("type") == "directory_results"]  # fmt: skip
    assert len(found) == 1, messages
    return [result["name"] for result in found[0]["results"]]


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]  # fmt: skip


def test_an_agent_edits_an_entry_and_the_assistant_answers_with_it(stack) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    assert OLD_NAME in result_names(ask(stack, "je cherche une crèche à Murat"))
    email = f"agent.{uuid.uuid4().hex[:8]}@example.org"
    create_agent(stack, email)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # A phone-sized window; bypass_csp lets axe-core be injected into the strict pages.
        context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844},
                                      bypass_csp=True)  # fmt: skip
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(f"{stack.directory_url}/admin/t/hautes-terres/entries")
        expect(page).to_have_url(re.compile(r"/admin/login\?next="))
        assert serious_violations(page) == []
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Fiches — Hautes Terres Communauté"
        )
        cookie = next(c for c in context.cookies() if c["name"] == "amc_session")
        assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"
        page.get_by_role("searchbox", name="Rechercher").fill("petits volcans")
        page.get_by_role("button", name="Filtrer").click()
        page.get_by_role("link", name=OLD_NAME).click()
        assert serious_violations(page) == []
        page.get_by_label("Nom", exact=False).first.fill(NEW_NAME)
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("Fiche enregistrée.")
        expect(page.get_by_role("heading", level=1)).to_have_text(NEW_NAME)
        browser.close()
    names = result_names(ask(stack, "je cherche une crèche à Murat"))
    assert NEW_NAME in names and OLD_NAME not in names
