"""`/v2/integrations`: contract shape, listing, management and bad input."""

from __future__ import annotations

import pytest

from tests.conftest import count_rows
from tests.helpers import (
    INTEGRATION,
    assert_matches_reference,
    create_integration,
    create_release,
    integration_body,
)

SORTABLE = (
    "id",
    "created_date",
    "modified_date",
    "name",
    "long_name",
    "repository_path",
    "repository_tracking_branch",
    "repository_url",
    "type",
    "default_release_id",
    "default_release_channel",
)


async def test_create_and_read_match_the_reference_schema(client):
    created = await create_integration(
        client,
        categories=["CRM", {"name": "Sales", "description": "pipeline", "order_index": 2}],
        tags=["beta"],
        flag={"name": "new", "flag_color": "#0a0"},
        repository_url="https://git.example.com/acme/hubspot.git",
        default_release_channel="Latest",
    )
    assert_matches_reference(created, INTEGRATION)
    assert [
        {k: c[k] for k in ("name", "isGlobal", "base_url", "auth_type")}
        for c in created["connectors"]
    ] == [
        {
            "name": "hubspot",
            "isGlobal": False,
            "base_url": "https://api.hubapi.com",
            "auth_type": "bearer",
        }
    ]
    assert created["connectors"][0]["internal"] is False
    assert "client_secret" not in created["connectors"][0]
    assert [c["name"] for c in created["categories"]] == ["CRM", "Sales"]
    assert created["tags"][0]["name"] == "beta" and isinstance(created["tags"][0]["id"], int)
    assert created["flag"]["name"] == "new"

    one = await client.get(f"/v2/integrations/{created['id']}")
    assert one.status_code == 200
    assert one.json() == created
    listed = await client.get("/v2/integrations")
    assert listed.status_code == 200
    assert listed.json() == [created]
    for item in listed.json():
        assert_matches_reference(item, INTEGRATION)


async def test_minimal_integration_defaults(client):
    response = await client.post("/v2/integrations", json={"name": "tiny"})
    assert response.status_code == 201
    body = response.json()
    assert_matches_reference(body, INTEGRATION)
    assert body["long_name"] == "tiny" and body["type"] == "External"
    assert body["connectors"] == [] and body["categories"] == [] and body["flag"] is None


async def test_duplicate_name_is_409_and_adds_nothing(client, maker):
    await create_integration(client)
    before = await count_rows(maker, "integration")
    response = await client.post("/v2/integrations", json=integration_body())
    assert response.status_code == 409
    assert "message" in response.json()
    assert await count_rows(maker, "integration") == before


async def test_missing_integration_is_404_message(client):
    response = await client.get("/v2/integrations/987654")
    assert response.status_code == 404
    assert set(response.json()) == {"message"}


@pytest.mark.parametrize(
    "query",
    [
        "limit=501",
        "limit=-1",
        "limit=0",
        "limit=abc",
        "skip=-1",
        "skip=x",
        "sort_by=nope__ASC",
        "sort_by=name__UP",
        "sort_by=name",
        "sort_by=connectors__ASC",
        "archived=maybe",
    ],
)
async def test_bad_list_parameters_are_422(client, query):
    response = await client.get(f"/v2/integrations?{query}")
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    "path", ["/v2/integrations/abc", "/v2/integrations/1.5", "/v2/integrations/abc/releases"]
)
async def test_non_integer_ids_are_422(client, path):
    response = await client.get(path)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "integration_id"]


async def _catalogue(client):
    specs = [
        ("delta", "Zed", "Internal", "https://b.example/x", "p/2", "main", "Latest"),
        ("alpha", "Mid", "External", None, "p/1", None, None),
        ("charlie", "Alpha", "Pandium", "https://a.example/x", None, "dev", "Default"),
        ("bravo", "Mid", "External", "https://c.example/x", "p/3", "main", None),
        ("echo", "Beta", "Internal", None, None, "release", "Latest"),
    ]
    for name, long_name, kind, url, path, branch, channel in specs:
        await create_integration(
            client,
            name,
            long_name=long_name,
            type=kind,
            repository_url=url,
            repository_path=path,
            repository_tracking_branch=branch,
            default_release_channel=channel,
        )
    first = (await client.get("/v2/integrations?sort_by=name__ASC")).json()[0]
    release = await create_release(client, first["id"])
    await client.patch(
        f"/v2/integrations/{first['id']}", json={"default_release_id": release["id"]}
    )
    return (await client.get("/v2/integrations")).json()


def _expected(rows, field, descending):
    present = [r for r in rows if r[field] is not None]
    missing = [r for r in rows if r[field] is None]
    present.sort(key=lambda r: (r[field], r["id"]), reverse=descending)
    missing.sort(key=lambda r: r["id"], reverse=descending)
    ordered = missing + present if descending else present + missing
    return [r["id"] for r in ordered]


async def test_every_sort_field_both_ways(client):
    rows = await _catalogue(client)
    assert len(rows) == 5
    for field in SORTABLE:
        for direction in ("ASC", "DESC"):
            response = await client.get(f"/v2/integrations?sort_by={field}__{direction}")
            assert response.status_code == 200
            got = [r["id"] for r in response.json()]
            assert got == _expected(rows, field, direction == "DESC"), (field, direction)


