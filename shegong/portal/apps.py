from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "shegong.portal"
    verbose_name = "门户网站"
