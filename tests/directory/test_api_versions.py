"""
API writes with versions, on SQLite and PostgreSQL: no lost update through the API.

Every entry answer carries its `version` (the back-office's, `entries.entry_version`) and an
`ETag`; `PATCH` and `DELETE` honour `If-Match` (412 on a stale one); and two simultaneous
patches of one entry, changing different fields, both land.
"""

import asyncio
import uuid

import pytest
from aiohttp.test_utils import TestClient
from app_backends import on_each_backend  # noqa: F401 (fixture)
from backoffice_support import csrf_in, signed_in
from conftest import make_token

from services_directory.appkeys import STORAGE
from services_directory.entries import entry_version

pytestmark = pytest.mark.asyncio
TERRITORY = "hautes-terres"
PAIRS = 20


async def _agent(client: TestClient, territory: str = TERRITORY) -> dict[str, str]:
    token = await make_token(client, f"{uuid.uuid4().hex[:8]}@example.org", "agent", territory)
    return {"Authorization": f"Bearer {token}"}


async def _first_entry(client: TestClient, territory: str = TERRITORY) -> dict:
    response = await client.get("/api/v1/services", params={"territory": territory})
    assert response.status == 200
    return (await response.json())["items"][0]


async def _error(response, status: int) -> dict:
    assert response.status == status, (response.status, await response.text())
    assert response.content_type == "application/json"
    return (await response.json())["error"]


async def test_entry_answers_carry_their_version_and_etag(
    on_each_backend: TestClient,  # noqa: F811
) -> None:
    client = on_each_backend
    headers = await _agent(client)
    listed = await _first_entry(client)
    stored = await client.app[STORAGE].get_service(listed["id"])
    assert listed["version"] == entry_version(stored)  # the back-office's version, one notion
    response = await client.get(f"/api/v1/services/{listed['id']}")
    assert (await response.json())["version"] == listed["version"]
    assert response.headers["ETag"] == f'"{listed["version"]}"'
    patched = await client.patch(
        f"/api/v1/services/{listed['id']}", json={"phone": "04 65 71 00 99"}, headers=headers
    )
    body = await patched.json()
    assert patched.status == 200 and body["version"] != listed["version"]
    assert patched.headers["ETag"] == f'"{body["version"]}"'
    created = await client.post(
        "/api/v1/services", headers=headers,
        json={"territory": TERRITORY, "topic": "transport", "kind": "bus", "name": "Ligne 7",
              "commune": "15138"},
    )  # fmt: skip
    assert created.status == 201
    assert created.headers["ETag"] == f'"{(await created.json())["version"]}"'


async def test_a_stale_if_match_is_refused_with_412_and_changes_nothing(
    on_each_backend: TestClient,  # noqa: F811
) -> None:
    client = on_each_backend
    headers = await _agent(client)
    entry = await _first_entry(client)
    url = f"/api/v1/services/{entry['id']}"
    stale = {**headers, "If-Match": f'"{entry["version"]}"'}
    first = await client.patch(url, json={"name": "Nouveau nom"}, headers=stale)
    assert first.status == 200  # the version read is current: the change lands
    fresh = (await first.json())["version"]
    before = (await client.app[STORAGE].service_history(entry["id"]), await client.get(url))
    before_body = await before[1].json()
    for method, kwargs in (("PATCH", {"json": {"phone": "04 65 71 00 98"}}), ("DELETE", {})):
        refused = await client.request(method, url, headers=stale, **kwargs)
        error = await _error(refused, 412)
        assert error["code"] == "precondition_failed" and "relisez" in error["message"]
    assert await client.app[STORAGE].service_history(entry["id"]) == before[0]
    assert await (await client.get(url)).json() == before_body
    # The current version passes: quoted, weak-marked (as nginx's gzip leaves it), bare (as in
    # the JSON body), in a list; and `*`.
    for template in ('W/"{}"', "{}", '"other", "{}"'):
        value = template.format(fresh)
        answer = await client.patch(
            url, json={"description": value}, headers={**headers, "If-Match": value}
        )
        assert answer.status == 200, await answer.text()
        fresh = (await answer.json())["version"]
    archived = await client.delete(url, headers={**headers, "If-Match": "*"})
    assert archived.status == 200 and (await archived.json())["status"] == "archived"


