"""`POST /v2/sourcecontrol/build`."""

from __future__ import annotations

from tests.conftest import count_rows
from tests.helpers import create_integration, create_release


async def test_a_build_makes_the_release_of_its_tag(client, maker):
    integration = await create_integration(client, default_release_channel="Latest")
    await create_release(client, integration["id"], "v1", run_command="python app.py")
    response = await client.post(
        "/v2/sourcecontrol/build?mode=normal",
        json={"build_tag": "v2", "integration_id": integration["id"]},
    )
    assert response.status_code == 201, response.text
    build = response.json()
    assert build["build_tag"] == "v2" and build["status"] == "Succeeded"
    latest = (await client.get(f"/v2/integrations/{integration['id']}/releases/latest")).json()
    assert latest["id"] == build["release_id"] and latest["tag"] == "v2"
    assert latest["run_command"] == "python app.py"
    again = await client.post(
        "/v2/sourcecontrol/build?mode=init",
        json={"build_tag": "v2", "integration_id": integration["id"]},
    )
    assert again.json()["release_id"] == build["release_id"]
    assert await count_rows(maker, "release") == 2


async def test_bad_builds(client, bob, maker):
    integration = await create_integration(client)
    for query, body in [
        ("mode=fast", {"build_tag": "v1", "integration_id": integration["id"]}),
        ("", {"build_tag": "v1", "integration_id": integration["id"]}),
        ("mode=init", {"build_tag": "", "integration_id": integration["id"]}),
        ("mode=init", {"build_tag": "v1"}),
        ("mode=init", {"build_tag": "v1", "integration_id": 987654}),
    ]:
        response = await client.post(f"/v2/sourcecontrol/build?{query}", json=body)
        assert response.status_code == 422, (query, body)
    foreign = await bob.client.post(
        "/v2/sourcecontrol/build?mode=init",
        json={"build_tag": "v1", "integration_id": integration["id"]},
    )
    assert foreign.status_code == 422
    assert await count_rows(maker, "build") == 0
