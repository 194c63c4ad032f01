"""`/v2/integrations/{id}/releases`: contract shape, default/latest, schema checks."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import count_rows
from tests.helpers import RELEASE, assert_matches_reference, create_integration, create_release


async def test_releases_match_the_reference_schema(client):
    integration = await create_integration(client)
    created = await create_release(client, integration["id"], working_directory="src")
    assert_matches_reference(created, RELEASE)
    assert created["working_directory"] == "src"
    base = f"/v2/integrations/{integration['id']}/releases"
    listed = await client.get(base)
    assert listed.status_code == 200 and listed.json() == [created]
    one = await client.get(f"{base}/{created['id']}")
    assert one.status_code == 200 and one.json() == created


async def test_latest_is_the_newest_release(client):
    integration = await create_integration(client)
    base = f"/v2/integrations/{integration['id']}/releases"
    assert (await client.get(f"{base}/latest")).status_code == 404
    await create_release(client, integration["id"], "v1")
    newest = await create_release(client, integration["id"], "v2")
    response = await client.get(f"{base}/latest")
    assert response.status_code == 200 and response.json()["id"] == newest["id"]
    assert_matches_reference(response.json(), RELEASE)


async def test_default_release_follows_id_then_channel(client):
    integration = await create_integration(client)
    iid = integration["id"]
    base = f"/v2/integrations/{iid}/releases"
    first = await create_release(client, iid, "v1")
    second = await create_release(client, iid, "v2")

    missing = await client.get(f"{base}/default")
    assert missing.status_code == 404 and "message" in missing.json()

    await client.patch(f"/v2/integrations/{iid}", json={"default_release_channel": "Latest"})
    assert (await client.get(f"{base}/default")).json()["id"] == second["id"]

    await client.patch(f"/v2/integrations/{iid}", json={"default_release_id": first["id"]})
    response = await client.get(f"{base}/default")
    assert response.status_code == 200 and response.json()["id"] == first["id"]

    await client.patch(
        f"/v2/integrations/{iid}",
        json={"default_release_id": None, "default_release_channel": "Default"},
    )
    assert (await client.get(f"{base}/default")).status_code == 404


async def test_patch_release(client):
    integration = await create_integration(client)
    release = await create_release(client, integration["id"])
    url = f"/v2/integrations/{integration['id']}/releases/{release['id']}"
    response = await client.patch(url, json={"run_command": "node index.js", "config_version": "2"})
    assert response.status_code == 200
    body = response.json()
    assert body["run_command"] == "node index.js" and body["config_version"] == "2"
    assert body["name"] == release["name"] and body["config_schema"] == release["config_schema"]
    assert (await client.get(url)).json() == body


async def test_missing_release_is_404_message(client):
    integration = await create_integration(client)
    other = await create_integration(client, "other")
    foreign = await create_release(client, other["id"])
    for path in (
        f"/v2/integrations/{integration['id']}/releases/424242",
        f"/v2/integrations/{integration['id']}/releases/{foreign['id']}",
        "/v2/integrations/424242/releases",
        "/v2/integrations/424242/releases/latest",
        "/v2/integrations/424242/releases/default",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert set(response.json()) == {"message"}


async def test_non_integer_release_id_is_422(client):
    integration = await create_integration(client)
    response = await client.get(f"/v2/integrations/{integration['id']}/releases/first")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "release_id"]


@pytest.mark.parametrize(
    "field,schema",
    [
        ("config_schema", {"type": "nope"}),
        ("config_schema", {"type": "object", "properties": {"a": {"minLength": -1}}}),
        ("config_schema", {"required": "region"}),
        ("metadata_schema", {"type": 12}),
        ("metadata_schema", {"$schema": "https://example.com/my-own-dialect"}),
        ("config_schema", "not an object"),
        ("config_schema", {"type": "object", "description": "nul \u0000 inside"}),
        ("config_schema", ["type", "object"]),
    ],
)
async def test_invalid_json_schema_is_422_and_stores_nothing(client, maker, field, schema):
    integration = await create_integration(client)
    before = await count_rows(maker, "release")
    response = await client.post(
        f"/v2/integrations/{integration['id']}/releases",
        json={"name": "bad", field: schema},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][:2] == ["body", field]
    assert await count_rows(maker, "release") == before


async def test_invalid_json_schema_in_patch_is_422(client):
    integration = await create_integration(client)
    release = await create_release(client, integration["id"])
    url = f"/v2/integrations/{integration['id']}/releases/{release['id']}"
    response = await client.patch(url, json={"config_schema": {"type": "nope"}})
    assert response.status_code == 422
    assert (await client.get(url)).json() == release


async def test_other_drafts_and_local_refs_are_accepted(client):
    integration = await create_integration(client)
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"region": {"type": "string", "enum": ["eu", "us"]}},
        "type": "object",
        "properties": {"region": {"$ref": "#/definitions/region"}},
    }
    release = await create_release(client, integration["id"], config_schema=schema)
    assert release["config_schema"] == schema


async def test_remote_refs_are_never_fetched(client):
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"type": "string"}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/schema.json"
        integration = await create_integration(client)
        schema = {"type": "object", "properties": {"a": {"$ref": url}}}
        await create_release(client, integration["id"], config_schema=schema)
    finally:
        server.shutdown()
    assert hits == []


async def test_duplicate_release_name_is_422(client, maker):
    integration = await create_integration(client)
    await create_release(client, integration["id"])
    before = await count_rows(maker, "release")
    response = await client.post(
        f"/v2/integrations/{integration['id']}/releases", json={"name": "v1.0.0"}
    )
    assert response.status_code == 422
    assert await count_rows(maker, "release") == before
