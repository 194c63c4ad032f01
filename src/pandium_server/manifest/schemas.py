"""The manifest file: integrations, their connectors and releases, in YAML."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pandium_server.integrations.schemas import IntegrationCreate
from pandium_server.kit.types import line
from pandium_server.releases.schemas import ReleaseCreate
from pandium_server.tenants.schemas import Configs, Cron, ReleaseChannel, TenantName


class IntegrationSpec(IntegrationCreate):
    releases: list[ReleaseCreate] = Field(default_factory=list)
    default_release: str | None = Field(
        default=None, description="Name of the release to make the default."
    )
    archived: bool = False


class TenantSpec(BaseModel):
    """A tenant, found by (integration, name) among the live ones."""

    model_config = ConfigDict(extra="forbid")

    name: TenantName
    integration: str = Field(description="Name of the tenant's integration.")
    configs: Configs | None = None
    user_schedule: Cron | None = None
    release: line(200, min_length=1) | None = Field(
        default=None, description="Name of a release to pin the tenant to."
    )
    integration_release_channel: ReleaseChannel | None = None
    paused: bool | None = None
    user_name: line(255, min_length=1) | None = None


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    integrations: list[IntegrationSpec] = Field(default_factory=list)
    tenants: list[TenantSpec] = Field(default_factory=list)
