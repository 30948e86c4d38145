from functools import partial

from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "shegong.funds"
    verbose_name = "社区基金"

    def ready(self):
        # The unit paths copied onto this app's rows follow a unit that moves.
        from shegong.orgs import services, tree

        from .models import Fund, FundEntry

        copies = [(Fund, "unit_path"), (FundEntry, "unit_path")]
        services.path_copy_hooks.append(partial(tree.move_copies, copies=copies))
