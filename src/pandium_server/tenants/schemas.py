"""Request and response bodies for tenants, named as the reference names them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from pandium_server.kit.types import DbId, line
from pandium_server.kit.validation import check_no_nul
from pandium_server.tenants import schedule

ReleaseChannel = Literal["Latest", "Default"]
TENANT_NAME_PATTERN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"
TenantName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=63, pattern=TENANT_NAME_PATTERN),
    Field(
        description="Lowercase letters and digits; '-' allowed except first or last; "
        "at most 63 characters."
    ),
]
Cron = Annotated[
    str,
    StringConstraints(max_length=255),
    AfterValidator(schedule.validate),
    Field(description="Five-field cron in UTC (or @hourly, @daily, @weekly, @monthly, @yearly)."),
]
Configs = Annotated[dict[str, Any], AfterValidator(check_no_nul)]
SortableFields = (
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


class ConnectorStatus(BaseModel):
    name: str
    status: str
    last_change: datetime | None = None


class TenantAuthStatus(BaseModel):
    connected: bool = False
    connectors: list[ConnectorStatus] | None = []


class TenantStatus(BaseModel):
    last_run: dict[str, Any] | None = {}
    current_run: dict[str, Any] | None = {}
    last_successful_run: dict[str, Any] | None = {}
    dynamic_configs: dict[str, Any] | None = {}
    auth: TenantAuthStatus | None = TenantAuthStatus()


class Tenant(BaseModel):
    """A tenant as the reference's `Tenant` schema describes it, plus our extensions."""

    id: int
    name: str
    archived: bool | None
    integration_id: int
    configs: dict[str, Any] | None = {}
    created_date: datetime | None
    modified_date: datetime | None
    paused: bool | None = True
    user_schedule: str | None
    schedule: str | None
    source: str | None = "api"
    integration_release_id: int | None
    integration_release_channel: ReleaseChannel | None
    status: TenantStatus | None
    user_name: str | None = Field(
        default=None, description="Extension: the marketplace user id this tenant belongs to."
    )
    next_run_at: datetime | None = Field(
        default=None, description="Extension: when the schedule fires next (UTC)."
    )


class _ReleaseChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    integration_release_id: DbId | None = None
    integration_release_channel: ReleaseChannel | None = None

    @model_validator(mode="after")
    def _one_of_id_or_channel(self):
        if self.integration_release_id is not None and self.integration_release_channel:
            raise ValueError("pass integration_release_id or integration_release_channel, not both")
        return self


class TenantCreate(_ReleaseChoice):
    """Body of `POST /v2/tenants` (the reference's `CreateTenant`)."""

    name: TenantName
    integration_id: DbId
    user_schedule: Cron | None = None
    configs: Configs = Field(default_factory=dict)
    user_name: line(255, min_length=1) | None = Field(
        default=None, description="Extension: the marketplace user id for this tenant."
    )


class TenantUpdate(_ReleaseChoice):
    """Body of `PATCH /v2/tenants/{id}`; absent fields stay as they are."""

    name: TenantName | None = None
    configs: Configs | None = None
    paused: bool | None = None
    archived: bool | None = None
    user_schedule: Cron | None = None
    user_name: line(255, min_length=1) | None = None
