"""Bad input on every tenant and metadata route: a 4xx in the reference's shape, and the
database exactly as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.helpers import create_tenant, setup_integration

TABLES = ("tenant", "tenant_metadata", "integration", "release")


async def _snapshot(maker) -> list:
    async with maker() as session:
        rows = []
        for table in TABLES:
            result = await session.execute(text(f"SELECT * FROM {table} ORDER BY 1"))
            rows.append([tuple(r) for r in result])
        return rows


@pytest.fixture
async def world(alice, bob):
    integration, release = await setup_integration(alice.client)
    _, other_release = await setup_integration(alice.client, "other-int")
    archived, _ = await setup_integration(alice.client, "archived-int")
    await alice.client.patch(f"/v2/integrations/{archived['id']}", json={"archived": True})
    empty = (await alice.client.post("/v2/integrations", json={"name": "no-releases"})).json()
    tenant = await create_tenant(alice.client, integration["id"], "taken")
    bobs_integration, _ = await setup_integration(bob.client, "bobs")
    bobs_tenant = await create_tenant(bob.client, bobs_integration["id"], "bobs-tenant")
    return {
        "iid": integration["id"],
        "rid": release["id"],
        "other_rid": other_release["id"],
        "archived_iid": archived["id"],
        "empty_iid": empty["id"],
        "tid": tenant["id"],
        "bob_iid": bobs_integration["id"],
        "bob_tid": bobs_tenant["id"],
    }


def _create(w, **fields):
    body = {"name": "fresh", "integration_id": w["iid"], "configs": {"region": "eu"}}
    body.update(fields)
    return ("POST", "/v2/tenants", body)


CASES = {
    # names
    "name -a": lambda w: _create(w, name="-a"),
    "name a-": lambda w: _create(w, name="a-"),
    "name A": lambda w: _create(w, name="A"),
    "name a_b": lambda w: _create(w, name="a_b"),
    "name a newline": lambda w: _create(w, name="a\n"),
    "name 64 chars": lambda w: _create(w, name="a" * 64),
    "name empty": lambda w: _create(w, name=""),
    "name not a string": lambda w: _create(w, name=12),
    "name taken": lambda w: _create(w, name="taken"),
    # crons
    "cron with seconds": lambda w: _create(w, user_schedule="* * * * * *"),
    "cron 31 February": lambda w: _create(w, user_schedule="0 0 31 2 *"),
    "cron @secondly": lambda w: _create(w, user_schedule="@secondly"),
    "cron empty": lambda w: _create(w, user_schedule=""),
    "cron @reboot": lambda w: _create(w, user_schedule="@reboot"),
    "cron 29 February": lambda w: _create(w, user_schedule="0 0 29 2 *"),
    "cron minute 60": lambda w: _create(w, user_schedule="60 * * * *"),
    # integration and release
    "missing integration": lambda w: _create(w, integration_id=987654),
    "archived integration": lambda w: _create(w, integration_id=w["archived_iid"]),
    "integration without release": lambda w: _create(w, integration_id=w["empty_iid"]),
    "release of another integration": lambda w: _create(w, integration_release_id=w["other_rid"]),
    "release id and channel": lambda w: _create(
        w, integration_release_id=w["rid"], integration_release_channel="Latest"
    ),
    "unknown channel": lambda w: _create(w, integration_release_channel="Newest"),
    # configs
    "configs missing required": lambda w: _create(w, configs={}),
    "configs wrong enum": lambda w: _create(w, configs={"region": "mars"}),
    "configs bad format": lambda w: _create(w, configs={"region": "eu", "contact": "nope"}),
    "configs wrong type": lambda w: _create(w, configs={"region": "eu", "batch": "five"}),
    "configs extra key": lambda w: _create(w, configs={"region": "eu", "surprise": 1}),
    "configs not an object": lambda w: _create(w, configs=["region"]),
    # unknown fields
    "create unknown field": lambda w: _create(w, colour="blue"),
    "create paused field": lambda w: _create(w, paused=False),
    "patch unknown field": lambda w: ("PATCH", f"/v2/tenants/{w['tid']}", {"colour": "blue"}),
    # patches
    "patch bad name": lambda w: ("PATCH", f"/v2/tenants/{w['tid']}", {"name": "Bad"}),
    "patch null paused": lambda w: ("PATCH", f"/v2/tenants/{w['tid']}", {"paused": None}),
    "patch bad cron": lambda w: ("PATCH", f"/v2/tenants/{w['tid']}", {"user_schedule": "x"}),
    "patch configs violate": lambda w: ("PATCH", f"/v2/tenants/{w['tid']}", {"configs": {}}),
    "patch id and channel": lambda w: (
        "PATCH",
        f"/v2/tenants/{w['tid']}",
        {"integration_release_id": w["rid"], "integration_release_channel": "Latest"},
    ),
    "patch foreign release": lambda w: (
        "PATCH",
        f"/v2/tenants/{w['tid']}",
        {"integration_release_id": w["other_rid"]},
    ),
    # metadata
    "metadata violates schema": lambda w: (
        "PATCH",
        f"/v2/tenants/{w['tid']}/metadata",
        {"count": "lots"},
    ),
    "metadata unknown key": lambda w: ("PATCH", f"/v2/tenants/{w['tid']}/metadata", {"zz": 1}),
    "metadata not an object": lambda w: ("PATCH", f"/v2/tenants/{w['tid']}/metadata", [1, 2]),
    "metadata NUL": lambda w: ("PATCH", f"/v2/tenants/{w['tid']}/metadata", {"cursor": "\u0000"}),
    # ids
    "non-integer tenant id": lambda w: ("GET", "/v2/tenants/abc", None),
    "huge tenant id": lambda w: ("GET", "/v2/tenants/99999999999999999999", None),
    "bad list limit": lambda w: ("GET", "/v2/tenants?limit=501", None),
    "bad list sort": lambda w: ("GET", "/v2/tenants?sort_by=configs__ASC", None),
    "bad list integration": lambda w: ("GET", "/v2/tenants?integration_id=abc", None),
    # another account's ids
    "bob's integration": lambda w: _create(w, integration_id=w["bob_iid"]),
    "get bob's tenant": lambda w: ("GET", f"/v2/tenants/{w['bob_tid']}", None),
    "patch bob's tenant": lambda w: ("PATCH", f"/v2/tenants/{w['bob_tid']}", {"paused": False}),
    "delete bob's tenant": lambda w: ("DELETE", f"/v2/tenants/{w['bob_tid']}", None),
    "bob's tenant release": lambda w: ("GET", f"/v2/tenants/{w['bob_tid']}/release", None),
    "bob's metadata": lambda w: ("GET", f"/v2/tenants/{w['bob_tid']}/metadata", None),
    "patch bob's metadata": lambda w: (
        "PATCH",
        f"/v2/tenants/{w['bob_tid']}/metadata",
        {"cursor": "x"},
    ),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_bad_input_is_4xx_in_reference_shape_and_changes_nothing(case, world, alice, maker):
    method, path, body = CASES[case](world)
    before = await _snapshot(maker)
    response = await alice.client.request(method, path, json=body)
    assert 400 <= response.status_code < 500, (case, response.status_code, response.text)
    payload = response.json()
    if response.status_code == 422:
        assert isinstance(payload["detail"], list) and payload["detail"], case
        assert {"loc", "msg", "type"} <= set(payload["detail"][0]), case
    else:
        assert response.status_code == 404 and set(payload) == {"message"}, case
    assert await _snapshot(maker) == before, case


def test_the_table_has_at_least_25_cases():
    assert len(CASES) >= 25
