from functools import partial

from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "shegong.ratings"
    verbose_name = "服务评价"

    def ready(self):
        # The unit paths copied onto this app's rows follow a unit that moves.
        from shegong.orgs import services, tree

        from .models import Rating

        copies = [(Rating, "station_path")]
        services.path_copy_hooks.append(partial(tree.move_copies, copies=copies))
