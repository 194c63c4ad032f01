"""`/v2/integrations/{id}/releases`: the reference's reads plus management (extension)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from pandium_server.auth.dependencies import AccountDep
from pandium_server.db.session import SessionDep
from pandium_server.kit.openapi import errors
from pandium_server.kit.validation import MAX_ID
from pandium_server.releases import service
from pandium_server.releases.schemas import IntegrationRelease, ReleaseCreate, ReleaseUpdate

router = APIRouter(prefix="/v2/integrations/{integration_id}/releases", responses=errors(401, 404))

IntegrationId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="Unique identifier for an integration")
]
ReleaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="Unique identifier for a release")]


@router.get(
    "",
    response_model=list[IntegrationRelease],
    tags=["Integrations"],
    summary="Get Integration Releases",
)
async def get_integration_releases(
    integration_id: IntegrationId, principal: AccountDep, session: SessionDep
):
    """Every release of the integration, oldest first."""
    rows = await service.list_for(session, principal.account_id, integration_id)
    return [IntegrationRelease.model_validate(r) for r in rows]


# /default and /latest are declared before /{release_id} so they are not read as ids.
@router.get(
    "/default",
    response_model=IntegrationRelease,
    tags=["Integrations"],
    summary="Get Default Integration Release",
)
async def get_default_integration_release(
    integration_id: IntegrationId, principal: AccountDep, session: SessionDep
):
    """The integration's default release: its default release id, else its channel's choice."""
    release = await service.default(session, principal.account_id, integration_id)
    return IntegrationRelease.model_validate(release)


@router.get(
    "/latest",
    response_model=IntegrationRelease,
    tags=["Integrations"],
    summary="Get Latest Release",
)
async def get_latest_release(
    integration_id: IntegrationId, principal: AccountDep, session: SessionDep
):
    """The integration's newest release."""
    release = await service.latest(session, principal.account_id, integration_id)
    return IntegrationRelease.model_validate(release)


@router.get(
    "/{release_id}",
    response_model=IntegrationRelease,
    tags=["Integrations"],
    summary="Get One Integration Release",
)
async def get_one_integration_release(
    integration_id: IntegrationId, release_id: ReleaseId, principal: AccountDep, session: SessionDep
):
    """One release of the integration by id."""
    release = await service.get(session, principal.account_id, integration_id, release_id)
    return IntegrationRelease.model_validate(release)


@router.post(
    "",
    response_model=IntegrationRelease,
    status_code=201,
    tags=["Integrations (extension)"],
    summary="Create Integration Release",
)
async def create_integration_release(
    integration_id: IntegrationId, body: ReleaseCreate, principal: AccountDep, session: SessionDep
):
    """Add a release; its config and metadata schemas must be valid JSON Schema."""
    release = await service.create(session, principal.account_id, integration_id, body)
    return IntegrationRelease.model_validate(release)


@router.patch(
    "/{release_id}",
    response_model=IntegrationRelease,
    tags=["Integrations (extension)"],
    summary="Update Integration Release",
)
async def update_integration_release(
    integration_id: IntegrationId,
    release_id: ReleaseId,
    body: ReleaseUpdate,
    principal: AccountDep,
    session: SessionDep,
):
    """Change the given fields of a release."""
    release = await service.get(session, principal.account_id, integration_id, release_id)
    await service.update(session, release, body)
    return IntegrationRelease.model_validate(release)
