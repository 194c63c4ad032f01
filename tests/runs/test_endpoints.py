"""Sync triggers, trigger status, runs and logs through the API (no worker running)."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pandium_server.runs import signing
from tests.helpers import assert_matches_reference, create_tenant, setup_integration


@pytest.fixture
async def tenant(client):
    integration, _ = await setup_integration(client)
    return await create_tenant(client, integration["id"], user_name="user-1")


async def _sync(client, tenant_id, mode="normal", **kwargs):
    response = await client.post(f"/v2/tenants/{tenant_id}/sync?mode={mode}", **kwargs)
    assert response.status_code == 202, response.text
    assert_matches_reference(response.json(), "Trigger")
    return response.json()["trigger_id"]


async def test_triggers_join_one_pending_run(client, tenant):
    first = await _sync(client, tenant["id"], json={"contact": 1})
    second = await _sync(client, tenant["id"])
    third = (await client.post(f"/v2/tenants/{tenant['id']}/run?mode=normal")).json()["trigger_id"]
    for trigger_id in (first, second, third):
        status = await client.get(f"/v2/runs/triggers/{trigger_id}/status")
        assert status.status_code == 200
        assert_matches_reference(status.json(), "TriggerStatus")
        assert status.json() == {"status": "Pending"}
    runs = (await client.get(f"/v2/tenants/{tenant['id']}/runs")).json()
    assert len(runs) == 1
    run = runs[0]
    assert_matches_reference(run, "Run")
    assert run["mode"] == "normal" and run["status"]["phase"] == "Pending"
    assert [t["trigger_id"] for t in run["triggers"]] == [first, second, third]
    assert run["triggers"][0]["payload"] == {"contact": 1}
    assert run["triggers"][0]["source"] == "api"
    by_trigger = await client.get(f"/v2/tenants/{tenant['id']}/runs/{second}")
    assert by_trigger.status_code == 200 and by_trigger.json() == run
    current = (await client.get(f"/v2/tenants/{tenant['id']}")).json()["status"]["current_run"]
    assert current["id"] == run["id"] and current["phase"] == "Pending"


async def test_an_init_trigger_makes_the_pending_run_init(client, tenant):
    await _sync(client, tenant["id"])
    await _sync(client, tenant["id"], mode="init")
    await _sync(client, tenant["id"])
    runs = (await client.get(f"/v2/tenants/{tenant['id']}/runs")).json()
    assert [r["mode"] for r in runs] == ["init"]
    assert [t["mode"] for t in runs[0]["triggers"]] == ["normal", "init", "normal"]


async def test_sync_by_integration_and_user_name(client, tenant):
    iid = tenant["integration_id"]
    response = await client.post(f"/v2/integrations/{iid}/sync?mode=init&user_name=user-1")
    assert response.status_code == 202
    run = (await client.get(f"/v2/tenants/{tenant['id']}/runs")).json()[0]
    assert run["triggers"][0]["trigger_id"] == response.json()["trigger_id"]
    missing = await client.post(f"/v2/integrations/{iid}/sync?mode=init&user_name=nobody")
    assert missing.status_code == 404 and "message" in missing.json()


async def test_database_refuses_a_second_pending_or_running_run(client, tenant, maker):
    await _sync(client, tenant["id"])
    async with maker() as session:
        for phase in ("Pending", "Running", "Running"):
            with pytest.raises(IntegrityError):
                async with session.begin_nested():
                    await session.execute(
                        text(
                            "INSERT INTO run (account_id, tenant_id, integration_id, queue, "
                            "mode, phase) SELECT account_id, id, integration_id, 'default', "
                            "'normal', :phase FROM tenant WHERE id = :id"
                        ),
                        {"phase": phase, "id": tenant["id"]},
                    )
            if phase == "Pending":  # make one running run, then a second must fail
                await session.execute(
                    text("UPDATE run SET phase = 'Running' WHERE tenant_id = :id"),
                    {"id": tenant["id"]},
                )


@pytest.mark.parametrize(
    "path,body",
    [
        ("/v2/tenants/{tid}/sync?mode=fast", None),
        ("/v2/tenants/{tid}/sync", None),
        ("/v2/tenants/{tid}/sync?mode=normal", [1, 2]),
        ("/v2/tenants/{tid}/sync?mode=normal", "text"),
        ("/v2/tenants/abc/sync?mode=normal", None),
        ("/v2/integrations/{iid}/sync?mode=init", None),
        ("/v2/integrations/{iid}/sync?mode=later&user_name=user-1", None),
    ],
)
async def test_bad_sync_requests_are_422_with_message(client, tenant, maker, path, body):
    url = path.format(tid=tenant["id"], iid=tenant["integration_id"])
    response = await client.post(url, json=body)
    assert response.status_code == 422, response.text
    assert "message" in response.json() and response.json()["detail"]
    async with maker() as session:
        assert (await session.execute(text("SELECT count(*) FROM trigger"))).scalar_one() == 0


async def test_unknown_or_archived_tenants_get_404(client, tenant):
    assert (await client.post("/v2/tenants/987654/sync?mode=normal")).status_code == 404
    await client.delete(f"/v2/tenants/{tenant['id']}")
    response = await client.post(f"/v2/tenants/{tenant['id']}/sync?mode=normal")
    assert response.status_code == 404 and set(response.json()) == {"message"}


@pytest.mark.parametrize("trigger_id", ["nope", "00000000-0000-0000-0000-000000000000"])
async def test_unknown_trigger_is_404(client, tenant, trigger_id):
    assert (await client.get(f"/v2/runs/triggers/{trigger_id}/status")).status_code == 404
    response = await client.get(f"/v2/tenants/{tenant['id']}/runs/{trigger_id}")
    assert response.status_code == 404 and set(response.json()) == {"message"}


async def test_log_link_is_signed_and_expires(client, anon, tenant, maker):
    trigger_id = await _sync(client, tenant["id"])
    run_id = (await client.get(f"/v2/tenants/{tenant['id']}/runs/{trigger_id}")).json()["id"]
    async with maker() as session:
        await session.execute(
            text("INSERT INTO run_log (run_id, content) VALUES (:id, 'line one\nline two\n')"),
            {"id": run_id},
        )
        await session.commit()
    redirect = await client.get(f"/v2/runs/{run_id}/log")
    assert redirect.status_code == 302
    location = redirect.headers["location"]
    query = parse_qs(urlsplit(location).query)
    assert int(query["expires"][0]) - time.time() == pytest.approx(900, abs=5)
    log = await anon.get(location)  # the link alone is enough
    assert log.status_code == 200 and log.text == "line one\nline two\n"

    tampered = location.replace(f"/runs/{run_id}/", f"/runs/{run_id + 1}/")
    assert (await anon.get(tampered)).status_code == 403
    bad_signature = location[:-4] + ("0000" if not location.endswith("0000") else "1111")
    assert (await anon.get(bad_signature)).status_code == 403
    async with maker() as session:
        key = await signing.shared_key(session)
    expires, signature = signing.sign(key, run_id, now=time.time() - 901)
    expired = f"/v2/runs/{run_id}/log/content?expires={expires}&signature={signature}"
    response = await anon.get(expired)
    assert response.status_code == 403 and "message" in response.json()
    assert (await client.get("/v2/runs/987654/log")).status_code == 404


async def test_runs_are_invisible_to_other_accounts(client, bob, tenant):
    trigger_id = await _sync(client, tenant["id"])
    run_id = (await client.get(f"/v2/tenants/{tenant['id']}/runs/{trigger_id}")).json()["id"]
    for method, path in [
        ("GET", f"/v2/runs/triggers/{trigger_id}/status"),
        ("GET", f"/v2/tenants/{tenant['id']}/runs"),
        ("GET", f"/v2/tenants/{tenant['id']}/runs/{trigger_id}"),
        ("GET", f"/v2/runs/{run_id}/log"),
        ("POST", f"/v2/tenants/{tenant['id']}/sync?mode=normal"),
        ("POST", f"/v2/integrations/{tenant['integration_id']}/sync?mode=normal&user_name=user-1"),
    ]:
        response = await bob.client.request(method, path)
        assert response.status_code == 404, (method, path)
        assert set(response.json()) == {"message"}


async def test_runs_listing_sorts_and_pages(client, tenant, maker):
    for _ in range(3):
        await _sync(client, tenant["id"])
        async with maker() as session:  # finish it so that the next trigger makes a new run
            await session.execute(
                text(
                    "UPDATE run SET phase = 'Succeeded', started_date = now(), "
                    "completed_date = now() WHERE tenant_id = :id AND phase = 'Pending'"
                ),
                {"id": tenant["id"]},
            )
            await session.commit()
    ids = [r["id"] for r in (await client.get(f"/v2/tenants/{tenant['id']}/runs")).json()]
    assert len(ids) == 3 and ids == sorted(ids)
    desc = await client.get(f"/v2/tenants/{tenant['id']}/runs?sort_by=id__DESC&limit=2&skip=1")
    assert [r["id"] for r in desc.json()] == sorted(ids, reverse=True)[1:3]
    bad = await client.get(f"/v2/tenants/{tenant['id']}/runs?sort_by=phase__UP")
    assert bad.status_code == 422
    status = (await client.get(f"/v2/tenants/{tenant['id']}")).json()["status"]
    assert status["last_run"]["phase"] == "Succeeded" and status["current_run"] == {}
    assert status["last_successful_run"]["id"] == status["last_run"]["id"]
