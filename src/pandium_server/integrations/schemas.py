"""Request and response bodies for integrations, named as the reference names them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from pandium_server.kit.types import DbId, HttpUrl, line, text

IntegrationType = Literal["Internal", "External", "Pandium"]
ReleaseChannel = Literal["Latest", "Default"]
AuthType = Literal["none", "bearer", "api_key", "basic", "oauth2", "wsse"]
HostName = Annotated[
    str, StringConstraints(min_length=1, max_length=253, pattern=r"^[A-Za-z0-9.\-\[\]:]+$")
]
HeaderName = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
]

Text = line(200, min_length=1)
ShortName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
]
ConnectorName = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
]
SortableFields = (
    "id",
    "created_date",
    "modified_date",
    "name",
    "long_name",
    "repository_path",
    "repository_tracking_branch",
    "repository_url",
    "type",
    "default_release_id",
    "default_release_channel",
)


class Connector(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    isGlobal: bool = Field(validation_alias=AliasChoices("isGlobal", "is_global"))
    base_url: str | None = None
    auth_type: AuthType = "none"
    allowed_hosts: list[str] | None = None
    api_key_header: str | None = None
    api_key_query: str | None = None
    token_url: str | None = None
    client_id: str | None = None
    internal: bool = False


class Category(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    id: int
    description: str | None = None
    order_index: float


class Tag(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    id: int
    description: str | None = None


class Flag(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    id: int
    flag_color: str | None = None


class Integration(BaseModel):
    """An integration as the reference's `Integration` schema describes it, plus `archived`."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_date: datetime | None
    modified_date: datetime | None
    name: str
    long_name: str
    connectors: list[Connector] | None
    repository_path: str | None
    repository_tracking_branch: str | None
    repository_url: str | None
    type: IntegrationType
    categories: list[Category] | None = []
    tags: list[Tag] | None = []
    flag: Flag | None
    default_release_id: int | None
    default_release_channel: ReleaseChannel | None
    archived: bool = Field(description="Extension: archived integrations are hidden by default.")


class ConnectorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ConnectorName
    isGlobal: bool = False
    base_url: HttpUrl | None = None
    auth_type: AuthType = "none"
    allowed_hosts: list[HostName] | None = Field(
        default=None, description="Hosts the proxy may call; default: the host of base_url."
    )
    api_key_header: HeaderName | None = Field(
        default=None, description="api_key: send the key in this header..."
    )
    api_key_query: HeaderName | None = Field(
        default=None, description="...or in this query parameter."
    )
    token_url: HttpUrl | None = Field(default=None, description="oauth2: the token endpoint.")
    client_id: line(500) | None = None
    client_secret: line(2000) | None = Field(
        default=None, description="oauth2: stored encrypted, never shown again."
    )
    internal: bool = Field(
        default=False,
        description="Allow private and loopback addresses (self-hosted APIs, tests).",
    )

    @model_validator(mode="after")
    def _auth_settings(self):
        if self.auth_type == "api_key" and bool(self.api_key_header) == bool(self.api_key_query):
            raise ValueError("api_key connectors need api_key_header or api_key_query (one)")
        if self.auth_type == "oauth2" and not self.token_url:
            raise ValueError("oauth2 connectors need a token_url")
        return self


class CategoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text
    description: text(5000) | None = None
    order_index: float = Field(default=0.0, allow_inf_nan=False)


class TagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text
    description: text(5000) | None = None


class FlagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text
    flag_color: line(32) | None = None


class _IntegrationFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    long_name: Text | None = None
    repository_url: HttpUrl | None = None
    repository_path: line(1000) | None = None
    repository_tracking_branch: line(255) | None = None
    categories: list[CategoryIn | Text] | None = None
    tags: list[TagIn | Text] | None = None
    flag: FlagIn | Text | None = None
    default_release_channel: ReleaseChannel | None = None
    connectors: list[ConnectorIn] | None = Field(
        default=None, description="The integration's full connector list; names are unique."
    )


class IntegrationCreate(_IntegrationFields):
    """Body of `POST /v2/integrations`."""

    name: ShortName
    type: IntegrationType = "External"


class IntegrationUpdate(_IntegrationFields):
    """Body of `PATCH /v2/integrations/{id}`; absent fields stay as they are."""

    name: ShortName | None = None
    type: IntegrationType | None = None
    default_release_id: DbId | None = None
    archived: bool | None = None
