"""A 总结材料 as the Word file sent upward: on the GB/T 9704 page (gongwen.Gongwen), its
written parts under 一、… headings, the register's tables after the parts they support,
the marked briefs with one picture each, the signature, and the children's approved
summaries appended as 附件. A summary goes up as a 报告 or as an attachment, so it carries
no 文号."""

from shegong.reporting.models import SUMMARY_SECTIONS
from shegong.reporting.summaries import NUMERALS

from .gongwen import Gongwen


def _money(value):
    return f"{value:,.2f}"


def _figures(doc, c):
    b, h = c.board, c.board.headline
    doc.caption("表1　主要数据")
    doc.table(
        ["活动场次", "参与人次", "受益人次", "链接资金（元）", "链接物资折价（元）"],
        [[h["n"], h["participants"], h["beneficiaries"], _money(h["funds"]), _money(h["inkind"])]],
    )
    doc.caption("表2　按服务领域和活动形式")
    rows = [["服务领域", name, n, p] for name, n, p in b.domains]
    rows += [["活动形式", name, n, p] for name, n, p in b.forms]
    doc.table(["分类", "名称", "活动场次", "参与人次"], rows or [["—", "—", 0, 0]])
    doc.caption("表3　“五社联动”参与情况")
    doc.table(["参与方", "活动场次"], [[label, n] for label, n in b.linkage])


def _results(doc, c):
    number = 4
    if c.quotas:
        doc.caption(f"表{number}　任务指标完成情况")
        doc.table(
            ["指标", "每单位须完成", "本单位", "应完成单位", "已完成", "未完成的单位"],
            [
                [
                    r.label,
                    r.quota.target,
                    f"{r.own.done}/{r.own.target}" if r.own else "—",
                    r.expected,
                    r.met,
                    "、".join(f"{p.unit.name}（{p.done}/{p.target}）" for p in r.short) or "无",
                ]
                for r in c.quotas
            ],
        )
        number += 1
    if c.weekly:
        doc.caption(f"表{number}　工作进展情况报送")
        doc.table(
            ["批次", "本单位", "上报率", "及时率"],
            [
                [rate.period.name, _own(own), _rate(rate, "reported"), _rate(rate, "on_time")]
                for rate, own in c.weekly
            ],
        )
        number += 1
    if c.board.children:
        doc.caption(f"表{number}　下级单位开展活动情况")
        doc.table(
            ["单位", "活动场次", "参与人次", "受益人次", "链接资金（元）", "链接物资折价（元）"],
            [
                [
                    row.unit.name if row.unit else "本单位直接开展",
                    row.totals["n"],
                    row.totals["participants"],
                    row.totals["beneficiaries"],
                    _money(row.totals["funds"]),
                    _money(row.totals["inkind"]),
                ]
                for row in c.board.children
            ],
        )
        number += 1
    rows = [[s.title, label, value] for s in c.year_round for label, value in s.rows]
    if rows:
        doc.caption(f"表{number}　同期常态化服务情况")
        doc.table(["方面", "项目", "数值"], rows)


def _own(report):
    if report is None or not report.first_submitted_at:
        return "未报送"
    return "按时报送" if report.on_time else "逾期报送"


def _rate(rate, which):
    value = rate.reported_rate if which == "reported" else rate.on_time_rate
    return "—" if value is None else f"{value:.1%}"


def _briefs(doc, c):
    for brief in c.briefs:
        doc.paragraph(f"{brief.article.title}（{brief.article.unit.name}）", indent=False)
        if brief.photo is not None:
            with brief.photo.image.open("rb") as f:
                doc.picture(f.read(), brief.photo.caption or brief.article.title)


AFTER = {"work": _figures, "results": _results, "experience": _briefs}


def _parts(doc, sections, content=None):
    for i, (key, label) in enumerate(SUMMARY_SECTIONS):
        doc.heading(1, f"{NUMERALS[i]}、{label}")
        for line in (sections.get(key) or "").splitlines():
            if line.strip():
                doc.paragraph(line.strip())
        if content is not None and key in AFTER:
            AFTER[key](doc, content)


def compose(doc, content, title, sections, signed_on):
    """Write a summary onto `doc` (a Gongwen, or blocks.Blocks for the print view):
    `content` is reporting.summaries.content() (tables, briefs, annexes), `title` and
    `sections` the written text, `signed_on` its date."""
    doc.title(title)
    if content.period.submit_to:
        doc.addressee(content.period.submit_to)
    _parts(doc, sections, content)
    if content.annexes:
        doc.attachment_list([annex.title for annex in content.annexes])
    doc.signature(content.unit.name, signed_on)
    single = len(content.annexes) == 1  # GB/T 9704: a single attachment is not numbered
    for number, annex in enumerate(content.annexes, 1):
        doc.attachment_page(None if single else number, annex.title)
        _parts(doc, annex.sections)
    return doc


def summary_docx(content, title, sections, signed_on):
    """The .docx bytes of a summary (see compose)."""
    return compose(Gongwen(), content, title, sections, signed_on).bytes()
