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
