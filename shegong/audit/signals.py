"""Authentication events (login, logout, failure, lockout) become audit rows.

Django and django-axes announce these with signals; there is no service of ours
to put the record_event call in.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import record_event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record_event(action="auth.login", by=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(action="auth.logout", by=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    record_event(action="auth.login_failed", username=username[:150], after={"user": username})


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    record_event(action="auth.locked", username=(username or "")[:150], after={"user": username})
