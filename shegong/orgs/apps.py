from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "shegong.orgs"
    verbose_name = "单位与成员"
