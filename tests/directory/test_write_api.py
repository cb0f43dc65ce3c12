"""Authenticated writes: roles, territory scoping (404 elsewhere), entries and their history."""

import pytest
from aiohttp.test_utils import TestClient

pytestmark = pytest.mark.asyncio

ENTRY = {
    "territory": "hautes-terres",
    "topic": "childcare",
    "kind": "micro_creche",
    "name": "Micro-crèche Les Farfadets",
    "commune": "15138",
    "phone": "04 65 71 99 01",
    "opening_hours": "Mo-Fr 07:30-18:30",
    "status": "published",
}
NEW_TERRITORY = {
    "slug": "pays-de-salers",
    "name": "Pays de Salers",
    "department": "15",
    "welcome_contact": {
        "name": "Accueil",
        "email": "accueil@example.org",
        "phone": "04 65 71 00 16",
    },
}


async def call(
    client: TestClient, method: str, path: str, token: str | None, status: int, **kwargs: object
) -> dict:
    headers = {"Authorization": token} if token else {}
    response = await client.request(method, path, headers=headers, **kwargs)
    assert response.status == status, await response.text()
    return await response.json()


@pytest.mark.parametrize("token", [None, "Bearer nope", "Basic abc", "Bearer "])
async def test_writes_need_a_valid_token(client: TestClient, token: str | None) -> None:
    body = await call(client, "POST", "/api/v1/services", token, 401, json=ENTRY)
    assert body["error"]["code"] == "unauthorized"


async def test_an_agent_adds_an_entry_that_takes_its_communes_coordinates(
    client: TestClient, tokens: dict[str, str]
) -> None:
    added = await call(client, "POST", "/api/v1/services", tokens["ht"], 201, json=ENTRY)
    assert (added["lat"], added["lon"]) == (45.1236, 2.8501)
    assert added["created_by"] == "agent@ht.example.org"
    assert added["opening_hours"] == "Mo-Fr 07:30-18:30"
    found = await call(client, "GET", "/api/v1/services?q=farfadets", None, 200)
    assert [item["id"] for item in found["items"]] == [added["id"]]


async def test_an_agent_gets_404_for_another_territory(
    client: TestClient, tokens: dict[str, str]
) -> None:
    added = await call(client, "POST", "/api/v1/services", tokens["ht"], 201, json=ENTRY)
    path = f"/api/v1/services/{added['id']}"
    await call(client, "PATCH", path, tokens["creuse"], 404, json={"name": "Pris"})
    await call(client, "DELETE", path, tokens["creuse"], 404)
    await call(client, "GET", path + "/history", tokens["creuse"], 404)
    await call(client, "POST", "/api/v1/services", tokens["creuse"], 404, json=ENTRY)
    await call(client, "GET", "/api/v1/territories/hautes-terres/leads", tokens["creuse"], 404)
    patch = {"widget": {"color": "#123456"}}
    await call(
        client, "PATCH", "/api/v1/territories/hautes-terres", tokens["creuse"], 404, json=patch
    )
    # Moving one's own entry to another territory is refused the same way.
    await call(client, "PATCH", path, tokens["ht"], 404, json={"territory": "creuse-grand-sud"})


async def test_patch_and_archive_keep_a_history(client: TestClient, tokens: dict[str, str]) -> None:
    added = await call(client, "POST", "/api/v1/services", tokens["ht"], 201, json=ENTRY)
    path = f"/api/v1/services/{added['id']}"
    changed = await call(
        client,
        "PATCH",
        path,
        tokens["gip"],
        200,
        json={"name": "Les Farfadets", "commune": "15001"},
    )
    assert changed["name"] == "Les Farfadets" and changed["commune_name"] == "Allanche"
    assert (changed["lat"], changed["lon"]) == (45.2285, 2.961)  # follows its new commune
    assert changed["updated_by"] == "admin@gip.example.org"
    archived = await call(client, "DELETE", path, tokens["ht"], 200)
    assert archived["status"] == "archived"
    await call(client, "GET", path, None, 404)  # no longer public
    assert (await call(client, "GET", path, tokens["ht"], 200))["status"] == "archived"
    history = (await call(client, "GET", path + "/history", tokens["ht"], 200))["items"]
    renamed = next(c for c in history if c["field"] == "name" and c["old_value"])
    assert (renamed["old_value"], renamed["new_value"]) == (
        "Micro-crèche Les Farfadets",
        "Les Farfadets",
    )
    assert renamed["changed_by"] == "admin@gip.example.org"
    assert [c["new_value"] for c in history if c["field"] == "status"] == ["published", "archived"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"commune": "23008"}, "commune"),
        ({"kind": "gare"}, "kind"),
        ({"email": "not-an-email"}, "email"),
        ({"lat": "north", "lon": 2}, "lat"),
        ({"lat": True, "lon": 2}, "lat"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"eligibility_zone": ["nowhere"]}, "eligibility_zone"),
        ({"fees": "cher"}, "fees"),
        ({"colour": "red"}, "colour"),
        ({"name": ["x"]}, "name"),
    ],
)
async def test_bad_entries_are_400_naming_the_field(
    client: TestClient, tokens: dict[str, str], changes: dict, field: str
) -> None:
    body = await call(client, "POST", "/api/v1/services", tokens["gip"], 400, json=ENTRY | changes)
    assert body["error"]["code"] == "invalid_field"
    assert body["error"]["field"] == field


