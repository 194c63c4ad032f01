"""`/v2/tenants/{id}/metadata`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from pandium_server.auth.dependencies import AccountDep
from pandium_server.db.session import SessionDep
from pandium_server.errors import InvalidInput
from pandium_server.kit.openapi import errors
from pandium_server.kit.validation import check_no_nul
from pandium_server.metadata import service
from pandium_server.metadata.schemas import TenantMetadata
from pandium_server.tenants.endpoints import TenantId

router = APIRouter(
    prefix="/v2/tenants/{tenant_id}/metadata", tags=["Tenant Metadata"], responses=errors(401, 404)
)


@router.get("", response_model=TenantMetadata, summary="Get Metadata")
async def get_metadata(tenant_id: TenantId, principal: AccountDep, session: SessionDep):
    """The tenant's metadata document."""
    return TenantMetadata.model_validate(
        await service.get(session, principal.account_id, tenant_id)
    )


@router.patch("", response_model=TenantMetadata, summary="Patch Metadata")
async def patch_metadata(
    tenant_id: TenantId,
    body: Annotated[
        dict[str, Any],
        Body(description="Top-level keys to set; a null value removes the key."),
    ],
    principal: AccountDep,
    session: SessionDep,
):
    """Merge the given keys into the metadata; the result must fit the release's
    metadata schema, otherwise nothing changes."""
    try:
        check_no_nul(body)
    except ValueError as exc:
        raise InvalidInput(["body"], str(exc)) from None
    row = await service.patch(session, principal.account_id, tenant_id, body)
    return TenantMetadata.model_validate(row)
