"""Send a signed-in user to the second-factor page, then users with a temporary or
expired password to the change-password page, before any other page; and keep a
signed-in session's idle clock running."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import factor

FACTOR_PAGES = ("otp_verify", "otp_enrol")


def _exempt(request, names):
    return request.path.startswith(settings.STATIC_URL) or request.path in {
        reverse(name) for name in ("logout", *names)
    }


def _go(request, url):
    if request.headers.get("HX-Request"):
        # htmx would swap the page it is sent to into a fragment: have it navigate.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SecondFactorMiddleware:
    """Nothing but the code page (or the enrolment page, for someone who must have a
    second factor and has none) until the session has passed its second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if factor.pending(request) and not _exempt(request, FACTOR_PAGES):
            url = reverse("otp_verify" if factor.enrolled(request.user) else "otp_enrol")
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return _go(request, url)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and (user.must_change_password or user.password_expired())
            and not _exempt(request, ("password_change", *FACTOR_PAGES))
        ):
            return _go(request, reverse("password_change"))
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
