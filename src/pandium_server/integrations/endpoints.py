"""`/v2/integrations`: the reference's read operations plus management (extension)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from pandium_server.auth.dependencies import AccountDep
from pandium_server.db.session import SessionDep
from pandium_server.integrations import service
from pandium_server.integrations.schemas import (
    Integration,
    IntegrationCreate,
    IntegrationUpdate,
    SortableFields,
)
from pandium_server.kit.openapi import errors
from pandium_server.kit.pagination import PageDep
from pandium_server.kit.validation import MAX_ID

router = APIRouter(prefix="/v2/integrations", responses=errors(401))

IntegrationId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="Unique identifier for an integration")
]
IntegrationPage = PageDep(SortableFields)


@router.get(
    "",
    response_model=list[Integration],
    tags=["Integrations"],
    summary="Get Many Integrations",
    responses=errors(404),
)
async def get_many_integrations(
    principal: AccountDep,
    session: SessionDep,
    page: IntegrationPage,
    archived: Annotated[
        bool | None, Query(description="true lists archived integrations instead of active ones")
    ] = False,
):
    """List the account's integrations, a page at a time."""
    rows = await service.list_page(session, principal.account_id, bool(archived), page)
    return [Integration.model_validate(r) for r in rows]


@router.get(
    "/{integration_id}",
    response_model=Integration,
    tags=["Integrations"],
    summary="Get One Integration",
    responses=errors(404),
)
async def get_one_integration(
    integration_id: IntegrationId, principal: AccountDep, session: SessionDep
):
    """One integration of the account by id."""
    return Integration.model_validate(
        await service.get(session, principal.account_id, integration_id)
    )


@router.post(
    "",
    response_model=Integration,
    status_code=201,
    tags=["Integrations (extension)"],
    summary="Create Integration",
    responses=errors(409),
)
async def create_integration(
    body: IntegrationCreate, request: Request, principal: AccountDep, session: SessionDep
):
    """Create an integration with its connectors (Pandium does this in its web app)."""
    integration = await service.create(
        session, principal.account_id, body, request.app.state.keyring
    )
    return Integration.model_validate(integration)


@router.patch(
    "/{integration_id}",
    response_model=Integration,
    tags=["Integrations (extension)"],
    summary="Update Integration",
    responses=errors(404),
)
async def update_integration(
    integration_id: IntegrationId,
    body: IntegrationUpdate,
    request: Request,
    principal: AccountDep,
    session: SessionDep,
):
    """Change the given fields; `archived: true` archives the integration."""
    integration = await service.get(session, principal.account_id, integration_id)
    await service.update(
        session, principal.account_id, integration, body, request.app.state.keyring
    )
    return Integration.model_validate(integration)