async def test_paging_has_no_gaps_or_repeats(client):
    for i in range(7):
        await create_integration(client, f"int-{i}", long_name="same")
    for sort in ("", "&sort_by=long_name__ASC", "&sort_by=long_name__DESC"):
        seen: list[int] = []
        for skip in range(0, 8, 3):
            page = await client.get(f"/v2/integrations?limit=3&skip={skip}{sort}")
            seen += [r["id"] for r in page.json()]
        assert len(seen) == 7 and len(set(seen)) == 7
    assert len((await client.get("/v2/integrations")).json()) == 7
    assert len((await client.get("/v2/integrations?limit=2")).json()) == 2


async def test_archive_hides_from_default_list(client):
    kept = await create_integration(client, "kept")
    gone = await create_integration(client, "gone")
    response = await client.patch(f"/v2/integrations/{gone['id']}", json={"archived": True})
    assert response.status_code == 200 and response.json()["archived"] is True
    assert [r["id"] for r in (await client.get("/v2/integrations")).json()] == [kept["id"]]
    archived = (await client.get("/v2/integrations?archived=true")).json()
    assert [r["id"] for r in archived] == [gone["id"]]
    assert (await client.get(f"/v2/integrations/{gone['id']}")).status_code == 200


async def test_patch_changes_only_given_fields_and_keeps_connector_rows(client, maker):
    created = await create_integration(client)
    response = await client.patch(
        f"/v2/integrations/{created['id']}",
        json={
            "long_name": "HubSpot Sync v2",
            "connectors": [
                {"name": "hubspot", "isGlobal": False, "base_url": "https://api.hubapi.com/v3"},
                {
                    "name": "shop",
                    "isGlobal": True,
                    "auth_type": "oauth2",
                    "token_url": "https://auth.example.com/token",
                },
            ],
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["long_name"] == "HubSpot Sync v2"
    assert body["name"] == created["name"] and body["type"] == created["type"]
    assert [(c["name"], c["isGlobal"]) for c in body["connectors"]] == [
        ("hubspot", False),
        ("shop", True),
    ]
    assert await count_rows(maker, "connector") == 2
    assert body["modified_date"] >= created["modified_date"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "type": "Partner"},
        {"name": "x", "unknown_field": 1},
        {"name": ""},
        {"name": "has space"},
        {"name": "x", "long_name": "a\nb"},
        {"name": "x", "connectors": [{"name": "a", "base_url": "ftp://x"}]},
        {"name": "x", "connectors": [{"name": "a", "base_url": "https://u:p@x.example"}]},
        {"name": "x", "connectors": [{"name": "a", "auth_type": "magic"}]},
        {"name": "x", "connectors": [{"name": "a"}, {"name": "a"}]},
        {"name": "x", "connectors": [{"name": "a", "secret": "s"}]},
        {"name": "x", "default_release_channel": "Newest"},
        {"name": "x", "repository_url": "not a url"},
        ["not", "an", "object"],
    ],
)
async def test_bad_create_bodies_are_422_and_store_nothing(client, maker, body):
    before = await count_rows(maker, "integration")
    response = await client.post("/v2/integrations", json=body)
    assert response.status_code == 422, response.text
    assert "detail" in response.json()
    assert await count_rows(maker, "integration") == before


async def test_bad_patches_are_422_and_change_nothing(client):
    one = await create_integration(client, "one")
    other = await create_integration(client, "other")
    foreign_release = await create_release(client, other["id"])
    for patch in (
        {"default_release_id": foreign_release["id"]},
        {"default_release_id": 999999},
        {"name": "other"},
        {"name": None},
        {"type": None},
        {"archived": "perhaps"},
        {"nope": True},
    ):
        response = await client.patch(f"/v2/integrations/{one['id']}", json=patch)
        assert response.status_code == 422, (patch, response.text)
    assert (await client.get(f"/v2/integrations/{one['id']}")).json() == one


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("GET", "/v2/integrations/99999999999999999999", None),
        ("GET", "/v2/integrations/-5", None),
        ("GET", "/v2/integrations/0", None),
        ("PATCH", "/v2/integrations/1", {"default_release_id": 99999999999999999999}),
        ("POST", "/v2/integrations", {"name": "x", "long_name": "a\u0000b"}),
        (
            "POST",
            "/v2/integrations",
            {"name": "x", "categories": [{"name": "c", "order_index": "inf"}]},
        ),
        ("POST", "/v2/integrations", {"name": "x", "repository_tracking_branch": "b" * 256}),
        ("POST", "/v2/integrations", {"name": "x" * 101}),
    ],
)
async def test_values_the_database_cannot_hold_are_422_not_500(client, maker, method, path, body):
    before = await count_rows(maker, "integration")
    response = await client.request(method, path, json=body)
    assert response.status_code == 422, response.text
    assert await count_rows(maker, "integration") == before


async def test_malformed_json_body_is_422(client):
    response = await client.post(
        "/v2/integrations", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


async def test_concurrent_creates_with_one_name_give_one_201_and_409s(committed):
    import asyncio

    responses = await asyncio.gather(
        *(committed.client.post("/v2/integrations", json=integration_body()) for _ in range(8))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 7, [r.text for r in responses]
    assert len((await committed.client.get("/v2/integrations")).json()) == 1


async def test_oversized_bodies_are_413_and_store_nothing(client, maker):
    before = await count_rows(maker, "integration")
    response = await client.post(
        "/v2/integrations", json={"name": "big", "long_name": "x" * (11 << 20)}
    )
    assert response.status_code == 413 and "message" in response.json()
    assert await count_rows(maker, "integration") == before
