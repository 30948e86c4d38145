"""The client address of the request being served, for audit rows written deep in services."""

from contextvars import ContextVar

from django.conf import settings

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def address_of(request):
    """The client's address: behind nginx, the header it sets (CLIENT_IP_HEADER; of a list,
    the last entry, the one nginx added), else the connection's address."""
    if settings.CLIENT_IP_HEADER:
        value = request.headers.get(settings.CLIENT_IP_HEADER, "").split(",")[-1].strip()
        if value:
            return value
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(address_of(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
