"""Rules for integrations: account scoping, labels, connectors, default release."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.errors import Conflict, InvalidInput, NotFound
from pandium_server.integrations import repository
from pandium_server.integrations.schemas import (
    CategoryIn,
    ConnectorIn,
    FlagIn,
    IntegrationCreate,
    IntegrationUpdate,
    TagIn,
)
from pandium_server.kit.changes import assign
from pandium_server.kit.crypto import CryptoError, Keyring
from pandium_server.kit.pagination import Page
from pandium_server.models import Category, Connector, Flag, Integration, Tag
from pandium_server.releases import repository as releases

_SCALARS = (
    "name",
    "long_name",
    "type",
    "repository_url",
    "repository_path",
    "repository_tracking_branch",
    "default_release_channel",
    "archived",
)


async def get(session: AsyncSession, account_id: int, integration_id: int) -> Integration:
    integration = await repository.get(session, account_id, integration_id)
    if integration is None:
        raise NotFound(f"Integration {integration_id} not found")
    return integration


async def ensure_exists(session: AsyncSession, account_id: int, integration_id: int) -> None:
    if not await repository.exists(session, account_id, integration_id):
        raise NotFound(f"Integration {integration_id} not found")


async def list_page(
    session: AsyncSession, account_id: int, archived: bool, page: Page
) -> Sequence[Integration]:
    return await repository.list_page(session, account_id, archived, page)


async def find_by_name(session: AsyncSession, account_id: int, name: str) -> Integration | None:
    return await repository.by_name(session, account_id, name)


async def create(
    session: AsyncSession, account_id: int, data: IntegrationCreate, keyring: Keyring | None = None
) -> Integration:
    if await repository.by_name(session, account_id, data.name) is not None:
        raise Conflict(f"An integration named {data.name!r} already exists")
    integration = Integration(
        account_id=account_id,
        name=data.name,
        long_name=data.long_name or data.name,
        type=data.type,
        archived=False,
        connectors=[],
        categories=[],
        tags=[],
        flag=None,
    )
    await repository.add(session, integration)
    await update(session, account_id, integration, IntegrationUpdate(**_set_fields(data)), keyring)
    return integration


async def update(
    session: AsyncSession,
    account_id: int,
    integration: Integration,
    data: IntegrationUpdate,
    keyring: Keyring | None = None,
) -> bool:
    """Apply the fields present in ``data``; True when anything changed."""
    fields = data.model_fields_set
    changed = False
    if (
        "name" in fields
        and data.name != integration.name
        and (data.name is None or await repository.by_name(session, account_id, data.name))
    ):
        raise InvalidInput(["body", "name"], f"name {data.name!r} is missing or already taken")
    scalars = {k: getattr(data, k) for k in _SCALARS if k in fields}
    for required in ("name", "long_name", "type", "archived"):
        if required in scalars and scalars[required] is None:
            raise InvalidInput(["body", required], f"{required} cannot be null")
    changed |= assign(integration, scalars)
    if "default_release_id" in fields:
        changed |= await _set_default_release(session, integration, data.default_release_id)
    secrets: dict[str, str] = {}
    if "connectors" in fields:
        changed |= _set_connectors(integration, data.connectors or [])
        secrets = {c.name: c.client_secret for c in data.connectors or [] if c.client_secret}
    if "categories" in fields:
        items = [
            c if isinstance(c, CategoryIn) else CategoryIn(name=c) for c in data.categories or []
        ]
        changed |= _replace(
            integration, "categories", await _labels(session, Category, account_id, items)
        )
    if "tags" in fields:
        items = [t if isinstance(t, TagIn) else TagIn(name=t) for t in data.tags or []]
        changed |= _replace(integration, "tags", await _labels(session, Tag, account_id, items))
    if "flag" in fields:
        flag = None
        if data.flag is not None:
            item = data.flag if isinstance(data.flag, FlagIn) else FlagIn(name=data.flag)
            flag = (await _labels(session, Flag, account_id, [item]))[0]
        if integration.flag is not flag:
            integration.flag = flag
            changed = True
    await session.flush()
    if secrets:
        changed |= await _seal_client_secrets(integration, secrets, keyring)
    return changed


async def _seal_client_secrets(
    integration: Integration, secrets: dict[str, str], keyring: Keyring | None
) -> bool:
    from pandium_server.connectors.service import open_client_secret, seal_client_secret

    if keyring is None or not keyring.ready:
        raise InvalidInput(["body", "connectors"], "client_secret needs an encryption key")
    changed = False
    for connector in integration.connectors:
        secret = secrets.get(connector.name)
        if secret is None:
            continue
        try:
            same = open_client_secret(keyring, connector) == secret
        except CryptoError:
            same = False
        if not same:
            seal_client_secret(keyring, connector, secret)
            changed = True
    return changed


def _set_fields(data: IntegrationCreate) -> dict:
    return {k: getattr(data, k) for k in data.model_fields_set if k not in ("name", "type")}


async def _set_default_release(
    session: AsyncSession, integration: Integration, release_id: int | None
) -> bool:
    if release_id is not None and not await releases.exists(session, integration.id, release_id):
        raise InvalidInput(
            ["body", "default_release_id"],
            f"release {release_id} is not a release of integration {integration.id}",
        )
    return assign(integration, {"default_release_id": release_id})


def _set_connectors(integration: Integration, wanted: list[ConnectorIn]) -> bool:
    names = [c.name for c in wanted]
    if len(set(names)) != len(names):
        raise InvalidInput(["body", "connectors"], "connector names must be unique")
    existing = {c.name: c for c in integration.connectors}
    changed = False
    kept: list[Connector] = []
    for spec in wanted:
        values = {
            "is_global": spec.isGlobal,
            "base_url": spec.base_url,
            "auth_type": spec.auth_type,
            "allowed_hosts": spec.allowed_hosts,
            "api_key_header": spec.api_key_header,
            "api_key_query": spec.api_key_query,
            "token_url": spec.token_url,
            "client_id": spec.client_id,
            "internal": spec.internal,
        }
        connector = existing.get(spec.name)
        if connector is None:
            connector = Connector(account_id=integration.account_id, name=spec.name, **values)
            changed = True
        else:
            changed |= assign(connector, values)
        kept.append(connector)
    if [c.name for c in integration.connectors] != names:
        changed = True
    integration.connectors = kept
    return changed


def _replace(integration: Integration, attr: str, rows: list) -> bool:
    if {r.id for r in getattr(integration, attr)} == {r.id for r in rows}:
        return False
    setattr(integration, attr, rows)
    return True


async def _labels(session: AsyncSession, model, account_id: int, items: list) -> list:
    """Rows of ``model`` for ``items``, created or updated by name, in the given order."""
    found = await repository.labels_by_name(session, model, account_id, {i.name for i in items})
    rows = []
    for item in items:
        values = item.model_dump(exclude={"name"}, exclude_unset=True)
        row = found.get(item.name)
        if row is None:
            row = model(account_id=account_id, name=item.name, **values)
            await repository.add(session, row)
            found[item.name] = row
        else:
            assign(row, values)
        if row not in rows:
            rows.append(row)
    return rows
