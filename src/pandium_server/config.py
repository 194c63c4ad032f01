"""Settings read from ``PANDIUM_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Process configuration; every field maps to ``PANDIUM_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="PANDIUM_", extra="ignore")

    database_url: SecretStr | None = Field(
        default=None,
        description="PostgreSQL URL (postgresql://…). Unset: start the embedded server.",
    )
    data_dir: Path = Field(
        default=Path(".pandium"), description="Embedded PostgreSQL data and local state."
    )
    api_key_cache_seconds: float = Field(
        default=2.0,
        ge=0,
        le=5,
        description="How long a verified API key is trusted without a database round trip.",
    )
    db_pool_size: int = Field(default=10, ge=1, description="Connections per process.")
    log_level: str = Field(default="INFO", description="Python log level.")
    encryption_keys: SecretStr | None = Field(
        default=None,
        description="Comma-separated base64 AES-256 keys; the first encrypts, all decrypt. "
        "Unset with the embedded database: a key is generated in the data dir.",
    )
    max_body_bytes: int = Field(
        default=10 << 20, ge=1024, description="Largest request body accepted (413 above)."
    )
    proxy_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Time limit of one proxied call."
    )

    debounce_seconds: float = Field(
        default=0, ge=0, description="A new pending run waits this long before it can start."
    )
    run_timeout_seconds: float = Field(
        default=600, gt=0, description="Wall-clock limit of one run; the process group is killed."
    )
    run_memory_mb: int = Field(default=2048, ge=64, description="Address-space limit of a run.")
    run_env: str = Field(default="production", description="Passed to runs as PAN_CTX_ENV.")
    worker_concurrency: int = Field(
        default=2, ge=1, description="Runs one worker executes at once."
    )
    worker_poll_seconds: float = Field(
        default=2.0, gt=0, description="Fallback polling when no notification arrives."
    )
    heartbeat_seconds: float = Field(default=5.0, gt=0, description="How often a run reports.")
    heartbeat_timeout_seconds: float = Field(
        default=30.0, gt=0, description="A running run silent this long is failed and re-queued."
    )
    worker_grace_seconds: float = Field(
        default=30.0, ge=0, description="On SIGTERM, how long running runs may still finish."
    )
    scheduler_seconds: float = Field(default=10.0, gt=0, description="How often crons are checked.")

    def database_url_value(self) -> str | None:
        """The configured URL in plain text, or None."""
        return self.database_url.get_secret_value() if self.database_url else None
