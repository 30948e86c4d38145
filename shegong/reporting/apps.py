from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "shegong.reporting"
    verbose_name = "报表与统计"
