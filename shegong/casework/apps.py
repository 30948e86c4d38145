from functools import partial

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "shegong.casework"
    verbose_name = "个案档案"

    def ready(self):
        # The unit paths copied onto this app's rows follow a unit that moves.
        from shegong.orgs import services, tree

        from .models import CaseFile

        copies = [(CaseFile, "unit_path")]
        services.path_copy_hooks.append(partial(tree.move_copies, copies=copies))
