from functools import partial

from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "shegong.volunteers"
    verbose_name = "志愿者与时间银行"

    def ready(self):
        # The unit paths copied onto this app's rows follow a unit that moves.
        from shegong.orgs import services, tree

        from .models import Entry, Team, Volunteer

        copies = [(Team, "station_path"), (Volunteer, "station_path"), (Entry, "station_path")]
        services.path_copy_hooks.append(partial(tree.move_copies, copies=copies))
