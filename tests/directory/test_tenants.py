"""
Tenant isolation, generated from the router: an agent of another territory gets 404, and nothing
changes.

Every write route of the API and every back-office page is taken from `app.router`. A route whose
path names a territory or an entry (`{slug}`, `{id}`) is called as an agent of Creuse Grand Sud on
Hautes Terres' data; the routes that carry the territory in their body are listed in `BODIES`; the
routes that are legitimately not territory-scoped are in `NOT_SCOPED`, each with its reason and
the status it gives. A new route in none of these fails `test_every_route_is_classified`, and a
scoped one without the territory check fails `test_*_as_another_territory`.

Imports are attacked from the inside too: an agent imports into their own territory a file
whose rows carry another territory's entry id or source id. Every import route of the router
(`IMPORTS`) must answer exactly as for an id that exists nowhere, and leave the other
territory's entries and history alone. Every test runs on SQLite and on PostgreSQL.
"""

import base64
import json
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator

import pytest
import pytest_asyncio
from aiohttp import FormData, web
from aiohttp.test_utils import TestClient
from app_backends import on_each_backend  # noqa: F401 (fixture)
from backoffice_support import csrf_in, signed_in
from conftest import make_token

from services_directory.appkeys import STORAGE
from services_directory.entries import NewService
from services_directory.importers import run_import
from services_directory.models import NewLead
from services_directory.storage import Storage

VICTIM = "hautes-terres"
pytestmark = pytest.mark.asyncio
ATTACKER = "creuse-grand-sud"
ATTACKER_COMMUNE = "23008"


@pytest_asyncio.fixture
async def bo(on_each_backend: TestClient) -> TestClient:  # noqa: F811
    """The real app with the demo data, on SQLite then on PostgreSQL."""
    return on_each_backend


WRITES = {"POST", "PATCH", "PUT", "DELETE"}

# What to send: the routes whose territory is in the body or the query, not the path, and
# path-scoped ones where an empty body would be refused before the territory matters.
ENTRY = {
    "territory": VICTIM, "topic": "childcare", "kind": "micro_creche",
    "name": "Micro-crèche pirate", "commune": "15138", "status": "published",
}  # fmt: skip
BODIES: dict[tuple[str, str], dict] = {
    ("POST", "/api/v1/services"): {"json": ENTRY},
    ("POST", "/api/v1/organisations"): {
        "json": {"territory": VICTIM, "name": "Association pirate"}
    },
    # scoped by path too, with a change the territory's own agent could make
    ("PATCH", "/api/v1/territories/{slug}"): {
        "json": {
            "welcome_contact": {
                "name": "Pirate",
                "email": "pirate@example.org",
                "phone": "04 65 71 00 16",
            }
        }
    },
    ("PATCH", "/api/v1/services/{id}"): {"json": {"name": "Fiche piratée"}},
    ("POST", "/api/v1/imports/{kind}"): {
        "params": {"territory": VICTIM, "dry_run": "false"},
        "data": b"name,commune\nPirate,15138\n",
    },
}

# Not territory-scoped, with the status an agent of another territory gets, and why.
NOT_SCOPED: dict[tuple[str, str], tuple[set[int], str]] = {
    ("POST", "/api/v1/territories"): ({403}, "GIP only"),
    ("POST", "/api/v1/territories/{slug}/communes"): ({403}, "GIP only"),
    ("POST", "/api/v1/leads"): ({401, 403, 503}, "the assistant's shared secret only"),
    ("GET", "/admin"): ({302}, "redirect to /admin/"),
    ("GET", "/admin/"): ({200}, "the agent's own home"),
    ("GET", "/admin/login"): ({200, 302}, "sign-in"),
    ("POST", "/admin/login"): ({200, 302, 400, 403}, "sign-in"),
    ("POST", "/admin/logout"): ({302}, "own session"),
    ("GET", "/admin/password"): ({200}, "own account"),
    ("POST", "/admin/password"): ({200, 302, 400}, "own account"),
    ("GET", "/admin/accounts"): ({403, 404}, "GIP only"),
    ("POST", "/admin/accounts"): ({403, 404}, "GIP only"),
    ("POST", "/admin/accounts/{email}/state"): ({403, 404}, "GIP only"),
    ("POST", "/admin/accounts/{email}/tokens/revoke"): ({403, 404}, "GIP only"),
    ("GET", "/admin/security"): ({403, 404}, "GIP only"),
    ("GET", "/admin/territories/new"): ({403, 404}, "GIP only"),
    ("POST", "/admin/territories/new"): ({403, 404}, "GIP only"),
}
# Analytics scope conversations by the agent's territories (analytics/scope.py): a conversation
# of another territory is a 404, tested in test_analytics_pages.py with a conversation store
# (test_every_analytics_route_as_another_territory, generated from the router like these).
ANALYTICS = "/admin/analytics"
PATH_PARAMS = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def routes(app: web.Application) -> Iterator[tuple[str, str]]:
    """(method, canonical path) of every API write, scoped API read and back-office page."""
    for route in app.router.routes():
        method, path = route.method, route.resource.canonical if route.resource else ""
        if method == "HEAD" or path.startswith("/admin/static"):
            continue
        api_write = path.startswith("/api/v1") and method in WRITES
        api_scoped_read = path.startswith("/api/v1") and method == "GET" and _scoped_read(path)
        if api_write or api_scoped_read or path.startswith("/admin"):
            yield method, path


