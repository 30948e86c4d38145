"""Writing audit events. Services call record_event inside their own transaction."""

from django.forms.models import model_to_dict

from .context import client_ip
from .models import AuditEvent


def snapshot(obj, fields):
    """The values of `fields` on `obj`, as a JSON-able dict (foreign keys by id)."""
    return model_to_dict(obj, fields=fields)


def changed(before, after):
    """Only the keys whose value differs, as ({key: old}, {key: new})."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record_event(*, action, by=None, unit=None, obj=None, before=None, after=None, username=""):
    """Append one audit row. `by` is the acting user (None for the system)."""
    return AuditEvent.objects.create(
        action=action,
        user=by if getattr(by, "pk", None) else None,
        username=getattr(by, "username", "") or username,
        unit=unit,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=before,
        after=after,
        ip=client_ip.get(),
    )
