"""API keys: format, storage, headers, rejection, revocation and the verification cache."""

from __future__ import annotations

import math
import time

from sqlalchemy import text

from pandium_server.auth import service as auth
from pandium_server.auth.keys import generate_key
from pandium_server.db.session import session_scope
from tests.helpers import poll


def test_keys_have_the_documented_format_and_at_least_160_bits():
    keys = {generate_key().plaintext for _ in range(200)}
    assert len(keys) == 200
    for key in keys:
        assert key.startswith("pdm_") and len(key) == 36
    # 32 characters drawn uniformly from 62 symbols
    assert 32 * math.log2(62) >= 160


async def test_only_hash_prefix_and_last4_are_stored(alice, maker):
    async with maker() as session:
        row = (
            await session.execute(
                text("SELECT prefix, key_hash, last4 FROM api_key WHERE account_id = :a"),
                {"a": alice.account_id},
            )
        ).one()
        dump = (await session.execute(text("SELECT row_to_json(api_key)::text FROM api_key"))).all()
    assert row.prefix == alice.key[:12] and row.last4 == alice.key[-4:]
    assert len(row.key_hash) == 64
    assert all(alice.key not in line[0] for line in dump)


async def test_missing_key_is_401_with_message(anon):
    response = await anon.get("/v2/integrations")
    assert response.status_code == 401
    assert set(response.json()) == {"message"}


async def test_unknown_and_malformed_keys_are_401(anon, alice):
    forged = alice.key[:12] + "x" * (len(alice.key) - 12)
    for key in (forged, "pdm_short", "nonsense", alice.key + "a", ""):
        response = await anon.get("/v2/integrations", headers={"X-API-KEY": key})
        assert response.status_code == 401, key
        assert "message" in response.json()


async def test_key_accepted_in_any_header_case_and_as_bearer(anon, alice):
    for headers in (
        {"X-API-KEY": alice.key},
        {"x-api-key": alice.key},
        {"X-Api-Key": alice.key},
        {"Authorization": f"Bearer {alice.key}"},
        {"authorization": f"bearer {alice.key}"},
    ):
        response = await anon.get("/v2/integrations", headers=headers)
        assert response.status_code == 200, headers


async def test_steady_state_requests_do_not_query_the_key_table(client, statements):
    assert (await client.get("/v2/integrations")).status_code == 200
    statements.clear()
    for _ in range(5):
        assert (await client.get("/v2/integrations")).status_code == 200
    assert not [s for s in statements if "api_key" in s]
    assert statements  # the requests themselves did reach the database


async def test_revoked_key_is_refused_within_five_seconds(alice, maker):
    assert (await alice.client.get("/v2/integrations")).status_code == 200  # now cached
    async with session_scope(maker) as session:
        await auth.revoke_key(session, alice.key[:12])
    revoked_at = time.monotonic()

    async def refused():
        return (await alice.client.get("/v2/integrations")).status_code == 401

    assert await poll(refused, timeout=5.0)
    assert time.monotonic() - revoked_at < 5.0
