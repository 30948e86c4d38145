"""Resolve the unit the user is working as (chosen in the header) for every request."""

from . import selectors

SESSION_KEY = "current_unit_id"


class CurrentUnitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wanted = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        request.unit, request.unit_roles = selectors.acting_as(request.user, wanted)
        return self.get_response(request)
