from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "shegong.funds"
    verbose_name = "社区基金"
