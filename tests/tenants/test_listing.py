"""Listing 1,000 tenants: every filter, every sort field both ways, paging without gaps."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.helpers import TENANT, assert_matches_reference, setup_integration

SORTABLE = (
    "id",
    "name",
    "archived",
    "integration_id",
    "created_date",
    "modified_date",
    "paused",
    "user_schedule",
    "schedule",
    "source",
    "integration_release_id",
    "integration_release_channel",
    "user_name",
)
COUNT = 1000


@pytest.fixture
async def thousand(alice, maker):
    """1,000 varied tenants in two integrations (a tenth archived), inserted in one go."""
    one, release_one = await setup_integration(alice.client, "one")
    two, _ = await setup_integration(alice.client, "two")
    async with maker() as session:
        await session.execute(
            text(
                """
                INSERT INTO tenant (account_id, integration_id, name, configs, dynamic_configs,
                    paused, archived, source, user_name, user_schedule, schedule,
                    integration_release_id, integration_release_channel,
                    created_date, modified_date)
                SELECT CAST(:account AS bigint),
                    CASE WHEN n % 3 = 0 THEN CAST(:two AS bigint) ELSE CAST(:one AS bigint) END,
                    'tenant-' || lpad(((n * 7919) % 1000)::text, 4, '0'),
                    '{}'::jsonb, '{}'::jsonb,
                    n % 2 = 0, n % 10 = 0,
                    CASE WHEN n % 4 = 0 THEN 'marketplace' ELSE 'api' END,
                    CASE WHEN n % 5 = 0 THEN NULL ELSE 'user-' || (n % 7) END,
                    CASE WHEN n % 6 = 0 THEN NULL ELSE (n % 60) || ' * * * *' END,
                    CASE WHEN n % 6 = 0 THEN NULL ELSE ((n * 13) % 60) || ' * * * *' END,
                    CASE WHEN n % 3 <> 0 AND n % 4 = 1 THEN CAST(:release AS bigint) END,
                    CASE WHEN n % 4 = 2 THEN 'Latest' WHEN n % 4 = 3 THEN 'Default' END,
                    now() - ((n * 37) % 500) * interval '1 minute',
                    now() - ((n * 53) % 400) * interval '1 minute'
                FROM generate_series(1, CAST(:count AS int)) AS n
                """
            ),
            {
                "account": alice.account_id,
                "one": one["id"],
                "two": two["id"],
                "release": release_one["id"],
                "count": COUNT,
            },
        )
        await session.commit()
    return one["id"], two["id"]


async def _all(client, query: str = "") -> list[dict]:
    rows: list[dict] = []
    skip = 0
    while True:
        page = await client.get(f"/v2/tenants?limit=500&skip={skip}{query}")
        assert page.status_code == 200, page.text
        rows += page.json()
        if len(page.json()) < 500:
            return rows
        skip += 500


def _key(field):
    def key(row):
        value = row[field]
        return (value is None, value if value is not None else 0, row["id"])

    return key


def _expected(rows, field, descending):
    present = sorted((r for r in rows if r[field] is not None), key=_key(field))
    missing = sorted((r for r in rows if r[field] is None), key=lambda r: r["id"])
    if descending:
        return [r["id"] for r in reversed(missing)] + [r["id"] for r in reversed(present)]
    return [r["id"] for r in present + missing]


async def test_filters(client, thousand):
    one, two = thousand
    live = await _all(client)
    archived = await _all(client, "&archived=true")
    assert len(live) == 900 and len(archived) == 100
    assert all(not t["archived"] for t in live) and all(t["archived"] for t in archived)
    assert len({t["id"] for t in live + archived}) == COUNT
    for row in live + archived:
        assert_matches_reference(row, TENANT)

    in_two = await _all(client, f"&integration_id={two}")
    assert in_two and all(t["integration_id"] == two for t in in_two)
    assert len(in_two) == sum(1 for t in live if t["integration_id"] == two)

    users = await _all(client, "&user_name=user-3")
    assert users == [t for t in live if t["user_name"] == "user-3"]

    both = await _all(client, f"&user_name=user-3&integration_id={one}&archived=true")
    assert both == [
        t for t in archived if t["user_name"] == "user-3" and t["integration_id"] == one
    ]


async def test_every_sort_field_both_ways(client, thousand):
    rows = await _all(client)
    for field in SORTABLE:
        for direction in ("ASC", "DESC"):
            got = [t["id"] for t in await _all(client, f"&sort_by={field}__{direction}")]
            assert got == _expected(rows, field, direction == "DESC"), (field, direction)


async def test_paging_has_no_gaps_or_repeats(client, thousand):
    for sort in ("", "&sort_by=paused__ASC", "&sort_by=user_name__DESC", "&sort_by=source__ASC"):
        seen: list[int] = []
        for skip in range(0, 900, 70):
            page = await client.get(f"/v2/tenants?limit=70&skip={skip}{sort}")
            seen += [t["id"] for t in page.json()]
        assert len(seen) == 900 and len(set(seen)) == 900, sort
    beyond = await client.get("/v2/tenants?skip=5000")
    assert beyond.status_code == 200 and beyond.json() == []
    default = await client.get("/v2/tenants")
    assert len(default.json()) == 100
