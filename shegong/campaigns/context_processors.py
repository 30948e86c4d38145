from django.db import connection

from shegong.db_router import read_cursor

from .models import Notification


def bell(request):
    """Unread notification count for the header bell."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    # On every page: a plain cursor over index notification_unread, without the ORM's
    # query building (two thirds of the ORM's time for this count).
    table = connection.ops.quote_name(Notification._meta.db_table)
    with read_cursor(Notification) as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE user_id = %s AND read_at IS NULL", [user.pk]
        )
        return {"unread_count": cursor.fetchone()[0]}
