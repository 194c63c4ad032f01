"""Builders shared by the API tests, and the reference schemas as data."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

_REFERENCE = json.loads((Path(__file__).parent / "data" / "reference_schemas.json").read_text())
_ROOT = "urn:pandium-reference"
_REGISTRY = Registry().with_resource(_ROOT, DRAFT202012.create_resource(_REFERENCE))


def assert_matches_reference(instance: Any, component: str) -> None:
    """Validate ``instance`` against one of the reference's component schemas."""
    schema = {"$ref": f"{_ROOT}#/components/schemas/{component}"}
    Draft202012Validator(schema, registry=_REGISTRY).validate(instance)


INTEGRATION = "external_api_v1__v2schemas__Integration"
RELEASE = "external_api_v1__v2schemas__IntegrationRelease"


def integration_body(name: str = "hubspot-sync", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "long_name": "HubSpot Sync",
        "type": "External",
        "connectors": [
            {
                "name": "hubspot",
                "isGlobal": False,
                "base_url": "https://api.hubapi.com",
                "auth_type": "bearer",
            }
        ],
    }
    body.update(extra)
    return body


def release_body(name: str = "v1.0.0", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "tag": name,
        "run_command": "python main.py",
        "config_version": "1",
        "config_schema": {"type": "object", "properties": {"region": {"type": "string"}}},
        "metadata_schema": {"type": "object"},
    }
    body.update(extra)
    return body


async def create_integration(client, name: str = "hubspot-sync", **extra: Any) -> dict[str, Any]:
    response = await client.post("/v2/integrations", json=integration_body(name, **extra))
    assert response.status_code == 201, response.text
    return response.json()


async def create_release(client, integration_id: int, name: str = "v1.0.0", **extra: Any) -> dict:
    response = await client.post(
        f"/v2/integrations/{integration_id}/releases", json=release_body(name, **extra)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def poll(check, *, timeout: float, interval: float = 0.05):
    """Call async ``check`` until it returns a truthy value or ``timeout`` passes."""
    import asyncio

    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(interval)


TENANT = "external_api_v1__v2schemas__Tenant"
CREATE_TENANT = "CreateTenant"
TENANT_METADATA = "TenantMetadata"

CONFIG_SCHEMA = {
    "type": "object",
    "properties": {
        "region": {"type": "string", "enum": ["eu", "us"]},
        "contact": {"type": "string", "format": "email"},
        "batch": {"type": "integer", "minimum": 1},
        "channel": {"$ref": "#/$defs/channel"},
    },
    "required": ["region"],
    "additionalProperties": False,
    "$defs": {"channel": {"type": "string"}},
}
METADATA_SCHEMA = {
    "type": "object",
    "properties": {"cursor": {"type": "string"}, "count": {"type": "integer"}},
    "additionalProperties": False,
}


async def setup_integration(client, name: str = "hubspot-sync") -> tuple[dict, dict]:
    """An integration with a global and a per-tenant connector, and one release."""
    integration = await create_integration(
        client,
        name,
        default_release_channel="Latest",
        connectors=[
            {"name": "hubspot", "isGlobal": False, "auth_type": "bearer"},
            {"name": "shared", "isGlobal": True},
            {"name": "mailer", "isGlobal": False},
        ],
    )
    release = await create_release(
        client, integration["id"], config_schema=CONFIG_SCHEMA, metadata_schema=METADATA_SCHEMA
    )
    return integration, release


async def create_tenant(client, integration_id: int, name: str = "acme", **extra: Any) -> dict:
    body = {"name": name, "integration_id": integration_id, "configs": {"region": "eu"}}
    body.update(extra)
    response = await client.post("/v2/tenants", json=body)
    assert response.status_code == 200, response.text
    return response.json()
