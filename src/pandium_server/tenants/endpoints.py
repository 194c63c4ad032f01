"""`/v2/tenants`: the reference's tenant operations (with GET one from the variant spec)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from pandium_server.auth.dependencies import AccountDep
from pandium_server.db.session import SessionDep
from pandium_server.kit.openapi import errors
from pandium_server.kit.pagination import PageDep
from pandium_server.kit.validation import MAX_ID
from pandium_server.releases.schemas import IntegrationRelease
from pandium_server.tenants import service
from pandium_server.tenants.schemas import SortableFields, Tenant, TenantCreate, TenantUpdate

router = APIRouter(prefix="/v2/tenants", tags=["Tenants"], responses=errors(401))

TenantId = Annotated[int, Path(ge=1, le=MAX_ID, description="Unique identifier for a tenant")]
TenantPage = PageDep(SortableFields)


@router.get("", response_model=list[Tenant], summary="Get Many Tenants", responses=errors(404))
async def get_many_tenants(
    principal: AccountDep,
    session: SessionDep,
    page: TenantPage,
    integration_id: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="Only this integration's tenants (0: all).")
    ] = 0,
    user_name: Annotated[
        str | None, Query(max_length=255, description="Only the tenants of this marketplace user.")
    ] = "",
    archived: Annotated[
        bool | None, Query(description="true lists archived tenants instead of active ones")
    ] = False,
):
    """List the account's tenants, a page at a time."""
    rows = await service.list_page(
        session,
        principal.account_id,
        archived=bool(archived),
        integration_id=integration_id or None,
        user_name=user_name or None,
        page=page,
    )
    return await service.views(session, rows)


@router.post("", response_model=Tenant, summary="Create One")
async def create_one(body: TenantCreate, principal: AccountDep, session: SessionDep):
    """Create a paused, unconnected tenant; missing schedule or release use the defaults."""
    tenant = await service.create(session, principal.account_id, body)
    return await service.view(session, tenant)


@router.get("/{tenant_id}", response_model=Tenant, summary="Get One Tenant", responses=errors(404))
async def get_one_tenant(tenant_id: TenantId, principal: AccountDep, session: SessionDep):
    """One tenant by id, archived or not."""
    return await service.view(session, await service.get(session, principal.account_id, tenant_id))


@router.patch("/{tenant_id}", response_model=Tenant, summary="Update Tenant", responses=errors(404))
async def update_tenant(
    tenant_id: TenantId, body: TenantUpdate, principal: AccountDep, session: SessionDep
):
    """Change configs, schedule, pause state, name or release; configs are checked against
    the release the tenant will run and its dynamic configs."""
    tenant = await service.get(session, principal.account_id, tenant_id, for_update=True)
    await service.update(session, principal.account_id, tenant, body)
    return await service.view(session, tenant)


@router.delete(
    "/{tenant_id}", response_model=Tenant, summary="Delete Tenant", responses=errors(404)
)
async def delete_tenant(tenant_id: TenantId, principal: AccountDep, session: SessionDep):
    """Archive the tenant (it is also paused); it leaves the default list and takes no syncs."""
    tenant = await service.get(session, principal.account_id, tenant_id, for_update=True)
    await service.archive(session, tenant)
    return await service.view(session, tenant)


@router.get(
    "/{tenant_id}/release",
    response_model=IntegrationRelease,
    summary="Get Tenant Release",
    responses=errors(404),
)
async def get_tenant_release(tenant_id: TenantId, principal: AccountDep, session: SessionDep):
    """The release the tenant runs now, its config schema showing the dynamic options."""
    release = await service.current_release(session, principal.account_id, tenant_id)
    return IntegrationRelease.model_validate(release)
