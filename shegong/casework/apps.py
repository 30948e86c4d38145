from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "shegong.casework"
    verbose_name = "个案档案"
