"""What a 总结材料 holds besides the clerk's text, and the draft a new one starts from.

The figures are the dashboard's (dashboard.build) over the summary period's days, so a
summary and the dashboard of the same span never disagree: headline totals, by service
domain and activity form, 五社联动, the weekly tables' 上报率 and 及时率, the child units.
Beside them: each quota's result with the units that fell short, and the briefs marked
典型经验 or 优秀案例 with one picture each.
"""

import re
from dataclasses import dataclass, field

from django.utils import timezone

from shegong.activities import quotas
from shegong.articles import proofing
from shegong.articles import selectors as article_selectors
from shegong.campaigns.models import PeriodKind
from shegong.textcheck import NOTICE

from . import dashboard, yearround
from .models import SUMMARY_SECTIONS, PeriodReport, ReportStatus, Summary


@dataclass
class Brief:
    article: object
    photo: object  # its first picture, or None


@dataclass
class Content:
    unit: object
    period: object
    board: dashboard.Dashboard
    quotas: list  # activities.quotas.Result
    weekly: list  # (Rate of the subtree, the unit's own PeriodReport or None) per progress period
    briefs: list  # Brief
    annexes: list = field(default_factory=list)  # the children's approved Summary rows
    year_round: list = field(default_factory=list)  # yearround.Section over the same days
    choices: list = field(default_factory=list)  # those it may annex (written() fills it)

    @property
    def notice(self):
        return self.period.notice


def content(unit, period, children=(), annexes=()):
    """The generated part of `unit`'s summary for `period`; `children` are the child units
    shown in its table (those the viewer may see)."""
    notice = period.notice
    span = (period.start_date, period.end_date)
    board = dashboard.build(unit, notice, timezone.localdate(), children, span=span)
    progress = [r for r in board.rates if r.period.kind == PeriodKind.PROGRESS]
    own = {
        r.period_id: r
        for r in PeriodReport.objects.filter(unit=unit, period__in=[r.period for r in progress])
    }
    briefs = [
        Brief(a, next(iter(a.photos.all()), None))
        for a in article_selectors.marked_in(unit, period.start_date, period.cutoff.date())
    ]
    return Content(
        unit=unit,
        period=period,
        board=board,
        quotas=quotas.results(notice, unit),
        weekly=[(rate, own.get(rate.period.pk)) for rate in progress],
        briefs=briefs,
        annexes=list(annexes),
        year_round=yearround.figures(unit, *span),
    )


def annex_choices(unit, period):
    """The approved summaries of units below `unit` for this notice or the notices issued
    below it in its name (转发), which a supervising unit may append as annexes."""
    notices = _notice_and_below(period.notice)
    approved = PeriodReport.objects.filter(
        period__notice__in=notices, period__kind=PeriodKind.SUMMARY, status=ReportStatus.APPROVED
    ).values("period", "unit")
    pairs = {(r["period"], r["unit"]) for r in approved}
    below = Summary.objects.filter(
        period__notice__in=notices, unit_path__gt=unit.path, unit_path__lt=unit.path + "~"
    ).select_related("unit", "period")
    return [s for s in below.order_by("unit_path") if (s.period_id, s.unit_id) in pairs]


def _notice_and_below(notice):
    from shegong.campaigns.models import Notice

    found, level = [notice], [notice]
    while level:
        level = list(Notice.objects.filter(parent__in=level))
        found += level
    return found


# ---------------------------------------------------------------------------- the text

NUMERALS = "一二三四五六七八九十"


def body(sections):
    """The written parts as one text under their headings (一、工作开展情况 …), as the
    proofreader reads them and the page prints them."""
    parts = []
    for i, (key, label) in enumerate(SUMMARY_SECTIONS):
        parts.append(f"{NUMERALS[i]}、{label}")
        if sections.get(key):
            parts.append(sections[key])
    return "\n".join(parts)


def proof(title, sections):
    """The proofreader's findings on the whole summary, as the brief editor shows them."""
    return proofing.proofread(title, body(sections), kind=NOTICE)


_CAMPAIGN = re.compile(r"^(?:.*?关于)?(?:组织开展|组织|开展|举办)?(?P<name>.+?)(?:的)?通知$")


def campaign_name(notice):
    """关于组织开展2022年社会工作主题宣传活动的通知 → 2022年社会工作主题宣传活动."""
    found = _CAMPAIGN.match(notice.title)
    return found["name"] if found else notice.title


def default_title(unit, period):
    return f"{unit.name}{campaign_name(period.notice)}工作总结"


def _yuan(amount):
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def _day(value):
    return f"{value.year}年{value.month}月{value.day}日"


def draft_sections(c):
    """The text a new summary starts from: the facts the tables give, in sentences the
    clerk edits; 存在问题 and 下一步打算 are theirs to write."""
    notice, board, h = c.notice, c.board, c.board.headline
    number = f"（{notice.doc_number}）" if notice.doc_number else ""
    theme = f"围绕“{notice.theme}”主题，" if notice.theme else ""
    work = [
        f"{_day(c.period.start_date)}至{_day(c.period.end_date)}，{c.unit.name}按照"
        f"《{notice.title}》{number}要求，{theme}组织开展社会工作主题宣传活动。"
        f"活动期间共开展活动{h['n']}场，参与{h['participants']}人次，受益{h['beneficiaries']}"
        f"人次，链接资金{_yuan(h['funds'])}元、物资折价{_yuan(h['inkind'])}元。"
    ]
    if board.domains:
        fields_ = "、".join(f"{name}（{n}场）" for name, n, _ in board.domains[:5])
        work.append(f"服务领域主要有{fields_}。")
    work.append(yearround.sentence(c.year_round))
    results = []
    for r in c.quotas:
        if r.own is not None:
            results.append(f"“{r.label}”任务完成{r.own.done}/{r.own.target}。")
        elif r.expected:
            results.append(f"“{r.label}”任务：{r.expected}个单位中{r.met}个已完成。")
    for rate, own in c.weekly:
        if own is not None and own.first_submitted_at:
            when = "按时" if own.on_time else "逾期"
            results.append(f"“{rate.period.name}”{when}报送。")
    linked = [f"{label}{n}场" for label, n in board.linkage if n]
    if linked:
        results.append(f"“五社联动”参与情况：{'、'.join(linked)}。")
    experience = [f"{i}. {b.article.title}" for i, b in enumerate(c.briefs, 1)]
    texts = {
        "work": "".join(work),
        "results": "".join(results),
        "experience": "\n".join(experience),
    }
    return {key: texts.get(key, "") for key, _ in SUMMARY_SECTIONS}


def written(unit, period, children=()):
    """(content, title, sections, summary) of `unit`'s summary as it stands: what was saved,
    else the draft the register gives, with the annexes the unit chose."""
    summary = Summary.objects.filter(period=period, unit=unit).first()
    chosen = set(summary.annexes) if summary else set()
    choices = annex_choices(unit, period)
    found = content(unit, period, children, [s for s in choices if s.pk in chosen])
    found.choices = choices
    if summary is None:
        return found, default_title(unit, period), draft_sections(found), None
    texts = {key: summary.text_of(key) for key, _ in SUMMARY_SECTIONS}
    return found, summary.title, texts, summary


def signed_on(unit, period):
    """The date a summary bears: the day it was last submitted, else today."""
    report = PeriodReport.objects.filter(period=period, unit=unit).first()
    moment = report.submitted_at if report and report.submitted_at else timezone.now()
    return timezone.localdate(moment)
