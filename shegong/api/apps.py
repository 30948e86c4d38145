from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shegong.api"
    verbose_name = "开放接口"
