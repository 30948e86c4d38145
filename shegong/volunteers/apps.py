from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "shegong.volunteers"
    verbose_name = "志愿者与时间银行"
