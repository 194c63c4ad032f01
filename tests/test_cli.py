"""The command line: accounts, keys, openapi, against a real database in subprocesses."""

from __future__ import annotations

import json

import pytest

from tests.cli_helpers import cli_env, run_cli


@pytest.fixture
async def env(clone_database) -> dict[str, str]:
    return cli_env(PANDIUM_DATABASE_URL=await clone_database())


async def test_accounts_and_keys_lifecycle(env):
    assert "created account acme" in run_cli("accounts", "create", "acme", env=env).stdout
    duplicate = run_cli("accounts", "create", "acme", env=env, check=False)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    run_cli("accounts", "create", "globex", env=env)
    listed = run_cli("accounts", "list", env=env).stdout
    assert "acme" in listed and "globex" in listed

    created = run_cli("keys", "create", "--account", "acme", "--label", "ci", env=env).stdout
    key = created.rstrip("\n").splitlines()[-1]
    assert key.startswith("pdm_") and len(key) == 36 and key.strip() == key
    other = run_cli("keys", "create", "--account", "globex", env=env).stdout.splitlines()[-1]

    table = run_cli("keys", "list", env=env).stdout
    assert key[:12] in table and key[-4:] in table and "ci" in table
    assert key not in table and other not in table
    acme_only = run_cli("keys", "list", "--account", "acme", env=env).stdout
    assert key[:12] in acme_only and other[:12] not in acme_only

    run_cli("keys", "revoke", key[:12], env=env)
    revoked_row = next(
        line for line in run_cli("keys", "list", env=env).stdout.splitlines() if key[:12] in line
    )
    assert revoked_row.split("\t")[-1] != "-"
    again = run_cli("keys", "revoke", key[:12], env=env, check=False)
    assert again.returncode == 1

    unknown = run_cli("keys", "create", "--account", "nobody", env=env, check=False)
    assert unknown.returncode == 1 and "nobody" in unknown.stderr


def test_openapi_prints_the_document_without_a_database():
    result = run_cli("openapi", env=cli_env())
    spec = json.loads(result.stdout)
    assert spec["openapi"].startswith("3.")
    assert "/v2/integrations/{integration_id}/releases/default" in spec["paths"]
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("name") == "X-API-KEY" for s in schemes.values())
