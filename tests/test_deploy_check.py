"""The documented production configuration (docs/deploy.md §2) passes `shegong check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

SHEGONG = Path(sys.executable).parent / "shegong"


def run(tmp_path, *args, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECURE_COOKIES")}
    environ.update(SHEGONG_VAR_DIR=str(tmp_path), DEBUG="false", **env)
    return subprocess.run(
        [SHEGONG, *args], env=environ, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "HTTPS": "true",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "sg.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://sg.example.gov.cn",
}


def test_the_documented_production_configuration_passes_check_deploy(tmp_path):
    done = run(tmp_path, "check", "--deploy", **PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr
    assert "WARNING" not in done.stderr


def test_without_https_check_deploy_names_what_is_missing(tmp_path):
    done = run(tmp_path, "check", "--deploy", **{**PRODUCTION, "HTTPS": "false"})
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in done.stderr


SETTINGS = (
    "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_PROXY_SSL_HEADER)"
)


def test_https_turns_on_the_redirect_hsts_secure_cookies_and_the_proxy_header(tmp_path):
    done = run(tmp_path, "shell", "--no-imports", "-c", SETTINGS, HTTPS="true")
    assert done.stdout.strip() == (
        "True 31536000 True True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    ), done.stderr


def test_the_older_secure_cookies_switch_still_secures_the_cookies_only(tmp_path):
    done = run(tmp_path, "shell", "--no-imports", "-c", SETTINGS, SECURE_COOKIES="true")
    assert done.stdout.strip() == "False 0 False True True None", done.stderr
