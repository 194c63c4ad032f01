"""Rules for releases: always reached through an integration of the caller's account."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.errors import InvalidInput, NotFound
from pandium_server.integrations import service as integrations
from pandium_server.kit.changes import assign
from pandium_server.models import Integration, Release
from pandium_server.releases import repository
from pandium_server.releases.schemas import ReleaseCreate, ReleaseUpdate


async def list_for(
    session: AsyncSession, account_id: int, integration_id: int
) -> Sequence[Release]:
    await integrations.ensure_exists(session, account_id, integration_id)
    return await repository.list_for(session, integration_id)


async def get(
    session: AsyncSession, account_id: int, integration_id: int, release_id: int
) -> Release:
    await integrations.ensure_exists(session, account_id, integration_id)
    release = await repository.get(session, integration_id, release_id)
    if release is None:
        raise NotFound(f"Release {release_id} not found for integration {integration_id}")
    return release


async def latest(session: AsyncSession, account_id: int, integration_id: int) -> Release:
    await integrations.ensure_exists(session, account_id, integration_id)
    release = await repository.latest(session, integration_id)
    if release is None:
        raise NotFound(f"Integration {integration_id} has no releases")
    return release


async def default(session: AsyncSession, account_id: int, integration_id: int) -> Release:
    """The default release id when set, else what ``default_release_channel`` selects."""
    integration = await integrations.get(session, account_id, integration_id)
    release = await resolve_default(session, integration)
    if release is None:
        raise NotFound(f"Integration {integration_id} has no default release")
    return release


async def resolve_default(session: AsyncSession, integration: Integration) -> Release | None:
    if integration.default_release_id is not None:
        return await repository.get(session, integration.id, integration.default_release_id)
    if integration.default_release_channel == "Latest":
        return await repository.latest(session, integration.id)
    return None


async def create(
    session: AsyncSession, account_id: int, integration_id: int, data: ReleaseCreate
) -> Release:
    await integrations.ensure_exists(session, account_id, integration_id)
    if await repository.by_name(session, integration_id, data.name) is not None:
        raise InvalidInput(["body", "name"], f"a release named {data.name!r} already exists")
    release = Release(account_id=account_id, integration_id=integration_id, **data.model_dump())
    await repository.add(session, release)
    return release


async def update(session: AsyncSession, release: Release, data: ReleaseUpdate) -> bool:
    """Apply the fields present in ``data``; True when anything changed."""
    values = {k: getattr(data, k) for k in data.model_fields_set}
    for required in ("name", "config_version"):
        if required in values and values[required] is None:
            raise InvalidInput(["body", required], f"{required} cannot be null")
    if (
        "name" in values
        and values["name"] != release.name
        and await repository.by_name(session, release.integration_id, values["name"])
    ):
        raise InvalidInput(["body", "name"], f"a release named {values['name']!r} already exists")
    changed = assign(release, values)
    await session.flush()
    return changed


async def resolve_for_tenant(
    session: AsyncSession, integration: Integration, release_id: int | None, channel: str | None
) -> Release | None:
    """The release a tenant runs: its pinned id, else its channel, else the default."""
    if release_id is not None:
        return await repository.get(session, integration.id, release_id)
    if channel == "Latest":
        return await repository.latest(session, integration.id)
    return await resolve_default(session, integration)
