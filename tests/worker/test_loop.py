"""The worker against a real database and real integration processes."""

from __future__ import annotations

import asyncio
import itertools
import json
import signal
import subprocess
import sys
import time
from contextlib import asynccontextmanager

from pydantic import SecretStr

from pandium_server.db.session import session_scope
from pandium_server.runs import repository as runs
from pandium_server.worker.loop import Worker
from tests.cli_helpers import cli_env
from tests.conftest import settings_for_tests
from tests.worker.helpers import alive, code_integration, make_tenant, rows, scalar, sync, wait_for

CONTRACT = """
    import json, os, sys
    mode = os.environ["PAN_CTX_RUN_MODE"]
    print(f"running {mode}", file=sys.stderr)
    if mode == "init":
        print(json.dumps({"channel": ["general", "sales"]}))
    else:
        print(json.dumps({
            "count": int(os.environ.get("PAN_CFG_BATCH", "0")),
            "last": os.environ.get("PAN_CTX_LAST_RUN_STD_OUT"),
            "last_ok": os.environ.get("PAN_CTX_LAST_SUCCESSFUL_RUN_STD_OUT"),
            "last_phase": os.environ.get("PAN_CTX_LAST_RUN_PHASE"),
            "triggers": json.loads(os.environ["PAN_CTX_RUN_TRIGGERS"]),
            "pandium": [k for k in os.environ if k.startswith("PANDIUM_")],
        }))
        if os.environ.get("PAN_CFG_FAIL") == "true":
            sys.exit(3)
"""


@asynccontextmanager
async def in_process_worker(live, **overrides):
    settings = settings_for_tests(
        database_url=SecretStr(live.url),
        worker_poll_seconds=0.5,
        heartbeat_seconds=0.5,
        **overrides,
    )
    worker = Worker(live.maker, settings, database_url=live.url)
    task = asyncio.create_task(worker.run())
    try:
        yield worker
    finally:
        worker.stop()
        await asyncio.wait_for(task, 30)


async def _phase(live, trigger_id):
    response = await live.client.get(f"/v2/runs/triggers/{trigger_id}/status")
    return response.json().get("status")


async def _finished(live, trigger_id):
    phase = await _phase(live, trigger_id)
    return phase if phase not in (None, "Pending", "Running") else None


async def test_contract_through_the_worker(committed, tmp_path, monkeypatch):
    monkeypatch.setenv("PANDIUM_SOMETHING_PRIVATE", "x")
    live = committed
    integration = await code_integration(live.client, tmp_path, CONTRACT)
    tenant = await make_tenant(live.client, integration["id"], "acme", configs={"batch": 4})
    async with in_process_worker(live):
        init = await sync(live.client, tenant["id"], "init")
        assert await wait_for(lambda: _finished(live, init), 20) == "Succeeded"
        view = (await live.client.get(f"/v2/tenants/{tenant['id']}")).json()
        assert view["status"]["dynamic_configs"] == {"channel": ["general", "sales"]}
        assert view["status"]["last_successful_run"]["phase"] == "Succeeded"

        first = await sync(live.client, tenant["id"], payload={"order": 1})
        assert await wait_for(lambda: _finished(live, first), 20) == "Succeeded"
        run = (await live.client.get(f"/v2/tenants/{tenant['id']}/runs/{first}")).json()
        output = json.loads(
            await scalar(live.maker, "SELECT std_out FROM run WHERE id = :id", id=run["id"])
        )
        init_out = json.dumps({"channel": ["general", "sales"]})
        assert output["count"] == 4
        assert output["last"] == init_out and output["last_ok"] == init_out
        assert output["last_phase"] == "Succeeded"
        assert output["triggers"] == [{"mode": "normal", "source": "api", "payload": {"order": 1}}]
        assert output["pandium"] == []

        await live.client.patch(f"/v2/tenants/{tenant['id']}", json={"configs": {"fail": True}})
        failing = await sync(live.client, tenant["id"])
        assert await wait_for(lambda: _finished(live, failing), 20) == "Failed (Integration Issue)"
        after = await sync(live.client, tenant["id"])
        assert await wait_for(lambda: _finished(live, after), 20) == "Failed (Integration Issue)"
        last = json.loads(
            await scalar(
                live.maker,
                "SELECT std_out FROM run WHERE id = "
                "(SELECT run_id FROM trigger WHERE uuid = CAST(:t AS uuid))",
                t=after,
            )
        )
        assert last["last_phase"] == "Failed (Integration Issue)"
        assert json.loads(last["last"])["count"] == 0  # the failed run's output
        assert json.loads(last["last_ok"])["count"] == 4  # the last good run's output

        log_link = await live.client.get(f"/v2/runs/{run['id']}/log")
        log = await live.client.get(log_link.headers["location"])
        assert log.text == "running normal\n"


