from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "shegong.funds"
    verbose_name = "社区基金"

    def ready(self):
        from shegong.orgs import services

        from . import paths

        services.path_copy_hooks.append(paths.move_copies)
