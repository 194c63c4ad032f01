"""Request and response bodies for releases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pandium_server.kit.types import JsonSchema, line, text


class IntegrationRelease(BaseModel):
    """A release as the reference's `IntegrationRelease` schema describes it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    repository_tracking_branch: str | None
    run_command: str | None
    tag: str | None
    config_schema: dict[str, Any] | None
    config_version: str
    metadata_schema: dict[str, Any] | None
    created_date: datetime | None
    modified_date: datetime | None
    working_directory: str | None = Field(
        default=None, description="Extension: where the run command starts."
    )


class _ReleaseFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tag: line(200) | None = None
    repository_tracking_branch: line(255) | None = None
    run_command: text(10_000) | None = None
    working_directory: line(1000) | None = None
    config_schema: JsonSchema | None = None
    metadata_schema: JsonSchema | None = None


class ReleaseCreate(_ReleaseFields):
    """Body of `POST /v2/integrations/{id}/releases`."""

    name: line(200, min_length=1)
    config_version: line(100, min_length=1) = "1"


class ReleaseUpdate(_ReleaseFields):
    """Body of `PATCH /v2/integrations/{id}/releases/{release_id}`; absent fields stay."""

    name: line(200, min_length=1) | None = None
    config_version: line(100, min_length=1) | None = None
