"""The 总结材料: a draft prefilled from the register, whose figures are the dashboard's for
the same span; written and versioned; refused while the proofreader finds errors; submitted
on time or late into the summary period's rates; reviewed; seen only by its unit and above."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.campaigns import tallies
from shegong.orgs.models import Kind
from shegong.reporting import dashboard, services, summaries
from shegong.reporting.models import ReportStatus, Summary, SummaryVersion
from tests.factories import at, make_activity, make_notice

pytestmark = pytest.mark.django_db

CUTOFF = at(2030, 4, 5, 17)
PERIODS = [
    {
        "kind": "progress",
        "name": "第1次工作进展情况",
        "start_date": date(2030, 3, 17),
        "end_date": date(2030, 3, 24),
        "cutoff": at(2030, 3, 24, 17),
    },
    {
        "kind": "summary",
        "name": "活动总结",
        "start_date": date(2030, 3, 17),
        "end_date": date(2030, 3, 31),
        "cutoff": CUTOFF,
        "submit_to": "区民政局",
    },
]
QUOTAS = [
    {
        "metric": "community",
        "target": 3,
        "start_date": date(2030, 3, 17),
        "end_date": date(2030, 5, 31),
        "kinds": [Kind.STATION],
    }
]


@pytest.fixture
def campaign(world):
    """The district's notice: every station reports a weekly table and a summary."""
    world.notice = make_notice(
        world.district,
        "东民发〔2030〕2号",
        kinds=[Kind.STATION],
        periods=PERIODS,
        quotas=QUOTAS,
        theme="五社联动聚合力 社工服务暖基层",
        issue=True,
    )
    world.summary_period = world.notice.periods.get(kind="summary")
    make_activity(world.station, participants=45)
    make_activity(
        world.room,
        name="儿童安全小课堂",
        participants=30,
        date_start=date(2030, 3, 25),
        date_end=date(2030, 3, 25),
    )
    make_activity(
        world.station, name="窗口期外", date_start=date(2030, 4, 20), date_end=date(2030, 4, 20)
    )
    return world


def write(world, unit=None, by=None, **texts):
    unit = unit or world.station
    sections = {"work": "活动期间开展了助老服务。", "results": "完成了社区活动任务。", **texts}
    return services.save_summary(
        period=world.summary_period,
        unit=unit,
        by=by or world.station_worker,
        title=f"{unit.name}社会工作主题宣传活动工作总结",
        sections=sections,
    )


def submit(world, summary, when):
    with time_machine.travel(when, tick=False):
        return services.submit_summary(
            summary=summary,
            by=world.station_worker,
            filler_name="李娜",
            filler_mobile="13800001111",
        )


def test_the_draft_tells_the_figures_the_dashboard_shows_for_the_same_span(campaign):
    w = campaign
    content = summaries.content(w.station, w.summary_period, [w.room])
    board = dashboard.build(
        w.station, w.notice, date(2030, 4, 1), [w.room], span=(date(2030, 3, 17), date(2030, 3, 31))
    )
    assert content.board.headline == board.headline
    assert content.board.headline["n"] == 2  # the 20 April activity is outside the period
    assert content.board.domains == board.domains and content.board.linkage == board.linkage
    assert [r.totals for r in content.board.children] == [r.totals for r in board.children]
    sections = summaries.draft_sections(content)
    assert "共开展活动2场，参与75人次" in sections["work"]
    assert "“社区活动”任务完成2/3" in sections["results"]
    assert sections["problems"] == "" and sections["plans"] == ""
    title = summaries.default_title(w.station, w.summary_period)
    assert title == "西脑包街道社会工作服务站社会工作主题宣传活动工作总结"
    assert not summaries.proof(title, sections).errors  # the draft itself passes


def test_quota_results_name_the_units_that_fell_short(campaign):
    w = campaign
    for i in range(3):
        day = date(2030, 3, 20 + i)
        make_activity(w.neighbour, name=f"社区活动{i}", date_start=day, date_end=day)
    (result,) = summaries.content(w.district, w.summary_period).quotas
    assert (result.expected, result.met, result.own) == (2, 1, None)
    assert [(p.unit, p.done) for p in result.short] == [(w.station, 2)]