async def test_a_thousand_concurrent_triggers_while_running(committed, tmp_path):
    live = committed
    integration = await code_integration(live.client, tmp_path, "print(1)")
    tenant = await make_tenant(live.client, integration["id"], "busy")
    first = await sync(live.client, tenant["id"])
    async with session_scope(live.maker) as session:  # a worker takes it: now it is running
        assert (await runs.claim(session, "test-worker")) is not None

    responses = await asyncio.gather(
        *(live.client.post(f"/v2/tenants/{tenant['id']}/sync?mode=normal") for _ in range(1000))
    )
    assert {r.status_code for r in responses} == {202}
    trigger_ids = [first] + [r.json()["trigger_id"] for r in responses]
    by_phase = await rows(
        live.maker,
        "SELECT phase, count(*) AS n FROM run WHERE tenant_id = :t GROUP BY phase ORDER BY 1",
        t=tenant["id"],
    )
    assert [(r["phase"], r["n"]) for r in by_phase] == [("Pending", 1), ("Running", 1)]
    resolved = await rows(
        live.maker,
        "SELECT r.phase, count(*) AS n FROM trigger t JOIN run r ON r.id = t.run_id "
        "WHERE t.uuid = ANY(CAST(:ids AS uuid[])) GROUP BY r.phase ORDER BY 1",
        ids=trigger_ids,
    )
    assert [(r["phase"], r["n"]) for r in resolved] == [("Pending", 1000), ("Running", 1)]


