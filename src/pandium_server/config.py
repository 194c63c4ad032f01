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

    def database_url_value(self) -> str | None:
        """The configured URL in plain text, or None."""
        return self.database_url.get_secret_value() if self.database_url else None
