"""`POST /v2/sourcecontrol/build`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pandium_server.auth.dependencies import AccountDep
from pandium_server.builds import service
from pandium_server.builds.schemas import Build, CreateBuild
from pandium_server.db.session import SessionDep
from pandium_server.kit.openapi import errors
from pandium_server.runs.schemas import SyncMode

router = APIRouter(tags=["builds"], responses=errors(401))


@router.post(
    "/v2/sourcecontrol/build", status_code=201, response_model=Build, summary="Create Build V2"
)
async def create_build_v2(
    mode: Annotated[SyncMode, Query(description="must be one of 'init' or 'normal'")],
    body: CreateBuild,
    principal: AccountDep,
    session: SessionDep,
):
    """Build the integration at a tag: the release of that tag is created if it is new."""
    return Build.model_validate(await service.create(session, principal.account_id, mode, body))
