"""Another account's objects are invisible: 404 on every route, exactly like missing ones."""

from __future__ import annotations

from tests.helpers import (
    create_integration,
    create_release,
    create_tenant,
    integration_body,
    release_body,
    setup_integration,
)


async def test_every_route_hides_other_accounts_objects(alice, bob):
    integration = await create_integration(alice.client, default_release_channel="Latest")
    release = await create_release(alice.client, integration["id"])
    iid, rid = integration["id"], release["id"]
    snapshot = {
        "integration": (await alice.client.get(f"/v2/integrations/{iid}")).json(),
        "release": (await alice.client.get(f"/v2/integrations/{iid}/releases/{rid}")).json(),
    }

    attempts = [
        ("GET", f"/v2/integrations/{iid}", None),
        ("PATCH", f"/v2/integrations/{iid}", {"archived": True}),
        ("GET", f"/v2/integrations/{iid}/releases", None),
        ("GET", f"/v2/integrations/{iid}/releases/{rid}", None),
        ("GET", f"/v2/integrations/{iid}/releases/default", None),
        ("GET", f"/v2/integrations/{iid}/releases/latest", None),
        ("POST", f"/v2/integrations/{iid}/releases", release_body("v9")),
        ("PATCH", f"/v2/integrations/{iid}/releases/{rid}", {"run_command": "evil"}),
    ]
    for method, path, body in attempts:
        response = await bob.client.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert set(response.json()) == {"message"}

    # Bob's list does not include Alice's integration, archived or not.
    assert (await bob.client.get("/v2/integrations")).json() == []
    assert (await bob.client.get("/v2/integrations?archived=true")).json() == []

    # Names are per account: Bob can use the same name without a conflict.
    same_name = await bob.client.post("/v2/integrations", json=integration_body())
    assert same_name.status_code == 201

    # Bob cannot point his integration's default at Alice's release.
    mine = same_name.json()["id"]
    hijack = await bob.client.patch(f"/v2/integrations/{mine}", json={"default_release_id": rid})
    assert hijack.status_code == 422

    # Alice's objects are exactly as they were.
    assert (await alice.client.get(f"/v2/integrations/{iid}")).json() == snapshot["integration"]
    after = await alice.client.get(f"/v2/integrations/{iid}/releases/{rid}")
    assert after.json() == snapshot["release"]
    assert len((await alice.client.get(f"/v2/integrations/{iid}/releases")).json()) == 1


async def test_tenant_routes_hide_other_accounts_tenants(alice, bob):
    integration, _ = await setup_integration(alice.client)
    tenant = await create_tenant(alice.client, integration["id"])
    tid = tenant["id"]
    await alice.client.patch(f"/v2/tenants/{tid}/metadata", json={"cursor": "c1"})
    snapshot = (await alice.client.get(f"/v2/tenants/{tid}")).json()

    for method, path, body in [
        ("GET", f"/v2/tenants/{tid}", None),
        ("PATCH", f"/v2/tenants/{tid}", {"paused": False}),
        ("DELETE", f"/v2/tenants/{tid}", None),
        ("GET", f"/v2/tenants/{tid}/release", None),
        ("GET", f"/v2/tenants/{tid}/metadata", None),
        ("PATCH", f"/v2/tenants/{tid}/metadata", {"cursor": "stolen"}),
    ]:
        response = await bob.client.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert set(response.json()) == {"message"}

    assert (await bob.client.get("/v2/tenants")).json() == []
    assert (await bob.client.get(f"/v2/tenants?integration_id={integration['id']}")).json() == []
    assert (await bob.client.get("/v2/tenants?archived=true")).json() == []
    stolen = await bob.client.post(
        "/v2/tenants",
        json={"name": "mine", "integration_id": integration["id"], "configs": {"region": "eu"}},
    )
    assert stolen.status_code == 422

    assert (await alice.client.get(f"/v2/tenants/{tid}")).json() == snapshot
    metadata = (await alice.client.get(f"/v2/tenants/{tid}/metadata")).json()
    assert metadata["data"] == {"cursor": "c1"}
