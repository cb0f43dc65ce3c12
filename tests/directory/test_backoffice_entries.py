"""Back-office entries: list and filters, create, edit, publish, verify, duplicate, archive."""

import re
from datetime import date, timedelta

import backoffice_support
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient
from backoffice_support import csrf_in, post_form, signed_in

from services_directory.appkeys import STORAGE
from services_directory.entries import changed
from services_directory.sqlbackoffice import entry_version

bo = backoffice_support.bo  # the fixture
pytestmark = pytest.mark.asyncio
CRECHE = "Crèche Les Petits Volcans"


async def _entry(client: TestClient, name: str = CRECHE):
    services = await client.app[STORAGE].list_services("hautes-terres")
    return next(s for s in services if s.name == name)


def _form(entry, **changes) -> dict:
    values = {
        "topic": entry.topic, "kind": entry.kind, "name": entry.name, "commune": entry.commune,
        "description": entry.description, "address": entry.address or "",
        "phone": entry.phone or "", "email": entry.email or "", "website": entry.website or "",
    }  # fmt: skip
    return values | changes


async def _edit_page(client: TestClient, url: str) -> tuple[str, str, str]:
    html = await (await client.get(url)).text()
    version = re.search(r'name="version" value="([^"]*)"', html).group(1)
    loaded = re.search(r'name="loaded_at" value="([^"]*)"', html).group(1)
    return csrf_in(html), version, loaded


@pytest_asyncio.fixture
async def agent(bo: TestClient):
    return await signed_in(bo, "agent@ht.example.org", "agent", "hautes-terres")


async def test_list_filters_and_search(bo: TestClient, agent) -> None:
    base = "/admin/t/hautes-terres/entries"
    html = await (await bo.get(base + "?topic=childcare&q=volcans")).text()
    assert CRECHE in html and "1 fiche<" in html
    html = await (await bo.get(base + "?kind=micro_creche")).text()
    assert "Micro-crèche Les Pitchounets" in html and CRECHE not in html
    stale = await (await bo.get(base + "?stale=1&topic=childcare")).text()
    assert "Micro-crèche Les Pitchounets" in stale  # verified in February
    assert CRECHE not in stale  # verified in November
    assert (await bo.get(base + "?status=archived")).status == 200


async def test_expired_job_offers_are_flagged(bo: TestClient, agent) -> None:
    storage = bo.app[STORAGE]
    offer = next(s for s in await storage.list_services("hautes-terres") if s.kind == "job_offer")
    await storage.update_service(changed(offer, {"expires_on": date.today() - timedelta(days=1)}))
    html = await (await bo.get("/admin/t/hautes-terres/entries?expired=1")).text()
    assert offer.name in html and "Expirée" in html


async def test_create_shows_french_errors_beside_fields(bo: TestClient, agent) -> None:
    data = {"topic": "childcare", "kind": "bus", "name": "", "commune": "15138",
            "email": "pas-une-adresse"}  # fmt: skip
    response = await post_form(bo, "/admin/t/hautes-terres/entries", data)
    assert response.status == 400
    html = await response.text()
    assert 'id="f-name-error"' in html and "« Nom » est obligatoire" in html
    assert 'aria-describedby="f-email-error' in html and "Adresse électronique" in html
    assert re.search(r'id="f-email"[^>]*aria-invalid="true"', html, re.S)


async def test_create_a_draft_then_publish_needs_a_contact(bo: TestClient, agent) -> None:
    data = {"topic": "childcare", "kind": "micro_creche", "name": "Micro-crèche Les Lutins",
            "commune": "15138"}  # fmt: skip
    refused = await post_form(bo, "/admin/t/hautes-terres/entries", data | {"action": "publish"})
    assert refused.status == 400
    assert "au moins un moyen de contact" in await refused.text()
    created = await post_form(bo, "/admin/t/hautes-terres/entries", data)
    assert created.status == 302
    entry = await _entry(bo, "Micro-crèche Les Lutins")
    assert entry.status == "draft" and entry.created_by == "agent@ht.example.org"
    url = f"/admin/t/hautes-terres/entries/{entry.id}"
    assert (await post_form(bo, url + "/status", {"status": "published"}, url)).status == 400
    token, version, loaded = await _edit_page(bo, url)
    saved = await bo.post(url, data=data | {"csrf_token": token, "version": version,
                          "phone": "04 65 71 00 99", "action": "publish"},
                          allow_redirects=False)  # fmt: skip
    assert saved.status == 302 and saved.headers["Location"].endswith("?ok=published")
    assert (await _entry(bo, "Micro-crèche Les Lutins")).status == "published"


