"""Running a release's code: the Pandium runtime contract.

The command runs without a shell in its own process group, with a minimal environment
(nothing of ours: no database URL, no keys), resource limits and a wall-clock timeout that
kills the whole group. ``PAN_CFG_*`` carry the tenant's configs, ``PAN_SEC_*`` its
credentials and ``PAN_CTX_*`` the run's context. The last JSON value on stdout becomes the
run's ``std_out``; stderr is the run's log.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import re
import resource
import shlex
import shutil
import signal
import tempfile
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

STDOUT_CAP = 1 << 20  # 1 MiB
STDERR_CAP = 10 << 20  # 10 MiB
# Only these of the worker's own variables reach integration code.
INHERITED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SSL_CERT_FILE", "SSL_CERT_DIR")
_PR_SET_PDEATHSIG = 1
_NOTHING = object()


@dataclass
class LastRun:
    start_time: str | None
    completion_time: str | None
    phase: str
    std_out: str | None


@dataclass
class RunContext:
    run_id: int
    mode: str  # init | normal | webhook
    run_command: str | None
    working_directory: str | None
    integration_id: int
    integration_name: str
    tenant_id: int
    tenant_name: str
    configs: dict[str, Any]
    triggers: list[dict[str, Any]]
    env_name: str = "production"
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    last_run: LastRun | None = None
    last_successful_run: LastRun | None = None


@dataclass
class Outcome:
    phase: str
    exit_code: int | None
    std_out: str | None  # JSON text of the last JSON value printed, if any
    log: str
    output: Any = None  # that value, decoded

    @property
    def dynamic_configs(self) -> dict[str, Any] | None:
        return self.output if isinstance(self.output, dict) else None


def _env_name(key: str) -> str:
    return re.sub(r"[^A-Z0-9_]", "_", key.upper())


def _env_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def build_env(ctx: RunContext, home: str, parent: dict[str, str] | None = None) -> dict[str, str]:
    """The child's whole environment."""
    parent = os.environ if parent is None else parent
    env = {k: parent[k] for k in INHERITED if k in parent}
    env.update(HOME=home, TMPDIR=home, PYTHONUNBUFFERED="1")
    for key, value in ctx.configs.items():
        env[f"PAN_CFG_{_env_name(key)}"] = _env_value(value)
    for connector, fields in ctx.secrets.items():
        for name, value in fields.items():
            env[f"PAN_SEC_{_env_name(connector)}_{_env_name(name)}"] = value
    env.update(
        PAN_CTX_INTEGRATION_ID=str(ctx.integration_id),
        PAN_CTX_INTEGRATION_NAME=ctx.integration_name,
        PAN_CTX_TENANT_ID=str(ctx.tenant_id),
        PAN_CTX_TENANT_NAME=ctx.tenant_name,
        PAN_CTX_RUN_MODE=ctx.mode,
        PAN_CTX_RUN_TRIGGERS=json.dumps(ctx.triggers),
        PAN_CTX_ENV=ctx.env_name,
    )
    for prefix, last in (
        ("LAST_RUN", ctx.last_run),
        ("LAST_SUCCESSFUL_RUN", ctx.last_successful_run),
    ):
        if last is None:
            continue
        for suffix, value in (
            ("START_TIME", last.start_time),
            ("COMPLETION_TIME", last.completion_time),
            ("PHASE", last.phase),
            ("STD_OUT", last.std_out),
        ):
            if value is not None:
                env[f"PAN_CTX_{prefix}_{suffix}"] = value
    return env


def last_json_value(text: str) -> Any:
    """The last JSON value in ``text`` (the whole text, else the last line that parses)."""
    stripped = text.strip()
    if not stripped:
        return _NOTHING
    with contextlib.suppress(ValueError):
        return json.loads(stripped)
    for line in reversed(stripped.splitlines()):
        with contextlib.suppress(ValueError):
            return json.loads(line)
    return _NOTHING


def _limits(memory_bytes: int):
    libc = ctypes.CDLL(None, use_errno=True)  # loaded before fork

    def apply() -> None:  # runs in the child between fork and exec: keep it minimal
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # die with the worker
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))
        resource.setrlimit(resource.RLIMIT_NPROC, (512, 512))
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 30, 1 << 30))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


class _Tail:
    """Keeps the last ``cap`` bytes of a stream and counts what it dropped."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.data = bytearray()
        self.dropped = 0

    async def drain(self, stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(1 << 16):
            self.data += chunk
            if len(self.data) > self.cap:
                extra = len(self.data) - self.cap
                del self.data[:extra]
                self.dropped += extra

    def text(self) -> str:
        body = self.data.decode("utf-8", errors="replace")
        return f"[... {self.dropped} earlier bytes dropped ...]\n{body}" if self.dropped else body


async def _exit_of(proc: asyncio.subprocess.Process) -> int:
    """Wait for the process itself to exit (not for its pipes to close)."""
    delay = 0.002
    while proc.returncode is None:
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.05)
    return proc.returncode


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


async def execute(ctx: RunContext, *, time_limit: float, memory_mb: int = 2048) -> Outcome:
    """Run ``ctx``'s command to the end (or the timeout) and report how it went.

    Cancelling this coroutine kills the process group.
    """
    if not ctx.run_command or not ctx.run_command.strip():
        return Outcome(
            "Failed (Integration Issue)", None, None, "The release has no run_command.\n"
        )
    try:
        argv = shlex.split(ctx.run_command)
    except ValueError as exc:
        return Outcome("Failed (Integration Issue)", None, None, f"Bad run_command: {exc}\n")
    started = asyncio.get_running_loop().time()
    scratch = tempfile.mkdtemp(prefix=f"pandium-run-{ctx.run_id}-")
    cwd = ctx.working_directory or scratch
    try:
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                cwd=cwd,
                env=build_env(ctx, scratch),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,
                preexec_fn=_limits(memory_mb << 20),
            )
        except OSError as exc:
            return Outcome(
                "Failed (Integration Issue)", None, None, f"Could not start {argv[0]!r}: {exc}\n"
            )
        out, err = _Tail(STDOUT_CAP), _Tail(STDERR_CAP)
        readers = asyncio.ensure_future(
            asyncio.gather(out.drain(proc.stdout), err.drain(proc.stderr))
        )
        exited = asyncio.ensure_future(_exit_of(proc))
        try:
            # Usually the pipes close as the command exits; a background process it left
            # behind may keep them open, so the exit itself is watched too.
            await asyncio.wait({readers, exited}, timeout=time_limit, return_when="FIRST_COMPLETED")
            remaining = time_limit - (asyncio.get_running_loop().time() - started)
            if not exited.done() and remaining > 0:
                await asyncio.wait({exited}, timeout=remaining)
            timed_out = not exited.done()
        finally:
            exited.cancel()
            _kill_group(proc.pid)  # also whatever the command left behind
            if proc.returncode is None:
                await proc.wait()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(readers), 5)
            readers.cancel()
        logged = err.text()
        if timed_out:
            logged += f"\n[pandium] killed after the {time_limit:g} s time limit\n"
            return Outcome("Failed (Timeout)", proc.returncode, None, logged)
        value = last_json_value(out.text())
        std_out = None if value is _NOTHING else json.dumps(value)
        output = None if value is _NOTHING else value
        phase = "Succeeded" if proc.returncode == 0 else "Failed (Integration Issue)"
        return Outcome(phase, proc.returncode, std_out, logged, output)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
