"""Integrations with real code, and waiting on the database."""

from __future__ import annotations

import asyncio
import sys
import textwrap
import time
from pathlib import Path

import psutil
from sqlalchemy import text

from tests.helpers import create_integration, create_release


async def code_integration(client, tmp_path: Path, script: str, name: str = "coded") -> dict:
    """An integration whose release runs ``script`` with this Python."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "main.py").write_text(textwrap.dedent(script))
    integration = await create_integration(client, name, default_release_channel="Latest")
    await create_release(
        client,
        integration["id"],
        run_command=f"{sys.executable} main.py",
        working_directory=str(folder),
        config_schema={"type": "object"},
    )
    return integration


async def make_tenant(client, integration_id: int, name: str, **extra) -> dict:
    body = {"name": name, "integration_id": integration_id, "configs": {}, **extra}
    response = await client.post("/v2/tenants", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def sync(client, tenant_id: int, mode: str = "normal", payload=None) -> str:
    response = await client.post(f"/v2/tenants/{tenant_id}/sync?mode={mode}", json=payload)
    assert response.status_code == 202, response.text
    return response.json()["trigger_id"]


async def wait_for(check, timeout: float, interval: float = 0.05):
    """Poll async ``check`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)


async def scalar(maker, sql: str, **params):
    async with maker() as session:
        return (await session.execute(text(sql), params)).scalar()


async def rows(maker, sql: str, **params) -> list:
    async with maker() as session:
        return list((await session.execute(text(sql), params)).mappings())


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs 5 s from now (a zombie counts as dead)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return False
        except psutil.NoSuchProcess:
            return False
        time.sleep(0.05)
    return True
