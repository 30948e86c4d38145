from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "shegong.activities"
    verbose_name = "活动与走访"

    def ready(self):
        from shegong.orgs import services

        from . import paths

        services.path_copy_hooks.append(paths.move_copies)
