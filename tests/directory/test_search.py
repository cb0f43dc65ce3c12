"""Searching entries: filters, free text, distance, pagination and bad parameters."""

import pytest
from aiohttp.test_utils import TestClient

from services_directory.appkeys import STORAGE
from services_directory.search import SearchQuery
from services_directory.storage import Storage
from services_directory.text import fold

pytestmark = pytest.mark.asyncio

MURAT = "15138"


async def search(client: TestClient, **params: str | int) -> dict:
    response = await client.get("/api/v1/services", params={k: str(v) for k, v in params.items()})
    assert response.status == 200, await response.text()
    return await response.json()


async def names(client: TestClient, **params: str | int) -> list[str]:
    return [item["name"] for item in (await search(client, per_page=100, **params))["items"]]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("topic", "childcare"),
        ("territory", "creuse-grand-sud"),
        ("commune", MURAT),
        ("kind", "gare"),
    ],
)
async def test_filters(client: TestClient, field: str, value: str) -> None:
    body = await search(client, per_page=100, **{field: value})
    assert body["total"] == len(body["items"]) > 0
    assert {item[field] for item in body["items"]} == {value}
    assert all(item["status"] == "published" for item in body["items"])
    assert "distance_km" not in body["items"][0]


async def test_filters_combine(client: TestClient) -> None:
    body = await search(client, topic="childcare", territory="hautes-terres", kind="micro_creche")
    assert sorted(i["name"] for i in body["items"]) == [
        "Micro-crèche Les Pitchounets",
        "Micro-crèche Les Sapins",
    ]


async def test_results_are_sorted_by_name_without_near(client: TestClient) -> None:
    found = await names(client, territory="hautes-terres", topic="transport")
    assert found == sorted(found, key=fold)  # "à la demande" before "solidaire"


@pytest.mark.parametrize("q", ["creche", "CRECHE", "Crèche", "crèche petits volcans", "crehce"])
async def test_free_text_ignores_case_accents_and_a_typo(client: TestClient, q: str) -> None:
    assert "Crèche Les Petits Volcans" in await names(client, q=q)


async def test_free_text_reads_a_sentence(client: TestClient) -> None:
    assert await names(client, q="une creche vers murat ?") == ["Crèche Les Petits Volcans"]


async def test_free_text_forgives_two_typos_in_a_long_word(client: TestClient) -> None:
    found = await names(client, q="covoitrage", territory="creuse-grand-sud")
    assert found == ["Aire de covoiturage de Felletin"]


async def test_free_text_without_match_is_empty(client: TestClient) -> None:
    assert await search(client, q="piscine olympique") == {
        "items": [],
        "total": 0,
        "page": 1,
        "per_page": 20,
    }


@pytest.mark.parametrize("near", [MURAT, "45.1236,2.8501", " 45.1236 , 2.8501 "])
async def test_near_sorts_nearest_first(client: TestClient, near: str) -> None:
    body = await search(client, topic="childcare", near=near, per_page=100)
    distances = [item["distance_km"] for item in body["items"]]
    assert distances == sorted(distances)
    assert body["items"][0]["name"] == "Crèche Les Petits Volcans"
    assert distances[0] < 1
    assert distances[-1] > 100  # Creuse and Lozère entries come last


async def test_radius_keeps_close_entries(client: TestClient) -> None:
    everything = await search(client, topic="childcare", near=MURAT, per_page=100)
    close = await search(client, topic="childcare", near=MURAT, radius_km=10, per_page=100)
    assert 0 < close["total"] < everything["total"]
    assert all(item["distance_km"] <= 10 for item in close["items"])
    assert close["items"] == everything["items"][: close["total"]]


