"""Send users with a temporary or expired password to the change-password page first, and
keep a signed-in session's idle clock running."""

import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and (user.must_change_password or user.password_expired())
            and not request.path.startswith(settings.STATIC_URL)
            and request.path not in (reverse("password_change"), reverse("logout"))
        ):
            return redirect("password_change")
        return self.get_response(request)


class IdleClockMiddleware:
    """Restart the session's idle clock (SESSION_COOKIE_AGE) on activity, at most once a
    minute: writing the session row on every request would cost every page a write."""

    KEY, EVERY = "touched", 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.EVERY:
                session[self.KEY] = now  # marks it modified: SessionMiddleware saves it
        return response
