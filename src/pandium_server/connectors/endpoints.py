"""Connector credentials (extension) and the reference's disconnect operation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request

from pandium_server.auth.dependencies import AccountDep
from pandium_server.connectors import service
from pandium_server.connectors.schemas import ConnectorStatus
from pandium_server.db.session import SessionDep
from pandium_server.kit.openapi import errors
from pandium_server.kit.validation import MAX_ID
from pandium_server.tenants.endpoints import TenantId

router = APIRouter(responses=errors(401, 404))

ConnectorName = Annotated[str, Path(max_length=100, description="A connector of the integration")]
CredentialBody = Annotated[
    dict[str, Any],
    Body(
        description="bearer: access_token; api_key: api_key; basic and wsse: username, "
        "password; oauth2: access_token, refresh_token, expires_at."
    ),
]


@router.put(
    "/v2/tenants/{tenant_id}/connectors/{connector_name}/credentials",
    response_model=ConnectorStatus,
    tags=["Tenants (extension)"],
    summary="Set Tenant Connector Credentials",
)
async def put_tenant_credentials(
    tenant_id: TenantId,
    connector_name: ConnectorName,
    body: CredentialBody,
    request: Request,
    principal: AccountDep,
    session: SessionDep,
):
    """Store (replace) the tenant's credentials for a per-tenant connector, encrypted."""
    return await service.put_tenant_credentials(
        session, request.app.state.keyring, principal.account_id, tenant_id, connector_name, body
    )


@router.put(
    "/v2/integrations/{integration_id}/connectors/{connector_name}/credentials",
    response_model=ConnectorStatus,
    tags=["Integrations (extension)"],
    summary="Set Global Connector Credentials",
)
async def put_global_credentials(
    integration_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    connector_name: ConnectorName,
    body: CredentialBody,
    request: Request,
    principal: AccountDep,
    session: SessionDep,
):
    """Store (replace) the credentials every tenant shares for a global connector."""
    return await service.put_global_credentials(
        session,
        request.app.state.keyring,
        principal.account_id,
        integration_id,
        connector_name,
        body,
    )


@router.get(
    "/v2/tenants/{tenant_id}/connectors",
    response_model=list[ConnectorStatus],
    tags=["Tenants (extension)"],
    summary="Get Tenant Connectors",
)
async def get_tenant_connectors(tenant_id: TenantId, principal: AccountDep, session: SessionDep):
    """Each per-tenant connector of the tenant's integration and whether it is connected."""
    return await service.tenant_statuses(session, principal.account_id, tenant_id)


@router.patch(
    "/v2/tenants/{tenant_id}/connectors/{connector_name}/disconnect",
    response_model=ConnectorStatus,
    tags=["Tenants"],
    summary="Disconnect Tenant Connector",
)
async def disconnect_tenant_connector(
    tenant_id: TenantId, connector_name: ConnectorName, principal: AccountDep, session: SessionDep
):
    """Delete the tenant's credentials for the connector."""
    return await service.disconnect(session, principal.account_id, tenant_id, connector_name)
