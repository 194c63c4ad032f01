"""Proxy benchmark: the same GET sent directly to a local upstream and through the proxy.

    python bench/proxy.py [--requests 2000] [--concurrency 32]

Starts a throwaway embedded PostgreSQL, `pandium-server serve --no-worker` and a uvicorn
upstream (bench/upstream.py) as separate processes, then prints requests/s, p50 and p99 for
both paths and the proxy/direct ratio (the direct run is the baseline).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANDIUM_")}
    env.update(PANDIUM_DATA_DIR=data_dir, PANDIUM_LOG_LEVEL="WARNING")
    return env


def cli(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pandium_server", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


async def wait_up(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            try:
                await client.get(url)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise TimeoutError(url)


async def load(send, total: int, concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue = iter(range(total))

    async def one_worker():
        for _ in queue:
            started = time.perf_counter()
            response = await send()
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text

    started = time.perf_counter()
    await asyncio.gather(*(one_worker() for _ in range(concurrency)))
    return total / (time.perf_counter() - started), latencies


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    options = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="pandium-bench-proxy-")
    env = env_for(data_dir)
    api_port, upstream_port = free_port(), free_port()
    upstream_url = f"http://127.0.0.1:{upstream_port}"
    api_url = f"http://127.0.0.1:{api_port}"
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "upstream:app",
                "--port",
                str(upstream_port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=HERE,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pandium_server",
                "serve",
                "--no-worker",
                "--port",
                str(api_port),
            ],
            env={**env, "UVICORN_NO_ACCESS_LOG": "1"},
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        cli("accounts", "create", "bench", env=env)
        key = cli("keys", "create", "--account", "bench", env=env).split()[-1]
        await wait_up(upstream_url)
        await wait_up(api_url + "/docs")
        headers = {"X-API-KEY": key}
        async with httpx.AsyncClient(base_url=api_url, headers=headers, timeout=30) as api:
            connector = {
                "name": "up",
                "base_url": upstream_url,
                "auth_type": "bearer",
                "internal": True,
            }
            integration = (
                await api.post(
                    "/v2/integrations",
                    json={
                        "name": "bench",
                        "default_release_channel": "Latest",
                        "connectors": [connector],
                    },
                )
            ).json()
            await api.post(
                f"/v2/integrations/{integration['id']}/releases",
                json={"name": "v1", "run_command": "true"},
            )
            tenant = (
                await api.post(
                    "/v2/tenants", json={"name": "bench", "integration_id": integration["id"]}
                )
            ).json()
            await api.put(
                f"/v2/tenants/{tenant['id']}/connectors/up/credentials",
                json={"access_token": "bench-token"},
            )
            call = f"/v2/tenants/{tenant['id']}/connectors/up/call"
            body = {"method": "GET", "target_url": "/things"}
            limits = httpx.Limits(max_connections=options.concurrency)
            async with httpx.AsyncClient(timeout=30, limits=limits) as direct:
                bearer = {"Authorization": "Bearer bench-token"}
                await load(lambda: direct.get(upstream_url + "/things", headers=bearer), 200, 8)
                direct_rps, direct_lat = await load(
                    lambda: direct.get(upstream_url + "/things", headers=bearer),
                    options.requests,
                    options.concurrency,
                )
            await load(lambda: api.post(call, json=body), 200, 8)  # warm up
            proxy_rps, proxy_lat = await load(
                lambda: api.post(call, json=body), options.requests, options.concurrency
            )
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            proc.wait(timeout=30)

    print(f"{'measure':28} {'proxy':>10} {'direct':>10} {'ratio':>7}")
    for label, value, base in (
        ("requests/s", proxy_rps, direct_rps),
        ("p50 ms", pct(proxy_lat, 50), pct(direct_lat, 50)),
        ("p99 ms", pct(proxy_lat, 99), pct(direct_lat, 99)),
    ):
        print(f"{label:28} {value:10.1f} {base:10.1f} {value / base:7.3f}")


if __name__ == "__main__":
    asyncio.run(main())