def _scoped_read(path: str) -> bool:
    """API reads that are not public: a territory's leads, an entry's history."""
    return path.endswith(("/leads", "/history"))


def classify(method: str, path: str) -> str:
    if (method, path) in NOT_SCOPED:
        return "not-scoped"
    if path.startswith(ANALYTICS):
        return "analytics"
    if (method, path) in BODIES:
        return "body"
    if "{slug}" in path or "{id" in path:
        return "path"
    return "unclassified"


async def victim_data(storage: Storage) -> tuple[str, str, str]:
    """Hautes Terres' first entry id and a lead of it (created), and the lead id."""
    services = await storage.list_services(VICTIM)
    lead = await storage.add_lead(NewLead(VICTIM, "Alex", "alex@example.org", None, "Crèche ?"))
    return services[0].id, lead.id, services[0].name


async def snapshot(storage: Storage) -> str:
    """Everything an attacker could change, as text."""
    territories = await storage.list_territories()
    parts: list[object] = [territories]
    for territory in territories:
        parts += [
            await storage.list_services(territory.slug),
            await storage.list_leads(territory.slug),
            await storage.list_organisations(territory.slug),
        ]
    return repr(parts)


def fill(path: str, entry_id: str, lead_id: str) -> str:
    """The path with the victim's territory, entry or lead."""
    values = {"slug": VICTIM, "id": lead_id if "/leads/" in path else entry_id,
              "kind": "services", "email": "agent@ht.example.org", "sender": "x",
              "table": "indicateurs"}  # fmt: skip
    return PATH_PARAMS.sub(lambda m: values[m.group(1)], path)


async def test_every_route_is_classified(bo: TestClient) -> None:  # noqa: F811
    unclassified = [r for r in routes(bo.app) if classify(*r) == "unclassified"]
    assert not unclassified, (
        "routes neither territory-scoped by path, nor in BODIES, nor in NOT_SCOPED (say why):"
        f" {unclassified}"
    )
    paths = {path for _, path in routes(bo.app)}
    assert "/api/v1/services/{id}" in paths and "/admin/t/{slug}/leads/{id}" in paths
    assert sum(classify(*r) == "path" for r in routes(bo.app)) >= 15


async def test_api_as_another_territory(bo: TestClient) -> None:  # noqa: F811
    storage = bo.app[STORAGE]
    entry_id, lead_id, _ = await victim_data(storage)
    await storage.create_user("agent@ht.example.org", "agent", [VICTIM])
    token = await make_token(bo, "agent@cgs.example.org", "agent", ATTACKER)
    headers = {"Authorization": f"Bearer {token}"}
    checked = []
    for method, path in routes(bo.app):
        if not path.startswith("/api/"):
            continue
        kind = classify(method, path)
        url = fill(path, entry_id, lead_id)
        kwargs = BODIES.get((method, path), {"json": {}})
        before = await snapshot(storage)
        response = await bo.request(method, url, headers=headers, **kwargs)
        expected = NOT_SCOPED[(method, path)][0] if kind == "not-scoped" else {404}
        assert response.status in expected, (method, url, response.status, await response.text())
        assert await snapshot(storage) == before, (method, url, "changed data")
        checked.append((method, path))
    assert ("DELETE", "/api/v1/services/{id}") in checked


