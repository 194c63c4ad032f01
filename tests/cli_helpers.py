"""Running the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys


def cli_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANDIUM_")}
    env["PANDIUM_LOG_LEVEL"] = "WARNING"
    env.update(overrides)
    return env


def run_cli(*args: str, env: dict[str, str], check: bool = True, cwd=None):
    result = subprocess.run(
        [sys.executable, "-m", "pandium_server", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result
