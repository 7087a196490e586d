"""Settings: TOML + environment, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import REAL_API_BASE, SANDBOX, ConfigError, load_settings


def test_defaults_are_sandbox_and_embedded():
    settings = load_settings(env={})
    assert settings.sandbox and settings.wechat_api_base == SANDBOX
    assert settings.embedded
    assert settings.jobs_interval == 5 and settings.survey_delay == 7200
    assert settings.data_dir == Path("var")


def test_a_secret_selects_the_real_api():
    settings = load_settings(env={"HOTLINE_WECHAT_SECRET": "s3cret"})
    assert settings.wechat_api_base == REAL_API_BASE and not settings.sandbox


def test_environment_overrides_toml(tmp_path: Path):
    config = tmp_path / "hotline.toml"
    config.write_text('wechat_token = "from-file"\njobs_interval = 9\nport = 9000\n')
    settings = load_settings(config, env={"HOTLINE_JOBS_INTERVAL": "2.5"})
    assert settings.wechat_token == "from-file"
    assert settings.jobs_interval == 2.5
    assert settings.port == 9000


def test_config_file_from_environment(tmp_path: Path):
    config = tmp_path / "h.toml"
    config.write_text('db_name = "elsewhere"\n')
    assert load_settings(env={"HOTLINE_CONFIG": str(config)}).db_name == "elsewhere"


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"HOTLINE_JOBS_INTERVAL": "soon"}, "HOTLINE_JOBS_INTERVAL"),
        ({"HOTLINE_JOBS_INTERVAL": "-1"}, "HOTLINE_JOBS_INTERVAL"),
        ({"HOTLINE_SURVEY_DELAY": "0"}, "HOTLINE_SURVEY_DELAY"),
        ({"HOTLINE_WECHAT_AES_KEY": "short"}, "HOTLINE_WECHAT_AES_KEY"),
        ({"HOTLINE_MONGODB_URI": "postgres://x"}, "HOTLINE_MONGODB_URI"),
        ({"HOTLINE_WECHAT_API_BASE": "ftp://x"}, "HOTLINE_WECHAT_API_BASE"),
        ({"HOTLINE_WECHAT_API_BASE": "https://api.weixin.qq.com"}, "HOTLINE_WECHAT_SECRET"),
        ({"HOTLINE_PORT": "70000"}, "HOTLINE_PORT"),
        ({"HOTLINE_EMBEDDED_MODE": "thread"}, "HOTLINE_EMBEDDED_MODE"),
    ],
)
def test_bad_values_name_the_key(env, key):
    with pytest.raises(ConfigError, match=key):
        load_settings(env=env)


@pytest.mark.parametrize("value", ["abc", "0", "1", "1.5"])
def test_a_bad_confidence_threshold_is_explained_as_one(value):
    with pytest.raises(ConfigError, match=r"HOTLINE_CLASSIFIER_THRESHOLD.*between 0 and 1"):
        load_settings(env={"HOTLINE_CLASSIFIER_THRESHOLD": value})


def test_unknown_toml_key_and_bad_toml(tmp_path: Path):
    config = tmp_path / "bad.toml"
    config.write_text('wechat_tokn = "typo"\n')
    with pytest.raises(ConfigError, match="wechat_tokn"):
        load_settings(config, env={})
    config.write_text("this is = = not toml")
    with pytest.raises(ConfigError, match=r"bad\.toml"):
        load_settings(config, env={})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", env={})


def test_database_description_hides_the_password():
    settings = load_settings(
        env={"HOTLINE_MONGODB_URI": "mongodb://app:hunter2@db1:27017,db2:27017/?replicaSet=rs0"}
    )
    described = settings.describe_database()
    assert "hunter2" not in described and "db1:27017,db2:27017" in described


def test_serve_stops_with_a_message_on_bad_config(capsys, monkeypatch):
    from bot.cli import main

    monkeypatch.setenv("HOTLINE_JOBS_INTERVAL", "never")
    with pytest.raises(SystemExit) as exited:
        main(["serve"])
    assert exited.value.code == 2
    assert "HOTLINE_JOBS_INTERVAL" in capsys.readouterr().err
