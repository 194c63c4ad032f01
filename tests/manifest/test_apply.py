"""`pandium-server apply`: a YAML manifest, applied idempotently by name."""

from __future__ import annotations

import textwrap

import pytest
from sqlalchemy import text

from pandium_server.db.engine import build_engine
from tests.cli_helpers import cli_env, run_cli

MANIFEST = textwrap.dedent(
    """
    integrations:
      - name: hubspot-sync
        long_name: HubSpot Sync
        type: External
        default_release_channel: Latest
        categories: [CRM]
        connectors:
          - {name: hubspot, isGlobal: false, base_url: "https://api.hubapi.com", auth_type: bearer}
        releases:
          - {name: v1.0.0, tag: v1.0.0, run_command: "python main.py", config_version: "1",
             config_schema: {type: object}, metadata_schema: {type: object}}
      - name: shop-sync
        releases:
          - {name: r1, run_command: "node index.js"}
          - {name: r2, run_command: "node index.js"}
        default_release: r1
    """
)


@pytest.fixture
async def env(clone_database) -> dict[str, str]:
    url = await clone_database()
    env = cli_env(PANDIUM_DATABASE_URL=url)
    run_cli("accounts", "create", "acme", env=env)
    return env


async def _snapshot(url: str) -> list:
    engine = build_engine(url, pool_size=1)
    async with engine.connect() as conn:
        rows = []
        for table in ("integration", "release", "connector", "category", "integration_category"):
            result = await conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))
            rows.append([tuple(r) for r in result])
    await engine.dispose()
    return rows


async def test_apply_creates_then_changes_nothing(env, tmp_path):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(MANIFEST)
    first = run_cli("apply", str(manifest), env=env).stdout
    assert "created integration hubspot-sync" in first
    assert "created release hubspot-sync/v1.0.0" in first
    assert "created release shop-sync/r2" in first
    before = await _snapshot(env["PANDIUM_DATABASE_URL"])

    second = run_cli("apply", str(manifest), "--account", "acme", env=env).stdout
    assert second.strip() == "nothing to change"
    assert await _snapshot(env["PANDIUM_DATABASE_URL"]) == before

    manifest.write_text(
        MANIFEST.replace('run_command: "python main.py"', 'run_command: "py3 m.py"')
    )
    third = run_cli("apply", str(manifest), env=env).stdout
    assert third.strip() == "updated release hubspot-sync/v1.0.0 (id 1)"


@pytest.mark.parametrize(
    "content,needle",
    [
        ("integrations: [{name: x, type: Partner}]", "type"),
        (
            "integrations: [{name: x, releases: [{name: r, config_schema: {type: 1}}]}]",
            "config_schema",
        ),
        ("integrations: [{name: x, surprise: 1}]", "surprise"),
        ("integrations: [{name: x, default_release: missing}]", "missing"),
        ("integrations: [\n  - : bad yaml", "not a valid manifest"),
    ],
)
async def test_bad_manifests_are_refused_and_change_nothing(env, tmp_path, content, needle):
    manifest = tmp_path / "bad.yaml"
    manifest.write_text(content)
    before = await _snapshot(env["PANDIUM_DATABASE_URL"])
    result = run_cli("apply", str(manifest), env=env, check=False)
    assert result.returncode != 0
    assert needle in result.stderr
    assert await _snapshot(env["PANDIUM_DATABASE_URL"]) == before


TENANTS = textwrap.dedent(
    """
    tenants:
      - name: acme
        integration: hubspot-sync
        configs: {region: eu}
        user_schedule: "0 * * * *"
        paused: false
        user_name: acme-user
      - name: globex
        integration: shop-sync
        release: r2
    """
)


async def test_apply_declares_tenants_idempotently(env, tmp_path):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(MANIFEST + TENANTS)
    first = run_cli("apply", str(manifest), env=env).stdout
    assert "created tenant hubspot-sync/acme" in first
    assert "created tenant shop-sync/globex" in first
    before = await _tenants(env["PANDIUM_DATABASE_URL"])
    assert before["acme"][:4] == (False, "0 * * * *", "acme-user", None)
    assert before["acme"][4] is not None  # a spread schedule was derived
    assert before["globex"][0] is True and before["globex"][3] is not None

    assert run_cli("apply", str(manifest), env=env).stdout.strip() == "nothing to change"
    assert await _tenants(env["PANDIUM_DATABASE_URL"]) == before

    manifest.write_text(MANIFEST + TENANTS.replace('"0 * * * *"', '"@daily"'))
    third = run_cli("apply", str(manifest), env=env).stdout
    assert third.strip().startswith("updated tenant hubspot-sync/acme")
    assert (await _tenants(env["PANDIUM_DATABASE_URL"]))["acme"][1] == "@daily"


async def test_tenant_with_unknown_integration_is_refused(env, tmp_path):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("tenants: [{name: acme, integration: nowhere}]")
    result = run_cli("apply", str(manifest), env=env, check=False)
    assert result.returncode != 0 and "nowhere" in result.stderr
    assert await _tenants(env["PANDIUM_DATABASE_URL"]) == {}


async def _tenants(url: str) -> dict:
    engine = build_engine(url, pool_size=1)
    async with engine.connect() as conn:
        result = await conn.execute(
            text(
                "SELECT name, paused, user_schedule, user_name, integration_release_id, "
                "schedule, configs::text FROM tenant"
            )
        )
        rows = {r.name: tuple(r)[1:] for r in result}
    await engine.dispose()
    return rows
