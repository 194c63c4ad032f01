"""`/v2/tenants/{id}/metadata`: merge by key, validate the whole, all or nothing."""

from __future__ import annotations

from tests.helpers import (
    TENANT_METADATA,
    assert_matches_reference,
    create_tenant,
    setup_integration,
)


async def test_metadata_starts_empty_and_merges(client):
    integration, _ = await setup_integration(client)
    tenant = await create_tenant(client, integration["id"])
    url = f"/v2/tenants/{tenant['id']}/metadata"

    empty = await client.get(url)
    assert empty.status_code == 200
    assert_matches_reference(empty.json(), TENANT_METADATA)
    assert empty.json()["tenant_id"] == tenant["id"] and empty.json()["data"] == {}

    first = await client.patch(url, json={"cursor": "abc", "count": 1})
    assert first.status_code == 200, first.text
    assert_matches_reference(first.json(), TENANT_METADATA)
    assert first.json()["data"] == {"cursor": "abc", "count": 1}

    second = await client.patch(url, json={"count": 2})
    assert second.json()["data"] == {"cursor": "abc", "count": 2}
    assert second.json()["modified_date"] >= first.json()["modified_date"]

    removed = await client.patch(url, json={"cursor": None})
    assert removed.json()["data"] == {"count": 2}
    assert (await client.get(url)).json() == removed.json()


async def test_invalid_patch_changes_nothing(client):
    integration, _ = await setup_integration(client)
    tenant = await create_tenant(client, integration["id"])
    url = f"/v2/tenants/{tenant['id']}/metadata"
    await client.patch(url, json={"cursor": "abc"})
    before = (await client.get(url)).json()
    for body in ({"count": "many"}, {"cursor": "x", "extra": 1}, {"cursor": 5}):
        response = await client.patch(url, json=body)
        assert response.status_code == 422, body
        assert response.json()["detail"][0]["loc"][0] == "body"
    for body in (["a"], "text", 5):
        assert (await client.patch(url, json=body)).status_code == 422
    assert (await client.get(url)).json() == before