async def test_backoffice_as_another_territory(bo: TestClient) -> None:  # noqa: F811
    storage = bo.app[STORAGE]
    entry_id, lead_id, name = await victim_data(storage)
    await storage.create_user("agent@ht.example.org", "agent", [VICTIM])
    await signed_in(bo, "agent@cgs.example.org", "agent", ATTACKER)
    home = await bo.get("/admin/")
    assert home.status == 200
    csrf = csrf_in(await home.text())
    form = {"csrf_token": csrf, "status": "archived", "name": "Piraté", "territory": VICTIM,
            "topic": "childcare", "kind": "micro_creche", "commune": "15138"}  # fmt: skip
    checked = []
    for method, path in routes(bo.app):
        kind = classify(method, path)
        if not path.startswith("/admin") or kind in ("analytics", "not-scoped"):
            continue
        url = fill(path, entry_id, lead_id)
        before = await snapshot(storage)
        data = form if method == "POST" else None
        response = await bo.request(method, url, data=data, allow_redirects=False)
        text = await response.text()
        assert response.status == 404, (method, url, response.status, text[:300])
        assert name not in text, (method, url, "shows the other territory's entry")
        assert await snapshot(storage) == before, (method, url, "changed data")
        checked.append((method, path))
    assert ("POST", "/admin/t/{slug}/leads/{id}") in checked
    assert len(checked) >= 15, checked


async def test_the_same_request_works_for_the_territory_own_agent(
    bo: TestClient,  # noqa: F811
) -> None:
    """The 404s above come from the territory check: the victim's own agent gets through."""
    storage = bo.app[STORAGE]
    entry_id, lead_id, _ = await victim_data(storage)
    await signed_in(bo, "agent@ht.example.org", "agent", VICTIM)
    home = await bo.get("/admin/")
    csrf = csrf_in(await home.text())
    url = fill("/admin/t/{slug}/leads/{id}", entry_id, lead_id)
    response = await bo.post(
        url, data={"csrf_token": csrf, "status": "closed"}, allow_redirects=False
    )
    assert response.status == 302
    assert [lead.status for lead in await storage.list_leads(VICTIM)] == ["closed"]


# Imports: another territory's ids in the attacker's own territory.

Sender = Callable[[TestClient, str, bytes, bool], Awaitable[tuple[int, str]]]


async def _api_import(client: TestClient, kind: str, data: bytes, dry_run: bool) -> tuple[int, str]:
    """`POST /api/v1/imports/{kind}` with the attacker's token: status and JSON report."""
    response = await client.post(
        f"/api/v1/imports/{kind}", params={"dry_run": "true" if dry_run else "false"}, data=data,
        headers=client.attacker_auth,  # type: ignore[attr-defined]
    )  # fmt: skip
    return response.status, await response.text()


async def _backoffice_import(
    client: TestClient, kind: str, data: bytes, dry_run: bool
) -> tuple[int, str]:
    """The back-office's import as the signed-in attacker: upload (dry run), then confirm."""
    assert kind == "services"
    url = f"/admin/t/{ATTACKER}/import"
    csrf = csrf_in(await (await client.get(url)).text())
    if dry_run:
        form = FormData()
        form.add_field("csrf_token", csrf)
        form.add_field("file", data, filename="fiches.csv", content_type="text/csv")
    else:
        form = {"csrf_token": csrf, "payload": base64.b64encode(data).decode("ascii")}
    response = await client.post(url, data=form, allow_redirects=False)
    page = re.sub(r'name="payload" value="[^"]*"', "", await response.text())  # the file itself
    return response.status, response.headers.get("Location", "") + page


# Every import route of the router, with how to send it a file and the kinds an agent may use.
IMPORTS: dict[tuple[str, str], tuple[Sender, tuple[str, ...]]] = {
    ("POST", "/api/v1/imports/{kind}"): (_api_import, ("services", "data-inclusion")),
    ("POST", "/admin/t/{slug}/import"): (_backoffice_import, ("services",)),
}


def import_routes(app: web.Application) -> set[tuple[str, str]]:
    return {(method, path) for method, path in routes(app) if method == "POST" and "import" in path}


def _sheet(column: str, key: str, name: str) -> bytes:
    """A template row of the attacker's territory carrying `column` = `key`."""
    header = f"{column},territory,topic,kind,name,commune\n"
    return (header + f"{key},{ATTACKER},childcare,creche,{name},{ATTACKER_COMMUNE}\n").encode()


