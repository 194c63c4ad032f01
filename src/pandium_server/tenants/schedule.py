"""Cron rules for ``user_schedule`` and the spread ``schedule`` derived from it.

Thousands of tenants asking for ``0 * * * *`` should not all start at :00. Each tenant's
``schedule`` is its ``user_schedule`` translated by a per-tenant offset:

* the minute values move together by the same number of minutes, chosen so that none wraps
  past :59 — every fire moves by the same amount within its hour, so the cadence (the
  gaps between fires, fires per hour and per day) is exactly what the user asked for;
* a macro (``@daily``, ``@weekly``, ``@monthly``, ``@yearly``) names no hour, so its hour is
  also chosen per tenant (0 to 23); an explicit hour is the user's choice and stays.

The offset comes from SHA-256 of the tenant id, so it is the same on every restart and
every machine. All schedules are in UTC.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from croniter import croniter
from croniter.croniter import CroniterBadDateError

MACROS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
# Eight consecutive years cover the leap-year cycle, so "29 February" is caught too.
_CHECK_YEARS = range(2024, 2032)


class InvalidCron(ValueError):
    """A ``user_schedule`` we do not accept; the message says why."""


def parse(user_schedule: str) -> tuple[str, bool]:
    """The five-field form of ``user_schedule`` and whether it was a macro."""
    expr = user_schedule.strip()
    if not expr:
        raise InvalidCron("must be a cron expression, e.g. '0 * * * *'")
    if expr.startswith("@"):
        if expr.lower() not in MACROS:
            raise InvalidCron(f"unsupported macro {expr!r}; use one of {', '.join(MACROS)}")
        return MACROS[expr.lower()], True
    fields = expr.split()
    if len(fields) != 5:
        raise InvalidCron(f"must have 5 fields (minute hour day month weekday), not {len(fields)}")
    if not croniter.is_valid(expr):
        raise InvalidCron(f"{expr!r} is not a valid cron expression")
    for year in _CHECK_YEARS:
        start = datetime(year, 1, 1, tzinfo=UTC) - timedelta(seconds=1)
        try:
            fire = croniter(expr, start, max_years_between_matches=1).get_next(datetime)
        except CroniterBadDateError:
            fire = None
        if fire is None or fire.year != year:
            raise InvalidCron(f"{expr!r} must fire at least once every year")
    return " ".join(fields), False


def validate(user_schedule: str) -> str:
    """``user_schedule`` unchanged when acceptable; raises ``InvalidCron`` otherwise."""
    parse(user_schedule)
    return user_schedule


def seed_for(tenant_id: int) -> int:
    """A stable pseudo-random number for the tenant."""
    digest = hashlib.sha256(f"pandium-tenant-schedule:{tenant_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def derive(user_schedule: str, seed: int) -> str:
    """The tenant's spread schedule for ``user_schedule`` (see the module docstring)."""
    expr, from_macro = parse(user_schedule)
    fields = expr.split()
    minutes = croniter(expr).expanded[0]
    if minutes != ["*"] and len(minutes) < 60:
        low, high = min(minutes), max(minutes)
        offset = seed % (60 - (high - low))
        fields[0] = ",".join(str(m - low + offset) for m in sorted(minutes))
    if from_macro and fields[1] != "*":
        fields[1] = str((seed // 60) % 24)
    return " ".join(fields)


def next_fire(schedule: str, after: datetime) -> datetime:
    """The first time ``schedule`` fires strictly after ``after``."""
    return croniter(schedule, after).get_next(datetime)
