from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shegong.accounts"
    verbose_name = "账号"

    def ready(self):
        from . import signals  # noqa: F401
