"""The manifest file: integrations, their connectors and releases, in YAML."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pandium_server.integrations.schemas import IntegrationCreate
from pandium_server.releases.schemas import ReleaseCreate


class IntegrationSpec(IntegrationCreate):
    releases: list[ReleaseCreate] = Field(default_factory=list)
    default_release: str | None = Field(
        default=None, description="Name of the release to make the default."
    )
    archived: bool = False


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    integrations: list[IntegrationSpec] = Field(default_factory=list)
