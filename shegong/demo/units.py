"""The demo unit tree, drawn from the seeds.

民政部 at the root; 广东 (seed 000), 内蒙古 with its 12 盟市 and the two cities that report
straight to the region (seed 002's addressees), and 重庆 → 南川区 with its 镇街, stations,
rooms and social-work organisations (seed 003). Territorial units carry their real
12-digit 统计用区划代码; stations (S…), rooms (R…) and organisations (O…) get codes of
their own, because they are not divisions.
"""

from shegong.orgs import services
from shegong.orgs.models import Kind, OrgUnit

K = Kind


def unit(code, name, kind, division="", children=(), **fields):
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "division_code": division,
        "children": list(children),
        **fields,
    }


def bureau(division, name, kind, children=(), **fields):
    return unit(division, name, kind, division, children, **fields)


def station(township, name, rooms=(), **fields):
    """A township with its social-work station, and village rooms under the station."""
    return unit(
        township[0],
        township[1],
        K.TOWNSHIP,
        township[0],
        [
            unit(
                "S" + township[0][:9],
                name,
                K.STATION,
                township[0],
                [unit("R" + v, n, K.ROOM, v) for v, n in rooms],
                **fields,
            )
        ],
    )


MONGOLIA_LEAGUES = [
    ("150100000000", "呼和浩特市民政局"),
    ("150200000000", "包头市民政局"),
    ("150300000000", "乌海市民政局"),
    ("150400000000", "赤峰市民政局"),
    ("150500000000", "通辽市民政局"),
    ("150600000000", "鄂尔多斯市民政局"),
    ("150700000000", "呼伦贝尔市民政局"),
    ("150800000000", "巴彦淖尔市民政局"),
    ("150900000000", "乌兰察布市民政局"),
    ("152200000000", "兴安盟民政局"),
    ("152500000000", "锡林郭勒盟民政局"),
    ("152900000000", "阿拉善盟民政局"),
]

BAOTOU = bureau(
    "150200000000",
    "包头市民政局",
    K.PREFECTURE,
    [
        bureau(
            "150202000000",
            "东河区民政局",
            K.COUNTY,
            [
                station(
                    ("150202003000", "西脑包街道"),
                    "西脑包街道社会工作服务站",
                    [
                        ("150202003013", "宏源社区社会工作室"),
                        ("150202003019", "贵发社区社会工作室"),
                        ("150202003020", "井坪社区社会工作室"),
                    ],
                    contact_person="李娜",
                    contact_phone="0472-4123456",
                ),
                station(
                    ("150202001000", "和平路街道"),
                    "和平路街道社会工作服务站",
                    [
                        ("150202001012", "环西社区社会工作室"),
                        ("150202001013", "胜利社区社会工作室"),
                    ],
                    contact_person="王芳",
                    contact_phone="0472-4123457",
                ),
                station(("150202006000", "东站街道"), "东站街道社会工作服务站"),
            ],
        ),
        bureau(
            "150203000000",
            "昆都仑区民政局",
            K.COUNTY,
            [
                station(
                    ("150203001000", "少先路街道"),
                    "少先路街道社会工作服务站",
                    [("150203001015", "少先二十一号街坊社区社会工作室")],
                ),
                station(("150203003000", "沼潭街道"), "沼潭街道社会工作服务站"),
            ],
        ),
        unit("O150200-01", "包头市社会工作协会", K.ASSOCIATION),
        unit("O150200-02", "包头市爱之家社会工作服务中心", K.AGENCY),
    ],
)

HOHHOT = bureau(
    "150100000000",
    "呼和浩特市民政局",
    K.PREFECTURE,
    [
        bureau(
            "150102000000",
            "新城区民政局",
            K.COUNTY,
            [
                station(("150102001000", "海拉尔东路街道"), "海拉尔东路街道社会工作服务站"),
                station(("150102002000", "锡林北路街道"), "锡林北路街道社会工作服务站"),
            ],
        )
    ],
)

