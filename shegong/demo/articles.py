"""Demo news briefs in the style seed 002 asks for: two published on the portal (内蒙古 and
重庆, so 各地动态 has two regions), one waiting for review, one draft the proofreader
objects to; and 西脑包's public station page."""

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from shegong.articles import services
from shegong.articles.models import Article
from shegong.orgs.models import OrgUnit
from shegong.portal.models import StationPage

BRIEFS = [
    {
        "unit": "S150202003",
        "by": "xinaobao_filler",
        "title": "西脑包街道社会工作服务站开展“五社联动”助老服务活动",
        "body": (
            "3月18日上午，西脑包街道社会工作服务站联合宏源社区，在社区党群服务中心开展"
            "“五社联动”助老服务活动。\n"
            "活动中，社会工作者为辖区60余名老年人讲解防范电信诈骗知识，社区志愿者协助"
            "开展血压测量和健康咨询，爱心企业捐赠了米面油等生活物资。社会工作者还走访了"
            "12户独居老人家庭，了解他们的生活需求，建立服务台账。\n"
            "活动共服务老年人85人次，链接社会慈善资源折合约3000元。参加活动的老人表示，"
            "这样的活动实实在在，希望以后多办。"
        ),
        "caption": "社会工作者为老年人讲解防范电信诈骗知识",
        "review": ("donghe_reviewer", "publish", "typical"),
    },
    {
        "unit": "S500119001",
        "by": "dongcheng_filler",
        "title": "东城街道社会工作站举办“社工帮你办”儿童关爱活动",
        "body": (
            "3月19日下午，南川区东城街道社会工作站在辖区社区儿童之家举办“社工帮你办”"
            "儿童关爱活动，辖区30名留守儿童和困境儿童参加。\n"
            "社会工作者带领孩子们开展安全知识问答和手工制作，社区志愿者为孩子们辅导作业，"
            "社会组织为每名儿童送上学习用品。活动还邀请家长参与亲子游戏，增进亲子沟通。\n"
            "活动共服务儿童及家长65人次，发放学习用品30份。"
        ),
        "caption": "孩子们在社会工作者带领下参加安全知识问答",
        "review": ("nanchuan_reviewer", "publish", ""),
    },
    {
        "unit": "R150202003013",
        "by": "hongyuan_filler",
        "title": "宏源社区社会工作室开展残疾人康复服务",
        "body": (
            "3月21日，宏源社区社会工作室在社区康复站为辖区残疾人开展康复训练指导服务。"
            "社会工作者联合康复医生为15名残疾人提供康复评估和训练指导，并为家属讲解居家"
            "照护要点。活动共服务残疾人及家属32人次。"
        ),
        "caption": "康复医生指导残疾人开展康复训练",
        "review": None,  # submitted: waiting for xinaobao_reviewer
    },
    {
        "unit": "S150202003",
        "by": "xinaobao_filler",
        "title": "西脑包街道开展社会工作宣传周活动",
        "body": (
            "3月22日，西脑包街道社会工作服务站在社区广场开展社会工作宣传周活动，，"
            "为居民介绍社会工作服务内容。参加活动的残废人朋友也表示很受欢迎。"
        ),
        "caption": "宣传活动现场",
        "review": "draft",
    },
]


def _picture(seed):
    image = Image.new("RGB", (1200, 800), (40 + seed * 50, 110, 170))
    draw = ImageDraw.Draw(image)
    for i in range(6):
        x = 120 + i * 170
        draw.ellipse((x, 300, x + 120, 420), fill=(240, 200 - i * 20, 120))
        draw.rectangle((x + 20, 430, x + 100, 640), fill=(250, 250, 250))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"demo{seed}.jpg", out.getvalue(), content_type="image/jpeg")


STATION_PAGE = {
    "place_name": "西脑包街道社会工作服务站",
    "address": "包头市东河区西脑包街道宏源社区党群服务中心二楼",
    "hours": "周一至周五 8:30—12:00，14:30—17:30",
    "contact": "0472-4171234",
    "services": "面向辖区老年人、儿童、残疾人和困难群众，提供需求评估、个案、小组和社区服务，"
    "链接社区、社会组织、社会工作者、社区志愿者和社会慈善资源。",
    "service_list": "老年人关爱服务\n儿童关爱保护服务\n残疾人康复支持\n困难群众帮扶\n社区治理与志愿服务",
    "staff": "林涛 社会工作师\n王丽 助理社会工作师\n赵刚 社区志愿服务队队长",
    "process": "来访或电话登记\n社会工作者评估需求\n制定服务计划\n提供服务\n结案与回访",
    "is_public": True,
}


def build():
    if Article.objects.exists():
        return
    station = OrgUnit.objects.filter(code="S150202003").first()
    if station is not None:
        StationPage.objects.get_or_create(unit=station, defaults=STATION_PAGE)
    users = {u.username: u for u in get_user_model().objects.filter(username__contains="_")}
    for i, brief in enumerate(BRIEFS):
        unit = OrgUnit.objects.filter(code=brief["unit"]).first()
        author = users.get(brief["by"])
        if unit is None or author is None:
            continue
        article = services.save_article(
            unit=unit,
            by=author,
            title=brief["title"],
            body=brief["body"],
            photos=[_picture(i)],
            captions=[brief["caption"]],
        )
        if brief["review"] == "draft":
            continue
        services.submit_article(article=article, by=author)
        if brief["review"] is None:
            continue
        reviewer, publish, mark = brief["review"]
        services.approve_article(article=article, by=users[reviewer])
        if publish:
            services.publish_article(article=article, by=users[reviewer])
        if mark:
            services.mark_article(
                article=article, by=users[reviewer], typical=True, excellent=False
            )
