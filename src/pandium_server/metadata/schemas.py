"""Tenant metadata bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class TenantMetadata(BaseModel):
    """The reference's `TenantMetadata`."""

    model_config = ConfigDict(from_attributes=True)

    tenant_id: int
    data: dict[str, Any] | None = {}
    created_date: datetime | None
    modified_date: datetime | None
