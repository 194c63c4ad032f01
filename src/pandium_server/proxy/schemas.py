"""The proxy's request bodies, named as the reference names them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class _ProxyRequest(BaseModel):
    headers: dict[str, Any] | list[Any] | None = Field(
        default=None, description="An object, or a list of {name, value} pairs."
    )
    method: str = Field(default="GET", max_length=10, description="HTTP method")
    query_params: dict[str, Any] | None = None
    target_url: str = Field(
        default="", max_length=8000, description="Absolute, or relative to the connector's base_url"
    )


class ProxyRestRequestBody(_ProxyRequest):
    body: dict[str, Any] | list[Any] | None = Field(default=None, description="JSON to send")


class ProxyXmlRequestBody(_ProxyRequest):
    data: str | None = Field(default=None, description="The XML to send")


class ProxyResponse(BaseModel):
    data: Any


class ProxyError(BaseModel):
    detail: str