def test_saving_keeps_a_version_only_when_something_changed(campaign):
    w = campaign
    first = write(w)
    again = write(w)
    changed = write(w, plans="继续开展“千场活动，万家走访”。")
    assert first.pk == again.pk == changed.pk and changed.version == 2
    assert list(
        SummaryVersion.objects.filter(summary=changed).values_list("version", flat=True)
    ) == [1, 2]
    assert changed.text_of("plans").startswith("继续开展")


def test_submitting_is_refused_while_the_proofreader_finds_errors(campaign):
    w = campaign
    summary = write(w, work="我们组织的非常好，，参与群众踊跃。")
    with pytest.raises(ValidationError) as e:
        submit(w, summary, CUTOFF - timedelta(days=1))
    assert any("D01" in m or "P01" in m for m in e.value.messages)
    empty = write(w, work="", results="")
    with pytest.raises(ValidationError, match="工作开展情况"):
        submit(w, empty, CUTOFF - timedelta(days=1))


def test_a_summary_submitted_after_the_cutoff_is_late_in_the_rates(campaign):
    w = campaign
    report = submit(w, write(w), CUTOFF + timedelta(hours=2))
    assert report.status == ReportStatus.SUBMITTED and not report.on_time
    assert tallies.read(w.summary_period, w.district.path) == (2, 1, 0)
    with pytest.raises(ValidationError, match="已报送"):
        write(w, plans="改一改")


def test_returned_then_rewritten_and_approved(campaign):
    w = campaign
    report = submit(w, write(w), CUTOFF - timedelta(days=1))
    services.return_report(report=report, by=w.district_reviewer, reason="请补充存在问题。")
    summary = write(w, problems="部分社区活动场地不足。")
    report = submit(w, summary, CUTOFF - timedelta(hours=1))
    assert report.on_time and summary.version == 2
    services.approve_report(report=report, by=w.district_reviewer)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    # The district may append it to its own summary.
    assert summaries.annex_choices(w.district, w.summary_period) == [summary]
    with pytest.raises(ValidationError, match="附件只能是"):  # not a unit below the neighbour
        services.save_summary(
            period=w.summary_period,
            unit=w.neighbour,
            by=w.neighbour_worker,
            title="标题",
            sections={},
            annexes=[summary.pk],
        )


def test_only_the_units_people_write_it(campaign):
    w = campaign
    with pytest.raises(PermissionDenied):
        write(w, by=w.neighbour_worker)
    with pytest.raises(PermissionDenied):
        write(w, by=w.district_reviewer)
    assert not Summary.objects.exists()


# --- pages --------------------------------------------------------------------------------


def test_the_station_writes_saves_and_submits_in_the_browser_pages(client, campaign):
    w = campaign
    client.force_login(w.station_worker)
    url = f"/summaries/{w.summary_period.pk}/"
    page = client.get(url).content.decode()
    assert "共开展活动2场" in page and 'data-testid="summary-figures"' in page
    assert "按登记数据生成的草稿" in page
    form = {
        "title": "西脑包站工作总结",
        "work": "开展了助老服务。",
        "results": "效果良好。",
        "problems": "",
        "plans": "",
        "filler_name": "李娜",
        "filler_mobile": "13800001111",
    }
    client.post(url, {**form, "save": "1"})
    assert Summary.objects.get().title == "西脑包站工作总结"
    with time_machine.travel(CUTOFF - timedelta(days=1), tick=False):
        client.force_login(w.station_worker)  # the session would have expired by then
        response = client.post(url, {**form, "submit": "1"}, follow=True)
    assert "已报送“活动总结”" in response.content.decode()
    # The period's report page and the report link lead to the summary.
    assert client.get(f"/reports/period/{w.summary_period.pk}/")["Location"] == url


def test_the_live_check_panel_marks_errors(client, campaign):
    client.force_login(campaign.station_worker)
    response = client.post("/summaries/check/", {"title": "总结", "work": "组织的非常好"})
    assert 'data-code="D01"' in response.content.decode()