def _data_inclusion(source_id: str, name: str) -> bytes:
    """A data·inclusion service at a commune of the attacker's territory."""
    return json.dumps([{
        "id": source_id, "source": "dora", "nom": name, "code_insee": ATTACKER_COMMUNE,
        "thematiques": ["famille--garde-denfants"],
    }]).encode()  # fmt: skip


async def _victim_keys(storage: Storage) -> dict[str, str]:
    """A fresh entry of the victim with a source id of its own sheet, one imported from
    data·inclusion (by the GIP), and the id of a victim's entry."""
    n = uuid.uuid4().hex[:8]
    await storage.add_service(NewService(
        territory=VICTIM, topic="childcare", kind="creche", name=f"Crèche {n}", commune="15138",
        status="published", source_id=f"tableur-ht-{n}",
    ), by="agent@ht.example.org")  # fmt: skip
    item = json.loads(_data_inclusion(f"di-{n}", f"Relais {n}"))[0] | {"code_insee": "15138"}
    report = await run_import(
        storage, "data-inclusion", json.dumps([item]).encode(), dry_run=False, by="gip"
    )
    assert report.written and report.created == 1
    entry_id = (await storage.list_services(VICTIM))[0].id
    return {"id": entry_id, "source_id": f"tableur-ht-{n}", "data-inclusion": f"di-{n}"}


def _files(kind: str, keys: dict[str, str]) -> Iterator[tuple[str, bytes, bytes]]:
    """(what, the file with the victim's key, the same file with a key that exists nowhere)."""
    other = uuid.uuid4().hex[:8]
    if kind == "data-inclusion":
        yield "source id", *(_data_inclusion(k, "Relais pirate") for k in (keys[kind], other))
        return
    yield "id", _sheet("id", keys["id"], "Pirate"), _sheet("id", str(uuid.uuid4()), "Pirate")
    yield (
        "source id",
        _sheet("source_id", keys["source_id"], "Pirate"),
        _sheet("source_id", f"tableur-ht-{other}", "Pirate"),
    )


async def victim_state(storage: Storage) -> str:
    """The victim's entries and their history, as text."""
    services = await storage.list_services(VICTIM)
    return repr([(s, await storage.service_history(s.id)) for s in services])


def _first_difference(one: tuple[int, str], other: tuple[int, str]) -> tuple[object, object]:
    """The statuses, or the first line of the answers that differs."""
    if one[0] != other[0]:
        return one[0], other[0]
    pairs = zip(one[1].splitlines(), other[1].splitlines(), strict=False)
    return next(((a, b) for a, b in pairs if a != b), ("", ""))


async def test_every_import_route_is_attacked(bo: TestClient) -> None:
    assert import_routes(bo.app) == set(IMPORTS), "add the new import route to IMPORTS"


CASES = [(route, kind) for route, (_, kinds) in IMPORTS.items() for kind in kinds]


@pytest.mark.parametrize(("route", "kind"), CASES, ids=[f"{r[1]}:{k}" for r, k in CASES])
async def test_an_import_never_reaches_another_territory(
    bo: TestClient, route: tuple[str, str], kind: str
) -> None:
    """Another territory's id or source id is unknown, exactly like one that exists nowhere:
    same status and answer (no oracle), in a dry run and for real; the victim is untouched."""
    storage = bo.app[STORAGE]
    token = await make_token(bo, "api@cgs.example.org", "agent", ATTACKER)
    bo.attacker_auth = {"Authorization": f"Bearer {token}"}  # type: ignore[attr-defined]
    await signed_in(bo, "agent@cgs.example.org", "agent", ATTACKER)
    send = IMPORTS[route][0]
    keys = await _victim_keys(storage)
    checked = []
    for what, foreign, nowhere in _files(kind, keys):
        for dry_run in (True, False):
            before = await victim_state(storage)
            attacked = await send(bo, kind, foreign, dry_run)
            assert await victim_state(storage) == before, (what, dry_run, attacked[1][:300])
            control = await send(bo, kind, nowhere, dry_run)
            assert attacked == control, (what, dry_run, _first_difference(attacked, control))
            assert attacked[0] in (200, 201, 302, 422), attacked
            checked.append((what, dry_run))
    assert len(checked) == (2 if kind == "data-inclusion" else 4)
