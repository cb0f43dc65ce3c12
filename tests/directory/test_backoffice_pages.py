"""Back-office: import/export, leads and their retention, territory settings, GIP pages."""

import re
from datetime import datetime, timedelta, timezone

import backoffice_support
import pytest
import pytest_asyncio
from aiohttp import FormData
from aiohttp.test_utils import TestClient
from backoffice_support import (
    csrf_in,
    post_form,
    settings_for,
    signed_in,
    token,
)

from services_directory.app import create_app
from services_directory.appkeys import STORAGE
from services_directory.models import NewLead

bo = backoffice_support.bo  # the fixture
pytestmark = pytest.mark.asyncio
HEADER = "territory,topic,kind,name,commune,phone\n"


@pytest_asyncio.fixture
async def agent(bo: TestClient):
    return await signed_in(bo, "agent@ht.example.org", "agent", "hautes-terres")


async def _upload(client: TestClient, csv: str):
    form = FormData()
    form.add_field("csrf_token", await token(client, "/admin/t/hautes-terres/import"))
    form.add_field("file", csv.encode(), filename="fiches.csv", content_type="text/csv")
    return await client.post("/admin/t/hautes-terres/import", data=form, allow_redirects=False)


async def test_import_is_a_dry_run_then_confirmed(bo: TestClient, agent) -> None:
    csv = HEADER + "hautes-terres,childcare,creche,Crèche de Condat,15054,04 65 71 00 01\n"
    dry = await _upload(bo, csv)
    assert dry.status == 200
    html = await dry.text()
    assert "Essai à blanc" in html and "1 fiches à créer" in html
    storage = bo.app[STORAGE]
    assert not any(s.name == "Crèche de Condat" for s in await storage.list_services())
    payload = re.search(r'name="payload" value="([^"]+)"', html).group(1)
    done = await bo.post("/admin/t/hautes-terres/import",
                         data={"csrf_token": csrf_in(html), "payload": payload},
                         allow_redirects=False)  # fmt: skip
    assert done.status == 302 and done.headers["Location"].endswith("?ok=imported")
    created = [s for s in await storage.list_services() if s.name == "Crèche de Condat"]
    assert created and created[0].created_by == "agent@ht.example.org"


async def test_import_reports_rejected_rows_and_other_territories(bo: TestClient, agent) -> None:
    csv = (HEADER + "hautes-terres,childcare,creche,Sans commune,,\n"
           "creuse-grand-sud,childcare,creche,Ailleurs,23001,\n")  # fmt: skip
    html = await (await _upload(bo, csv)).text()
    assert "2 lignes rejetées" in html and "Confirmer" not in html
    assert "Territoire inconnu : « creuse-grand-sud »" in html


async def test_import_without_a_file_says_so(bo: TestClient, agent) -> None:
    response = await post_form(
        bo, "/admin/t/hautes-terres/import", {}, "/admin/t/hautes-terres/import"
    )
    assert response.status == 400 and "Choisissez un fichier" in await response.text()


async def test_export_downloads_the_territorys_entries(bo: TestClient, agent) -> None:
    response = await bo.get("/admin/t/hautes-terres/export.csv")
    assert response.status == 200 and response.content_type == "text/csv"
    text = await response.text()
    assert text.startswith("id,territory,") and "Crèche Les Petits Volcans" in text
    assert "creuse-grand-sud" not in text
    assert (await bo.get("/admin/t/creuse-grand-sud/export.csv")).status == 404


async def _lead(client: TestClient, territory: str = "hautes-terres"):
    new = NewLead(territory, "Alex", "alex@example.org", None, "Une crèche à Murat ?")
    return await client.app[STORAGE].add_lead(new)


