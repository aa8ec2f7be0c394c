"""Configuration from the environment (and a ``.env`` file), read once at start-up."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.ingest import DEFAULT_MAX_BYTES


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMDESK_", env_file=".env", extra="ignore")

    data: Path = Field(
        default_factory=lambda: Path(user_data_dir("claimdesk")),
        description="Data folder: the SQLite store and the search index",
    )
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, gt=0, description="Largest article file accepted")
    log_level: str = Field(default="INFO", description="Log level for claimdesk's own loggers")
