"""Properties of the spread schedule: same cadence, deterministic, and spread out."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from croniter import croniter
from hypothesis import given, settings
from hypothesis import strategies as st

from pandium_server.tenants.schedule import InvalidCron, derive, parse, seed_for

START = datetime(2030, 1, 1, tzinfo=UTC)

minute_fields = st.one_of(
    st.integers(0, 59).map(str),
    st.sampled_from(["*", "*/5", "*/15", "*/20", "0,30", "5-10", "10-50/10", "0,1,2"]),
)
hour_fields = st.one_of(st.integers(0, 23).map(str), st.sampled_from(["*", "*/6", "9-17", "1,13"]))
day_fields = st.sampled_from(["*", "1", "15", "1-7", "*/2"])
month_fields = st.sampled_from(["*", "1", "*/3", "6-8"])
weekday_fields = st.sampled_from(["*", "1", "1-5", "0,6"])
macros = st.sampled_from(["@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly"])
crons = st.one_of(
    st.tuples(minute_fields, hour_fields, day_fields, month_fields, weekday_fields).map(" ".join),
    macros,
)


def _fires(expr: str, count: int) -> list[datetime]:
    it = croniter(expr, START - timedelta(seconds=1))
    return [it.get_next(datetime) for _ in range(count)]


@settings(max_examples=300, deadline=None)
@given(crons, st.integers(min_value=1, max_value=10_000_000))
def test_same_cadence(user_schedule, tenant_id):
    derived = derive(user_schedule, seed_for(tenant_id))
    original, _ = parse(user_schedule)
    want = _fires(original, 60)
    got = _fires(derived, 60)
    # Every fire moves by one constant amount, so the gaps between fires are identical
    # and no fire leaves its day.
    shifts = {g - w for w, g in zip(want, got, strict=True)}
    assert len(shifts) == 1, (user_schedule, derived)
    assert [w.date() for w in want] == [g.date() for g in got]
    if not user_schedule.startswith("@"):
        assert [w.hour for w in want] == [g.hour for g in got]  # explicit hours stay


@settings(max_examples=200, deadline=None)
@given(crons, st.integers(min_value=1, max_value=10_000_000))
def test_deterministic(user_schedule, tenant_id):
    assert derive(user_schedule, seed_for(tenant_id)) == derive(user_schedule, seed_for(tenant_id))


def test_hourly_tenants_are_spread_over_the_hour():
    minutes = Counter(derive("0 * * * *", seed_for(t)).split()[0] for t in range(1, 1001))
    assert len(minutes) >= 50
    assert max(minutes.values()) < 40  # no minute gets a crowd


def test_daily_macro_tenants_are_spread_over_the_day():
    hours = Counter(derive("@daily", seed_for(t)).split()[1] for t in range(1, 1001))
    assert len(hours) == 24


@pytest.mark.parametrize(
    "expr", ["* * * * * *", "0 0 31 2 *", "@secondly", "", "0 0 29 2 *", "@reboot", "1 2 3"]
)
def test_rejected(expr):
    with pytest.raises(InvalidCron):
        parse(expr)
