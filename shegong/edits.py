"""Edit conflicts: no save silently replaces a colleague's.

Every edit form carries the version of the object it was opened at, and the values it
showed (signed, so they cannot be forged). A service refuses a save against a newer
version with EditConflict; the view then shows "已被某某于 HH:MM 修改", what that change
was beside what this person typed, and gives the form back with their own text kept and
the colleague's untouched changes merged in, to check and save again.
"""

from dataclasses import dataclass, field

from django import forms
from django.core import signing
from django.utils import timezone

SALT = "shegong.edits"
TRACKING = ("version", "base")


class EditConflict(Exception):
    """The object was saved by someone else after this form was opened."""

    def __init__(self, obj):
        super().__init__(f"{obj} 已被他人修改")
        self.obj = obj


def check_version(obj, version):
    """Refuse a save made from a form opened at an older `version` (None: not tracked)."""
    if version not in (None, "") and int(version) != obj.version:
        raise EditConflict(obj)


def posted_version(data, prefix=""):
    value = (data or {}).get(f"{prefix}version", "")
    return int(value) if str(value).isdigit() else None


def sign(values):
    return signing.dumps(values, salt=SALT, compress=True)


def unsign(text):
    try:
        return signing.loads(text or "", salt=SALT)
    except signing.BadSignature:
        return None


# Reading what a form holds, the way the browser posts it back


def _text(value):
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n")


def _posted(field, value):
    if isinstance(field.widget, forms.CheckboxInput):
        return "1" if value not in (None, "", False, "False", "false", "0") else ""
    value = field.prepare_value(value)
    if isinstance(value, (list, tuple, set)):
        return sorted(_text(v) for v in value)
    if not isinstance(value, str):
        value = field.widget.format_value(value)
    return _text(value)


def _forms(parts):
    """Each form of `parts` (forms and formsets), with a label for its fields' names."""
    for part in parts:
        if isinstance(part, forms.BaseFormSet):
            yield part.management_form, None
            for i, form in enumerate(part.forms):
                yield form, f"第{i + 1}项"
        else:
            yield part, ""


def form_values(*parts):
    """{html name: value as posted} of every field of `parts`, bound or not."""
    values = {}
    for form, _ in _forms(parts):
        for name, f in form.fields.items():
            if name in TRACKING or isinstance(f, forms.FileField):
                continue
            values[form.add_prefix(name)] = _posted(f, form[name].value())
    return values


def _labels(parts):
    """{html name: (label, field)} for the rows of the conflict table."""
    labels = {}
    for form, item in _forms(parts):
        if item is None:
            continue
        for name, f in form.fields.items():
            label = f"{f.label or name}（{item}）" if item else (f.label or name)
            labels[form.add_prefix(name)] = (label, f)
    return labels


def track(form, obj, *others):
    """Give `form` the hidden version and opening values; `others` are formsets whose
    values travel with it. `obj` None is a record not written yet: version 0, so a save
    after someone else wrote it first is refused too. Call before is_valid()."""
    form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
    form.fields["base"] = forms.CharField(widget=forms.HiddenInput, required=False)
    if not form.is_bound:
        form.initial["version"] = obj.version if obj is not None else 0
        form.initial["base"] = sign(form_values(form, *others))
    return form


# After a refused save


@dataclass
class Row:
    label: str
    base: str
    theirs: str
    yours: str
    taken: str  # "theirs": merged into the form; "yours": both changed it, yours kept


@dataclass
class Conflict:
    by: str
    at: object
    rows: list = field(default_factory=list)
    data: object = None  # the merged form data to show again
    files_dropped: bool = False

    @property
    def message(self):
        local = timezone.localtime(self.at) if self.at else None
        if local is None:
            when = ""
        elif local.date() == timezone.localdate():
            when = f"于 {local:%H:%M} "
        else:
            when = f"于 {local.month}月{local.day}日 {local:%H:%M} "
        return f"已被{self.by}{when}修改"

    @property
    def clashes(self):
        return [r for r in self.rows if r.taken == "yours"]


def last_change(obj):
    """Who last changed `obj`, and when: its newest audit event."""
    from shegong.audit.models import AuditEvent

    event = (
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("user")
        .order_by("-id")
        .first()
    )
    if event is None:
        return "他人", getattr(obj, "updated_at", None)
    name = event.user.display_name if event.user else event.username
    return name or "他人", event.at


def _shown(value, f=None):
    if isinstance(value, list):
        return "、".join(_shown(v, f) for v in value) or "（空）"
    if value in (None, ""):
        if f is not None and isinstance(f.widget, forms.CheckboxInput):
            return "否"
        return "（空）"
    if f is not None and isinstance(f.widget, forms.CheckboxInput):
        return "是"
    for key, text in getattr(f, "choices", None) or ():
        if isinstance(text, (list, tuple)):  # option groups
            continue
        if str(getattr(key, "value", key)) == value:
            return str(text)
    return value


def _put(data, name, value, f):
    if f is not None and isinstance(f.widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    elif isinstance(value, list):
        data.setlist(name, value)
    else:
        data[name] = value


def resolve(data, *, base, theirs, yours, labels, obj, files=None):
    """Merge a refused save. `data` is what was posted, `yours` its values, `base` the
    values the form opened with (None when unknown), `theirs` the values of the stored
    object now. A field only the colleague changed takes their value; a field both
    changed keeps this person's, and is listed for them to check."""
    merged = data.copy()
    by, at = last_change(obj)
    conflict = Conflict(by=by, at=at, data=merged, files_dropped=bool(files))
    for name, their in theirs.items():
        old = base.get(name) if base is not None else None
        mine = yours.get(name)
        if (base is not None and their == old) or mine == their:
            continue
        label, f = labels.get(name, (None, None))
        taken = "theirs" if base is not None and mine == old else "yours"
        if taken == "theirs":
            _put(merged, name, their, f)
        if label is not None:  # a formset's counters are merged without a row
            shown_old = _shown(old, f) if base is not None else "—"
            conflict.rows.append(Row(label, shown_old, _shown(their, f), _shown(mine, f), taken))
    merged["version"] = str(obj.version)
    merged["base"] = sign(theirs)
    return conflict


def resolve_form(form, fresh, obj, *others, fresh_others=(), files=None):
    """resolve() for Django forms: `form` (+ `others`) as posted, `fresh` (+
    `fresh_others`) opened unbound on the stored object now."""
    return resolve(
        form.data,
        base=unsign(form.data.get("base")),
        theirs=form_values(fresh, *fresh_others),
        yours=form_values(form, *others),
        labels=_labels([fresh, *fresh_others]),
        obj=obj,
        files=files,
    )
