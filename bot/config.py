"""Settings: a TOML file overridden by HOTLINE_* environment variables.

Every key has one name in both places: `wechat_token` in TOML is
`HOTLINE_WECHAT_TOKEN` in the environment. A bad value stops startup with a
`ConfigError` that names the key, so an operator never has to guess.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SANDBOX = "sandbox"
REAL_API_BASE = "https://api.weixin.qq.com"
ENV_PREFIX = "HOTLINE_"


class ConfigError(ValueError):
    """A configuration value is missing or invalid; the message names the key."""


@dataclass(frozen=True, slots=True)
class Settings:
    mongodb_uri: str = ""
    data_dir: Path = Path("var")
    db_name: str = "hotline"
    # "process": the embedded MongoDB-protocol server runs as a child process
    # (measured faster under load than "inline", see README).
    embedded_mode: str = "process"
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""
    wechat_token: str = "hotline-dev-token"
    wechat_appid: str = "wxhotline0sandbox"
    wechat_secret: str = ""
    wechat_aes_key: str = ""
    wechat_api_base: str = ""
    # A template with one {{content.DATA}} field, used when a push falls outside
    # WeChat's 48-hour customer-service window; unset = mark for phone follow-up.
    wechat_template_id: str = ""
    jobs_interval: float = 5.0
    survey_delay: float = 7200.0
    reply_budget: float = 4.0
    outbox_lease: float = 60.0  # seconds a worker owns a push before another may retry it
    outbox_backoff: float = 5.0  # first retry delay; doubles per attempt, with jitter
    max_text_chars: int = 600
    dialog_idle_timeout: float = 1800.0
    classifier_threshold: float = 0.5
    # Train the shipped default model when the registry is empty; readiness then
    # waits for a model. Off in unit tests that exercise the keyword fallback.
    model_autotrain: bool = True
    log_level: str = "INFO"
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sandbox(self) -> bool:
        return self.wechat_api_base == SANDBOX

    @property
    def embedded(self) -> bool:
        return not self.mongodb_uri

    def describe_database(self) -> str:
        """Where the data lives, for the startup log: never the password."""
        if self.embedded:
            return f"embedded MongoDB-protocol server, data in {self.data_dir / 'db'}"
        parts = urlsplit(self.mongodb_uri)
        hosts = parts.netloc.rsplit("@", 1)[-1]
        return f"MongoDB at {parts.scheme}://{hosts}"


def _number[N: (int, float)](
    key: str, value: Any, kind: type[N], what: str, valid: Callable[[N], bool], rule: str
) -> N:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key}: expected {what}, got {value!r}") from None
    if not valid(number):
        raise ConfigError(f"{key}: {rule}, got {value!r}")
    return number


def _positive_float(key: str, value: Any) -> float:
    return _number(
        key, value, float, "a number of seconds", lambda n: n > 0, "must be greater than 0"
    )


def _port(key: str, value: Any) -> int:
    return _number(
        key,
        value,
        int,
        "a port number",
        lambda n: 0 <= n <= 65535,
        "port must be between 0 and 65535",
    )


def _positive_int(key: str, value: Any) -> int:
    return _number(key, value, int, "a whole number", lambda n: n > 0, "must be greater than 0")


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{key}: expected text, got {value!r}")
    return value.strip()


def _mongodb_uri(key: str, value: Any) -> str:
    uri = _text(key, value)
    if uri and not uri.startswith(("mongodb://", "mongodb+srv://")):
        raise ConfigError(f"{key}: must start with mongodb:// or mongodb+srv://")
    return uri


def _aes_key(key: str, value: Any) -> str:
    aes = _text(key, value)
    if aes and (len(aes) != 43 or not aes.isalnum()):
        raise ConfigError(f"{key}: an EncodingAESKey is 43 letters and digits")
    return aes


def _api_base(key: str, value: Any) -> str:
    base = _text(key, value).rstrip("/")
    if base and base != SANDBOX and not base.startswith(("http://", "https://")):
        raise ConfigError(f"{key}: expected 'sandbox' or an http(s) URL, got {value!r}")
    return base


def _choice(*options: str) -> Callable[[str, Any], str]:
    def check(key: str, value: Any) -> str:
        text = _text(key, value)
        if text not in options:
            raise ConfigError(f"{key}: expected one of {', '.join(options)}, got {value!r}")
        return text

    return check


def _threshold(key: str, value: Any) -> float:
    rule = "a confidence threshold lies between 0 and 1"
    return _number(key, value, float, "a number between 0 and 1", lambda n: 0 < n < 1, rule)


def _bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{key}: expected true or false, got {value!r}")


_PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "mongodb_uri": _mongodb_uri,
    "data_dir": lambda key, value: Path(_text(key, value) or "var"),
    "db_name": _text,
    "embedded_mode": _choice("process", "inline"),
    "host": _text,
    "port": _port,
    "public_url": _text,
    "wechat_token": _text,
    "wechat_appid": _text,
    "wechat_secret": _text,
    "wechat_aes_key": _aes_key,
    "wechat_api_base": _api_base,
    "wechat_template_id": _text,
    "jobs_interval": _positive_float,
    "survey_delay": _positive_float,
    "reply_budget": _positive_float,
    "outbox_lease": _positive_float,
    "outbox_backoff": _positive_float,
    "max_text_chars": _positive_int,
    "dialog_idle_timeout": _positive_float,
    "classifier_threshold": _threshold,
    "model_autotrain": _bool,
    "log_level": _choice("DEBUG", "INFO", "WARNING", "ERROR"),
}


def load_settings(
    path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Read the TOML file (if any), then the environment, then explicit overrides."""
    env = os.environ if env is None else env
    path = path or env.get("HOTLINE_CONFIG") or None
    raw: dict[str, Any] = {}
    if path:
        try:
            with open(path, "rb") as handle:
                raw.update(tomllib.load(handle))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"config file {path}: {error}") from None
    extra = raw.pop("extra", {})
    for name in raw:
        if name not in _PARSERS:
            raise ConfigError(f"{name}: unknown setting in {path}")
    for name in _PARSERS:
        env_name = ENV_PREFIX + name.upper()
        if env_name in env:
            raw[name] = env[env_name]
    raw.update({key: value for key, value in overrides.items() if value is not None})
    values = {}
    for name, value in raw.items():
        if name not in _PARSERS:
            raise ConfigError(f"{name}: unknown setting")
        label = f"{name} ({ENV_PREFIX}{name.upper()})"
        values[name] = _PARSERS[name](label, value)
    settings = replace(Settings(), extra=extra, **values)
    if not settings.wechat_api_base:
        base = REAL_API_BASE if settings.wechat_secret else SANDBOX
        settings = replace(settings, wechat_api_base=base)
    if not settings.sandbox and not settings.wechat_secret:
        raise ConfigError(
            "wechat_secret (HOTLINE_WECHAT_SECRET): required when wechat_api_base is a real API"
        )
    return settings


SETTING_NAMES = tuple(f.name for f in fields(Settings) if f.name != "extra")
