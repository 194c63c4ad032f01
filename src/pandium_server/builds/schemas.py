"""The reference's `CreateBuild` body and what a build returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from pandium_server.kit.types import DbId, line


class CreateBuild(BaseModel):
    model_config = ConfigDict(extra="forbid")

    build_tag: line(200, min_length=1) = Field(description="The tag to associate with the build")
    integration_id: DbId = Field(description="The ID of the integration to build against")


class Build(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    integration_id: int
    build_tag: str
    mode: str
    status: str
    release_id: int | None
    created_date: datetime