async def test_another_territory_gets_404_whatever_its_if_match(
    on_each_backend: TestClient,  # noqa: F811
) -> None:
    """The territory check comes first: a 412 would tell that the entry exists."""
    client = on_each_backend
    attacker = await _agent(client, "creuse-grand-sud")
    entry = await _first_entry(client)
    url = f"/api/v1/services/{entry['id']}"
    for value in ('"0000000000000000"', f'"{entry["version"]}"', "*"):
        headers = {**attacker, "If-Match": value}
        await _error(await client.patch(url, json={"name": "x"}, headers=headers), 404)
        await _error(await client.delete(url, headers=headers), 404)
        missing = f"/api/v1/services/{uuid.uuid4()}"
        await _error(await client.patch(missing, json={"name": "x"}, headers=headers), 404)


async def test_simultaneous_patches_of_different_fields_both_land(
    on_each_backend: TestClient,  # noqa: F811
) -> None:
    client = on_each_backend
    headers = await _agent(client)
    entry = await _first_entry(client)
    url = f"/api/v1/services/{entry['id']}"
    lost = []
    for pair in range(PAIRS):
        name, description = f"Nom {pair}", f"Description {pair}"
        answers = await asyncio.gather(
            client.patch(url, json={"name": name}, headers=headers),
            client.patch(url, json={"description": description}, headers=headers),
        )
        assert [a.status for a in answers] == [200, 200], [await a.text() for a in answers]
        now = await (await client.get(url)).json()
        if (now["name"], now["description"]) != (name, description):
            lost.append((pair, now["name"], now["description"]))
    assert not lost, f"{len(lost)} of {PAIRS} pairs lost a change: {lost[:3]}"


async def test_simultaneous_patches_from_one_version_one_wins_one_gets_412(
    on_each_backend: TestClient,  # noqa: F811
) -> None:
    client = on_each_backend
    headers = await _agent(client)
    entry = await _first_entry(client)
    url = f"/api/v1/services/{entry['id']}"
    for pair in range(PAIRS // 2):
        version = (await (await client.get(url)).json())["version"]
        read = {**headers, "If-Match": f'"{version}"'}
        answers = await asyncio.gather(
            client.patch(url, json={"name": f"Nom {pair}"}, headers=read),
            client.patch(url, json={"description": f"Description {pair}"}, headers=read),
        )
        assert sorted(a.status for a in answers) == [200, 412], [await a.text() for a in answers]


async def test_a_back_office_action_beside_an_api_patch_loses_nothing(
    on_each_backend: TestClient,  # noqa: F811
) -> None:
    """The back-office's one-click status change goes through the same guarded write."""
    client = on_each_backend
    headers = await _agent(client)
    await signed_in(client, "bureau@example.org", "agent", TERRITORY)
    csrf = csrf_in(await (await client.get("/admin/")).text())
    entry = await _first_entry(client)
    url = f"/api/v1/services/{entry['id']}"
    lost = []
    for pair in range(PAIRS):
        status = "draft" if pair % 2 == 0 else "published"
        answers = await asyncio.gather(
            client.post(
                f"/admin/t/{TERRITORY}/entries/{entry['id']}/status",
                data={"csrf_token": csrf, "status": status}, allow_redirects=False,
            ),
            client.patch(url, json={"description": f"Description {pair}"}, headers=headers),
        )  # fmt: skip
        assert [a.status for a in answers] == [302, 200], [await a.text() for a in answers]
        now = await client.app[STORAGE].get_service(entry["id"], published_only=False)
        if (now.status, now.description) != (status, f"Description {pair}"):
            lost.append((pair, now.status, now.description))
    assert not lost, f"{len(lost)} of {PAIRS} pairs lost a change: {lost[:3]}"
