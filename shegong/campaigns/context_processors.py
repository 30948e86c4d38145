from .models import Notification


def bell(request):
    """Unread notification count for the header bell."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"unread_count": Notification.objects.filter(user=user, read_at=None).count()}
