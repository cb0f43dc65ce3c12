"""The analytics pages through the real app: who sees what, charts, exports, review marks."""

import re

import pytest
import pytest_asyncio

from services_directory.analytics.reviews import reviews
from services_directory.analytics.service import tracker_for
from services_directory.analytics.views import ACTIONS
from services_directory.app import create_app
from services_directory.appkeys import SETTINGS
from tests.directory.analytics_events import write_sqlite
from tests.directory.backoffice_support import csrf_in, post_form, settings_for, signed_in
from tests.directory.test_analytics_figures import DAY, PERSONAL, conversations

pytestmark = pytest.mark.asyncio

PERIOD = f"du={DAY.replace(day=6).isoformat()}&au={DAY.isoformat()}"
TABLES = ("indicateurs", "conversations-par-jour", "themes-par-jour", "themes", "types",
          "communes", "besoins-non-satisfaits", "questions-sans-reponse", "territoires")


@pytest_asyncio.fixture
async def app_client(aiohttp_client, make_settings, demo_database, tmp_path):
    store = write_sqlite(tmp_path / "conversations.sqlite3", conversations())
    settings = settings_for(make_settings, demo_database, ANALYTICS_TRACKER_URL=str(store))
    return await aiohttp_client(create_app(settings))


async def get(client, path, status=200):
    response = await client.get(path, allow_redirects=False)
    assert response.status == status, (path, response.status)
    return await response.text()


async def test_signed_out_goes_to_login(app_client):
    response = await app_client.get("/admin/analytics", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"].startswith("/admin/login")


async def test_gip_dashboard_charts_tables_and_exports(app_client):
    await signed_in(app_client, "admin@gip.example.org", "gip")
    html = await get(app_client, f"/admin/analytics?{PERIOD}")
    assert html.count("<svg") == 5 and 'role="img"' in html and "<title id=" in html
    assert "Comparaison des territoires" in html and "Besoins non satisfaits" in html
    assert re.search(r"<dt>Conversations</dt><dd>4</dd>", html)
    pages = [html]
    for name in TABLES:
        response = await app_client.get(f"/admin/analytics/export/{name}.csv?{PERIOD}")
        assert response.status == 200 and response.content_type == "text/csv"
        pages.append(await response.text())
    assert "Conversations,<5" in pages[1]
    queue = await get(app_client, f"/admin/analytics/conversations?{PERIOD}")
    pages += [queue, await get(app_client, "/admin/analytics/conversations/c")]
    for value in PERSONAL + ("Marie",):
        assert all(value not in page for page in pages), value
    await get(app_client, "/admin/analytics/export/nope.csv", 404)


async def test_agent_sees_only_their_territories(app_client):
    await signed_in(app_client, "agent@ht.example.org", "agent", "hautes-terres")
    html = await get(app_client, f"/admin/analytics?{PERIOD}")
    assert re.search(r"<dt>Conversations</dt><dd>2</dd>", html)
    assert "Comparaison des territoires" not in html and "Creuse" not in html
    await get(app_client, f"/admin/analytics?{PERIOD}&territoire=creuse-grand-sud", 404)
    await get(app_client, "/admin/analytics/export/indicateurs.csv?territoire=coeur-de-lozere", 404)
    await get(app_client, "/admin/analytics/conversations/b", 404)
    await get(app_client, "/admin/analytics/conversations/a")
    await get(app_client, "/admin/analytics/conversations/unknown", 404)


async def test_review_queue_flag_and_mark_reviewed(app_client):
    await signed_in(app_client, "admin@gip.example.org", "gip")
    queue = await get(app_client, f"/admin/analytics/conversations?{PERIOD}")
    assert queue.count('href="/admin/analytics/conversations/') == 2  # b, c: not understood
    page = "/admin/analytics/conversations/a"
    response = await post_form(app_client, page, {"action": "flag"}, page=page)
    assert response.status == 303
    assert "Signalée" in await get(app_client, page + "?fait=flag")
    for sender in ("a", "b", "c"):
        path = f"/admin/analytics/conversations/{sender}"
        await post_form(app_client, path, {"action": "reviewed"}, page=path)
    queue = await get(app_client, f"/admin/analytics/conversations?{PERIOD}")
    assert "Aucune conversation à relire" in queue
    everything = await get(app_client, f"/admin/analytics/conversations?{PERIOD}&tout=1")
    assert everything.count('href="/admin/analytics/conversations/') == 3


async def test_forms_need_the_csrf_token(app_client):
    await signed_in(app_client, "admin@gip.example.org", "gip")
    response = await app_client.post("/admin/analytics/conversations/a", data={"action": "flag"},
                                     allow_redirects=False)  # fmt: skip
    assert response.status == 403


def analytics_routes(app):
    """(method, path) of every analytics route, from the router: a new one is checked too."""
    for route in app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if route.method != "HEAD" and path.startswith("/admin/analytics"):
            yield route.method, path


async def test_every_analytics_route_as_another_territory(app_client):
    """
    An agent of Hautes Terres on Creuse Grand Sud's conversation ("b") or figures gets 404 on
    every analytics route, and no POST changes a review mark (with a valid CSRF token, so the
    404 is the territory check). test_tenants.py leaves these routes to this test.
    """
    store = tracker_for(app_client.app[SETTINGS])
    await signed_in(app_client, "agent@ht.example.org", "agent", "hautes-terres")
    csrf = csrf_in(await get(app_client, "/admin/analytics/conversations/a"))
    before = await reviews(store)
    checked = []
    for method, path in analytics_routes(app_client.app):
        url = path.replace("{sender}", "b").replace("{table}", "indicateurs")
        if "{sender}" not in path:
            url += f"?{PERIOD}&territoire=creuse-grand-sud"
        actions = list(ACTIONS) if method == "POST" else [None]
        for action in actions:
            data = {"csrf_token": csrf, "action": action} if action else None
            response = await app_client.request(method, url, data=data, allow_redirects=False)
            assert response.status == 404, (method, url, action, response.status)
            assert "creuse" not in (await response.text()).lower(), (method, url)
        checked.append((method, path))
    assert await reviews(store) == before
    assert ("POST", "/admin/analytics/conversations/{sender}") in checked
    assert len(checked) >= 5, checked

    # the same POST on the agent's own conversation goes through
    response = await app_client.post(
        "/admin/analytics/conversations/a", data={"csrf_token": csrf, "action": "flag"},
        allow_redirects=False,
    )  # fmt: skip
    assert response.status == 303
    assert (await reviews(store))["a"].flagged
