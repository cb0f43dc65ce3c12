"""
Analytics end to end: the real assistant records conversations, the directory counts them.

Conversations in three demo territories and one empty territory made for the test (so the page,
filtered on it, shows only this test's figures): a look-up near a commune, a fallback, feedback,
a hand-off and a call-back form with a phone number and an e-mail address.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import urllib.request
from datetime import date, datetime

import pytest

from services_directory.analytics.figures import PARIS, dashboard
from services_directory.analytics.service import Period, load
from services_directory.analytics.tables import page_cell
from services_directory.analytics.tracker import TrackerDB
from tests.e2e.conftest import ROOT, Chat, directory_cli, get_json

EMPTY = "analytique-test"
ADMIN, PASSWORD = "analytics.admin@gip.example.org", "Tableau-de-bord-15300!"
PERSONAL = ("06 12 34 56 78", "0612345678", "marie.dupont@exemple.fr", "Dupont")
TABLES = ("indicateurs", "conversations-par-jour", "themes-par-jour", "themes", "types",
          "communes", "besoins-non-satisfaits", "questions-sans-reponse", "territoires")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip


def _gip_token(stack) -> str:
    directory_cli(stack, "users", "create", "--email", ADMIN, "--role", "gip")
    subprocess.run(
        [str(ROOT / ".venvs" / "directory" / "bin" / "python"), "-m", "services_directory",
         "users", "set-password", "--email", ADMIN],
        cwd=ROOT, env=stack.environment(), input=PASSWORD + "\n", text=True, check=True,
        capture_output=True,
    )  # fmt: skip
    return directory_cli(stack, "tokens", "create", "--email", ADMIN).split()[-1]


def _create_empty_territory(stack, token: str) -> None:
    body = {"slug": EMPTY, "name": "Territoire analytique", "department": "63",
            "welcome_contact": {"name": "Accueil test", "email": "accueil@example.org",
                                "phone": "04 65 71 09 99"}}  # fmt: skip
    request = urllib.request.Request(
        f"{stack.directory_url}/api/v1/territories", data=json.dumps(body).encode(),
        method="POST", headers={"Authorization": f"Bearer {token}",
                                "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201


def _conversation(stack, territory: str, *messages: str) -> tuple[str, list]:
    chat = Chat(stack, territory)
    answers = [chat.say(text) for text in messages]
    assert all(answers), answers
    return chat.sender, answers


@pytest.fixture(scope="module")
def recorded(stack):
    """Drive the assistant once; the senders by role."""
    _create_empty_territory(stack, _gip_token(stack))
    return {
        "murat": _conversation(stack, "hautes-terres", "je cherche une crèche à Murat",
                               "/feedback_positive"),
        "creuse": _conversation(stack, "creuse-grand-sud", "/ask_telework", "blorp zzkx qwerty",
                                "/feedback_negative"),
        "lozere": _conversation(stack, "coeur-de-lozere", "/ask_human", "/request_callback",
                                "Marie Dupont", "06 12 34 56 78",
                                "Rappelez-moi, ou écrivez à marie.dupont@exemple.fr", "/affirm"),
        "empty": _conversation(stack, EMPTY, "/ask_childcare", "/feedback_negative"),
    }  # fmt: skip


def _tables(stack, senders) -> dict:
    today = datetime.now(PARIS).date()
    tracker = TrackerDB(stack.var_dir / "conversations.sqlite3")
    found = [c for c in asyncio.run(load(tracker, Period(today, today))) if c.sender in senders]
    listed = get_json(f"{stack.directory_url}/api/v1/territories")["items"]
    names = {t["slug"]: t["name"] for t in listed}
    return {t.name: [[page_cell(x) for x in row] for row in t.rows]
            for t in dashboard(found, [today], names, compare=True)}  # fmt: skip


def test_every_figure_of_the_dashboard(stack, recorded):
    form = recorded["lozere"][1]
    assert "question" in form[3][-1].get("text", ""), (
        "the call-back form did not take the phone number (NLU: a contact read as a topic "
        f"question?): {form[3]}"
    )
    assert "transmis" in form[5][-1].get("text", ""), form[5]
    tables = _tables(stack, {sender for sender, _ in recorded.values()})
    today = date.today().isoformat()
    assert dict(tables["indicateurs"]) == {
        "Conversations": "4",
        "Conversations engagées (2 messages ou plus)": "4",
        "Messages des nouveaux arrivants": "13",
        "Messages non compris ou hors sujet": "1",
        "Taux d'incompréhension (par message)": "7,7 %",
        "Conversations orientées vers l'accueil": "1",
        "Taux d'orientation vers l'accueil": "25,0 %",
        "Demandes de rappel transmises": "1",
        "Avis « utile »": "1",
        "Avis « pas utile »": "2",
        "Recherches dans l'annuaire": "3",
        "Recherches sans résultat": "1",
    }
    assert tables["conversations-par-jour"] == [[today, "4", "4", "13"]]
    assert tables["themes-par-jour"] == [[today, "0", "1", "2", "0"]]
    assert tables["themes"] == [["Emploi et activité", "0", "0"],
                                ["Télétravail et tiers-lieux", "1", "0"],
                                ["Garde d'enfants", "2", "1"], ["Mobilité", "0", "0"]]
    assert sorted(tables["types"]) == [["Garde d'enfants", "Crèche", "1", "0"],
                                       ["Garde d'enfants", "tous types", "1", "1"],
                                       ["Télétravail et tiers-lieux", "tous types", "1", "0"]]
    assert tables["communes"] == [["Murat", "15138", "1"]]
    assert tables["besoins-non-satisfaits"] == [
        ["Territoire analytique", "Garde d'enfants", "tous types", "toute la zone", "1"]]
    assert tables["questions-sans-reponse"] == [[today, "Creuse Grand Sud", "blorp zzkx qwerty"]]
    rows = {row[0]: row[1:] for row in tables["territoires"]}
    assert rows["Territoire analytique"] == ["1", "1", "2", "0,0 %", "0,0 %", "0", "1"]
    assert rows["Creuse Grand Sud"] == ["1", "1", "3", "33,3 %", "0,0 %", "0", "0"]
    assert rows["Hautes Terres Communauté"] == ["1", "1", "2", "0,0 %", "0,0 %", "0", "0"]
    assert rows["Communauté de communes Cœur de Lozère"] == [
        "1", "1", "6", "0,0 %", "100,0 %", "1", "0"]
    everything = json.dumps(tables, ensure_ascii=False)
    assert not [value for value in PERSONAL if value in everything]


def test_gip_admin_sees_the_charts_and_nothing_personal(stack, recorded):
    from playwright.sync_api import sync_playwright

    base = f"{stack.directory_url}/admin"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/login?next=/admin/analytics")
            page.fill("#email", ADMIN)
            page.fill("#password", PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/analytics*")
            assert page.locator("svg.chart").count() == 5
            assert page.locator("svg.chart title").first.text_content()
            assert page.locator("svg.chart polyline").count() >= 2
            seen = [page.content()]
            page.goto(f"{base}/analytics?territoire={EMPTY}")
            summary = page.locator("#indicateurs").inner_text()
            for label, value in (("Conversations", 1), ("Messages des nouveaux arrivants", 2),
                                 ("Recherches sans résultat", 1), ("Avis « pas utile »", 1),
                                 ("Demandes de rappel transmises", 0)):  # fmt: skip
                assert f"{label}\n{value}" in summary, summary
            assert page.locator("svg.chart").count() == 5
            for name in TABLES:
                response = page.request.get(f"{base}/analytics/export/{name}.csv")
                assert response.ok and response.headers["content-type"].startswith("text/csv")
                seen.append(response.text())
            filtered = page.request.get(
                f"{base}/analytics/export/indicateurs.csv?territoire={EMPTY}").text()
            assert "Conversations,<5\n" in filtered and "Recherches sans résultat,<5\n" in filtered
            for path in ("", recorded["lozere"][0], recorded["creuse"][0]):
                page.goto(f"{base}/analytics/conversations/{path}".rstrip("/"))
                seen.append(page.content())
            assert "[nom masqué]" in seen[-2] and "blorp" in seen[-1]
            leaked = [(value, i) for i, text in enumerate(seen) for value in PERSONAL
                      if value in text]  # fmt: skip
            assert not leaked
        finally:
            browser.close()
