"""Resolve the unit the user is working as (chosen in the header) for every request."""

from django.http import Http404

from . import selectors

SESSION_KEY = "current_unit_id"


class CurrentUnitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wanted = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        request.unit, request.unit_roles = selectors.acting_as(request.user, wanted)
        return self.get_response(request)


def unit_of(request, code=None):
    """The unit a page is about: the one with `code` if the user may see it (404
    otherwise), else the unit they work as; 404 for someone in no unit."""
    if code:
        return selectors.get_visible_unit(request.user, code)
    if request.unit is None:
        raise Http404("您还没有加入任何单位。")
    return request.unit
