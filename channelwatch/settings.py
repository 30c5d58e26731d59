"""Runtime settings from the environment (`CHANNELWATCH_` prefix, `.env` supported).

This is the one place constants and secrets enter the program. Secrets are held as
`SecretStr`, so printing the settings never shows them; code that needs the value
calls `.get_secret_value()` at the moment of use and passes it down as an argument.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DB_URL = "sqlite:///data/channelwatch.db"
USER_AGENT = "channelwatch/0.1 (+https://github.com/channelwatch/channelwatch)"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CHANNELWATCH_", env_file=".env", extra="ignore", frozen=True
    )

    config: str = "sources.yaml"
    db_url: str = DEFAULT_DB_URL

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    email_from: str | None = None
    email_to: Annotated[list[str], NoDecode] = Field(default_factory=list)

    slack_webhook_url: SecretStr | None = None

    @field_validator("email_to", mode="before")
    @classmethod
    def _split_addresses(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host and self.email_from and self.email_to)

    @property
    def slack_enabled(self) -> bool:
        return self.slack_webhook_url is not None and bool(
            self.slack_webhook_url.get_secret_value()
        )


def settings_problems(error: ValidationError) -> list[str]:
    """One line per wrong setting, named as the user sets it; a secret's value is never shown."""
    lines = []
    for problem in error.errors(include_url=False):
        name = str(problem["loc"][0]) if problem["loc"] else "?"
        variable = Settings.model_config["env_prefix"] + name.upper()
        secret = Settings.model_fields[name].annotation in (SecretStr, SecretStr | None)
        got = "" if secret else f" (got {problem['input']!r})"
        message = problem["msg"].removeprefix("Input ")
        lines.append(
            f"{variable}: {message[0].lower()}{message[1:]}{got}; fix it in the environment or .env"
        )
    return lines
