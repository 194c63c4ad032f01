"""Sync triggers, trigger status, a tenant's runs, and run logs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import PlainTextResponse, RedirectResponse

from pandium_server.auth.dependencies import AccountDep
from pandium_server.db.session import SessionDep
from pandium_server.errors import PandiumError
from pandium_server.kit.openapi import ErrorMessage, errors
from pandium_server.kit.pagination import PageDep
from pandium_server.kit.validation import MAX_ID
from pandium_server.runs import repository, service, signing
from pandium_server.runs.schemas import Run, RunSortableFields, SyncMode, Trigger, TriggerStatus
from pandium_server.tenants.endpoints import TenantId

router = APIRouter(responses=errors(401, 404))

Mode = Annotated[SyncMode, Query(description="must be one of 'init' or 'normal'")]
Payload = Annotated[
    dict[str, Any] | None, Body(description="Fields for the integration (the trigger payload).")
]
TriggerId = Annotated[str, Path(max_length=64, description="Returned by a sync request")]
RunPage = PageDep(RunSortableFields)


class Forbidden(PandiumError):
    status_code = 403


def _debounce(request: Request) -> float:
    return request.app.state.settings.debounce_seconds


@router.post(
    "/v2/tenants/{tenant_id}/run",
    status_code=202,
    response_model=Trigger,
    tags=["Tenants"],
    summary="Run Tenant",
    description="The same as `POST /v2/tenants/{tenant_id}/sync` (the spelling of the "
    "reference's introduction).",
)
@router.post(
    "/v2/tenants/{tenant_id}/sync",
    status_code=202,
    response_model=Trigger,
    tags=["Tenants"],
    summary="Sync By Tenant Id",
)
async def sync_by_tenant_id(
    tenant_id: TenantId,
    mode: Mode,
    request: Request,
    principal: AccountDep,
    session: SessionDep,
    payload: Payload = None,
):
    """Ask for a sync of a tenant; triggers arriving together share one run."""
    trigger_id = await service.sync_tenant(
        session, principal.account_id, tenant_id, mode, payload, debounce_seconds=_debounce(request)
    )
    return Trigger(trigger_id=str(trigger_id))


@router.post(
    "/v2/integrations/{integration_id}/sync",
    status_code=202,
    response_model=Trigger,
    tags=["Integrations"],
    summary="Sync By Integration Id",
)
async def sync_by_integration_id(
    integration_id: Annotated[
        int, Path(ge=1, le=MAX_ID, description="Unique identifier for an integration")
    ],
    mode: Mode,
    user_name: Annotated[
        str, Query(min_length=1, max_length=255, description="The marketplace user id")
    ],
    request: Request,
    principal: AccountDep,
    session: SessionDep,
    payload: Payload = None,
):
    """Ask for a sync of the tenant a marketplace user installed."""
    trigger_id = await service.sync_user(
        session,
        principal.account_id,
        integration_id,
        user_name,
        mode,
        payload,
        debounce_seconds=_debounce(request),
    )
    return Trigger(trigger_id=str(trigger_id))


@router.get(
    "/v2/runs/triggers/{trigger_id}/status",
    response_model=TriggerStatus,
    tags=["Runs"],
    summary="Get Run Status From Trigger",
)
async def get_run_status_from_trigger(
    trigger_id: TriggerId, principal: AccountDep, session: SessionDep
):
    """The phase of the run a trigger belongs to."""
    return TriggerStatus(
        status=await service.trigger_status(session, principal.account_id, trigger_id)
    )


@router.get(
    "/v2/tenants/{tenant_id}/runs",
    response_model=list[Run],
    tags=["Tenants"],
    summary="Get Tenant Runs",
)
async def get_tenant_runs(
    tenant_id: TenantId, page: RunPage, principal: AccountDep, session: SessionDep
):
    """The tenant's runs with their triggers, a page at a time."""
    return await service.runs_page(session, principal.account_id, tenant_id, page)


@router.get(
    "/v2/tenants/{tenant_id}/runs/{trigger_id}",
    response_model=Run,
    tags=["Tenants"],
    summary="Get Run By Trigger Id",
)
async def get_run_by_trigger_id(
    tenant_id: TenantId, trigger_id: TriggerId, principal: AccountDep, session: SessionDep
):
    """The run a trigger of this tenant belongs to."""
    return await service.run_for_trigger(session, principal.account_id, tenant_id, trigger_id)


RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="The ID of the run")]


@router.get(
    "/v2/runs/{run_id}/log",
    status_code=302,
    response_class=RedirectResponse,
    tags=["Runs"],
    summary="Get Run Log",
)
async def get_run_log(run_id: RunId, request: Request, principal: AccountDep, session: SessionDep):
    """Redirect to a signed link to the run's log, valid for 15 minutes."""
    run = await service.get_run(session, principal.account_id, run_id)
    expires, signature = signing.sign(await signing.shared_key(session), run.id)
    url = request.url_for("download_run_log", run_id=run.id).include_query_params(
        expires=expires, signature=signature
    )
    return RedirectResponse(str(url), status_code=302)


@router.get(
    "/v2/runs/{run_id}/log/content",
    response_class=PlainTextResponse,
    tags=["Runs (extension)"],
    summary="Download Run Log",
    responses={403: {"model": ErrorMessage, "description": "The link was altered or expired"}},
    name="download_run_log",
)
async def download_run_log(
    run_id: RunId,
    expires: Annotated[int, Query(ge=0, le=MAX_ID)],
    signature: Annotated[str, Query(max_length=128)],
    session: SessionDep,
):
    """The run's log (stderr) as text; the signed link is the only credential needed."""
    if not signing.verify(await signing.shared_key(session), run_id, expires, signature):
        raise Forbidden("This log link was altered or has expired")
    return PlainTextResponse(await repository.log_of(session, run_id))
