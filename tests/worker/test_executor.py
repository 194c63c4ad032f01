"""The runtime contract, with real subprocesses."""

from __future__ import annotations

import json
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pandium_server.worker.executor import LastRun, RunContext, execute
from tests.worker.helpers import alive


def _context(tmp_path: Path, script: str, **extra) -> RunContext:
    (tmp_path / "main.py").write_text(textwrap.dedent(script))
    values = dict(
        run_id=1,
        mode="normal",
        run_command=f"{sys.executable} main.py --flag 'two words'",
        working_directory=str(tmp_path),
        integration_id=7,
        integration_name="hubspot-sync",
        tenant_id=9,
        tenant_name="acme",
        configs={"region": "eu", "batch": 5, "nested": {"a": [1, 2]}, "flag": True},
        triggers=[{"mode": "normal", "source": "api", "payload": {"x": 1}}],
    )
    values.update(extra)
    return RunContext(**values)


DUMP_ENV = """
    import json, os, sys
    print("progress line that is not JSON")
    print("to the log", file=sys.stderr)
    print(json.dumps({"env": dict(os.environ), "argv": sys.argv[1:], "cwd": os.getcwd()}))
"""


async def test_environment_contract(tmp_path, monkeypatch):
    monkeypatch.setenv("PANDIUM_DATABASE_URL", "postgresql://secret@db/pandium")
    monkeypatch.setenv("PANDIUM_ENCRYPTION_KEYS", "very-secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "also-secret")
    last = LastRun(
        "2030-01-01T00:00:00+00:00", "2030-01-01T00:01:00+00:00", "Succeeded", '{"n": 1}'
    )
    ctx = _context(tmp_path, DUMP_ENV, last_run=last, last_successful_run=last)
    outcome = await execute(ctx, time_limit=30)
    assert outcome.phase == "Succeeded" and outcome.exit_code == 0
    assert outcome.log == "to the log\n"
    report = json.loads(outcome.std_out)
    env = report["env"]
    assert report["argv"] == ["--flag", "two words"]  # split like a shell, run without one
    assert report["cwd"] == str(tmp_path)
    assert env["PAN_CFG_REGION"] == "eu"
    assert env["PAN_CFG_BATCH"] == "5"
    assert json.loads(env["PAN_CFG_NESTED"]) == {"a": [1, 2]}
    assert env["PAN_CFG_FLAG"] == "true"
    assert env["PAN_CTX_INTEGRATION_ID"] == "7"
    assert env["PAN_CTX_INTEGRATION_NAME"] == "hubspot-sync"
    assert env["PAN_CTX_TENANT_ID"] == "9" and env["PAN_CTX_TENANT_NAME"] == "acme"
    assert env["PAN_CTX_RUN_MODE"] == "normal"
    assert json.loads(env["PAN_CTX_RUN_TRIGGERS"]) == ctx.triggers
    assert env["PAN_CTX_ENV"] == "production"
    for prefix in ("PAN_CTX_LAST_RUN_", "PAN_CTX_LAST_SUCCESSFUL_RUN_"):
        assert env[prefix + "STD_OUT"] == '{"n": 1}'
        assert env[prefix + "PHASE"] == "Succeeded"
        assert env[prefix + "START_TIME"] == last.start_time
        assert env[prefix + "COMPLETION_TIME"] == last.completion_time
    assert not [k for k in env if k.startswith("PANDIUM_")]
    assert "AWS_SECRET_ACCESS_KEY" not in env
    assert not [v for v in env.values() if "secret" in v]


async def test_no_last_run_variables_before_the_first_run(tmp_path):
    outcome = await execute(_context(tmp_path, DUMP_ENV), time_limit=30)
    env = json.loads(outcome.std_out)["env"]
    assert not [k for k in env if k.startswith("PAN_CTX_LAST_")]


async def test_exit_code_3_is_an_integration_issue(tmp_path):
    script = """
        import sys
        print('{"partial": true}')
        print("boom", file=sys.stderr)
        sys.exit(3)
    """
    outcome = await execute(_context(tmp_path, script), time_limit=30)
    assert outcome.phase == "Failed (Integration Issue)" and outcome.exit_code == 3
    assert outcome.log == "boom\n"
    assert json.loads(outcome.std_out) == {"partial": True}


async def test_timeout_kills_the_whole_group(tmp_path):
    script = """
        import os, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        open("pids", "w").write(f"{os.getpid()} {child.pid}")
        print("started", file=sys.stderr, flush=True)
        time.sleep(600)
    """
    started = time.monotonic()
    outcome = await execute(_context(tmp_path, script), time_limit=2)
    assert time.monotonic() - started < 10
    assert outcome.phase == "Failed (Timeout)"
    assert "started" in outcome.log and "time limit" in outcome.log
    for pid in map(int, (tmp_path / "pids").read_text().split()):
        assert not alive(pid)


async def test_leftover_background_processes_are_killed_on_exit(tmp_path):
    script = """
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        open("pids", "w").write(str(child.pid))
    """
    outcome = await execute(_context(tmp_path, script), time_limit=30)
    assert outcome.phase == "Succeeded"
    assert not alive(int((tmp_path / "pids").read_text()))


async def test_output_is_capped_and_the_last_json_value_kept(tmp_path):
    script = """
        import json, sys
        chunk = "x" * 1000
        for _ in range(11_000):
            print(chunk)
            print(chunk, file=sys.stderr)
        print(json.dumps({"done": True, "items": 3}))
    """
    outcome = await execute(_context(tmp_path, script), time_limit=60)
    assert outcome.phase == "Succeeded"
    assert json.loads(outcome.std_out) == {"done": True, "items": 3}
    assert outcome.log.startswith("[... ")  # only the last 10 MiB of 11 MB of stderr
    assert len(outcome.log) < 10.5 * 2**20


@pytest.mark.parametrize(
    "command,needle",
    [(None, "no run_command"), ("", "no run_command"), ("/no/such/program", "Could not start")],
)
async def test_commands_that_cannot_start(tmp_path, command, needle):
    outcome = await execute(_context(tmp_path, "", run_command=command), time_limit=5)
    assert outcome.phase == "Failed (Integration Issue)"
    assert needle in outcome.log


async def test_memory_limit_applies(tmp_path):
    script = """
        blob = bytearray(600 * 1024 * 1024)
        print('{"allocated": true}')
    """
    outcome = await execute(_context(tmp_path, script), time_limit=30, memory_mb=256)
    assert outcome.phase == "Failed (Integration Issue)"
    assert "MemoryError" in outcome.log
