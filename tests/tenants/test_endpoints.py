"""`/v2/tenants`: creation rules, reads, updates, archiving, the current release."""

from __future__ import annotations

import itertools

from sqlalchemy import text

from tests.helpers import (
    CREATE_TENANT,
    RELEASE,
    TENANT,
    assert_matches_reference,
    create_release,
    create_tenant,
    setup_integration,
)


async def test_create_makes_a_paused_api_tenant_matching_the_reference(client):
    integration, _ = await setup_integration(client)
    body = {
        "name": "acme-corp",
        "integration_id": integration["id"],
        "configs": {"region": "eu", "contact": "ops@acme.example", "batch": 5},
        "user_schedule": "0 * * * *",
    }
    assert_matches_reference(body, CREATE_TENANT)
    response = await client.post("/v2/tenants", json=body)
    assert response.status_code == 200, response.text
    tenant = response.json()
    assert_matches_reference(tenant, TENANT)
    assert tenant["paused"] is True and tenant["archived"] is False
    assert tenant["source"] == "api"
    assert tenant["configs"] == body["configs"]
    assert tenant["integration_release_id"] is None
    assert tenant["integration_release_channel"] is None
    assert tenant["user_schedule"] == "0 * * * *"
    minute, *rest = tenant["schedule"].split()
    assert rest == ["*", "*", "*", "*"] and 0 <= int(minute) < 60
    assert tenant["next_run_at"] is not None
    assert tenant["status"] == {
        "last_run": {},
        "current_run": {},
        "last_successful_run": {},
        "dynamic_configs": {},
        "auth": {
            "connected": False,
            "connectors": [
                {"name": "hubspot", "status": "disconnected", "last_change": None},
                {"name": "mailer", "status": "disconnected", "last_change": None},
            ],
        },
    }
    one = await client.get(f"/v2/tenants/{tenant['id']}")
    assert one.status_code == 200 and one.json() == tenant
    listed = await client.get("/v2/tenants")
    assert listed.json() == [tenant]


async def test_no_schedule_means_no_schedule(client):
    integration, _ = await setup_integration(client)
    tenant = await create_tenant(client, integration["id"])
    assert tenant["user_schedule"] is None and tenant["schedule"] is None
    assert tenant["next_run_at"] is None


async def test_release_by_id_channel_or_integration_default(client):
    integration, first = await setup_integration(client)
    iid = integration["id"]
    second = await create_release(client, iid, "v2", config_schema={"type": "object"})

    pinned = await create_tenant(client, iid, "pinned", integration_release_id=first["id"])
    latest = await create_tenant(
        client, iid, "latest", integration_release_channel="Latest", configs={"anything": 1}
    )
    default = await create_tenant(client, iid, "default", configs={})
    assert pinned["integration_release_id"] == first["id"]
    assert latest["integration_release_channel"] == "Latest"

    async def release_of(tenant):
        response = await client.get(f"/v2/tenants/{tenant['id']}/release")
        assert response.status_code == 200
        assert_matches_reference(response.json(), RELEASE)
        return response.json()["id"]

    assert await release_of(pinned) == first["id"]
    assert await release_of(latest) == second["id"]
    assert await release_of(default) == second["id"]  # integration default channel: Latest
    await client.patch(f"/v2/integrations/{iid}", json={"default_release_id": first["id"]})
    assert await release_of(default) == first["id"]  # follows the integration's default


