"""What a re-issued notice changed from its parent, field by field."""

from .calendar import format_deadline


def _date(d):
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


def _periods(notice):
    return (
        "\n".join(
            f"{p.name}：{_date(p.start_date)}至{_date(p.end_date)}，"
            f"截止 {format_deadline(p.cutoff)}"
            for p in notice.periods.all()
        )
        or "—"
    )


def _quotas(notice):
    return (
        "\n".join(
            f"{q.kinds_display()}：{q.get_metric_display()} {q.target}，"
            f"{_date(q.start_date)}至{_date(q.end_date)}"
            for q in notice.quotas.all()
        )
        or "—"
    )


def _sections(notice):
    return {s.heading: s.text for s in notice.sections.all()}


FIELDS = [
    ("文号", lambda n: n.doc_number or "—"),
    ("标题", lambda n: n.title),
    ("发文单位", lambda n: n.issuer.name),
    ("主送", lambda n: n.addressee_text or "—"),
    ("活动主题", lambda n: n.theme or "—"),
    ("活动目标", lambda n: n.goals or "—"),
    ("活动时间", lambda n: f"{_date(n.window_start)}至{_date(n.window_end)}"),
    ("报送批次与截止时间", _periods),
    ("任务指标", _quotas),
    (
        "联系人",
        lambda n: (
            " ".join(x for x in [n.contact_person, n.contact_phone, n.contact_email] if x) or "—"
        ),
    ),
    ("成文日期", lambda n: _date(n.signed_date)),
]


def notice_diff(parent, child):
    """Rows (label, parent value, child value) for every field that differs."""
    rows = []
    for label, get in FIELDS:
        old, new = get(parent), get(child)
        if old != new:
            rows.append((label, old, new))
    old_sections, new_sections = _sections(parent), _sections(child)
    for heading in dict.fromkeys([*old_sections, *new_sections]):
        old, new = old_sections.get(heading, "—"), new_sections.get(heading, "—")
        if old != new:
            rows.append((f"正文：{heading}", old, new))
    return rows