@pytest.mark.parametrize("raw", ["{", "[]", "null", "\xff"])
async def test_a_body_that_is_not_an_object_is_400(
    client: TestClient, tokens: dict[str, str], raw: str
) -> None:
    headers = {"Authorization": tokens["gip"], "Content-Type": "application/json"}
    response = await client.post("/api/v1/services", data=raw.encode("latin-1"), headers=headers)
    assert response.status == 400


async def test_territories_are_created_by_the_gip_only(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = await call(client, "POST", "/api/v1/territories", tokens["ht"], 403, json=NEW_TERRITORY)
    assert body["error"]["code"] == "forbidden"
    created = await call(
        client, "POST", "/api/v1/territories", tokens["gip"], 201, json=NEW_TERRITORY
    )
    assert created["widget"] == {"greeting": None, "color": None}
    await call(client, "POST", "/api/v1/territories", tokens["gip"], 409, json=NEW_TERRITORY)
    communes = [
        {"insee": "15209", "name": "Salers", "postcode": "15140", "lat": 45.14, "lon": 2.49}
    ]
    path = "/api/v1/territories/pays-de-salers/communes"
    await call(client, "POST", path, tokens["ht"], 403, json=communes)
    assert (await call(client, "POST", path, tokens["gip"], 200, json=communes))["total"] == 1
    listed = await call(client, "GET", path, None, 200)
    assert [c["name"] for c in listed["items"]] == ["Salers"]
    bad = [{"insee": "152", "name": "Salers", "postcode": "15140"}]
    await call(client, "POST", path, tokens["gip"], 400, json=bad)


async def test_an_agent_changes_contact_and_widget_only(
    client: TestClient, tokens: dict[str, str]
) -> None:
    path = "/api/v1/territories/hautes-terres"
    widget = {"widget": {"greeting": "Bienvenue sur les Hautes Terres !", "color": "#1D4F91"}}
    changed = await call(client, "PATCH", path, tokens["ht"], 200, json=widget)
    assert changed["widget"] == {
        "greeting": "Bienvenue sur les Hautes Terres !",
        "color": "#1d4f91",
    }
    contact = {"welcome_contact": {"phone": "04 65 71 00 99"}}
    changed = await call(client, "PATCH", path, tokens["ht"], 200, json=contact)
    assert changed["welcome_contact"]["phone"] == "04 65 71 00 99"
    assert changed["widget"]["color"] == "#1d4f91"  # kept
    assert (await call(client, "GET", path, None, 200)) == changed
    await call(client, "PATCH", path, tokens["ht"], 403, json={"name": "Autre nom"})
    renamed = await call(client, "PATCH", path, tokens["gip"], 200, json={"name": "HTC"})
    assert renamed["name"] == "HTC"
    await call(client, "PATCH", path, tokens["gip"], 400, json={"widget": {"color": "red"}})


async def test_me(client: TestClient, tokens: dict[str, str]) -> None:
    me = await call(client, "GET", "/api/v1/me", tokens["ht"], 200)
    assert me == {
        "email": "agent@ht.example.org",
        "role": "agent",
        "territories": ["hautes-terres"],
    }


async def test_organisations(client: TestClient, tokens: dict[str, str]) -> None:
    data = {
        "territory": "hautes-terres",
        "name": "Communauté de communes",
        "siret": "20004000000012",
    }
    made = await call(client, "POST", "/api/v1/organisations", tokens["ht"], 201, json=data)
    added = await call(
        client, "POST", "/api/v1/services", tokens["ht"], 201,
        json=ENTRY | {"organisation": made["id"]},
    )  # fmt: skip
    assert added["organisation"] == made["id"]
    listed = await call(client, "GET", "/api/v1/territories/hautes-terres/organisations", None, 200)
    assert [o["name"] for o in listed["items"]] == ["Communauté de communes"]
    await call(client, "POST", "/api/v1/organisations", tokens["creuse"], 404, json=data)
