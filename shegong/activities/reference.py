"""The starting lists of service domains (seed 002 Attachment 1) and activity forms (seed 000
五、活动形式, plus seed 003's 社区活动 and 其他). Both are editable in the admin afterwards.

load() takes the model classes so the data migration can pass its historical models and
`seed-demo` the current ones; it only adds what is missing.
"""

DOMAINS = [
    ("老年人", "老人、长者、一老、独居老人"),
    ("残疾人", "残障人士、残疾人士"),
    ("妇女", "女性"),
    ("儿童青少年", "儿童、青少年、未成年人、一小、困境儿童、留守儿童"),
    ("困难群体", "困难群众、困难家庭、低保、特困"),
]
TYPES = [
    ("media", "媒体宣传"),
    ("industry", "行业力量动员"),
    ("venue", "服务场所宣传"),
    ("incentive", "职业激励"),
    ("education", "社会工作教育"),
    ("screen", "全屏宣传"),
    ("community", "社区活动"),
    ("other", "其他"),
]


def load(ServiceDomain, ActivityType):
    for bit, (name, aliases) in enumerate(DOMAINS):
        ServiceDomain.objects.get_or_create(
            bit=bit, defaults={"name": name, "aliases": aliases, "order": bit}
        )
    for order, (code, name) in enumerate(TYPES):
        ActivityType.objects.get_or_create(code=code, defaults={"name": name, "order": order})
