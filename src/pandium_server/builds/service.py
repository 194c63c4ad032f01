"""Builds: pandium-server runs code from a working directory, so a build records the tag
and makes (or reuses) the release of that tag, carrying over the newest release's command,
working directory and schemas."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.builds.schemas import CreateBuild
from pandium_server.errors import InvalidInput
from pandium_server.integrations import repository as integrations
from pandium_server.models import Build, Release
from pandium_server.releases import repository as releases


async def create(session: AsyncSession, account_id: int, mode: str, data: CreateBuild) -> Build:
    integration = await integrations.get_row(session, account_id, data.integration_id)
    if integration is None or integration.archived:
        raise InvalidInput(
            ["body", "integration_id"], f"integration {data.integration_id} is not available"
        )
    release = await releases.by_name(session, integration.id, data.build_tag)
    if release is None:
        template = await releases.latest(session, integration.id)
        release = Release(
            account_id=account_id,
            integration_id=integration.id,
            name=data.build_tag,
            tag=data.build_tag,
            run_command=template.run_command if template else None,
            working_directory=template.working_directory if template else None,
            config_schema=template.config_schema if template else None,
            metadata_schema=template.metadata_schema if template else None,
            config_version=template.config_version if template else "1",
            repository_tracking_branch=integration.repository_tracking_branch,
        )
        await releases.add(session, release)
    build = Build(
        account_id=account_id,
        integration_id=integration.id,
        build_tag=data.build_tag,
        mode=mode,
        status="Succeeded",
        release_id=release.id,
    )
    session.add(build)
    await session.flush()
    return build