def _worker_process(url: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pandium_server", "worker"],
        env=cli_env(PANDIUM_DATABASE_URL=url, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def test_two_workers_never_overlap_runs_of_a_tenant(committed, tmp_path):
    live = committed
    script = "import time, random; time.sleep(random.uniform(0.01, 0.08)); print('{}')"
    integration = await code_integration(live.client, tmp_path, script)
    tenants = [await make_tenant(live.client, integration["id"], f"t{i}") for i in range(20)]
    workers = [
        _worker_process(live.url, PANDIUM_WORKER_CONCURRENCY="3", PANDIUM_WORKER_POLL_SECONDS="0.5")
        for _ in range(2)
    ]
    try:
        trigger_ids = []
        for _ in range(5):
            for tenant in tenants:
                trigger_ids.append(await sync(live.client, tenant["id"]))
            await asyncio.sleep(0.1)

        async def all_finished():
            unfinished = await scalar(
                live.maker,
                "SELECT count(*) FROM trigger t JOIN run r ON r.id = t.run_id "
                "WHERE t.uuid = ANY(CAST(:ids AS uuid[])) AND r.completed_date IS NULL",
                ids=trigger_ids,
            )
            return unfinished == 0

        await wait_for(all_finished, 120, interval=0.2)
    finally:
        for proc in workers:
            _stop(proc)
    finished = await rows(
        live.maker,
        "SELECT tenant_id, worker, phase, started_date, completed_date FROM run "
        "ORDER BY tenant_id, started_date",
    )
    assert {r["phase"] for r in finished} == {"Succeeded"}
    assert len({r["worker"] for r in finished}) == 2  # both workers took part
    for previous, current in itertools.pairwise(finished):
        if previous["tenant_id"] == current["tenant_id"]:
            assert previous["completed_date"] <= current["started_date"], (previous, current)


KILLABLE = """
    import json, os, pathlib, time
    marker = pathlib.Path("marker")  # in the release's working directory
    if not marker.exists():
        marker.write_text(str(os.getpid()))
        time.sleep(120)
    print(json.dumps({"attempt": "second"}))
"""


async def test_kill_9_of_a_worker_mid_run(committed, tmp_path):
    live = committed
    integration = await code_integration(live.client, tmp_path, KILLABLE)
    tenant = await make_tenant(live.client, integration["id"], "victim")
    settings = {
        "PANDIUM_HEARTBEAT_SECONDS": "0.5",
        "PANDIUM_HEARTBEAT_TIMEOUT_SECONDS": "3",
        "PANDIUM_WORKER_POLL_SECONDS": "0.5",
    }
    trigger_id = await sync(live.client, tenant["id"], payload={"n": 1})
    first = _worker_process(live.url, **settings)
    marker = tmp_path / "coded" / "marker"
    try:

        async def running():
            return await _phase(live, trigger_id) == "Running" and marker.exists()

        await wait_for(running, 30)
        child_pid = int(marker.read_text())
        first.kill()  # SIGKILL: no cleanup at all
        first.wait()
        killed_at = time.monotonic()
        second = _worker_process(live.url, **settings)
        try:
            old_run = await scalar(
                live.maker,
                "SELECT id FROM run WHERE phase = 'Running' AND tenant_id = :t",
                t=tenant["id"],
            )

            async def reaped():
                return (
                    await scalar(live.maker, "SELECT phase FROM run WHERE id = :id", id=old_run)
                    == "Failed (Platform Issue)"
                )

            await wait_for(reaped, 15)
            assert time.monotonic() - killed_at < 3 + 3  # timeout plus one reaper interval
            assert await wait_for(lambda: _finished(live, trigger_id), 30) == "Succeeded"
            new_run = await scalar(
                live.maker,
                "SELECT run_id FROM trigger WHERE uuid = CAST(:t AS uuid)",
                t=trigger_id,
            )
            assert new_run != old_run
            payload = await scalar(
                live.maker,
                "SELECT payload::text FROM trigger WHERE uuid = CAST(:t AS uuid)",
                t=trigger_id,
            )
            assert json.loads(payload) == {"n": 1}
        finally:
            _stop(second)
        assert not alive(child_pid)  # the orphaned integration died with its worker
    finally:
        if first.poll() is None:
            first.kill()


async def test_sigterm_lets_runs_finish_within_the_grace_period(committed, tmp_path):
    live = committed
    integration = await code_integration(
        live.client, tmp_path, "import time; time.sleep(1.5); print('{\"ok\": 1}')"
    )
    slow = await make_tenant(live.client, integration["id"], "slow")
    trigger_id = await sync(live.client, slow["id"])
    worker = _worker_process(live.url, PANDIUM_WORKER_GRACE_SECONDS="20")
    try:
        await wait_for(lambda: _phase_is(live, trigger_id, "Running"), 30)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
        assert await _phase(live, trigger_id) == "Succeeded"
    finally:
        _stop(worker)

    stuck = await code_integration(live.client, tmp_path, "import time; time.sleep(60)", "stuck")
    tenant = await make_tenant(live.client, stuck["id"], "stuck")
    trigger_id = await sync(live.client, tenant["id"])
    worker = _worker_process(live.url, PANDIUM_WORKER_GRACE_SECONDS="0.5")
    try:
        await wait_for(lambda: _phase_is(live, trigger_id, "Running"), 30)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        _stop(worker)
    phases = await rows(
        live.maker, "SELECT phase FROM run WHERE tenant_id = :t ORDER BY id", t=tenant["id"]
    )
    assert [r["phase"] for r in phases] == ["Failed (Platform Issue)", "Pending"]
    assert await _phase(live, trigger_id) == "Pending"  # re-queued, not lost


async def _phase_is(live, trigger_id, phase):
    return await _phase(live, trigger_id) == phase


async def test_debounce_window_delays_a_new_pending_run(committed, tmp_path):
    live = committed
    live.app.state.settings = live.app.state.settings.model_copy(update={"debounce_seconds": 1.0})
    integration = await code_integration(live.client, tmp_path, "print('{}')")
    tenant = await make_tenant(live.client, integration["id"], "bouncy")
    async with in_process_worker(live):
        first = await sync(live.client, tenant["id"])
        second = await sync(live.client, tenant["id"])  # joins during the window
        assert await wait_for(lambda: _finished(live, first), 20) == "Succeeded"
        assert await _phase(live, second) == "Succeeded"
    waited = await scalar(
        live.maker,
        "SELECT EXTRACT(EPOCH FROM r.started_date - min(t.created_date)) FROM run r "
        "JOIN trigger t ON t.run_id = r.id WHERE r.tenant_id = :t GROUP BY r.id",
        t=tenant["id"],
    )
    assert float(waited) >= 1.0


SECRETS = """
    import json, os
    print(json.dumps({k: v for k, v in os.environ.items() if k.startswith("PAN_SEC_")}))
"""


async def test_runs_get_connector_credentials(committed, tmp_path, upstream):
    live = committed
    folder = tmp_path / "coded"
    integration = await code_integration(live.client, tmp_path, SECRETS)
    connectors = [
        {"name": "crm-api", "base_url": upstream.url, "auth_type": "bearer", "internal": True},
        {"name": "mail", "isGlobal": True, "base_url": upstream.url, "auth_type": "basic"},
        {
            "name": "books",
            "base_url": upstream.url,
            "auth_type": "oauth2",
            "token_url": f"{upstream.url}/token-broken",
            "internal": True,
        },
    ]
    await live.client.patch(
        f"/v2/integrations/{integration['id']}", json={"connectors": connectors}
    )
    tenant = await make_tenant(live.client, integration["id"], "withsecrets")
    base = f"/v2/tenants/{tenant['id']}/connectors"
    await live.client.put(f"{base}/crm-api/credentials", json={"access_token": "t-123"})
    await live.client.put(
        f"/v2/integrations/{integration['id']}/connectors/mail/credentials",
        json={"username": "svc", "password": "pw"},
    )
    async with in_process_worker(live):
        ok = await sync(live.client, tenant["id"])
        assert await wait_for(lambda: _finished(live, ok), 20) == "Succeeded"
        env = json.loads(
            await scalar(
                live.maker,
                "SELECT std_out FROM run WHERE id = "
                "(SELECT run_id FROM trigger WHERE uuid = CAST(:t AS uuid))",
                t=ok,
            )
        )
        assert env == {
            "PAN_SEC_CRM_API_ACCESS_TOKEN": "t-123",
            "PAN_SEC_MAIL_USERNAME": "svc",
            "PAN_SEC_MAIL_PASSWORD": "pw",
        }
        # An OAuth2 token that cannot be refreshed fails the run as a refresh problem.
        from datetime import UTC, datetime, timedelta

        past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
        await live.client.put(
            f"{base}/books/credentials",
            json={"access_token": "old", "refresh_token": "r", "expires_at": past},
        )
        failed = await sync(live.client, tenant["id"])
        assert await wait_for(lambda: _finished(live, failed), 20) == "Failed (Refresh)"
    assert folder.exists()


async def test_worker_survives_lost_database_connections(committed, tmp_path):
    live = committed
    integration = await code_integration(live.client, tmp_path, "print('{}')")
    tenant = await make_tenant(live.client, integration["id"], "sturdy")
    async with in_process_worker(live):
        first = await sync(live.client, tenant["id"])
        assert await wait_for(lambda: _finished(live, first), 20) == "Succeeded"
        killed = await scalar(
            live.maker,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        assert killed >= 1  # the worker's pooled and listening connections are gone
        second = await sync(live.client, tenant["id"])
        assert await wait_for(lambda: _finished(live, second), 30) == "Succeeded"
