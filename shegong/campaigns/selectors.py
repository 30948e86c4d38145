"""Which notices a user may see, and what they may do with them.

A notice is visible to the units it was sent to and everything below them (the chain it
was addressed to), to the issuer and the units above it once issued, and — as a draft —
only to the issuing unit's own members.
"""

import hashlib

from django.core.cache import caches
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from shegong.db_router import read_cursor
from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree
from shegong.orgs.models import Role

from .models import Notice, NoticeRecipient, NoticeStatus


def chain_paths(user):
    """Paths of the user's units and of every unit above them."""
    paths = set()
    for m in org_selectors.memberships_of(user):
        paths.add(m.unit.path)
        paths.update(tree.ancestor_paths(m.unit.path))
    return paths


def notices_visible_to(user):
    memberships = org_selectors.memberships_of(user)
    if not memberships:
        return Notice.objects.none()
    received = Exists(
        NoticeRecipient.objects.filter(notice=OuterRef("pk"), unit__path__in=chain_paths(user))
    )
    published = ~Q(status=NoticeStatus.DRAFT)
    own_units = Q(issuer_id__in={m.unit_id for m in memberships})
    above_issuer = org_selectors.visible_q(user, "issuer__path") & published
    return Notice.objects.filter((published & received) | above_issuer | own_units)


def offered_notices(user, limit=50):
    """The issued and closed notices the user may see, newest first, with their periods
    and quotas: what the dashboards and the activity forms offer. Each worker keeps the list
    until a notice is saved (issued, closed, shown on the portal…: its updated_at moves) or
    the user's units change; periods and quotas change only while a notice is a draft, and
    drafts are not offered."""
    units = sorted((m.unit_id, m.unit.path) for m in org_selectors.memberships_of(user))
    stamp = _last_notice_saved()
    key = "notices:" + hashlib.sha256(repr((user.pk, units, stamp, limit)).encode()).hexdigest()
    store = caches["dashboards"]
    notices = store.get(key)
    if notices is None:
        notices = list(
            notices_visible_to(user)
            .exclude(status=NoticeStatus.DRAFT)
            .select_related("issuer")
            .prefetch_related("periods", "quotas")
            .order_by("-window_start", "-id")[:limit]
        )
        store.set(key, notices)
    return notices


def _last_notice_saved():
    """When any notice was last saved (index notice_updated). Every dashboard and activity
    form reads it, so it is a plain cursor: a third of what the ORM spends building it."""
    table = connection.ops.quote_name(Notice._meta.db_table)
    with read_cursor(Notice) as cursor:
        cursor.execute(f"SELECT MAX(updated_at) FROM {table}")
        return cursor.fetchone()[0]


def get_notice_for_user(user, pk):
    notice = notices_visible_to(user).select_related("issuer", "parent").filter(pk=pk).first()
    if notice is None:
        raise Http404("没有找到该通知，或您无权查看。")
    return notice


def direct_roles(user, unit):
    """Roles held at exactly this unit (issuing and signing are the unit's own acts)."""
    return {m.role for m in org_selectors.memberships_of(user) if m.unit_id == unit.pk}


def can_edit(user, notice):
    return notice.is_draft and Role.ADMIN in direct_roles(user, notice.issuer)


def can_manage_issued(user, notice):
    """The issuer's 管理员: sees who signed, adds or excuses expected reporters, closes."""
    return Role.ADMIN in direct_roles(user, notice.issuer)


def recipient_units_for(user, notice):
    """The user's units that this notice was sent to (where they may sign or re-issue)."""
    mine = {m.unit_id for m in org_selectors.memberships_of(user)}
    return [r for r in notice.recipients.select_related("unit") if r.unit_id in mine]


def can_sign(user, recipient):
    return bool(direct_roles(user, recipient.unit) & {Role.ADMIN, Role.REVIEWER})


def can_derive(user, recipient):
    return Role.ADMIN in direct_roles(user, recipient.unit)


def inbox(user, unit):
    """Notices sent to `unit` itself, newest first, with its receipt row."""
    return (
        NoticeRecipient.objects.filter(unit=unit)
        .exclude(notice__status=NoticeStatus.DRAFT)
        .select_related("notice", "notice__issuer")
        .order_by("-delivered_at")
    )
