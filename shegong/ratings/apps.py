from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "shegong.ratings"
    verbose_name = "服务评价"
