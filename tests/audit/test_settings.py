"""AUDIT_RETENTION_DAYS: 180 by default, and never less (网络日志至少留存六个月)."""

import importlib.util

import pytest
from django.core.exceptions import ImproperlyConfigured

import shegong.settings


def load_settings():
    """A fresh copy of shegong/settings.py, read with the environment as it is now."""
    spec = importlib.util.spec_from_file_location("settings_probe", shegong.settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_retention_is_180_days_by_default(monkeypatch):
    monkeypatch.delenv("AUDIT_RETENTION_DAYS", raising=False)
    assert load_settings().AUDIT_RETENTION_DAYS == 180


def test_a_longer_retention_is_taken(monkeypatch):
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "365")
    assert load_settings().AUDIT_RETENTION_DAYS == 365


@pytest.mark.parametrize("days", ["179", "30", "0"])
def test_a_retention_below_180_days_is_refused_at_start_up(monkeypatch, days):
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", days)
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings()
    assert "不得少于 180 天" in str(refused.value)
    assert f"must be at least 180, got {days}" in str(refused.value)


def test_a_retention_that_is_not_a_number_is_refused(monkeypatch):
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "半年")
    with pytest.raises(ImproperlyConfigured, match="must be an integer"):
        load_settings()
