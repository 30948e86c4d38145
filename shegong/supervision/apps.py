from functools import partial

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "shegong.supervision"
    verbose_name = "督导"

    def ready(self):
        # The unit paths copied onto this app's rows follow a unit that moves.
        from shegong.orgs import services, tree

        from .models import Item, Visit

        copies = [(Visit, "station_path"), (Item, "station_path")]
        services.path_copy_hooks.append(partial(tree.move_copies, copies=copies))
