"""The OpenAPI document: committed, complete, and faithful to the reference."""

from __future__ import annotations

import json
from pathlib import Path

from pandium_server.app import create_app

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = json.loads((Path(__file__).parent / "data" / "reference_operations.json").read_text())
# Operations the reference describes outside the merged document (prose, variant, intro).
ALSO_REFERENCE = {
    ("GET", "/v2/tenants/{tenant_id}"),
    ("PATCH", "/v2/tenants/{tenant_id}"),
    ("GET", "/v2/tenants/{tenant_id}/release"),
    ("GET", "/v2/tenants/{tenant_id}/runs/{trigger_id}"),
    ("POST", "/v2/tenants/{tenant_id}/run"),
}
PUBLIC = {"/healthz", "/readyz", "/metrics", "/v2/runs/{run_id}/log/content"}


def _spec() -> dict:
    return create_app().openapi()


def _operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_committed_document_is_current():
    committed = json.loads((ROOT / "openapi" / "openapi.json").read_text())
    assert committed == _spec(), "refresh it: pandium-server openapi > openapi/openapi.json"


def test_every_reference_operation_is_served_as_described():
    spec = _spec()
    for expected in REFERENCE["operations"]:
        operation = spec["paths"].get(expected["path"], {}).get(expected["method"].lower())
        assert operation is not None, (expected["method"], expected["path"])
        params = sorted([p["name"], p["in"]] for p in operation.get("parameters", []))
        assert params == expected["parameters"], (expected["path"], params)
        if expected["tags"]:  # where the reference names tags, ours are the same
            assert operation["tags"] == expected["tags"], (expected["path"], operation["tags"])


def test_every_operation_is_documented():
    spec = _spec()
    assert spec["components"]["securitySchemes"]["X-API-KEY"] == {
        "type": "apiKey",
        "description": "An API key made by `pandium-server keys create`.",
        "in": "header",
        "name": "X-API-KEY",
    }
    reference = {(o["method"], o["path"]) for o in REFERENCE["operations"]} | ALSO_REFERENCE
    for method, path, operation in _operations(spec):
        where = f"{method} {path}"
        assert operation.get("summary") and operation.get("description"), where
        assert operation.get("tags"), where
        if (method, path) not in reference:
            assert all(t.endswith("(extension)") for t in operation["tags"]), where
        else:
            assert not any(t.endswith("(extension)") for t in operation["tags"]), where
        if path in PUBLIC:
            continue
        assert {"X-API-KEY": []} in operation.get("security", []), where
        responses = operation["responses"]
        assert "401" in responses, where
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                assert schema, (where, code)
