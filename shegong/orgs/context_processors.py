from django.conf import settings

from . import selectors


def current_unit(request):
    """The header's unit switcher: the distinct units the user is a member of."""
    units, seen = [], set()
    for m in selectors.memberships_of(getattr(request, "user", None)):
        if m.unit_id not in seen:
            seen.add(m.unit_id)
            units.append(m.unit)
    return {
        "current_unit": getattr(request, "unit", None),
        "current_roles": getattr(request, "unit_roles", set()),
        "my_units": units,
        "brand_name": settings.SITE_NAME,
    }
