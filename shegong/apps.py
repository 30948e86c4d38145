from django.apps import AppConfig


class ShegongConfig(AppConfig):
    """The project package itself: shared templates, static files and site-wide commands."""

    name = "shegong"
    verbose_name = "社工"
