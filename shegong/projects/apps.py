from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "shegong.projects"
    verbose_name = "购买服务项目"

    def ready(self):
        # A moved unit takes its projects, staff and trainings' copied paths with it.
        from shegong.orgs import services

        from . import paths

        services.path_copy_hooks.append(paths.move_copies)
