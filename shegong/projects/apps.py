from functools import partial

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "shegong.projects"
    verbose_name = "购买服务项目"

    def ready(self):
        # The unit paths copied onto this app's rows follow a unit that moves.
        from shegong.orgs import services, tree

        from .models import Project, Training, Worker

        copies = [(Project, "issuer_path"), (Worker, "unit_path"), (Training, "unit_path")]
        services.path_copy_hooks.append(partial(tree.move_copies, copies=copies))