def test_the_district_reads_and_reviews_a_neighbour_cannot_see(client, campaign):
    w = campaign
    report = submit(w, write(w), CUTOFF - timedelta(days=1))
    url = f"/summaries/{w.summary_period.pk}/{w.station.code}/"
    client.force_login(w.district_reviewer)
    page = client.get(url).content.decode()
    assert "活动期间开展了助老服务。" in page and 'data-testid="review-form"' in page
    client.post(f"/reports/{report.pk}/review/", {"decision": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    client.force_login(w.neighbour_worker)
    assert client.get(url).status_code == 404
    assert client.get(f"/summaries/{w.summary_period.pk}/").status_code == 200  # its own


def test_the_summary_downloads_and_prints_as_one_document(client, campaign):
    from tests.documents.docx_xml import document, texts

    w = campaign
    write(w, problems="部分社区活动场地不足。")
    base = f"/summaries/{w.summary_period.pk}/{w.station.code}/"
    client.force_login(w.district_reviewer)
    word = client.get(base + "word/")
    assert word["Content-Type"].endswith("wordprocessingml.document")
    lines = texts(document(word.content))
    assert lines[0] == "西脑包街道社会工作服务站社会工作主题宣传活动工作总结"
    assert "一、工作开展情况" in lines and "部分社区活动场地不足。" in lines
    assert "表1　主要数据" in lines
    printed = client.get(base + "print/").content.decode()
    assert "部分社区活动场地不足。" in printed and "表1　主要数据" in printed
    assert 'class="sg-ptable sg-gw-table"' in printed
    client.force_login(w.neighbour_worker)
    assert client.get(base + "word/").status_code == 404
    assert client.get(base + "print/").status_code == 404


def test_the_command_writes_a_units_summary_or_its_draft(campaign, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from tests.documents.docx_xml import document, texts

    w = campaign
    out, path = StringIO(), tmp_path / "总结.docx"
    call_command(
        "export_summary", "--unit", w.room.code, "--notice", "东民发[2030]2号", "--out", str(path),
        stdout=out,
    )  # fmt: skip
    assert "按登记数据生成的草稿" in out.getvalue()
    assert texts(document(path.read_bytes()))[0].startswith("宏源社区社会工作室")
    write(w)
    call_command("export_summary", "--unit", w.station.code, "--notice", "东民发〔2030〕2号",
                 "--out", str(path), stdout=out)  # fmt: skip
    assert "第 1 版" in out.getvalue()
    assert "活动期间开展了助老服务。" in texts(document(path.read_bytes()))


def test_the_command_refuses_a_unit_the_notice_does_not_reach(campaign, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不在《") as e:
        call_command(
            "export_summary", "--unit", campaign.manzhouli.code, "--notice", "东民发〔2030〕2号",
            "--out", str(tmp_path / "x.docx"),
        )  # fmt: skip
    assert e.value.returncode == 2 and not (tmp_path / "x.docx").exists()


def test_the_summary_docx_is_a_gb_9704_page_with_4_hao_tables_and_no_doc_number(campaign):
    from docx.shared import Pt

    from shegong.documents.summaries import summary_docx
    from tests.documents.docx_xml import document

    w = campaign
    content, title, sections, _ = summaries.written(w.station, w.summary_period)
    doc = document(summary_docx(content, title, sections, date(2030, 4, 3)))
    section = doc.sections[0]
    size = [round(x.mm) for x in (section.page_width, section.page_height)]
    margins = [round(x.mm) for x in (section.top_margin, section.left_margin)]
    assert (size, margins) == ([210, 297], [37, 28])
    assert doc.paragraphs[0].text == title  # the title first: no red mark, no 文号
    assert doc.paragraphs[-1].text == "2030年4月3日"
    table = doc.tables[0]
    cell_runs = [r for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert cell_runs and {r.font.size for r in cell_runs} == {Pt(14)}
    assert {r.font.name for r in cell_runs} == {"仿宋_GB2312"}
    assert [c.text for c in table.rows[1].cells][:3] == ["2", "75", "240"]
