"""The reference's connector proxy: `/call` (REST), `/soap` and `/xml`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from pandium_server.auth.dependencies import AccountDep
from pandium_server.connectors.endpoints import ConnectorName
from pandium_server.db.session import SessionDep
from pandium_server.kit.openapi import errors
from pandium_server.proxy import service
from pandium_server.proxy.schemas import (
    ProxyError,
    ProxyResponse,
    ProxyRestRequestBody,
    ProxyXmlRequestBody,
)
from pandium_server.tenants.endpoints import TenantId

router = APIRouter(
    prefix="/v2/tenants/{tenant_id}/connectors/{connector_name}",
    tags=["Proxy Endpoints"],
    responses={
        **errors(401),
        400: {"model": ProxyError, "description": "Our side refused or could not proceed"},
        404: {"model": ProxyError, "description": "Unknown tenant or connector, or upstream 404"},
        502: {"model": ProxyError, "description": "The upstream could not be reached"},
        504: {"model": ProxyError, "description": "The upstream did not answer in time"},
    },
)


async def _call(request: Request, session, principal, tenant_id, name, body, kind):
    state = request.app.state
    data = await service.call(
        session,
        state.sessionmaker,
        state.keyring,
        state.http,
        principal.account_id,
        tenant_id,
        name,
        body,
        kind,
    )
    return ProxyResponse(data=data)


@router.post("/call", response_model=ProxyResponse, summary="Proxy Connector Call Rest")
async def proxy_connector_call_rest(
    tenant_id: TenantId,
    connector_name: ConnectorName,
    body: ProxyRestRequestBody,
    request: Request,
    principal: AccountDep,
    session: SessionDep,
):
    """Call the connector's API with the tenant's credentials; upstream errors keep their
    status, with the upstream body under `data` in `detail`."""
    return await _call(request, session, principal, tenant_id, connector_name, body, "rest")


@router.post("/soap", response_model=ProxyResponse, summary="Proxy Connector Call Soap")
async def proxy_connector_call_soap(
    tenant_id: TenantId,
    connector_name: ConnectorName,
    body: ProxyXmlRequestBody,
    request: Request,
    principal: AccountDep,
    session: SessionDep,
):
    """Send a SOAP envelope (as `text/xml`); `wsse` connectors get a UsernameToken header."""
    return await _call(request, session, principal, tenant_id, connector_name, body, "soap")


@router.post("/xml", response_model=ProxyResponse, summary="Proxy Connector Call Xml")
async def proxy_connector_call_xml(
    tenant_id: TenantId,
    connector_name: ConnectorName,
    body: ProxyXmlRequestBody,
    request: Request,
    principal: AccountDep,
    session: SessionDep,
):
    """Send an XML document; an XML answer comes back as a plain object."""
    return await _call(request, session, principal, tenant_id, connector_name, body, "xml")
