"""`pandium-server serve` with no database configured: the quickstart, end to end."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.cli_helpers import cli_env, run_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postmaster_running(workdir: Path) -> bool:
    pid_file = workdir / ".pandium" / "pgdata" / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().splitlines()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_until(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


class Server:
    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pandium_server", "serve", "--port", str(self.port)],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def get(self, path: str, key: str | None = None) -> int | None:
        try:
            headers = {"X-API-KEY": key} if key else {}
            return httpx.get(self.url + path, headers=headers, timeout=2).status_code
        except httpx.TransportError:
            return None

    def terminate(self) -> bool:
        """SIGTERM; True when the process shut down cleanly (uvicorn re-raises the signal
        after its graceful shutdown, and our handler turns it into a normal exit: 143)."""
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=30)
        return code in (0, 128 + signal.SIGTERM) and "Traceback" not in self.proc.stderr.read()


@pytest.fixture
def workdir(tmp_path: Path):
    servers: list[Server] = []
    yield tmp_path, servers
    for server in servers:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()
    if _postmaster_running(tmp_path):
        pid = int((tmp_path / ".pandium/pgdata/postmaster.pid").read_text().splitlines()[0])
        os.kill(pid, signal.SIGTERM)


def test_quickstart_serves_with_a_new_key_within_20_seconds(workdir):
    path, servers = workdir
    env = cli_env()
    started = time.monotonic()
    server = Server(path, env)
    servers.append(server)
    run_cli("accounts", "create", "acme", env=env, cwd=path)
    key = run_cli("keys", "create", "--account", "acme", env=env, cwd=path).stdout.split()[-1]
    assert _wait_until(lambda: server.get("/v2/integrations", key) == 200, timeout=20)
    elapsed = time.monotonic() - started
    assert elapsed < 20, elapsed
    assert server.get("/v2/integrations") == 401
    assert (path / ".pandium" / "pgdata" / "PG_VERSION").exists()

    # SIGTERM is a clean exit, and the last user of the embedded server stops it.
    assert server.terminate()
    assert _wait_until(lambda: not _postmaster_running(path), timeout=10)


def test_two_servers_share_one_embedded_postgres_and_survive_a_kill(workdir):
    path, servers = workdir
    env = cli_env()
    first, second = Server(path, env), Server(path, env)
    servers += [first, second]
    assert _wait_until(lambda: first.get("/v2/integrations") == 401, timeout=20)
    assert _wait_until(lambda: second.get("/v2/integrations") == 401, timeout=20)

    # A process killed with SIGKILL leaves its pid behind; the server must keep running
    # for the other process and still be stopped when that one exits.
    first.proc.kill()
    first.proc.wait()
    assert second.get("/v2/integrations") == 401
    third = Server(path, env)  # prunes the dead pid on start
    servers.append(third)
    assert _wait_until(lambda: third.get("/v2/integrations") == 401, timeout=20)
    assert second.terminate()
    assert third.get("/v2/integrations") == 401  # still served: one user remains
    assert third.terminate()
    assert _wait_until(lambda: not _postmaster_running(path), timeout=10)
