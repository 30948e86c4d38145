"""In-app notifications (the bell) and e-mail, to the people of a unit."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from shegong.orgs.models import Membership

from .models import Notification


def people_of(units, roles):
    """Active users holding one of `roles` directly at one of `units`, each once."""
    rows = (
        Membership.objects.filter(unit__in=units, role__in=roles, user__is_active=True)
        .select_related("user", "unit")
        .order_by("user_id")
    )
    seen, out = set(), []
    for m in rows:
        if m.user_id not in seen:
            seen.add(m.user_id)
            out.append((m.user, m.unit))
    return out


def notify_units(units, *, roles, text, url="", subject=None):
    """Tell the people of `units` in the app, and by e-mail where they gave an address.

    Call inside the transaction of the change: the rows roll back with it, and the
    e-mail leaves only after commit.
    """
    people = people_of(units, roles)
    Notification.objects.bulk_create(
        Notification(user=user, unit=unit, text=text[:500], url=url) for user, unit in people
    )
    mails = [
        (subject or text[:60], f"{text}\n\n{settings.SITE_URL}{url}", None, [user.email])
        for user, _ in people
        if user.email
    ]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return len(people)