MONGOLIA = bureau(
    "150000000000",
    "内蒙古自治区民政厅",
    K.PROVINCE,
    [
        HOHHOT,
        BAOTOU,
        *[bureau(code, name, K.PREFECTURE) for code, name in MONGOLIA_LEAGUES[2:]],
        # Seed 002 addresses "满洲里市、二连浩特市民政局" beside the 盟市: they report to the
        # region directly, although their division codes sit under 呼伦贝尔 and 锡林郭勒.
        bureau(
            "150781000000",
            "满洲里市民政局",
            K.COUNTY,
            [
                station(
                    ("150781001000", "东山街道"),
                    "东山街道社会工作服务站",
                    [("150781001001", "怡园社区社会工作室")],
                )
            ],
        ),
        bureau(
            "152501000000",
            "二连浩特市民政局",
            K.COUNTY,
            [station(("152501200000", "格日勒敖都苏木"), "格日勒敖都苏木社会工作服务站")],
        ),
        unit("O150000-01", "内蒙古自治区社会工作协会", K.ASSOCIATION),
        unit("O150000-02", "内蒙古师范大学社会工作系", K.UNIVERSITY),
    ],
    contact_person="张璐",
    contact_phone="0471-6946872",
    address="内蒙古自治区呼和浩特市",
)

GUANGDONG = bureau(
    "440000000000",
    "广东省民政厅",
    K.PROVINCE,
    [
        bureau(
            "440100000000",
            "广州市民政局",
            K.PREFECTURE,
            [
                bureau(
                    "440106000000",
                    "天河区民政局",
                    K.COUNTY,
                    [
                        station(
                            ("440106001000", "五山街道"),
                            "五山街道社工站",
                            [("440106001001", "岳洲社区社工服务点")],
                        ),
                        station(("440106002000", "员村街道"), "员村街道社工站"),
                    ],
                ),
                bureau(
                    "440104000000",
                    "越秀区民政局",
                    K.COUNTY,
                    [station(("440104001000", "洪桥街道"), "洪桥街道社工站")],
                ),
                unit("O440100-01", "广州市社会工作协会", K.ASSOCIATION),
            ],
        ),
        bureau("440300000000", "深圳市民政局", K.PREFECTURE),
    ],
)

NANCHUAN = bureau(
    "500119000000",
    "南川区民政局",
    K.COUNTY,
    [
        unit("C500119", "南川区社会工作指导中心", K.CENTRE, "500119000000"),
        station(
            ("500119001000", "东城街道"),
            "东城街道社会工作站",
            [
                ("500119001001", "鼓楼坝社区社会工作室"),
                ("500119001002", "长亭社区社会工作室"),
                ("500119001003", "皂桷井社区社会工作室"),
            ],
        ),
        station(
            ("500119003000", "西城街道"),
            "西城街道社会工作站",
            [("500119003001", "西大街社区社会工作室"), ("500119003002", "东方红社区社会工作室")],
        ),
        station(("500119002000", "南城街道"), "南城街道社会工作站"),
        station(
            ("500119104000", "大观镇"),
            "大观镇社会工作站",
            [("500119104208", "金龙村社会工作室"), ("500119104215", "观溪村社会工作室")],
        ),
        station(("500119110000", "金山镇"), "金山镇社会工作站"),
        unit("O500119-01", "南川区同心社会工作服务中心", K.AGENCY),
        unit("O500119-02", "南川区阳光社会工作服务中心", K.AGENCY),
    ],
    contact_person="吴琪",
    contact_phone="023-71424160",
    address="重庆市南川区",
)

TREE = unit(
    "MCA",
    "民政部",
    K.MINISTRY,
    children=[
        GUANGDONG,
        MONGOLIA,
        bureau("500000000000", "重庆市民政局", K.PROVINCE, [NANCHUAN]),
    ],
    short_name="民政部",
)


def build(spec=TREE, parent=None):
    """Create the tree depth-first through the service (paths, audit rows). Idempotent."""
    node = dict(spec)
    children = node.pop("children")
    existing = OrgUnit.objects.filter(code=node["code"]).first()
    made = existing or services.create_unit(parent=parent, by=None, **node)
    count = 0 if existing else 1
    for child in children:
        count += build(child, made)
    return count
