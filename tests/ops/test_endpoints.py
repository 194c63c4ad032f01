"""Health, readiness, metrics, request ids and log redaction."""

from __future__ import annotations

import json
import logging

from sqlalchemy import text

from pandium_server.ops.logging import JsonFormatter, redact
from tests.helpers import create_tenant, setup_integration


async def test_healthz_and_readyz(anon, maker):
    assert (await anon.get("/healthz")).json() == {"status": "ok"}
    ready = await anon.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    async with maker() as session:
        await session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        await session.commit()
    behind = await anon.get("/readyz")
    assert behind.status_code == 503 and "expected" in behind.json()["message"]


async def test_metrics_cover_requests_runs_and_proxy(client, anon):
    integration, _ = await setup_integration(client, "metered")
    tenant = await create_tenant(client, integration["id"])
    await client.post(f"/v2/tenants/{tenant['id']}/sync?mode=normal")
    await client.get("/v2/integrations/424242")
    await client.post(
        f"/v2/tenants/{tenant['id']}/connectors/hubspot/call",
        json={"method": "GET", "target_url": "/x"},
    )
    body = (await anon.get("/metrics")).text
    assert (
        'pandium_http_requests_total{method="GET",route="/v2/integrations/{integration_id}",status="404"}'
        in body
    )
    assert 'pandium_runs{phase="Pending"} 1.0' in body
    assert "pandium_pending_runs 1.0" in body
    assert 'pandium_proxy_request_duration_seconds_count{connector="hubspot",status="400"}' in body
    assert "pandium_http_request_duration_seconds_bucket" in body


async def test_request_ids_are_returned_and_kept(anon):
    made = await anon.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
    kept = await anon.get("/healthz", headers={"X-Request-ID": "trace-123"})
    assert kept.headers["x-request-id"] == "trace-123"
    replaced = await anon.get("/healthz", headers={"X-Request-ID": "bad id\n"})
    assert replaced.headers["x-request-id"] != "bad id\n"


async def test_logs_are_json_with_request_id_and_no_keys(client, alice, caplog):
    caplog.set_level(logging.INFO)
    await client.get("/v2/integrations", headers={"X-Request-ID": "abc-1"})
    records = [r for r in caplog.records if r.name == "pandium_server.access"]
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["request_id"] == "abc-1" and line["status"] == 200
    assert line["path"] == "/v2/integrations"
    record = logging.LogRecord("x", logging.INFO, "", 0, "key %s", (alice.key,), None)
    assert alice.key not in JsonFormatter().format(record)
    assert alice.key not in caplog.text


def test_redaction():
    key = "pdm_" + "A1b2C3d4" + "x" * 24
    assert redact(f"using {key} now") == "using pdm_A1b2C3d4… now"
    assert redact("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer ***"
    assert redact("Basic dXNlcjpwdw==") == "Basic ***"
