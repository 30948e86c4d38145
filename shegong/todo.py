"""What the user must do for the current unit (待办), most urgent first: the home page's
list and the bell's count. Each item is one click from the page where it is done.

Gathered from each app's own selectors, scoped as their pages are: notices to sign, the
unit's cutoffs in the next 7 days (and for a reviewer, the children that have not yet
submitted), reports and briefs returned with the reason, reviews waiting, the summary due,
quotas behind plan at this date, and the due items of the year-round work (case follow-ups,
supervision items, evaluations).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.cache import caches
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from shegong.activities import quotas
from shegong.articles import selectors as article_selectors
from shegong.articles.models import Article, ArticleEvent, ArticleStatus
from shegong.campaigns import selectors as campaign_selectors
from shegong.campaigns.models import ExpectedReporter, NoticeStatus, PeriodKind
from shegong.casework import selectors as case_selectors
from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree
from shegong.orgs.models import Role
from shegong.projects import selectors as project_selectors
from shegong.reporting import selectors as report_selectors
from shegong.reporting.models import PeriodReport, ReportStatus
from shegong.supervision import selectors as supervision_selectors
from shegong.volunteers import selectors as volunteer_selectors

WINDOW = timedelta(days=7)  # cutoffs this close are listed
BELL_SECONDS = 60  # the bell's count is kept this long per user and unit
REVIEW_ROLES = (Role.ADMIN, Role.REVIEWER)
YEAR_ROUND = (case_selectors, supervision_selectors, project_selectors, volunteer_selectors)


@dataclass
class Item:
    kind: str  # 签收通知, 报送, 退回, 审核, 总结, 任务, and the year-round kinds
    title: str
    url: str
    due: datetime | None  # None: to do now (signing, returned work, reviews waiting)
    detail: str = ""

    @property
    def overdue(self):
        return self.due is not None and self.due < timezone.now()

    @property
    def countdown(self):
        """剩 3 天 / 剩 5 小时 / 已逾期 2 天: the time left, as a clerk says it."""
        if self.due is None:
            return ""
        left = self.due - timezone.now()
        if left < timedelta(0):
            days = (-left).days
            return f"已逾期 {days} 天" if days else "已逾期"
        if left < timedelta(days=1):
            return f"剩 {max(1, left.seconds // 3600)} 小时"
        return f"剩 {left.days} 天"


def _end_of(day):
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def items(user, unit, today=None):
    """The to-do items of `user` working as `unit`, most urgent first."""
    today = today or timezone.localdate()
    now = timezone.now()
    out = []
    if unit is not None:  # someone in no unit (a third-party assessor) has only the last
        roles = org_selectors.roles_over(user, unit)
        out += _signing(user, unit, now) + _cutoffs(unit, now) + _returned(user, unit)
        if roles & set(REVIEW_ROLES):
            out += _children_missing(unit, now) + _reviews(user)
        out += _quotas_behind(unit, today)
    for selectors in YEAR_ROUND:
        for d in selectors.due_items(user, today):
            out.append(Item(d["kind"], d["title"], d["url"], _end_of(d["due"])))
    # Undated items first (to do now), then by how soon they fall due.
    return sorted(out, key=lambda i: (i.due is not None, i.due or now))


def count(user, unit):
    """How many items the bell shows: kept for a minute per user and unit, so that the
    header of every page does not gather the list again."""
    key = f"todo-count:{user.pk}:{unit.pk if unit else 0}"
    store = caches["default"]
    n = store.get(key)
    if n is None:
        n = len(items(user, unit))
        store.set(key, n, BELL_SECONDS)
    return n


def _signing(user, unit, now):
    receipts = campaign_selectors.inbox(user, unit).filter(signed_at=None)[:20]
    return [
        Item(
            "签收通知",
            f"{r.notice.doc_number}《{r.notice.title}》",
            reverse("notice_detail", args=[r.notice.pk]),
            None,
            r.notice.issuer.name,
        )
        for r in receipts
    ]


def _open_rows(q):
    return (
        ExpectedReporter.objects.filter(q, quota=None, delivered_at=None, excused_at=None)
        .exclude(notice__status=NoticeStatus.DRAFT)
        .filter(period__locked_at=None)
    )


def _cutoffs(unit, now):
    """The unit's own tables and summaries not yet sent whose cutoff is in the next 7 days
    or has passed (while the period is still open)."""
    rows = (
        _open_rows(Q(unit=unit))
        .filter(period__cutoff__lte=now + WINDOW)
        .select_related("period", "notice")
        .order_by("period__cutoff")
    )
    out = []
    for row in rows[:20]:
        period = row.period
        if period.kind == PeriodKind.SUMMARY:
            kind, url = "总结", reverse("summary_edit", args=[period.pk])
        else:
            kind, url = "报送", reverse("period_report", args=[period.pk])
        title = f"{period.name}（{row.notice.doc_number or row.notice.title}）"
        out.append(Item(kind, title, url, period.cutoff, period.submit_to))
    return out


def _children_missing(unit, now):
    """For a reviewer: periods falling due within 7 days in which units below have not
    yet submitted, with how many."""
    rows = (
        _open_rows(tree.descendants(unit.path, "unit_path"))
        .filter(period__cutoff__gte=now, period__cutoff__lte=now + WINDOW)
        .values("period", "period__name", "period__cutoff")
        .annotate(n=Count("id"))
        .order_by("period__cutoff")
    )
    return [
        Item(
            "催报",
            f"{r['period__name']}：{r['n']} 个下级单位尚未报送",
            reverse("completeness", args=[r["period"]]),
            r["period__cutoff"],
        )
        for r in rows[:10]
    ]


def _returned(user, unit):
    out = [
        Item(
            "退回",
            f"报表被退回：{r.period.name}",
            reverse("report_detail", args=[r.pk]),
            None,
            f"退回原因：{r.return_reason}" if r.return_reason else "",
        )
        for r in PeriodReport.objects.filter(unit=unit, status=ReportStatus.RETURNED)
        .select_related("period")
        .order_by("-reviewed_at")[:10]
    ]
    articles = list(
        Article.objects.filter(unit=unit, status=ArticleStatus.RETURNED).order_by("-id")[:10]
    )
    reasons = {}
    for e in ArticleEvent.objects.filter(article__in=articles, action="returned").order_by("id"):
        reasons[e.article_id] = e.note  # the last return wins
    for a in articles:
        note = reasons.get(a.pk, "")
        out.append(
            Item(
                "退回",
                f"简讯被退回：{a.title}",
                reverse("article_edit", args=[a.pk]),
                None,
                f"退回原因：{note}" if note else "",
            )
        )
    return out


def _reviews(user):
    out = []
    reports = report_selectors.to_review(user).count()
    if reports:
        out.append(Item("审核", f"{reports} 份报表待审核", reverse("report_index"), None))
    briefs = article_selectors.to_review(user).count()
    if briefs:
        url = reverse("article_list") + "?status=submitted"
        out.append(Item("审核", f"{briefs} 篇简讯待审核", url, None))
    return out


def _quotas_behind(unit, today):
    """The unit's quotas behind plan at this date: done below the share of the target the
    days gone by call for (e.g. 家庭走访 12/30 with 9 days left)."""
    out = []
    for p in quotas.progress_of(unit):
        q = p.quota
        if p.met or today < q.start_date or today > q.end_date:
            continue
        days = (q.end_date - q.start_date).days + 1
        gone = (today - q.start_date).days + 1
        planned = q.target * gone / days
        if p.done >= planned:
            continue
        left = (q.end_date - today).days
        out.append(
            Item(
                "任务",
                f"{p.label} {p.done}/{p.target}，还剩 {left} 天",
                reverse("home") + "#quota-progress",
                _end_of(q.end_date),
                f"按进度此时应完成约 {int(planned)}（{q.notice.doc_number}）",
            )
        )
    return out


def bell(request):
    """The to-do count beside the unread messages in the header bell (a context processor)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"todo_count": count(user, getattr(request, "unit", None))}
