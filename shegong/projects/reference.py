"""The starting lists of project domains (seed 004: a catalogue in 10 domains) and of
evaluation criteria (服务评估, 100 points in all). Both stay editable afterwards.

load() takes the model classes so the data migration can pass its historical models and
the tests and demo the current ones; it only adds what is missing.
"""

DOMAINS = [
    "老年人服务",
    "青少年服务",
    "家庭服务",
    "残疾人服务",
    "社会救助",
    "社区治理",
    "禁毒服务",
    "医务社工",
    "司法社工",
    "应急服务",
]

# (name, full score)
CRITERIA = [
    ("服务成效", 30),
    ("专业规范", 20),
    ("项目管理", 15),
    ("财务管理", 15),
    ("服务对象满意度", 10),
    ("资源链接与宣传", 10),
]


def load(ProjectDomain, Criterion):
    for i, name in enumerate(DOMAINS, 1):
        ProjectDomain.objects.get_or_create(name=name, defaults={"order": i})
    for i, (name, full) in enumerate(CRITERIA, 1):
        Criterion.objects.get_or_create(name=name, defaults={"order": i, "max_score": full})
