from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "shegong.campaigns"
    verbose_name = "通知与任务"