async def test_job_offers_get_an_end_date(bo: TestClient, agent) -> None:
    data = {"topic": "jobs", "kind": "job_offer", "name": "Boulanger·ère", "commune": "15138"}
    assert (await post_form(bo, "/admin/t/hautes-terres/entries", data)).status == 302
    entry = await _entry(bo, "Boulanger·ère")
    assert entry.expires_on == date.today() + timedelta(days=60)


async def test_edit_verify_duplicate_archive_and_history(bo: TestClient, agent) -> None:
    entry = await _entry(bo)
    url = f"/admin/t/hautes-terres/entries/{entry.id}"
    token, version, _ = await _edit_page(bo, url)
    data = _form(entry, name="Crèche de Murat", csrf_token=token, version=version)
    assert (await bo.post(url, data=data, allow_redirects=False)).status == 302
    assert (await post_form(bo, url + "/verify", {}, url)).status == 302
    assert (await _entry(bo, "Crèche de Murat")).verified_on == date.today()
    copied = await post_form(bo, url + "/duplicate", {}, url)
    assert copied.status == 302
    copy = await _entry(bo, "Crèche de Murat (copie)")
    assert copy.status == "draft" and copy.verified_on is None
    assert (await post_form(bo, url + "/status", {"status": "archived"}, url)).status == 302
    assert (await _entry(bo, "Crèche de Murat")).status == "archived"
    html = await (await bo.get(url + "/history")).text()
    assert "agent@ht.example.org" in html
    assert "<del>Crèche Les Petits Volcans</del>" in html and "<ins>Crèche de Murat</ins>" in html
    assert "<ins>archived</ins>" in html


async def test_a_concurrent_save_is_refused_and_shows_what_changed(bo: TestClient, agent) -> None:
    entry = await _entry(bo)
    url = f"/admin/t/hautes-terres/entries/{entry.id}"
    token, version, loaded = await _edit_page(bo, url)  # both agents open the form
    storage = bo.app[STORAGE]
    await storage.update_service(changed(entry, {"phone": "04 65 71 09 09"}), by="other@ht.fr")
    data = _form(entry, name="Crèche Murat", csrf_token=token, version=version, loaded_at=loaded)
    refused = await bo.post(url, data=data, allow_redirects=False)
    assert refused.status == 409
    html = await refused.text()
    assert "Enregistrement refusé" in html and "other@ht.fr" in html
    assert "<del>04 65 71 01 68</del>" in html and "<ins>04 65 71 09 09</ins>" in html
    stored = await _entry(bo)
    assert stored.phone == "04 65 71 09 09"  # nothing overwritten
    assert 'value="Crèche Murat"' in html  # the agent's typing is kept
    new_version = re.search(r'name="version" value="([^"]*)"', html).group(1)
    assert new_version == entry_version(stored)


async def test_another_territorys_entry_is_404(bo: TestClient, agent) -> None:
    services = await bo.app[STORAGE].list_services("creuse-grand-sud")
    other = services[0]
    assert (await bo.get(f"/admin/t/creuse-grand-sud/entries/{other.id}")).status == 404
    # Nor through one's own territory's address.
    assert (await bo.get(f"/admin/t/hautes-terres/entries/{other.id}")).status == 404
    response = await post_form(bo, f"/admin/t/hautes-terres/entries/{other.id}/verify", {})
    assert response.status == 404


async def test_a_gip_administrator_sees_every_territory(bo: TestClient) -> None:
    await signed_in(bo, "admin@gip.example.org", "gip")
    html = await (await bo.get("/admin/")).text()
    assert "Hautes Terres" in html and "Creuse Grand Sud" in html
    assert (await bo.get("/admin/t/creuse-grand-sud/entries")).status == 200