async def test_patch_updates_fields_and_revalidates_configs(client):
    integration, _ = await setup_integration(client)
    tenant = await create_tenant(client, integration["id"], user_schedule="@daily")
    url = f"/v2/tenants/{tenant['id']}"
    response = await client.patch(
        url,
        json={
            "name": "acme-two",
            "paused": False,
            "configs": {"region": "us"},
            "user_schedule": "*/15 * * * *",
            "user_name": "user-42",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert_matches_reference(body, TENANT)
    assert body["name"] == "acme-two" and body["paused"] is False
    assert body["configs"] == {"region": "us"} and body["user_name"] == "user-42"
    assert body["user_schedule"] == "*/15 * * * *"
    minutes = [int(m) for m in body["schedule"].split()[0].split(",")]
    assert len(minutes) == 4 and {b - a for a, b in itertools.pairwise(minutes)} == {15}
    assert (await client.get(url)).json() == body

    cleared = await client.patch(url, json={"user_schedule": None})
    assert cleared.json()["schedule"] is None and cleared.json()["next_run_at"] is None

    # Switching to a release whose schema the configs break is refused.
    strict = await create_release(
        client,
        integration["id"],
        "strict",
        config_schema={"type": "object", "required": ["token"]},
    )
    refused = await client.patch(url, json={"integration_release_id": strict["id"]})
    assert refused.status_code == 422
    assert (await client.get(url)).json()["integration_release_id"] is None
    moved = await client.patch(
        url, json={"integration_release_id": strict["id"], "configs": {"token": "t"}}
    )
    assert moved.status_code == 200 and moved.json()["integration_release_id"] == strict["id"]


async def test_schedule_is_stable_across_unrelated_updates(client):
    integration, _ = await setup_integration(client)
    tenant = await create_tenant(client, integration["id"], user_schedule="0 * * * *")
    url = f"/v2/tenants/{tenant['id']}"
    again = (await client.patch(url, json={"user_schedule": "0 * * * *", "paused": False})).json()
    assert again["schedule"] == tenant["schedule"]


async def test_delete_archives_and_frees_the_name(client):
    integration, _ = await setup_integration(client)
    tenant = await create_tenant(client, integration["id"])
    await client.patch(f"/v2/tenants/{tenant['id']}", json={"paused": False})
    response = await client.delete(f"/v2/tenants/{tenant['id']}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == tenant["id"] and body["archived"] is True and body["paused"] is True
    assert (await client.get("/v2/tenants")).json() == []
    archived = (await client.get("/v2/tenants?archived=true")).json()
    assert [t["id"] for t in archived] == [tenant["id"]]
    assert (await client.get(f"/v2/tenants/{tenant['id']}")).json()["archived"] is True
    # The name is free again; the archived tenant cannot come back while it is taken.
    replacement = await create_tenant(client, integration["id"])
    assert replacement["name"] == tenant["name"]
    revive = await client.patch(f"/v2/tenants/{tenant['id']}", json={"archived": False})
    assert revive.status_code == 422
    assert (await client.delete(f"/v2/tenants/{tenant['id']}")).status_code == 200


async def test_release_shows_dynamic_config_options(client, maker):
    integration, release = await setup_integration(client)
    tenant = await create_tenant(client, integration["id"])
    url = f"/v2/tenants/{tenant['id']}"
    before = (await client.get(f"{url}/release")).json()
    assert before["config_schema"]["$defs"]["channel"] == {"type": "string"}

    async with maker() as session:  # an init run will write these; until then, directly
        await session.execute(
            text("UPDATE tenant SET dynamic_configs = CAST(:d AS jsonb) WHERE id = :id"),
            {"d": '{"channel": ["general", "sales"]}', "id": tenant["id"]},
        )
        await session.commit()

    filled = (await client.get(f"{url}/release")).json()
    assert filled["config_schema"]["$defs"]["channel"] == {
        "type": "string",
        "enum": ["general", "sales"],
    }
    # The release itself is unchanged for everyone else.
    stored = await client.get(f"/v2/integrations/{integration['id']}/releases/{release['id']}")
    assert stored.json()["config_schema"]["$defs"]["channel"] == {"type": "string"}
    # Configs are checked against the filled-in options.
    bad = await client.patch(url, json={"configs": {"region": "eu", "channel": "random"}})
    assert bad.status_code == 422
    good = await client.patch(url, json={"configs": {"region": "eu", "channel": "sales"}})
    assert good.status_code == 200
    assert good.json()["status"]["dynamic_configs"] == {"channel": ["general", "sales"]}


async def test_list_filters_by_integration_and_user_name(client):
    one, _ = await setup_integration(client, "one")
    two, _ = await setup_integration(client, "two")
    a = await create_tenant(client, one["id"], "a", user_name="u1")
    b = await create_tenant(client, two["id"], "b", user_name="u1")
    c = await create_tenant(client, two["id"], "c")

    async def ids(query):
        response = await client.get(f"/v2/tenants?{query}")
        assert response.status_code == 200
        return [t["id"] for t in response.json()]

    assert await ids(f"integration_id={one['id']}") == [a["id"]]
    assert await ids(f"integration_id={two['id']}") == [b["id"], c["id"]]
    assert await ids("user_name=u1") == [a["id"], b["id"]]
    assert await ids(f"user_name=u1&integration_id={two['id']}") == [b["id"]]
    assert await ids("integration_id=0&user_name=") == [a["id"], b["id"], c["id"]]
