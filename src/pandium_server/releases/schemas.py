"""Request and response bodies for releases."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from pandium_server.kit.validation import check_json_schema, check_text

JsonSchema = Annotated[dict[str, Any], AfterValidator(check_json_schema)]
Line = Annotated[str, StringConstraints(max_length=255), AfterValidator(check_text)]


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

    tag: Line | None = None
    repository_tracking_branch: Line | None = None
    run_command: Annotated[str, StringConstraints(max_length=10_000)] | None = None
    working_directory: Annotated[str, StringConstraints(max_length=1000)] | None = None
    config_schema: JsonSchema | None = None
    metadata_schema: JsonSchema | None = None


class ReleaseCreate(_ReleaseFields):
    """Body of `POST /v2/integrations/{id}/releases`."""

    name: Annotated[
        str, StringConstraints(min_length=1, max_length=200), AfterValidator(check_text)
    ]
    config_version: Annotated[str, StringConstraints(min_length=1, max_length=100)] = "1"


class ReleaseUpdate(_ReleaseFields):
    """Body of `PATCH /v2/integrations/{id}/releases/{release_id}`; absent fields stay."""

    name: (
        Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(check_text)]
        | None
    ) = None
    config_version: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