async def test_leads_are_listed_and_change_status(bo: TestClient, agent) -> None:
    lead = await _lead(bo)
    other = await _lead(bo, "creuse-grand-sud")
    html = await (await bo.get("/admin/t/hautes-terres/leads")).text()
    assert "alex@example.org" in html and "Une crèche à Murat ?" in html
    url = f"/admin/t/hautes-terres/leads/{lead.id}"
    page = "/admin/t/hautes-terres/leads"
    assert (await post_form(bo, url, {"status": "contacted"}, page)).status == 302
    assert (await bo.app[STORAGE].list_leads("hautes-terres"))[0].status == "contacted"
    # Another territory's lead, even through one's own territory's address: 404.
    assert (await post_form(bo, f"/admin/t/hautes-terres/leads/{other.id}",
                            {"status": "closed"}, page)).status == 404  # fmt: skip
    assert (await bo.get("/admin/t/creuse-grand-sud/leads")).status == 404


async def test_old_leads_are_deleted_at_start(aiohttp_client, make_settings, demo_database) -> None:
    settings = settings_for(make_settings, demo_database, DIRECTORY_LEAD_RETENTION_DAYS="30")
    first = await aiohttp_client(create_app(settings))
    storage = first.app[STORAGE]
    kept, old = await _lead(first), await _lead(first)
    stamp = (datetime.now(timezone.utc) - timedelta(days=31)).isoformat(timespec="seconds")
    await storage._run("UPDATE leads SET created_at = ? WHERE id = ?", stamp, old.id)
    await first.close()
    second = await aiohttp_client(create_app(settings))
    assert [lead.id for lead in await second.app[STORAGE].list_leads("hautes-terres")] == [kept.id]


async def test_territory_settings(bo: TestClient, agent) -> None:
    page = "/admin/t/hautes-terres/settings"
    data = {"contact_name": "Accueil HT", "contact_email": "accueil@example.org",
            "contact_phone": "04 71 00 00 00", "greeting": "Bonjour !",
            "color": "#aa3300"}  # fmt: skip
    assert (await post_form(bo, page, data, page)).status == 302
    territory = await bo.app[STORAGE].get_territory("hautes-terres")
    assert territory.widget.color == "#aa3300" and territory.welcome_contact.name == "Accueil HT"
    bad = await post_form(bo, page, data | {"contact_email": "nope"}, page)
    assert bad.status == 400
    assert 'id="f-contact_email-error"' in await bad.text()
    assert (await bo.get("/admin/t/creuse-grand-sud/settings")).status == 404


async def test_gip_creates_an_account_and_disables_it(bo: TestClient) -> None:
    await signed_in(bo, "admin@gip.example.org", "gip")
    new = {"email": "new@ht.example.org", "role": "agent", "territory": "hautes-terres"}
    weak = await post_form(bo, "/admin/accounts", new | {"password": "court"})
    assert weak.status == 400 and "trop faible" in await weak.text()
    password = "Bienvenue-Murat-2026!"
    made = await post_form(bo, "/admin/accounts", new | {"password": password})
    assert made.status == 302
    storage = bo.app[STORAGE]
    login = await storage.get_login("new@ht.example.org")
    assert login and login.password_hash and login.user.territories == ("hautes-terres",)
    disabled = await post_form(bo, "/admin/accounts/new%40ht.example.org/state",
                               {"disabled": "1"}, "/admin/accounts")  # fmt: skip
    assert disabled.status == 302
    assert (await storage.get_login("new@ht.example.org")).disabled
    html = await (await bo.get("/admin/security")).text()
    assert "account_disabled" in html and "account_created" in html


async def test_gip_creates_a_territory(bo: TestClient) -> None:
    await signed_in(bo, "admin@gip.example.org", "gip")
    page = "/admin/territories/new"
    data = {"slug": "pays-de-salers", "name": "Pays de Salers", "department": "15",
            "contact_name": "Accueil Salers", "contact_email": "", "contact_phone": ""}  # fmt: skip
    assert (await post_form(bo, page, data, page)).status == 302
    assert (await bo.app[STORAGE].get_territory("pays-de-salers")).name == "Pays de Salers"
    again = await post_form(bo, page, data, page)
    assert again.status == 400 and "existe déjà" in await again.text()
