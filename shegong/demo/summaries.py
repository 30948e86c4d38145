"""Demo 总结材料: 东城街道社会工作站 writes its summary of 南川民发〔2023〕10号 and sends it on
time, and 南川区民政局 approves it; 满洲里市民政局 sends its summary of 内民政慈社〔2022〕3号
a day late, and it waits for 自治区民政厅's review. Both count in their period's rates."""

from django.contrib.auth import get_user_model

from shegong.campaigns.models import PeriodKind, ReportingPeriod
from shegong.orgs.models import OrgUnit
from shegong.reporting import services
from shegong.reporting.models import Summary

from .notices import at
from .reports import _clock

DONGCHENG = {
    "work": "2023年3月21日至31日，东城街道社会工作站按照区民政局通知要求，围绕“推进‘五社联动’ 关爱‘一小一老’”"
    "主题开展第七届巴渝社会工作宣传周活动。站内社工联合鼓楼坝、长亭、皂桷井3个社区社会工作室，在社区广场、"
    "老年活动中心和学校开展政策宣传、健康义诊、亲子阅读等活动，并入户走访困难老人和留守儿童家庭。",
    "results": "一是社会工作知晓度明显提升，居民主动到站点咨询的人数增加。二是“一老一小”服务更加精准，"
    "为走访中发现的困难家庭建立了服务台账。三是链接辖区企业和志愿服务队捐赠物资，社区志愿者积极参与。",
    "experience": "坚持“社工＋志愿者”联动，由社工策划活动、志愿者协助组织，活动覆盖面更广。",
    "problems": "部分社区活动场地不足，农村片区老人参与活动的交通不便。",
    "plans": "继续开展“千场活动，万家走访”，5月底前完成全部社区活动和家庭走访任务。",
}
MANZHOULI = {
    "work": "2022年3月17日至31日，满洲里市民政局按照自治区民政厅通知要求，组织全市社会工作服务站和社会工作"
    "服务机构开展社会工作主题宣传活动，通过社区宣传、线上直播和进校园等形式宣传社会工作专业优势。",
    "results": "活动期间各站点累计服务群众近千人次，新增社区志愿者两支队伍。",
    "experience": "依托口岸城市特点，在边境社区开展多语种宣传，取得良好反响。",
    "problems": "受疫情防控影响，部分线下活动改为线上开展，报送时间有所延误。",
    "plans": "建立社会工作宣传常态化机制，按时报送各类材料。",
}


def _user(name):
    return get_user_model().objects.filter(username=name).first()


def _write(period, code, by, sections, when):
    unit = OrgUnit.objects.get(code=code)
    with _clock(when):
        return services.save_summary(
            period=period,
            unit=unit,
            by=_user(by),
            title=f"{unit.name}关于社会工作宣传活动的工作总结",
            sections=sections,
        )


def _summary_period(doc_prefix, year):
    return ReportingPeriod.objects.filter(
        notice__doc_prefix=doc_prefix, notice__doc_year=year, kind=PeriodKind.SUMMARY
    ).first()


def build():
    nanchuan = _summary_period("南川民发", 2023)
    mongolia = _summary_period("内民政慈社", 2022)
    if nanchuan is None or mongolia is None or Summary.objects.exists():
        return
    summary = _write(nanchuan, "S500119001", "dongcheng_filler", DONGCHENG, at(2023, 4, 3, 9))
    with _clock(at(2023, 4, 3, 10, 30)):
        report = services.submit_summary(
            summary=summary,
            by=_user("dongcheng_filler"),
            filler_name="陈静",
            filler_mobile="13983001234",
        )
    with _clock(at(2023, 4, 4, 15)):
        services.approve_report(report=report, by=_user("nanchuan_reviewer"))
    late = _write(mongolia, "150781000000", "manzhouli_filler", MANZHOULI, at(2022, 4, 6, 9))
    with _clock(at(2022, 4, 6, 9, 40)):
        services.submit_summary(
            summary=late,
            by=_user("manzhouli_filler"),
            filler_name="赵敏",
            filler_mobile="13904700088",
        )
