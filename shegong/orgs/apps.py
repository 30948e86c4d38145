from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _stamp_triggers(using, **kwargs):
    """Put back the tree stamp's triggers: on SQLite a migration that remakes a table drops
    them (orgs.stamp)."""
    from django.db import connections

    from . import stamp

    connection = connections[using]
    if "orgs_treestamp" in connection.introspection.table_names():
        stamp.install(connection)


class OrgsConfig(AppConfig):
    name = "shegong.orgs"
    verbose_name = "单位与成员"

    def ready(self):
        post_migrate.connect(_stamp_triggers, sender=self)
