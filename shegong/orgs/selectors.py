"""Which units a user may see and act on. Every later selector builds on these.

A membership at a unit reaches down its whole subtree, with one exception: 填报员
enters data for its own unit only. Nothing above or beside a user's units is visible.
"""

import copy

from django.core.cache import caches
from django.db.models import Q
from django.http import Http404

from . import stamp, tree
from .models import Membership, OrgUnit, Role


def tree_stamp(user):
    """The tree stamp (orgs.stamp), read once per request and kept on the user."""
    found = getattr(user, "_shegong_stamp", None)
    if found is None:
        found = user._shegong_stamp = stamp.read()
    return found


def memberships_of(user):
    """The user's memberships with their units: kept on the user for the request, and in
    the shared cache under the tree stamp, which every write to a unit or a membership
    changes (so a revoked role or a moved unit is never served from the cache)."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = getattr(user, "_shegong_memberships", None)
    if found is None:
        key = f"memberships:{user.pk}:{tree_stamp(user)}"
        found = caches["dashboards"].get(key)
        if found is None:
            found = list(
                Membership.objects.filter(user=user, unit__is_active=True)
                .select_related("unit")
                .order_by("unit__path", "role")
            )
            caches["dashboards"].set(key, found)
        user._shegong_memberships = found
    return found


def acting_as(user, unit_id=None):
    """(unit, roles there) the user works as: the unit `unit_id` when it is one of theirs,
    else their first; (None, set()) for someone in no unit."""
    memberships = memberships_of(user)
    chosen = next((m for m in memberships if m.unit_id == unit_id), None)
    if chosen is None and memberships:
        chosen = memberships[0]
    if chosen is None:
        return None, set()
    return chosen.unit, {m.role for m in memberships if m.unit_id == chosen.unit_id}


def _cover(paths):
    """The minimal set of paths whose subtrees cover all of `paths`."""
    out = []
    for p in sorted(set(paths)):
        if not out or not p.startswith(out[-1]):
            out.append(p)
    return out


def _paths(user, roles=None):
    return _cover(m.unit.path for m in memberships_of(user) if roles is None or m.role in roles)


def _in_subtrees(paths, field="path"):
    if not paths:
        return None
    q = Q()
    for p in paths:
        q |= tree.subtree(p, field)
    return q


def visible_q(user, field="path"):
    """A Q over a path column that keeps only what `user` may see, or None for nothing."""
    return _in_subtrees(_paths(user), field)


def roles_q(user, roles, field="path"):
    """Like visible_q, but only through memberships with one of `roles`."""
    return _in_subtrees(_paths(user, roles), field)


def units_visible_to(user):
    q = visible_q(user)
    return OrgUnit.objects.filter(q) if q is not None else OrgUnit.objects.none()


def top_units_of(user):
    """The highest units the user can see: where the tree page starts."""
    paths = _paths(user)
    return list(OrgUnit.objects.filter(path__in=paths).order_by("path"))


def sees(user, path):
    """Whether `user` may see the unit at `path`: the same rule as visible_q, in Python."""
    return any(path.startswith(p) for p in _paths(user))


def get_visible_unit(user, code):
    """The unit with `code` if the user may see it; 404 otherwise, never 403."""
    # One's own unit is loaded already with the memberships: a copy, not a query (a copy, so
    # that a form editing it does not change the header's unit list with it).
    own = next((m.unit for m in memberships_of(user) if m.unit.code == code), None)
    unit = copy.copy(own) if own else OrgUnit.objects.filter(code=code).first()
    if unit is None or not sees(user, unit.path):
        raise Http404("没有找到该单位，或您无权查看。")
    return unit


def ancestors_visible_to(user, unit):
    """The ancestors of `unit` the user may see, root first: the chain from the highest
    unit of theirs above it (none, and no query, when they see nothing above it)."""
    paths = [p for p in tree.ancestor_paths(unit.path) if sees(user, p)]
    return list(OrgUnit.objects.filter(path__in=paths).order_by("path")) if paths else []


def is_member(user, unit_id):
    """Whether the user holds a role at the unit itself (not only above it)."""
    return any(m.unit_id == unit_id for m in memberships_of(user))


def roles_over(user, unit):
    """The roles the user holds over `unit`, through it or any of its ancestors."""
    roles = set()
    for m in memberships_of(user):
        own = m.unit_id == unit.id
        if own or (unit.path.startswith(m.unit.path) and m.role != Role.FILLER):
            roles.add(m.role)
    return roles


def reviewing_units(user, path):
    """The units strictly above `path` where `user` is 审核员 or 管理员."""
    return [
        m.unit
        for m in memberships_of(user)
        if m.role in (Role.REVIEWER, Role.ADMIN)
        and path.startswith(m.unit.path)
        and path != m.unit.path
    ]


def can_manage(user, unit):
    """管理员 of the unit or of an ancestor: may edit it, move it and manage its accounts."""
    return Role.ADMIN in roles_over(user, unit)


def managed_paths(user):
    return _paths(user, roles={Role.ADMIN})


def units_managed_by(user):
    q = _in_subtrees(managed_paths(user))
    return OrgUnit.objects.filter(q) if q is not None else OrgUnit.objects.none()


def children_visible_to(user, unit):
    """Direct children of a visible unit."""
    return (
        OrgUnit.objects.filter(parent=unit).filter(visible_q(user) or Q(pk__in=[])).order_by("path")
    )


def children_of(user, unit, limit=200):
    """The first `limit` of children_visible_to as a list, kept in the shared cache under
    the tree stamp: the dashboards and the statistics API read it on every call."""
    key = f"children:{unit.pk}:{unit.path}:{limit}:{tree_stamp(user)}"
    children = caches["dashboards"].get(key)
    if children is None:
        children = list(OrgUnit.objects.filter(parent=unit).order_by("path")[:limit])
        caches["dashboards"].set(key, children)
    return [c for c in children if sees(user, c.path)]


def search_units(user, text, limit=50):
    """Visible units whose name contains `text` or whose code starts with it."""
    text = text.strip()
    q = visible_q(user)
    if not text or q is None:
        return []
    match = Q(name__contains=text) | Q(short_name__contains=text)
    if text.isascii():
        match |= Q(code__gte=text, code__lt=text + tree.HIGH)
        match |= Q(division_code__gte=text, division_code__lt=text + tree.HIGH)
    return list(OrgUnit.objects.filter(q).filter(match).order_by("path")[:limit])


def members_visible_to(user, unit):
    """Memberships at `unit` (for its detail page); empty unless the user manages it."""
    if not can_manage(user, unit):
        return Membership.objects.none()
    return Membership.objects.filter(unit=unit).select_related("user").order_by("role")
