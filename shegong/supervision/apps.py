from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "shegong.supervision"
    verbose_name = "督导"

    def ready(self):
        from shegong.orgs import services

        from . import paths

        services.path_copy_hooks.append(paths.move_copies)
