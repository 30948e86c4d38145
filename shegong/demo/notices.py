"""The seed notices as data: 民办函〔2022〕5号 and its re-issues by 广东 (seed 000) and
内蒙古 (seed 002); 渝民办〔2023〕33号 and its re-issue by 南川区 (seed 003).

The two parents are only known from the seeds' citations, so they carry the fields the
seeds quote and nothing invented. The three seed notices carry their real fields.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from shegong.campaigns import services
from shegong.campaigns.models import (
    Notice,
    NoticeRecipient,
    PeriodKind,
    QuotaMetric,
    ReporterScope,
)
from shegong.orgs.models import Kind, OrgUnit

CST = ZoneInfo("Asia/Shanghai")
THEME_2022 = "五社联动聚合力 社工服务暖基层"

GOALS_2022 = (
    "团结带领广大社会工作者以习近平新时代中国特色社会主义思想为指导，自觉做党的创新理论的坚定信仰者和"
    "忠实实践者，深刻理解“两个确立”的决定性意义，切实增强“四个意识”、坚定“四个自信”、做到“两个维护”，"
    "紧扣巩固拓展党史学习教育成果、扎实推动共同富裕、创新基层社会治理等工作，进一步展示社会工作发展成果，"
    "营造社会工作良好发展环境，激励广大社会工作者满怀信心奋进新征程、建功新时代，以更加优异的成绩喜迎党的"
    "二十大胜利召开。"
)

CONTENT_2022 = (
    "（一）社会工作基本知识、政策法规、发展成果；\n"
    "（二）社会工作领域先进典型、有代表性的服务项目；\n"
    "（三）优秀社会工作者感人事迹；\n"
    "（四）社会工作参与疫情防控工作的经验做法；\n"
    "（五）苏木乡镇（街道）社工站建设成果；\n"
    "（六）社区、社会组织、社会工作者、社区志愿者、社会慈善资源“五社联动”的意义和作用；\n"
    "（七）“五社联动”助力乡村振兴、社区治理、民政事业高质量发展典型案例。"
)

FORMS_2022 = (
    "（一）积极联动各类媒体资源。\n"
    "（二）广泛发动社会工作行业力量。\n"
    "（三）做好社会工作服务场所宣传。\n"
    "（四）强化社会工作职业激励。\n"
    "（五）开展社会工作教育活动。\n"
    "（六）开展“全屏社会工作宣传活动”。"
)


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=CST)


def unit(code):
    return OrgUnit.objects.get(code=code)


def _notice(issuer, doc_number, *, parent=None, rules=None, sign=(), **spec):
    existing = Notice.objects.filter(issuer=issuer, title=spec["fields"]["title"]).first()
    if existing:
        return existing
    notice = services.save_draft(
        issuer=issuer, parent=parent, by=None, doc_number=doc_number, rules=rules or {}, **spec
    )
    services.issue_notice(notice=notice, by=None)
    # Back-date to when it really went out, so lists and timelines read right.
    issued = (
        at(*spec["fields"]["signed_date"].timetuple()[:3], 9)
        if spec["fields"].get("signed_date")
        else at(notice.window_start.year, notice.window_start.month, notice.window_start.day)
    )
    Notice.objects.filter(pk=notice.pk).update(issued_at=issued)
    NoticeRecipient.objects.filter(notice=notice).update(delivered_at=issued)
    for code in sign:
        recipient = NoticeRecipient.objects.get(notice=notice, unit__code=code)
        services.sign_notice(recipient=recipient, by=None)
        NoticeRecipient.objects.filter(pk=recipient.pk).update(
            signed_at=issued + timezone.timedelta(hours=3)
        )
    return notice


def build():
    mca, cq = unit("MCA"), unit("500000000000")
    national = _notice(
        mca,
        "民办函〔2022〕5号",
        fields={
            "title": "民政部办公厅关于组织开展2022年社会工作主题宣传活动的通知",
            "addressee_text": "各省、自治区、直辖市民政厅（局）",
            "theme": THEME_2022,
            "window_start": date(2022, 3, 17),
            "window_end": date(2022, 3, 31),
        },
        rules={"kinds": [Kind.PROVINCE]},
        sign=["440000000000", "150000000000"],
    )
    _notice(
        unit("440000000000"),
        "粤民办函〔2022〕19号",
        parent=national,
        fields={
            "title": "广东省民政厅办公室关于组织开展第十届“岭南社工宣传周”活动的通知",
            "addressee_text": "各地级以上市民政局",
            "theme": THEME_2022,
            "goals": GOALS_2022,
            "window_start": date(2022, 3, 17),
            "window_end": date(2022, 3, 31),
            "require_safety_plans": True,
            "signed_date": date(2022, 3, 1),
        },
        sections=[
            {
                "heading": "四、活动内容",
                "text": CONTENT_2022.replace("苏木乡镇", "“广东兜底民生服务社会工作双百工程”乡镇"),
            },
            {"heading": "五、活动形式", "text": FORMS_2022},
            {
                "heading": "六、有关要求",
                "text": "（一）提高认识，加强领导。\n（二）多方参与，突出特色。\n（三）厉行节约，严防风险。"
                "对各种线下活动，要制定疫情防控工作方案和应急处置预案。\n"
                "各地级以上市民政局要在宣传活动结束后及时做好总结，并于4月10日前将总结材料报送省厅"
                "慈善事业促进和社会工作处。",
            },
        ],
        periods=[
            {
                "kind": PeriodKind.SUMMARY,
                "name": "活动总结",
                "start_date": date(2022, 3, 17),
                "end_date": date(2022, 3, 31),
                "cutoff": at(2022, 4, 10),
                "submit_to": "省厅慈善事业促进和社会工作处",
            }
        ],
        rules={"kinds": [Kind.PREFECTURE]},
        sign=["440100000000"],
    )
    mongolia = unit("150000000000")
    _notice(
        mongolia,
        "内民政慈社〔2022〕3号",
        parent=national,
        fields={
            "title": "关于组织开展2022年社会工作主题宣传活动的通知",
            "addressee_text": "各盟市民政局，满洲里市、二连浩特市民政局",
            "theme": THEME_2022,
            "goals": GOALS_2022.replace(
                "创新基层社会治理等工作", "创新基层社会治理、助力疫情防控等工作"
            ),
            "window_start": date(2022, 3, 17),
            "window_end": date(2022, 3, 31),
            "contact_person": "张璐",
            "contact_phone": "0471-6946872",
            "contact_email": "mz6946872@163.com",
        },
        sections=[
            {"heading": "三、宣传内容", "text": CONTENT_2022},
            {"heading": "四、宣传活动", "text": FORMS_2022},
            {
                "heading": "五、有关要求",
                "text": "（一）精心组织实施。\n（二）突出工作重点。\n（三）严格监督管理。\n"
                "（四）及时报送材料。各盟市民政局要认真归纳总结此次社会工作主题宣传活动，积极向自治区民政厅"
                "报送宣传稿件，每周报送工作进展情况（详见附件1）。宣传稿件应图文并茂、要素齐全、内涵丰富"
                "（详见附件2）。务于2022年4月5日前报送此次活动总结。",
            },
        ],
        periods=[
            {
                "kind": PeriodKind.PROGRESS,
                "name": "第1次工作进展情况（3月24日）",
                "start_date": date(2022, 3, 17),
                "end_date": date(2022, 3, 24),
                "cutoff": at(2022, 3, 24, 17),
                "submit_to": "自治区民政厅慈善社工处",
            },
            {
                "kind": PeriodKind.PROGRESS,
                "name": "第2次工作进展情况（3月31日）",
                "start_date": date(2022, 3, 25),
                "end_date": date(2022, 3, 31),
                "cutoff": at(2022, 3, 31, 17),
                "submit_to": "自治区民政厅慈善社工处",
            },
            {
                "kind": PeriodKind.SUMMARY,
                "name": "活动总结",
                "start_date": date(2022, 3, 17),
                "end_date": date(2022, 3, 31),
                "cutoff": at(2022, 4, 5),
                "submit_to": "自治区民政厅慈善社工处",
            },
        ],
        rules={
            "kinds": [Kind.PREFECTURE],
            "units": [unit("150781000000"), unit("152501000000")],
        },
        sign=["150200000000", "150100000000", "150781000000"],
    )
    chongqing = _notice(
        cq,
        "渝民办〔2023〕33号",
        fields={
            "title": "重庆市民政局办公室关于举办第七届巴渝社会工作宣传周活动的通知",
            "addressee_text": "各区县（自治县）民政局",
            "theme": "推进“五社联动” 关爱“一小一老”",
            "window_start": date(2023, 3, 20),
            "window_end": date(2023, 3, 31),
        },
        rules={"kinds": [Kind.COUNTY]},
        sign=["500119000000"],
    )
    _notice(
        unit("500119000000"),
        "南川民发〔2023〕10号",
        parent=chongqing,
        fields={
            "title": "关于开展第七届巴渝社会工作宣传周活动的通知",
            "addressee_text": "各乡镇人民政府、街道办事处，各社会工作组织，各有关单位",
            "theme": "推进“五社联动” 关爱“一小一老”",
            "goals": "团结带领广大社会工作者以习近平新时代中国特色社会主义思想为指导，以深入学习贯彻党的"
            "二十大精神、谱写新时代新征程社会工作发展新篇章为主线，提炼发展成果，强化专业能力，坚定行业信心。",
            "window_start": date(2023, 3, 21),
            "window_end": date(2023, 3, 31),
            "contact_person": "吴琪",
            "contact_phone": "71424160",
            "contact_email": "4934346@qq.com",
            "signed_date": date(2023, 3, 7),
            # "各社会工作站（室）、社会工作组织" report: the stations under the addressed
            # townships, and the organisations addressed themselves.
            "reporter_scope": ReporterScope.KINDS,
            "reporter_kinds": [Kind.STATION, Kind.AGENCY, Kind.ASSOCIATION],
        },
        sections=[
            {
                "heading": "四、活动内容",
                "text": "以宣传周活动为契机，全区将开展“千场活动，万家走访”活动，3月21日至5月底，"
                "各社会工作站（室）、社会工作组织结合实际，围绕主题开展形式多样的社区活动，并深入服务对象家庭"
                "进行走访慰问，每个镇街社会工作站、村（社区）社会工作室、社会工作组织要完成3场社区活动和"
                "30个家庭走访，切实把社会工作服务送进社区、送入家庭。",
            },
            {
                "heading": "五、活动要求",
                "text": "（一）高度重视，加强领导。\n（二）明确重点，注重效果。\n（三）结合实际，加强宣传。\n"
                "请各乡镇（街道）、各单位及时做好活动总结，于4月4日前将活动总结电子版报区民政局（社会组织管理科）。",
            },
        ],
        periods=[
            {
                "kind": PeriodKind.SUMMARY,
                "name": "活动总结",
                "start_date": date(2023, 3, 21),
                "end_date": date(2023, 3, 31),
                "cutoff": at(2023, 4, 4),
                "submit_to": "区民政局（社会组织管理科）",
            }
        ],
        quotas=[
            {
                "metric": metric,
                "target": target,
                "start_date": date(2023, 3, 21),
                "end_date": date(2023, 5, 31),
                "kinds": [Kind.STATION, Kind.ROOM, Kind.AGENCY, Kind.ASSOCIATION],
            }
            for metric, target in [(QuotaMetric.COMMUNITY_ACTIVITIES, 3), (QuotaMetric.VISITS, 30)]
        ],
        rules={"kinds": [Kind.TOWNSHIP, Kind.AGENCY, Kind.ASSOCIATION]},
        sign=["500119001000", "500119003000", "O500119-01"],
    )