async def test_pagination(client: TestClient) -> None:
    whole = await search(client, territory="hautes-terres", per_page=100)
    pages = [
        await search(client, territory="hautes-terres", per_page=7, page=p) for p in range(1, 6)
    ]
    assert {page["total"] for page in pages} == {whole["total"]}
    assert [page["page"] for page in pages] == [1, 2, 3, 4, 5]
    assert [i["id"] for page in pages for i in page["items"]] == [i["id"] for i in whole["items"]]
    beyond = await search(client, territory="hautes-terres", per_page=7, page=50)
    assert (beyond["items"], beyond["total"]) == ([], whole["total"])


async def test_prefer_kind_puts_that_kind_first_then_the_others(seeded: Storage) -> None:
    # On both backends: the page the assistant shows when a kind is scarce, in one call.
    def ask(**fields: str) -> SearchQuery:
        return SearchQuery(topic="childcare", near=MURAT, per_page=100, **fields)

    preferred = await seeded.search(ask(prefer_kind="creche"))
    of_kind = await seeded.search(ask(kind="creche"))
    every = await seeded.search(ask())
    first, rest = preferred.items[: of_kind.total], preferred.items[of_kind.total :]
    assert 0 < of_kind.total < every.total == preferred.total
    assert [item.id for item in first] == [item.id for item in of_kind.items]
    assert [item.id for item in rest] == [item.id for item in every.items if item.kind != "creche"]


async def test_unpublished_entries_never_show(client: TestClient) -> None:
    storage = client.app[STORAGE]
    hidden = [
        *(await storage.search(SearchQuery(status="draft", per_page=100))).items,
        *(await storage.search(SearchQuery(status="archived", per_page=100))).items,
    ]
    assert len(hidden) >= 2
    public = await names(client)
    public += await names(client, page=2) + await names(client, page=3)
    assert not {entry.name for entry in hidden} & set(public)
    for entry in hidden:
        response = await client.get(f"/api/v1/services/{entry.id}")
        assert response.status == 404


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"per_page": "abc"}, "per_page"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "101"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "²"}, "page"),
        ({"page": "9" * 5000}, "page"),
        ({"near": "garbage"}, "near"),
        ({"near": "91,0"}, "near"),
        ({"near": "15 138"}, "near"),
        ({"near": "045.1,2.8"}, "near"),
        ({"topic": "unknown"}, "topic"),
        ({"kind": "unknown"}, "kind"),
        ({"topic": " jobs"}, "topic"),
        ({"zone": " "}, "zone"),
        ({"prefer_kind": "unknown"}, "prefer_kind"),
        ({"near": MURAT, "radius_km": "abc"}, "radius_km"),
        ({"near": MURAT, "radius_km": "-3"}, "radius_km"),
        ({"near": MURAT, "radius_km": "nan"}, "radius_km"),
        ({"near": MURAT, "radius_km": "1_0"}, "radius_km"),
        ({"commune": "Murat"}, "commune"),
        ({"q": "x" * 201}, "q"),
    ],
)
async def test_bad_parameters_are_400_naming_the_parameter(
    client: TestClient, params: dict[str, str], parameter: str
) -> None:
    response = await client.get("/api/v1/services", params=params)
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["code"] == "invalid_parameter"
    assert f"« {parameter} »" in error["message"]
    assert error["field"] == parameter


async def test_an_unknown_near_commune_is_404(client: TestClient) -> None:
    response = await client.get("/api/v1/services", params={"near": "99999"})
    assert response.status == 404
    assert "« near »" in (await response.json())["error"]["message"]


async def test_filters_of_different_topics_combine_into_nothing(client: TestClient) -> None:
    # OpenAPI cannot tie a kind to its topic: the filters simply both apply.
    assert (await search(client, topic="jobs", kind="creche"))["total"] == 0
    assert await search(client, topic="jobs", prefer_kind="creche") == await search(
        client, topic="jobs"
    )


async def test_radius_without_near_is_ignored(client: TestClient) -> None:
    assert await search(client, radius_km=5) == await search(client)


async def test_empty_parameters_count_as_absent(client: TestClient) -> None:
    # As the document's `allowEmptyValue` says: an HTML form sends its blank fields so.
    assert await search(client, topic="", near="", zone="", page="", q="  ") == await search(client)
