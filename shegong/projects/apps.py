from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "shegong.projects"
    verbose_name = "购买服务项目"
