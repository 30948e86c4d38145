"""Quota progress counted from the register and the visit log (seed 003: 3 community
activities and 30 family visits per station, room and organisation)."""

from dataclasses import dataclass

from django.db.models import Count

from shegong.campaigns.models import ExpectedReporter, NoticeStatus, QuotaMetric

from .models import Activity, Visit


@dataclass
class Progress:
    quota: object
    unit: object
    done: int

    @property
    def target(self):
        return self.quota.target

    @property
    def met(self):
        return self.done >= self.quota.target

    @property
    def percent(self):
        return min(100, round(100 * self.done / self.quota.target)) if self.quota.target else 100

    @property
    def label(self):
        return self.quota.get_metric_display().split("（")[0]


def _counts(quota, unit_ids):
    """{unit id: count} of what `quota` measures, for the given units."""
    if quota.metric == QuotaMetric.VISITS:
        rows = Visit.objects.filter(
            unit_id__in=unit_ids, deleted_at=None, date__range=(quota.start_date, quota.end_date)
        )
    else:
        rows = Activity.objects.filter(
            unit_id__in=unit_ids,
            deleted_at=None,
            date_start__range=(quota.start_date, quota.end_date),
        )
        if quota.metric == QuotaMetric.COMMUNITY_ACTIVITIES:
            rows = rows.filter(activity_type__code="community")
        elif quota.metric == QuotaMetric.ARTICLES:
            return {}  # counted once news briefs exist
    return dict(rows.values_list("unit_id").annotate(n=Count("id")).order_by())


def _live(rows):
    return rows.filter(
        quota__isnull=False,
        excused_at=None,
        notice__status__in=[NoticeStatus.ISSUED, NoticeStatus.CLOSED],
    ).select_related("quota", "quota__notice", "unit")


def progress_of(unit):
    """The unit's own quotas: one Progress per quota it is expected to meet."""
    out = []
    for row in _live(ExpectedReporter.objects.filter(unit=unit)).order_by("-quota__end_date"):
        out.append(Progress(row.quota, unit, _counts(row.quota, [unit.pk]).get(unit.pk, 0)))
    return out


def lagging_below(unit, limit=50):
    """Units below `unit` (frozen expected reporters) that have not met all their quotas:
    [(unit, [Progress, …])], least advanced first, and how many such units there are."""
    from shegong.orgs import tree

    rows = _live(ExpectedReporter.objects.filter(tree.descendants(unit.path, "unit_path")))
    by_quota = {}
    for row in rows:
        by_quota.setdefault(row.quota, []).append(row.unit)
    lagging = []
    for quota, units in by_quota.items():
        counts = _counts(quota, [u.pk for u in units])
        lagging += [Progress(quota, u, counts.get(u.pk, 0)) for u in units]
    by_unit = {}
    for p in lagging:
        if not p.met:
            by_unit.setdefault(p.unit, []).append(p)
    units = sorted(by_unit, key=lambda u: (min(p.percent for p in by_unit[u]), u.path))
    return [(u, by_unit[u]) for u in units[:limit]], len(units)


@dataclass
class Result:
    """One quota of a notice over a unit's subtree: the unit's own progress when it is
    expected to meet it, and how the expected units of the subtree did."""

    quota: object
    own: Progress | None
    expected: int
    met: int
    short: list  # Progress of the units that fell short, least advanced first

    @property
    def label(self):
        return self.quota.get_metric_display().split("（")[0]


def results(notice, unit):
    """Each quota of `notice` over the subtree of `unit` (the unit itself included)."""
    from shegong.orgs import tree

    rows = _live(ExpectedReporter.objects.filter(tree.subtree(unit.path, "unit_path")))
    by_quota = {}
    for row in rows.filter(notice=notice).order_by("unit__path"):
        by_quota.setdefault(row.quota, []).append(row.unit)
    out = []
    for quota in sorted(by_quota, key=lambda q: q.pk):
        units = by_quota[quota]
        counts = _counts(quota, [u.pk for u in units])
        done = [Progress(quota, u, counts.get(u.pk, 0)) for u in units]
        own = next((p for p in done if p.unit.pk == unit.pk), None)
        short = sorted((p for p in done if not p.met), key=lambda p: (p.percent, p.unit.path))
        out.append(Result(quota, own, len(done), sum(p.met for p in done), short))
    return out
