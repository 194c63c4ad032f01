"""Credential bodies (one shape per auth type) and connector statuses."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from pandium_server.kit.types import line


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BearerCredentials(_Body):
    access_token: line(8000, min_length=1)


class ApiKeyCredentials(_Body):
    api_key: line(8000, min_length=1)


class BasicCredentials(_Body):
    username: line(1000, min_length=1)
    password: line(8000, min_length=1)


class OAuth2Credentials(_Body):
    access_token: line(8000, min_length=1)
    refresh_token: line(8000, min_length=1) | None = None
    expires_at: datetime | None = Field(
        default=None, description="When the access token expires (with a time zone)."
    )


CREDENTIAL_BODIES: dict[str, type[_Body]] = {
    "bearer": BearerCredentials,
    "api_key": ApiKeyCredentials,
    "basic": BasicCredentials,
    "wsse": BasicCredentials,
    "oauth2": OAuth2Credentials,
}


class ConnectorStatus(BaseModel):
    name: str
    status: str = Field(description="connected, disconnected or refresh_failed")
    last_change: datetime | None = None
