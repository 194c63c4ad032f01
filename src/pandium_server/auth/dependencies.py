"""``AccountDep``: the authenticated principal of a request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from pandium_server.auth.schemas import Principal

api_key_header = APIKeyHeader(
    name="X-API-KEY",
    scheme_name="X-API-KEY",
    auto_error=False,
    description="An API key made by `pandium-server keys create`.",
)
bearer = HTTPBearer(
    scheme_name="Bearer", auto_error=False, description="The same API key, as a bearer token."
)


async def _principal(
    request: Request,
    header_key: Annotated[str | None, Security(api_key_header)],
    bearer_key: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Principal:
    presented = header_key or (bearer_key.credentials if bearer_key else None)
    return await request.app.state.key_verifier.verify(presented)


AccountDep = Annotated[Principal, Depends(_principal)]
