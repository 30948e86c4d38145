"""Forgive a username's login failures once the whole sign-in has succeeded. For someone
with a second factor that is after the code, not after the password alone: otherwise each
correct password would reset the count of wrong codes."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import factor, lockout


@receiver(user_logged_in)
def _forgive_after_password(sender, request, user, **kwargs):
    if not (factor.enrolled(user) or factor.required_for(user)):
        lockout.forgive(user.get_username())
