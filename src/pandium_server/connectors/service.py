"""Connector credentials: validated per auth type, sealed per row, opened only to be used."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.connectors import repository
from pandium_server.connectors.schemas import CREDENTIAL_BODIES, ConnectorStatus
from pandium_server.errors import InvalidInput, NotFound, PandiumError
from pandium_server.integrations import repository as integrations
from pandium_server.kit.crypto import CryptoError, Keyring, Sealed
from pandium_server.models import Connector, Credential, Tenant
from pandium_server.tenants import service as tenants


class NotConfigured(PandiumError):
    status_code = 503


def credential_context(account_id: int, owner: str, connector_id: int) -> str:
    """Associated data: the ciphertext only opens in this row."""
    return f"pandium-credential:v1:{account_id}:{owner}:{connector_id}"


def owner_of(credential: Credential, connector: Connector) -> str:
    if credential.tenant_id is not None:
        return f"tenant:{credential.tenant_id}"
    return f"integration:{connector.integration_id}"


def client_secret_context(connector: Connector) -> str:
    return (
        f"pandium-client-secret:v1:{connector.account_id}:{connector.integration_id}:{connector.id}"
    )


def seal_client_secret(keyring: Keyring, connector: Connector, secret: str) -> None:
    sealed = _seal(keyring, secret.encode(), client_secret_context(connector))
    connector.client_secret = sealed.blob
    connector.client_secret_key_id = sealed.key_id


def open_client_secret(keyring: Keyring, connector: Connector) -> str | None:
    if connector.client_secret is None:
        return None
    sealed = Sealed(connector.client_secret_key_id or "", connector.client_secret)
    return keyring.open(sealed, client_secret_context(connector)).decode()


def open_credential(keyring: Keyring, credential: Credential, connector: Connector) -> dict:
    context = credential_context(
        credential.account_id, owner_of(credential, connector), connector.id
    )
    return json.loads(keyring.open(Sealed(credential.key_id, credential.secret), context))


def seal_fields(
    keyring: Keyring, credential: Credential, connector: Connector, fields: dict[str, Any]
) -> None:
    context = credential_context(
        credential.account_id, owner_of(credential, connector), connector.id
    )
    sealed = _seal(keyring, json.dumps(fields).encode(), context)
    credential.key_id, credential.secret = sealed.key_id, sealed.blob


def _seal(keyring: Keyring, plaintext: bytes, context: str) -> Sealed:
    try:
        return keyring.seal(plaintext, context)
    except CryptoError as exc:
        raise NotConfigured(str(exc)) from None


def _parse(connector: Connector, body: Any) -> dict[str, Any]:
    model = CREDENTIAL_BODIES.get(connector.auth_type)
    if model is None:
        raise InvalidInput(["body"], f"connector {connector.name!r} takes no credentials")
    try:
        parsed = model.model_validate(body)
    except ValidationError as exc:
        raise InvalidInput.many(
            [
                (["body", *e["loc"]], f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                for e in exc.errors()
            ]
        ) from None
    return parsed.model_dump(mode="json", exclude_none=True)


async def _store(
    session: AsyncSession,
    keyring: Keyring,
    connector: Connector,
    tenant_id: int | None,
    body: Any,
) -> ConnectorStatus:
    fields = _parse(connector, body)
    credential = await repository.credential(session, connector.id, tenant_id, for_update=True)
    if credential is None:
        credential = Credential(
            account_id=connector.account_id, connector_id=connector.id, tenant_id=tenant_id
        )
    seal_fields(keyring, credential, connector, fields)
    credential.expires_at = _expiry(fields)
    credential.status = "connected"
    await repository.add(session, credential)
    return ConnectorStatus(
        name=connector.name, status="connected", last_change=credential.modified_date
    )


def _expiry(fields: dict[str, Any]) -> datetime | None:
    value = fields.get("expires_at")
    return datetime.fromisoformat(value) if value else None


async def _tenant_connector(
    session: AsyncSession, account_id: int, tenant_id: int, name: str
) -> tuple[Tenant, Connector]:
    tenant = await tenants.get(session, account_id, tenant_id)
    connector = await repository.by_name(session, tenant.integration_id, name)
    if connector is None:
        raise NotFound(f"Connector {name!r} not found for tenant {tenant_id}")
    return tenant, connector


async def put_tenant_credentials(
    session: AsyncSession, keyring: Keyring, account_id: int, tenant_id: int, name: str, body: Any
) -> ConnectorStatus:
    tenant, connector = await _tenant_connector(session, account_id, tenant_id, name)
    if connector.is_global:
        raise InvalidInput(
            ["path", "connector_name"],
            f"{name!r} is a global connector: set its credentials on the integration",
        )
    return await _store(session, keyring, connector, tenant.id, body)


async def put_global_credentials(
    session: AsyncSession,
    keyring: Keyring,
    account_id: int,
    integration_id: int,
    name: str,
    body: Any,
) -> ConnectorStatus:
    if await integrations.get_row(session, account_id, integration_id) is None:
        raise NotFound(f"Integration {integration_id} not found")
    connector = await repository.by_name(session, integration_id, name)
    if connector is None:
        raise NotFound(f"Connector {name!r} not found for integration {integration_id}")
    if not connector.is_global:
        raise InvalidInput(
            ["path", "connector_name"],
            f"{name!r} is a per-tenant connector: set its credentials on each tenant",
        )
    return await _store(session, keyring, connector, None, body)


async def tenant_statuses(
    session: AsyncSession, account_id: int, tenant_id: int
) -> list[ConnectorStatus]:
    view = await tenants.view(session, await tenants.get(session, account_id, tenant_id))
    return [ConnectorStatus.model_validate(c.model_dump()) for c in view.status.auth.connectors]


async def disconnect(
    session: AsyncSession, account_id: int, tenant_id: int, name: str
) -> ConnectorStatus:
    tenant, connector = await _tenant_connector(session, account_id, tenant_id, name)
    await repository.remove(session, connector.id, tenant.id)
    return ConnectorStatus(name=connector.name, status="disconnected", last_change=None)


async def rotate(session: AsyncSession, keyring: Keyring) -> int:
    """Re-seal every secret with the primary key; the number of secrets re-sealed."""
    credentials, connectors = await repository.all_sealed(session)
    by_id = {c.id: c for c in connectors}
    count = 0
    for credential in credentials:
        connector = by_id.get(credential.connector_id) or await session.get(
            Connector, credential.connector_id
        )
        seal_fields(keyring, credential, connector, open_credential(keyring, credential, connector))
        count += 1
    for connector in connectors:
        seal_client_secret(keyring, connector, open_client_secret(keyring, connector) or "")
        count += 1
    await session.flush()
    return count
