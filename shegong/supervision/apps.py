from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "shegong.supervision"
    verbose_name = "督导"
