"""Bodies of the run and trigger operations, named as the reference names them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

SyncMode = Literal["init", "normal"]


class Trigger(BaseModel):
    trigger_id: str


class TriggerStatus(BaseModel):
    status: str


class RunStatus(BaseModel):
    phase: str | None = None
    startTime: str | None = None
    completionTime: str | None = None


class RunTrigger(BaseModel):
    id: int
    created_date: datetime
    mode: str
    source: str
    payload: dict[str, Any] | None = {}
    trigger_id: str = Field(description="Extension: the id returned by the sync request.")


class Run(BaseModel):
    id: int
    mode: str
    status: RunStatus | None
    triggers: list[RunTrigger] | None = []
    started_date: datetime | None = None
    completed_date: datetime | None = None
    tenant_id: int | None = None
    integration_id: int | None = None


RunSortableFields = ("id", "mode", "started_date", "completed_date", "tenant_id", "integration_id")


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def run_summary(row: dict[str, Any]) -> dict[str, Any]:
    """How a run appears in a tenant's status."""
    return {
        "id": row["id"],
        "mode": row["mode"],
        "phase": row["phase"],
        "startTime": iso(row["started_date"]),
        "completionTime": iso(row["completed_date"]),
    }
