"""The SSRF guard: blocked addresses are refused before any connection is made."""

from __future__ import annotations

import pytest

from pandium_server.proxy.guard import is_public
from tests.helpers import create_integration, create_release, create_tenant

BLOCKED = [
    "127.0.0.1",
    "0.0.0.0",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "169.254.169.254",
    "10.0.0.1",
    "100.64.0.1",
    "[fd00::1]",
    "localhost",
    "private.test",
    "public-and-private.test",
]


@pytest.mark.parametrize(
    "address,public",
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("0.0.0.0", False),
        ("::", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:93.184.216.34", False),  # mapped forms are refused outright
        ("64:ff9b::a00:1", False),  # NAT64
        ("2002:a00:1::", False),  # 6to4
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
        ("169.254.169.254", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("fd00::1", False),
        ("fe80::1", False),
        ("ff02::1", False),
    ],
)
def test_public_addresses(address, public):
    assert is_public(address) is public


@pytest.fixture
async def guarded(client, upstream):
    hosts = [h.strip("[]") for h in BLOCKED] + ["127.0.0.1"]
    connectors = [
        {
            "name": "outside",
            "base_url": "https://public.test",
            "auth_type": "bearer",
            "allowed_hosts": [*hosts, "public.test"],
        }
    ]
    integration = await create_integration(
        client, "guarded", connectors=connectors, default_release_channel="Latest"
    )
    await create_release(client, integration["id"], config_schema={"type": "object"})
    tenant = await create_tenant(client, integration["id"], configs={})
    await client.put(
        f"/v2/tenants/{tenant['id']}/connectors/outside/credentials",
        json={"access_token": "must-not-leak"},
    )
    return tenant


@pytest.mark.parametrize("host", BLOCKED)
async def test_blocked_addresses_are_400_and_nothing_connects(client, guarded, upstream, host):
    response = await client.post(
        f"/v2/tenants/{guarded['id']}/connectors/outside/call",
        json={"method": "GET", "target_url": f"http://{host}:{upstream.port}/echo"},
    )
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"detail"}
    assert "must-not-leak" not in response.text
    assert upstream.hits == []  # the local upstream never saw a connection


async def test_hosts_off_the_allow_list_are_refused(client, guarded, upstream):
    for target in ("http://example.org/x", "http://user:pw@public.test/x", "file:///etc/passwd"):
        response = await client.post(
            f"/v2/tenants/{guarded['id']}/connectors/outside/call",
            json={"method": "GET", "target_url": target},
        )
        assert response.status_code == 400, (target, response.text)
