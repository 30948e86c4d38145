"""Resolve the unit the user is working as (chosen in the header) for every request."""

from . import selectors

SESSION_KEY = "current_unit_id"


class CurrentUnitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.unit = None
        request.unit_roles = set()
        memberships = selectors.memberships_of(request.user)
        if memberships:
            wanted = request.session.get(SESSION_KEY)
            chosen = next((m for m in memberships if m.unit_id == wanted), memberships[0])
            request.unit = chosen.unit
            request.unit_roles = {m.role for m in memberships if m.unit_id == chosen.unit_id}
        return self.get_response(request)
