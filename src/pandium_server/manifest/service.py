"""Applying a manifest: create or update by name, report what changed, idempotently."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.errors import InvalidInput
from pandium_server.integrations import service as integrations
from pandium_server.integrations.schemas import IntegrationCreate, IntegrationUpdate
from pandium_server.kit.crypto import Keyring
from pandium_server.manifest.schemas import IntegrationSpec, Manifest, TenantSpec
from pandium_server.releases import repository as release_repo
from pandium_server.releases import service as releases
from pandium_server.releases.schemas import ReleaseUpdate
from pandium_server.tenants import repository as tenant_repo
from pandium_server.tenants import service as tenants
from pandium_server.tenants.schemas import TenantCreate, TenantUpdate

_NOT_INTEGRATION_FIELDS = {"releases", "default_release"}


async def apply_manifest(
    session: AsyncSession, account_id: int, manifest: Manifest, keyring: Keyring | None = None
) -> list[str]:
    """Make the account match ``manifest``; one line per object created or updated."""
    report: list[str] = []
    for spec in manifest.integrations:
        report.extend(await _apply_integration(session, account_id, spec, keyring))
    for tenant_spec in manifest.tenants:
        report.extend(await _apply_tenant(session, account_id, tenant_spec))
    return report


async def _apply_integration(
    session: AsyncSession, account_id: int, spec: IntegrationSpec, keyring: Keyring | None
) -> list[str]:
    fields = spec.model_dump(include=spec.model_fields_set - _NOT_INTEGRATION_FIELDS)
    integration = await integrations.find_by_name(session, account_id, spec.name)
    created = integration is None
    if integration is None:
        create_fields = {k: v for k, v in fields.items() if k != "archived"}
        integration = await integrations.create(
            session, account_id, IntegrationCreate.model_validate(create_fields), keyring
        )
    changed = await integrations.update(
        session, account_id, integration, IntegrationUpdate.model_validate(fields), keyring
    )
    lines: list[str] = []
    for release_spec in spec.releases:
        release = await release_repo.by_name(session, integration.id, release_spec.name)
        if release is None:
            release = await releases.create(session, account_id, integration.id, release_spec)
            lines.append(f"created release {spec.name}/{release.name} (id {release.id})")
        elif await releases.update(
            session, release, ReleaseUpdate.model_validate(release_spec.model_dump())
        ):
            lines.append(f"updated release {spec.name}/{release.name} (id {release.id})")
    if spec.default_release is not None:
        release = await release_repo.by_name(session, integration.id, spec.default_release)
        if release is None:
            raise InvalidInput(
                ["integrations", spec.name, "default_release"],
                f"no release named {spec.default_release!r} in {spec.name}",
            )
        changed |= await integrations.update(
            session, account_id, integration, IntegrationUpdate(default_release_id=release.id)
        )
    if created:
        lines.insert(0, f"created integration {spec.name} (id {integration.id})")
    elif changed:
        lines.insert(0, f"updated integration {spec.name} (id {integration.id})")
    return lines


async def _apply_tenant(session: AsyncSession, account_id: int, spec: TenantSpec) -> list[str]:
    where = ["tenants", spec.name]
    integration = await integrations.find_by_name(session, account_id, spec.integration)
    if integration is None:
        raise InvalidInput([*where, "integration"], f"no integration named {spec.integration!r}")
    fields = {
        k: getattr(spec, k)
        for k in ("configs", "user_schedule", "integration_release_channel", "user_name")
        if k in spec.model_fields_set
    }
    if spec.release is not None:
        release = await release_repo.by_name(session, integration.id, spec.release)
        if release is None:
            raise InvalidInput(
                [*where, "release"], f"no release named {spec.release!r} in {spec.integration}"
            )
        fields["integration_release_id"] = release.id
    label = f"tenant {spec.integration}/{spec.name}"
    tenant = await tenant_repo.live_by_name(session, account_id, integration.id, spec.name)
    if tenant is None:
        create = {"configs": {}, **fields}
        tenant = await tenants.create(
            session,
            account_id,
            TenantCreate(name=spec.name, integration_id=integration.id, **create),
        )
        if spec.paused is not None:
            await tenants.update(session, account_id, tenant, TenantUpdate(paused=spec.paused))
        return [f"created {label} (id {tenant.id})"]
    if spec.paused is not None:
        fields["paused"] = spec.paused
    if "integration_release_id" in fields or "integration_release_channel" in fields:
        fields.setdefault("integration_release_id", None)
        fields.setdefault("integration_release_channel", None)
    if await tenants.update(session, account_id, tenant, TenantUpdate(**fields)):
        return [f"updated {label} (id {tenant.id})"]
    return []
