"""Configuration from the environment (and a ``.env`` file), read once at start-up."""

from __future__ import annotations

import re
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.feeds import PageBudget
from index.ingest import DEFAULT_MAX_BYTES
from index.models import CORPUS_NAME_PATTERN, CORPUS_NAME_RULE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMDESK_", env_file=".env", extra="ignore", populate_by_name=True)

    data: Path = Field(
        default_factory=lambda: Path(user_data_dir("claimdesk")),
        description="Data folder: the SQLite store and the search index",
    )
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, gt=0, description="Largest article file or fetched page accepted")
    log_level: str = Field(default="INFO", description="Log level for claimdesk's own loggers")

    # The bot. The token goes by the name every Discord tutorial uses, without the prefix.
    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN",
                                            description="The bot's token from the Discord developer portal")
    dev_guild: int | None = Field(default=None, description="Server that gets the commands synced on every start")
    shared_corpus: str | None = Field(default=None,
                                      description="A corpus every server can read besides its own")
    allow_private_fetch: bool = Field(default=False,
                                      description="Let /ingest fetch from private, loopback and reserved addresses")
    fetch_timeout: float = Field(default=20.0, gt=0, le=120, description="Seconds a URL fetch may take")
    poll_feeds: bool = Field(default=True, description="Poll feeds every minute while the bot runs")
    feed_pages_per_poll: int = Field(default=30, gt=0, le=1000,
                                     description="Teaser pages one feed poll may fetch; the rest wait for the next")
    feed_page_seconds: float = Field(default=120.0, gt=0, le=3600,
                                     description="Seconds after which a feed poll fetches no more teaser pages")

    def page_budget(self) -> PageBudget:
        """A fresh budget for one feed poll."""
        return PageBudget(pages=self.feed_pages_per_poll, seconds=self.feed_page_seconds)

    @field_validator("shared_corpus")
    @classmethod
    def _a_corpus_name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(CORPUS_NAME_PATTERN, value):
            raise ValueError(f"a corpus name is {CORPUS_NAME_RULE}")
        return value

    @field_validator("shared_corpus")
    @classmethod
    def _not_a_servers_own(cls, value: str | None) -> str | None:
        # Sharing a server's own corpus with every server would publish that newsroom's library.
        if value is not None and value.startswith("guild-"):
            raise ValueError("the shared corpus cannot be a server's own guild-ID corpus; pick another name")
        return value
